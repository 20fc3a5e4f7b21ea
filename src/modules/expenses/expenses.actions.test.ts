import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import { multipart } from '../../../test/helpers/multipart.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import type { FlowValue, Variables } from '../../engine/index.js';
import { type ActionContext, ActionError } from '../flows/index.js';
import { composeReceiptPhoto } from './qr/testing/receipt-qr-photos.js';
import {
  type FakeTaxSite,
  mobileKey,
  nfceQrText,
  startFakeTaxSite,
} from './testing/fake-tax-site.js';

/*
 * The flow actions called as the flow runtime calls them: inputs and the session's context
 * (tenant, contact, channel). The person is a sandbox user; photos are uploaded media.
 */

let site: FakeTaxSite;
let t: TestApp;
let token: Record<string, string>;
let tenantId: string;
let channelId: string;
const contexts: Record<string, ActionContext> = {};

async function contextFor(phone: string): Promise<ActionContext> {
  const sent = await t.app.inject({
    method: 'POST',
    url: `/api/v1/sandbox/${channelId}/inbound`,
    headers: token,
    payload: { from: phone, text: 'oi' },
  });
  expect(sent.statusCode).toBe(202);
  const row = await eventually(
    async () => {
      const result = await t.database.db.execute(
        sql`select c.id::text as contact, v.id::text as conversation from contacts c join conversations v on v.contact_id = c.id where c.phone = ${phone}`,
      );
      return (result as unknown as { rows: Array<{ contact: string; conversation: string }> })
        .rows[0];
    },
    (value) => value !== undefined,
  );
  if (!row) throw new Error('no contact');
  return {
    tenantId,
    channelId,
    contactId: row.contact,
    conversationId: row.conversation,
    sessionId: crypto.randomUUID(),
  };
}

beforeAll(async () => {
  site = await startFakeTaxSite();
  t = await createTestApp({ NFCE_PORTAL_OVERRIDE: site.override });
  const session = await login(t.app, testAdmin);
  token = bearer(session.accessToken);
  tenantId = session.tenant.id;
  const channels = await t.app.inject({ url: '/api/v1/channels', headers: token });
  const sandbox = channels
    .json<{ items: Array<{ id: string; provider: string }> }>()
    .items.find((channel) => channel.provider === 'sandbox');
  if (!sandbox) throw new Error('no sandbox channel');
  channelId = sandbox.id;
  contexts.ana = await contextFor('+5541998760001');
  contexts.bia = await contextFor('+5541998760002');
});

afterAll(async () => {
  await t.close();
  await site.close();
});

function call(action: string, inputs: Variables, context: ActionContext) {
  const found = t.runtime.flowActions.find(action);
  if (!found) throw new Error(`${action} is not registered`);
  return found.run(inputs, context);
}

