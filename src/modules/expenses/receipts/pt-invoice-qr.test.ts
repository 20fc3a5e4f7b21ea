import { describe, expect, it } from 'vitest';
import { parsePtInvoiceQr } from './pt-invoice-qr.js';

/*
 * QR contents written for these tests in the AT format: a café's simplified invoice in Lisbon,
 * a Madeira hotel's invoice with two regions and withholding, a transport guide without taxes.
 */
const cafe =
  'A:503504564*B:999999990*C:PT*D:FS*E:N*F:20240612*G:FS 2024A/1523*H:JJ3VD4XB-1523*I1:PT*I3:4.50*I4:0.27*I7:8.00*I8:1.84*N:2.11*O:14.61*Q:Ab3x*R:2543';

describe('parsePtInvoiceQr', () => {
  it('reads a simplified invoice into cents, regions and names', () => {
    const result = parsePtInvoiceQr(cafe);
    expect(result).toEqual({
      ok: true,
      value: {
        issuerNif: '503504564',
        buyerTaxId: '999999990',
        buyerCountry: 'PT',
        isFinalConsumer: true,
        documentType: 'FS',
        documentTypeName: 'Fatura simplificada',
        documentStatus: 'N',
        date: '2024-06-12',
        documentId: 'FS 2024A/1523',
        atcud: 'JJ3VD4XB-1523',
        taxRegions: [
          {
            region: 'PT',
            reducedRateBase: 450,
            reducedRateVat: 27,
            normalRateBase: 800,
            normalRateVat: 184,
          },
        ],
        totalTaxes: 211,
        grossTotal: 1461,
        hashCharacters: 'Ab3x',
        certificateNumber: '2543',
        currency: 'EUR',
        inconsistencies: [],
        fields: expect.objectContaining({ A: '503504564', O: '14.61' }),
      },
      display: 'FS 2024A/1523 · 14,61 €',
    });
  });

  it('reads several regions, stamp duty, withholding and other info', () => {
    const hotel =
      'A:511234562*B:123456789*C:PT*D:FT*E:N*F:20240305*G:FT HT/88*H:ABCD1234-88*I1:PT*I7:100.00*I8:23.00*J1:PT-MA*J2:10.00*J5:50.00*J6:6.00*L:2.00*M:1.00*N:30.00*O:192.00*P:25.00*Q:zz+9*R:1*S:NU;192.00';
    const result = parsePtInvoiceQr(hotel);
    expect(result).toMatchObject({
      ok: true,
      value: {
        isFinalConsumer: false,
        taxRegions: [
          { region: 'PT', normalRateBase: 10000, normalRateVat: 2300 },
          {
            region: 'PT-MA',
            exemptBase: 1000,
            intermediateRateBase: 5000,
            intermediateRateVat: 600,
          },
        ],
        nonTaxable: 200,
        stampDuty: 100,
        withholding: 2500,
        otherInfo: 'NU;192.00',
        inconsistencies: [],
      },
    });
  });

  it('reads a document without taxes (I1:0) and a foreign buyer', () => {
    const guide =
      'A:500000000*B:DE123456789*C:DE*D:GT*E:N*F:20240101*G:GT A/1*H:0*I1:0*N:0.00*O:0.00*Q:5uIg*R:9999';
    expect(parsePtInvoiceQr(guide)).toMatchObject({
      ok: true,
      value: {
        taxRegions: [],
        buyerTaxId: 'DE123456789',
        buyerCountry: 'DE',
        documentTypeName: 'Guia de transporte',
      },
    });
  });

  it('reports sums that do not add up without refusing them', () => {
    const off = cafe.replace('N:2.11', 'N:2.12').replace('O:14.61', 'O:99.00');
    expect(parsePtInvoiceQr(off)).toMatchObject({
      ok: true,
      value: { inconsistencies: ['total-taxes', 'gross-total'] },
    });
  });

  it('refuses an issuer NIF that fails its check digit, in Portuguese', () => {
    const result = parsePtInvoiceQr(cafe.replace('A:503504564', 'A:503504565'));
    expect(result).toMatchObject({ ok: false, reason: 'invalid-issuer-nif' });
    if (!result.ok) expect(result.message['pt-BR']).toMatch(/NIF do emitente \(503504565\)/);
  });

  it('refuses an invalid Portuguese buyer NIF but not a foreign tax id', () => {
    expect(parsePtInvoiceQr(cafe.replace('B:999999990', 'B:123456780'))).toMatchObject({
      reason: 'invalid-buyer-nif',
    });
    expect(
      parsePtInvoiceQr(cafe.replace('B:999999990*C:PT', 'B:FR12345678901*C:FR')),
    ).toMatchObject({ ok: true, value: { buyerTaxId: 'FR12345678901' } });
  });

  it.each([
    ['missing-field', cafe.replace('*H:JJ3VD4XB-1523', '')],
    ['missing-field', cafe.replace('*O:14.61', '')],
    ['duplicate-field', `${cafe}*O:14.61`],
    ['unknown-field', cafe.replace('*R:2543', '*R:2543*T:x')],
    ['unknown-field', cafe.replace('I3:4.50', 'I9:4.50')],
    ['malformed-field', cafe.replace('*Q:Ab3x', '*QAb3x')],
    ['invalid-date', cafe.replace('F:20240612', 'F:20240230')],
    ['invalid-date', cafe.replace('F:20240612', 'F:2024061')],
    ['invalid-field', cafe.replace('F:20240612', 'F:12/06/2024')],
    ['invalid-amount', cafe.replace('O:14.61', 'O:14,61')],
    ['invalid-amount', cafe.replace('I4:0.27', 'I4:-0.27')],
    ['invalid-field', cafe.replace('D:FS', 'D:Fatura')],
    ['invalid-field', cafe.replace('I1:PT', 'I1:Portugal')],
    ['invalid-field', cafe.replace('I1:PT', 'I1:0')],
    ['missing-field', cafe.replace('I1:PT*', '')],
    ['invalid-field', cafe.replace('R:2543', 'R:ABCD')],
    ['invalid-field', cafe.replace('Q:Ab3x', 'Q:Ab3')],
    ['invalid-field', cafe.replace('G:FS 2024A/1523', 'G:')],
  ])('refuses with %s', (reason, qr) => {
    expect(parsePtInvoiceQr(qr)).toMatchObject({ ok: false, reason });
  });

  it('refuses what is not an AT QR code, empty and huge input', () => {
    expect(parsePtInvoiceQr('https://www.fazenda.pr.gov.br/nfce/qrcode?p=1')).toMatchObject({
      reason: 'not-pt-invoice',
    });
    expect(parsePtInvoiceQr('B:999999990*A:503504564')).toMatchObject({ reason: 'not-pt-invoice' });
    expect(parsePtInvoiceQr('')).toMatchObject({ reason: 'empty' });
    expect(parsePtInvoiceQr(`${cafe}*S:${'x'.repeat(5000)}`)).toMatchObject({ reason: 'too-long' });
    expect(parsePtInvoiceQr(cafe.replace('S:', 'S:').concat(`*S:${'x'.repeat(66)}`))).toMatchObject(
      {
        reason: 'invalid-field',
        details: { field: 'S' },
      },
    );
  });

  it('tolerates a line break a reader inserted', () => {
    expect(parsePtInvoiceQr(cafe.replace('*N:', '*\nN:'))).toMatchObject({ ok: true });
  });
});
