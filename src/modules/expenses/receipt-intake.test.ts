import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ExpenseRefusal } from './expenses.texts.js';
import { composeReceiptPhoto } from './qr/testing/receipt-qr-photos.js';
import { readManualEntry, readReceiptPhoto, readReceiptQrText } from './receipt-intake.js';
import { mobileKey, nfceQrText } from './testing/fake-tax-site.js';

/*
 * From what a traveller sends to a receipt draft: QR texts of every kind, generated photos of
 * receipts (and of things that are not), and expenses typed by hand. Every refusal must carry
 * the sentence the bot says.
 */

const ptInvoice =
  'A:503504564*B:999999990*C:PT*D:FS*E:N*F:20240612*G:FS 2024A/1523*H:JJ3VD4XB-1523*I1:PT*I3:4.50*I4:0.27*I7:8.00*I8:1.84*N:2.11*O:14.61*Q:Ab3x*R:2543';
const pix =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';
const key = mobileKey(1);

function refusalOf(run: () => unknown): ExpenseRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpenseRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function asyncRefusalOf(run: () => Promise<unknown>): Promise<ExpenseRefusal> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExpenseRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function photoOf(text: string, seed = 1): Promise<Buffer> {
  const photo = await composeReceiptPhoto({
    width: 1200,
    height: 1600,
    seed,
    receipts: [{ text, center: { x: 600, y: 900 }, modulePx: 6, rotationDegrees: 8 }],
  });
  return photo.bytes;
}

describe('readReceiptQrText', () => {
  it('reads an online NFC-e: what its key says, pending until the page is read', () => {
    const draft = readReceiptQrText(nfceQrText(key));
    expect(draft).toMatchObject({
      source: 'nfce',
      accessKey: key,
      issuerTaxId: '11222333000181',
      documentNumber: '4521',
      currency: 'BRL',
      totalCents: null,
      declaredTotalCents: null,
      issueDate: null,
      fetchStatus: 'pending',
      details: { state: 'PR', yearMonth: '2024-03', qrForm: 'v2-online' },
    });
    expect(draft.portalUrl).toMatch(/^http:\/\/www\.fazenda\.pr\.gov\.br\/nfce\/qrcode\?p=/);
  });

  it('keeps an offline NFC-e’s own total apart from the confirmed one, with its day', () => {
    const draft = readReceiptQrText(nfceQrText(key, { offlineTotal: '65.05', day: 15 }));
    expect(draft).toMatchObject({
      totalCents: null,
      declaredTotalCents: 6505,
      issueDate: '2024-03-15',
      fetchStatus: 'pending',
    });
  });

  it('reads a Portuguese AT invoice as parsed, in euros, with its ATCUD', () => {
    expect(readReceiptQrText(ptInvoice)).toMatchObject({
      source: 'pt-invoice',
      atcud: 'JJ3VD4XB-1523',
      issuerTaxId: '503504564',
      documentNumber: 'FS 2024A/1523',
      issueDate: '2024-06-12',
      totalCents: 1461,
      currency: 'EUR',
      fetchStatus: 'parsed',
      portalUrl: null,
    });
  });

  it.each([
    ['a PIX code', pix, 'NOT_A_RECEIPT', /PIX/],
    [
      'an NFC-e key with a wrong check digit',
      nfceQrText(`${key.slice(0, 43)}${(Number(key.at(-1)) + 1) % 10}`),
      'NOT_A_RECEIPT',
      /d[ií]gito verificador/i,
    ],
    ['a link to a shop', 'https://example.com/promo', 'NOT_A_RECEIPT', /example\.com/],
    [
      'a homologation (test) note',
      nfceQrText(key).replace('|2|1|1|', '|2|2|1|'),
      'HOMOLOGATION_RECEIPT',
      /homologação/,
    ],
    [
      'an AT invoice with a wrong NIF',
      ptInvoice.replace('A:503504564', 'A:503504565'),
      'NOT_A_RECEIPT',
      /NIF/,
    ],
  ])('refuses %s with its own reason', (_name, text, reason, sentence) => {
    const refusal = refusalOf(() => readReceiptQrText(text));
    expect(refusal.reason).toBe(reason);
    expect(refusal.httpStatus).toBe(400);
    expect(refusal.userMessage['pt-BR']).toMatch(sentence);
    expect(refusal.userMessage.en.length).toBeGreaterThan(10);
  });
});