async function refusalOf(
  action: string,
  inputs: Variables,
  context: ActionContext,
): Promise<ActionError> {
  const error = await call(action, inputs, context).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

async function upload(
  bytes: Buffer,
  type: string,
  filename: string,
  kind?: 'document',
): Promise<string> {
  const body = multipart([{ name: 'file', filename, type, data: bytes }]);
  const response = await t.app.inject({
    method: 'POST',
    url: kind ? `/api/v1/media?kind=${kind}` : '/api/v1/media',
    headers: { ...token, ...body.headers },
    payload: body.payload,
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

async function photoFile(text: string | undefined, seed: number): Promise<FlowValue> {
  const photo = await composeReceiptPhoto({
    width: 1200,
    height: 1600,
    seed,
    receipts: text ? [{ text, center: { x: 600, y: 800 }, modulePx: 6 }] : [],
  });
  const mediaId = await upload(photo.bytes, 'image/jpeg', 'nota.jpg');
  return { mediaId, mimeType: 'image/jpeg', size: photo.bytes.length };
}

describe('the expenses actions, as a conversation goes', () => {
  it('declares every action in the catalog flows are validated against', () => {
    const catalog = t.runtime.flowActions.catalog();
    expect([...catalog.keys()].filter((id) => id.startsWith('expenses.')).sort()).toEqual([
      'expenses.add-receipt-manual',
      'expenses.add-receipt-photo',
      'expenses.close-trip',
      'expenses.find-traveller',
      'expenses.list-receipts',
      'expenses.register-traveller',
      'expenses.set-receipt-amount',
      'expenses.start-trip',
    ]);
    expect(catalog.get('expenses.add-receipt-photo')?.inputs.file).toEqual({
      type: 'file',
      required: true,
    });
  });

  it('finds nobody before registration', async () => {
    expect(await call('expenses.find-traveller', {}, contexts.ana as ActionContext)).toEqual({
      found: false,
      travellerId: null,
      name: null,
      activeTripId: null,
      destination: null,
    });
    const refusal = await refusalOf('expenses.list-receipts', {}, contexts.ana as ActionContext);
    expect(refusal).toMatchObject({
      code: 'NOT_REGISTERED',
      message: 'Ainda não encontrei seu cadastro. Vamos fazê-lo primeiro?',
    });
  });

  it('registers the person chatting; an e-mail already taken is refused in words', async () => {
    const ana = contexts.ana as ActionContext;
    const registered = await call(
      'expenses.register-traveller',
      { name: 'Ana Souza', company: 'Acme', email: 'ana@acme.com.br' },
      ana,
    );
    expect(registered).toEqual({ travellerId: expect.any(String) });
    expect(
      await refusalOf(
        'expenses.register-traveller',
        { name: 'Bia', company: 'Acme', email: 'Ana@ACME.com.br' },
        contexts.bia as ActionContext,
      ),
    ).toMatchObject({
      code: 'EMAIL_TAKEN',
      message:
        'O e-mail Ana@acme.com.br já está cadastrado. Use outro e-mail corporativo, por favor.',
    });
    expect(
      await refusalOf(
        'expenses.register-traveller',
        { name: 'Bia', company: 'Acme', email: 'bia@gmial.com' },
        contexts.bia as ActionContext,
      ),
    ).toMatchObject({ code: 'INVALID_EMAIL', message: expect.stringContaining('gmail.com') });
    expect(
      await refusalOf(
        'expenses.register-traveller',
        { name: 'Ana', company: 'Acme', email: 'ana2@acme.com.br' },
        ana,
      ),
    ).toMatchObject({ code: 'ALREADY_REGISTERED' });
    expect(await call('expenses.find-traveller', {}, ana)).toEqual({
      found: true,
      travellerId: (registered as { travellerId: string }).travellerId,
      name: 'Ana Souza',
      activeTripId: null,
      destination: null,
    });
  });

  it('starts one trip; a second is refused naming the active one', async () => {
    const ana = contexts.ana as ActionContext;
    expect(
      await refusalOf(
        'expenses.add-receipt-manual',
        { amount: '1', date: 'hoje', description: 'x' },
        ana,
      ),
    ).toMatchObject({
      code: 'NO_ACTIVE_TRIP',
      message: 'Você não tem nenhuma viagem ativa. Inicie uma viagem antes de registrar notas.',
    });
    const started = await call(
      'expenses.start-trip',
      { destination: 'Curitiba', costCentre: 'CC-7', days: '3' },
      ana,
    );
    expect(started).toEqual({ tripId: expect.any(String) });
    const second = await refusalOf(
      'expenses.start-trip',
      { destination: 'Natal', costCentre: 'CC-8', days: 2 },
      ana,
    );
    expect(second.code).toBe('ACTIVE_TRIP_EXISTS');
    expect(second.message).toMatch(
      /^Você já tem uma viagem ativa para Curitiba \(centro de custo CC-7\), iniciada em \d\d\/\d\d\/\d{4}\./,
    );
    expect(
      await refusalOf(
        'expenses.start-trip',
        { destination: 'X', costCentre: 'Y', days: 'três' },
        ana,
      ),
    ).toMatchObject({ code: 'INVALID_DAYS' });
    expect(await call('expenses.find-traveller', {}, ana)).toMatchObject({
      activeTripId: (started as { tripId: string }).tripId,
      destination: 'Curitiba',
    });
  });

  it('says "Nenhuma despesa ainda." while the trip is empty', async () => {
    expect(await call('expenses.list-receipts', {}, contexts.ana as ActionContext)).toEqual({
      count: 0,
      lines: 'Nenhuma despesa ainda.',
      total: 'R$ 0,00',
    });
  });

  it('reads a receipt photo and says the amount and the issuer', async () => {
    const file = await photoFile(nfceQrText(mobileKey(300)), 11);
    const result = await call(
      'expenses.add-receipt-photo',
      { file },
      contexts.ana as ActionContext,
    );
    expect(result).toEqual({
      receiptId: expect.any(String),
      status: 'parsed',
      total: { cents: 6505, currency: 'BRL' },
      issuer: 'SUPERMERCADO EXEMPLO LTDA',
      message: 'Recebi sua nota de R$ 65,05 de SUPERMERCADO EXEMPLO LTDA.',
    });
    const again = await refusalOf(
      'expenses.add-receipt-photo',
      { file },
      contexts.ana as ActionContext,
    );
    expect(again.code).toBe('DUPLICATE_RECEIPT');
    expect(again.message).toMatch(/^Esta nota já foi registrada em \d\d\/\d\d\/\d{4}\.$/);
  });

  it('answers a pending receipt with what it will do', async () => {
    const key = mobileKey(301);
    site.answer(key, { kind: 'status', status: 503 });
    const file = await photoFile(nfceQrText(key), 12);
    expect(
      await call('expenses.add-receipt-photo', { file }, contexts.ana as ActionContext),
    ).toMatchObject({
      status: 'pending',
      total: null,
      issuer: 'CNPJ 11.222.333/0001-81',
      message:
        'Recebi sua nota de CNPJ 11.222.333/0001-81. Estou consultando o valor na Sefaz e aviso assim que confirmar.',
    });
  });

  it.each([
    [
      'a photo without a QR code',
      async () => photoFile(undefined, 13),
      'NO_QR_FOUND',
      /^Não encontrei um QR code de nota fiscal nesta foto/,
    ],
    [
      'a photo of a PIX code',
      async () =>
        photoFile(
          '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D',
          14,
        ),
      'NOT_A_RECEIPT',
      /PIX/,
    ],
    [
      'a PDF sent instead of a photo',
      async () => ({
        mediaId: await upload(
          Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n'),
          'application/pdf',
          'nota.pdf',
        ),
      }),
      'NOT_A_PHOTO',
      /^Envie uma foto \(JPG ou PNG\) do QR code da nota, por favor; recebi um PDF\.$/,
    ],
    [
      'a 30 MB file',
      async () => {
        const huge = Buffer.alloc(30 * 1024 * 1024, 1);
        huge.set([0xff, 0xd8, 0xff, 0xe0]);
        // A photo sent as a document (WhatsApp takes those up to 100 MB).
        return { mediaId: await upload(huge, 'image/jpeg', 'enorme.jpg', 'document') };
      },
      'PHOTO_TOO_LARGE',
      /^A foto tem 30 MB; envie uma foto de até 20 MB, por favor\.$/,
    ],
    [
      'a file that is not stored',
      async () => ({ mediaId: crypto.randomUUID() }),
      'PHOTO_NOT_AVAILABLE',
      /Envie de novo/,
    ],
    ['no file at all', async () => 'foto', 'NOT_A_PHOTO', /Envie de novo/],
  ])('refuses %s clearly', async (_name, file, code, message) => {
    const refusal = await refusalOf(
      'expenses.add-receipt-photo',
      { file: await file() },
      contexts.ana as ActionContext,
    );
    expect(refusal.code).toBe(code);
    expect(refusal.message).toMatch(message);
  });

  it('registers typed expenses (an amount the flow read, or text), in the flow’s locale', async () => {
    const ana = contexts.ana as ActionContext;
    expect(
      await call(
        'expenses.add-receipt-manual',
        { amount: { cents: 4250, currency: 'BRL' }, date: '2024-03-01', description: 'Táxi' },
        ana,
      ),
    ).toMatchObject({
      status: 'manual',
      total: { cents: 4250, currency: 'BRL' },
      issuer: 'Táxi',
      message: 'Registrei sua despesa de R$ 42,50 em 01/03/2024: Táxi.',
    });
    expect(
      await call(
        'expenses.add-receipt-manual',
        { amount: '12,30 €', date: '02/03/2024', description: 'Metro', locale: 'pt-PT' },
        ana,
      ),
    ).toMatchObject({ message: 'Registei a sua despesa de 12,30 € a 02/03/2024: Metro.' });
    expect(
      await refusalOf(
        'expenses.add-receipt-manual',
        { amount: '10', date: 'amanhã', description: 'x' },
        ana,
      ),
    ).toMatchObject({ code: 'INVALID_DATE' });
  });

  it('lists the receipts, one line each, with the running total', async () => {
    const listed = (await call('expenses.list-receipts', {}, contexts.ana as ActionContext)) as {
      count: number;
      lines: string;
      total: string;
    };
    expect(listed.count).toBe(4);
    expect(listed.lines.split('\n')).toEqual([
      '1. 15/03/2024 · SUPERMERCADO EXEMPLO LTDA · R$ 65,05',
      expect.stringMatching(
        /^2\. \d\d\/\d\d\/\d{4} · CNPJ 11\.222\.333\/0001-81 · aguardando confirmação$/,
      ),
      '3. 01/03/2024 · Táxi · R$ 42,50',
      '4. 02/03/2024 · Metro · 12,30 €',
    ]);
    expect(listed.total).toBe('R$ 107,55 + 12,30 €');
  });

  it('ends the trip with a summary and its reports as files; then there is no active trip', async () => {
    const ana = contexts.ana as ActionContext;
    const closed = (await call('expenses.close-trip', {}, ana)) as Record<string, FlowValue>;
    expect(closed).toEqual({
      summary:
        'Viagem para Curitiba encerrada. 4 despesa(s), total R$ 107,55 + 12,30 €. Os relatórios em PDF e Excel seguem em seguida. 1 nota(s) ainda sem valor confirmado.',
      reportIds: [expect.any(String), expect.any(String)],
      pdf: {
        mediaId: expect.any(String),
        mimeType: 'application/pdf',
        size: expect.any(Number),
        fileName: expect.stringMatching(/\.pdf$/),
      },
      xlsx: {
        mediaId: expect.any(String),
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        size: expect.any(Number),
        fileName: expect.stringMatching(/\.xlsx$/),
      },
    });
    // The files are stored media a flow can send as documents.
    const pdf = closed.pdf as { mediaId: string };
    const media = await t.app.inject({ url: `/api/v1/media/${pdf.mediaId}`, headers: token });
    expect(media.json()).toMatchObject({
      kind: 'document',
      status: 'stored',
      mimeType: 'application/pdf',
    });
    expect(await call('expenses.find-traveller', {}, ana)).toMatchObject({
      found: true,
      activeTripId: null,
    });
    expect(await refusalOf('expenses.close-trip', {}, ana)).toMatchObject({
      code: 'NO_ACTIVE_TRIP',
    });
  });
  it('takes the amount the traveller typed for a receipt that asked for it', async () => {
    const ana = contexts.ana as ActionContext;
    await call(
      'expenses.start-trip',
      { destination: 'Curitiba', costCentre: 'CC-2', days: 2 },
      ana,
    );
    const key = mobileKey(302);
    site.answer(key, { kind: 'status', status: 503 });
    const file = await photoFile(nfceQrText(key), 21);
    const added = (await call(
      'expenses.add-receipt-photo',
      { file },
      contexts.ana as ActionContext,
    )) as {
      receiptId: string;
    };
    const amount = { cents: 6505, currency: 'BRL' };
    expect(
      await call(
        'expenses.set-receipt-amount',
        { receiptId: added.receiptId, amount },
        contexts.ana as ActionContext,
      ),
    ).toMatchObject({
      status: 'manual',
      total: amount,
      message: expect.stringMatching(
        /^Anotei R\$\s65,05 para a nota de CNPJ 11\.222\.333\/0001-81\.$/,
      ),
    });
    await expect(
      call(
        'expenses.set-receipt-amount',
        { receiptId: added.receiptId, amount },
        contexts.ana as ActionContext,
      ),
    ).rejects.toMatchObject({ code: 'AMOUNT_ALREADY_KNOWN' });
    await expect(
      call(
        'expenses.set-receipt-amount',
        { receiptId: '00000000-0000-4000-8000-000000000000', amount },
        contexts.ana as ActionContext,
      ),
    ).rejects.toMatchObject({ code: 'RECEIPT_NOT_FOUND' });
  });
});