describe('readReceiptPhoto', () => {
  it('finds the receipt QR in a phone photo', async () => {
    const draft = await readReceiptPhoto(await photoOf(nfceQrText(key)));
    expect(draft).toMatchObject({ source: 'nfce', accessKey: key, fetchStatus: 'pending' });
  });

  it('reads a Portuguese invoice QR from a photo', async () => {
    const draft = await readReceiptPhoto(await photoOf(ptInvoice, 2));
    expect(draft).toMatchObject({ source: 'pt-invoice', totalCents: 1461 });
  });

  it('says why when the only QR in the photo is not a receipt', async () => {
    const photo = await photoOf(pix, 3);
    const refusal = await asyncRefusalOf(() => readReceiptPhoto(photo));
    expect(refusal.reason).toBe('NOT_A_RECEIPT');
    expect(refusal.userMessage['pt-BR']).toMatch(/PIX/);
  });

  it('refuses a photo without a QR code, asking for another photo', async () => {
    const plain = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 190, b: 170 } },
    })
      .jpeg()
      .toBuffer();
    const refusal = await asyncRefusalOf(() => readReceiptPhoto(plain));
    expect(refusal.reason).toBe('NO_QR_FOUND');
    expect(refusal.userMessage['pt-BR']).toMatch(
      /^Não encontrei um QR code de nota fiscal nesta foto/,
    );
  });

  it('refuses a PDF sent as a photo, naming what it got', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n');
    const refusal = await asyncRefusalOf(() => readReceiptPhoto(pdf));
    expect(refusal).toMatchObject({ reason: 'NOT_A_PHOTO', httpStatus: 415 });
    expect(refusal.userMessage['pt-BR']).toBe(
      'Envie uma foto (JPG ou PNG) do QR code da nota, por favor; recebi um PDF.',
    );
  });

  it('refuses a 30 MB file before decoding it, with the limit', async () => {
    const huge = Buffer.alloc(30 * 1024 * 1024);
    huge.set([0xff, 0xd8, 0xff, 0xe0]);
    const refusal = await asyncRefusalOf(() => readReceiptPhoto(huge));
    expect(refusal).toMatchObject({ reason: 'PHOTO_TOO_LARGE', httpStatus: 413 });
    expect(refusal.userMessage['pt-BR']).toBe(
      'A foto tem 30 MB; envie uma foto de até 20 MB, por favor.',
    );
  });

  it('refuses a JPEG whose pixels cannot be decoded', async () => {
    const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
    const refusal = await asyncRefusalOf(() => readReceiptPhoto(broken));
    expect(refusal.reason).toMatch(/NOT_A_PHOTO|NO_QR_FOUND/);
    expect(refusal.userMessage['pt-BR'].length).toBeGreaterThan(20);
  });
});

describe('readManualEntry', () => {
  const now = new Date('2026-03-10T15:00:00Z');

  it.each([
    ['65,05', 'ontem', 'BRL', 6505, '2026-03-09'],
    ['R$ 1.234,56', '05/03/2026', 'BRL', 123456, '2026-03-05'],
    ['12,30 €', 'hoje', 'EUR', 1230, '2026-03-10'],
  ])('reads %s on %s', (amount, date, currency, cents, day) => {
    expect(
      readManualEntry({ amount, date, description: ' Táxi do aeroporto ' }, { now }),
    ).toMatchObject({
      source: 'manual',
      totalCents: cents,
      currency,
      issueDate: day,
      description: 'Táxi do aeroporto',
      fetchStatus: 'manual',
    });
  });

  it('takes an amount already read by the flow', () => {
    expect(
      readManualEntry(
        { amount: { cents: 4200, currency: 'EUR' }, date: '2026-03-01', description: 'Almoço' },
        { now },
      ),
    ).toMatchObject({ totalCents: 4200, currency: 'EUR' });
  });

  it.each([
    [{ amount: 'muito', date: 'hoje', description: 'x' }, 'INVALID_AMOUNT'],
    [{ amount: '0,00', date: 'hoje', description: 'x' }, 'INVALID_AMOUNT'],
    [{ amount: '10', date: 'amanhã', description: 'x' }, 'INVALID_DATE'],
    [{ amount: '10', date: '31/02/2026', description: 'x' }, 'INVALID_DATE'],
    [{ amount: '10', date: 'hoje', description: '   ' }, 'INVALID_DESCRIPTION'],
  ])('refuses %j with %s', (entry, reason) => {
    const refusal = refusalOf(() => readManualEntry(entry, { now }));
    expect(refusal.reason).toBe(reason);
    expect(refusal.userMessage['pt-BR'].length).toBeGreaterThan(10);
  });
});
