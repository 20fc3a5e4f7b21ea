import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConsultationPage } from './consultation-page.js';
import type { ConsultationPageResult, PageProblemCode } from './consultation-receipt.js';

/*
 * The pages in test-pages/ were written for these tests, one per layout family, each a
 * consistent receipt (items, totals, payments and a valid key that agrees with the page). The
 * tests then break them one fact at a time: every broken fact must make the page unverified.
 */
const readPage = (name: string) =>
  readFileSync(new URL(`./test-pages/${name}.html`, import.meta.url), 'utf8');
const mobile = readPage('mobile-template');
const aspnet = readPage('aspnet-item-list');
const tabs = readPage('tabs-view');
const mg = readPage('mg-portal');

const keys = {
  mobile: '41240311222333000181650050000045211123456789',
  aspnet: '24240245287654000186650030000881231876543219',
  tabs: '35240333822117000100650010000012341100012347',
  mg: '31240219053482000257650080000311271555123450',
};

function problemCodes(result: ConsultationPageResult): PageProblemCode[] {
  expect(result.status).toBe('unverified');
  if (result.status !== 'unverified') return [];
  // An unverified page never hands out an amount as a receipt.
  expect(result).not.toHaveProperty('receipt');
  return result.problems.map((problem) => problem.code);
}

describe('parseConsultationPage: one layout per family', () => {
  it('reads the mobile template', () => {
    const result = parseConsultationPage(mobile, { expectedAccessKey: keys.mobile });
    expect(result).toEqual({
      status: 'verified',
      layout: 'mobile-template',
      receipt: {
        issuer: {
          name: 'SUPERMERCADO EXEMPLO LTDA',
          cnpj: '11222333000181',
          address: 'RUA DAS FLORES, 120, CENTRO, CURITIBA, PR',
        },
        accessKey: keys.mobile,
        items: [
          {
            description: 'ARROZ TIPO 1 5KG',
            code: '7891234',
            quantity: 1,
            unit: 'UN',
            unitPrice: 2490,
            total: 2490,
          },
          {
            description: 'BANANA PRATA KG',
            code: '2031',
            quantity: 1.235,
            unit: 'KG',
            unitPrice: 699,
            total: 863,
          },
          {
            description: 'CAFÉ TORRADO 500G',
            code: '7895555',
            quantity: 2,
            unit: 'UN',
            unitPrice: 1849,
            total: 3698,
          },
        ],
        total: 6505,
        itemsTotal: 7051,
        discounts: 546,
        paymentMethods: [
          { method: 'Cartão de Débito', amount: 4000 },
          { method: 'Dinheiro', amount: 3000 },
        ],
        change: 495,
        taxes: 1234,
        issuedAt: '2024-03-15T12:34:56',
        number: 4521,
        series: 5,
        protocol: '141240000123456',
        declaredItemCount: 3,
      },
    });
  });

  it('reads the ASP.NET item list (total = products − discounts, checked against the amount paid)', () => {
    const result = parseConsultationPage(aspnet, { expectedAccessKey: keys.aspnet });
    expect(result).toMatchObject({
      status: 'verified',
      layout: 'aspnet-item-list',
      receipt: {
        issuer: {
          name: 'Padaria Modelo & Filhos Ltda',
          cnpj: '45287654000186',
          address: 'AV PRUDENTE DE MORAIS, 1500, LAGOA NOVA, NATAL, RN, 59064-630',
        },
        accessKey: keys.aspnet,
        total: 3700,
        itemsTotal: 3746,
        discounts: 46,
        paymentMethods: [{ method: 'PIX', amount: 3700 }],
        issuedAt: '2024-02-20T07:45:10',
        number: 88123,
        series: 3,
      },
    });
    if (result.status === 'verified') {
      expect(result.receipt.items).toHaveLength(4);
      // The "Item" column is the row number, not a product code.
      expect(result.receipt.items[0]).toEqual({
        description: 'PAO FRANCES KG',
        quantity: 0.512,
        unit: 'KG',
        unitPrice: 1490,
        total: 763,
      });
    }
  });

  it('reads the tabs view (labels and values, surcharges, the labelled key)', () => {
    const result = parseConsultationPage(tabs, { expectedAccessKey: keys.tabs });
    expect(result).toMatchObject({
      status: 'verified',
      layout: 'tabs-view',
      receipt: {
        issuer: {
          name: 'CAFETERIA EXEMPLO LTDA',
          cnpj: '33822117000100',
          address: 'AV PAULISTA, 1000, BELA VISTA, SAO PAULO, SP',
        },
        accessKey: keys.tabs,
        total: 6505,
        itemsTotal: 6005,
        discounts: 0,
        surcharges: 500,
        paymentMethods: [{ method: 'Cartão de Crédito', amount: 6505 }],
        change: 0,
        taxes: 987,
        issuedAt: '2024-03-18T13:05:44-03:00',
        number: 1234,
        series: 1,
        protocol: '135240000654321',
      },
    });
    if (result.status === 'verified') {
      expect(
        result.receipt.items.map((item) => [item.description, item.code, item.unitPrice]),
      ).toEqual([
        ['CAFÉ EXPRESSO', '101', 650],
        ['PÃO DE QUEIJO', '102', 590],
        ['SUCO DE LARANJA 300ML', '205', 1250],
        ['BOLO DE CENOURA FATIA', '310', 985],
        ['ÁGUA MINERAL 500ML', '401', 350],
      ]);
    }
  });

  it("reads Minas Gerais' portal, deriving the unit price it does not print", () => {
    const result = parseConsultationPage(mg, { expectedAccessKey: keys.mg });
    expect(result).toMatchObject({
      status: 'verified',
      layout: 'mg-portal',
      receipt: {
        issuer: {
          name: 'PADARIA PÃO DE QUEIJO LTDA',
          cnpj: '19053482000257',
          address: 'AV AFONSO PENA, 1500, CENTRO, BELO HORIZONTE, MG',
        },
        accessKey: keys.mg,
        total: 5000,
        itemsTotal: 5050,
        discounts: 50,
        paymentMethods: [{ method: 'Dinheiro', amount: 6000 }],
        change: 1000,
        issuedAt: '2024-02-10T09:15:00',
        number: 31127,
        series: 8,
        declaredItemCount: 3,
      },
    });
    if (result.status === 'verified') {
      expect(result.receipt.items).toEqual([
        {
          description: 'PÃO DE QUEIJO KG',
          code: '1001',
          quantity: 0.35,
          unit: 'KG',
          unitPrice: 4900,
          total: 1715,
          unitPriceDerived: true,
        },
        {
          description: 'CAFÉ COADO 200ML',
          code: '2002',
          quantity: 2,
          unit: 'UN',
          unitPrice: 450,
          total: 900,
          unitPriceDerived: true,
        },
        {
          description: 'QUEIJO MINAS FRESCAL KG',
          code: '3003',
          quantity: 0.487,
          unit: 'KG',
          unitPrice: 5000,
          total: 2435,
          unitPriceDerived: true,
        },
      ]);
    }
  });

  it('chooses by content, not by state: the mobile template from any portal is the same layout', () => {
    const elsewhere = mobile
      .replace('DF-e Portal - Consulta DANFE NFC-e', 'SEFAZ-XX')
      .replace('CURITIBA,\n          PR', 'MANAUS,\n          AM');
    expect(parseConsultationPage(elsewhere)).toMatchObject({
      status: 'verified',
      layout: 'mobile-template',
    });
  });
});

describe('parseConsultationPage: every check can refuse', () => {
  it('refuses a page whose key is not the QR code’s', () => {
    const result = parseConsultationPage(mobile, { expectedAccessKey: keys.tabs });
    expect(problemCodes(result)).toContain('key-mismatch');
  });

  it('refuses an item total that does not add up', () => {
    const result = parseConsultationPage(mobile.replace('>8,63<', '>8,68<'));
    expect(problemCodes(result)).toEqual(['item-arithmetic', 'items-sum-mismatch']);
  });

  it('refuses a total that is not items − discounts, and payments that do not pay it', () => {
    const result = parseConsultationPage(mobile.replace('txtMax">65,05<', 'txtMax">56,05<'));
    expect(problemCodes(result)).toEqual(['totals-mismatch', 'payments-mismatch']);
  });

  it('refuses a page listing fewer items than it declares', () => {
    const withoutItem = mobile.replace(/<tr id="Item \+ 3">[\s\S]*?<\/tr>/, '');
    expect(problemCodes(parseConsultationPage(withoutItem))).toEqual([
      'items-sum-mismatch',
      'item-count-mismatch',
    ]);
  });

  it('refuses an unreadable item instead of dropping it', () => {
    const result = parseConsultationPage(mobile.replace('</strong>1,235<', '</strong>um kilo<'));
    expect(problemCodes(result)).toContain('unreadable-items');
    if (result.status === 'unverified') {
      expect(result.reading.unreadableItems).toEqual([{ index: 1, missing: 'quantity' }]);
    }
  });

  it('refuses a page without a key when the QR key is known', () => {
    const withoutKey = mobile.replace(/<span class="chave">[^<]*<\/span>/, '');
    expect(
      problemCodes(parseConsultationPage(withoutKey, { expectedAccessKey: keys.mobile })),
    ).toEqual(['page-key-missing']);
    // Without a QR key to compare with, the same page passes on its own numbers.
    expect(parseConsultationPage(withoutKey).status).toBe('verified');
  });

  it('names which field of the key disagrees with the page', () => {
    const otherNumber = mobile.replace(
      '<strong>Número: </strong>4521',
      '<strong>Número: </strong>4522',
    );
    expect(problemCodes(parseConsultationPage(otherNumber))).toEqual(['key-number-mismatch']);
    const otherSeries = mobile.replace('<strong> Série: </strong>5', '<strong> Série: </strong>6');
    expect(problemCodes(parseConsultationPage(otherSeries))).toEqual(['key-series-mismatch']);
    const otherMonth = mobile.replace('15/03/2024 12:34:56 - Via', '15/04/2024 12:34:56 - Via');
    expect(problemCodes(parseConsultationPage(otherMonth))).toEqual(['key-date-mismatch']);
    const otherIssuer = mobile.replace('11.222.333/0001-81', '33.822.117/0001-00');
    expect(problemCodes(parseConsultationPage(otherIssuer))).toEqual(['key-issuer-mismatch']);
  });

  it('refuses an invalid key and an invalid issuer CNPJ', () => {
    const badKey = mobile.replace('2345 6789</span>', '2345 6788</span>');
    expect(problemCodes(parseConsultationPage(badKey))).toEqual(['page-key-invalid']);
    const badCnpj = mobile.replace('11.222.333/0001-81', '11.222.333/0001-82');
    expect(problemCodes(parseConsultationPage(badCnpj))).toEqual([
      'issuer-cnpj-invalid',
      'key-issuer-mismatch',
    ]);
  });

  it('refuses an ASP.NET page whose amount paid is not the total (no change printed)', () => {
    const overpaid = aspnet.replace('lblValorPago">37,00<', 'lblValorPago">40,00<');
    expect(problemCodes(parseConsultationPage(overpaid))).toEqual(['payments-mismatch']);
    // With the change printed, the same payment is fine.
    const withChange = overpaid.replace(
      '<tr><td valign="top"><b>Forma Pagamento</b>',
      '<tr><td><b>Troco (R$)</b></td><td><span id="lblTroco">3,00</span></td></tr><tr><td valign="top"><b>Forma Pagamento</b>',
    );
    expect(parseConsultationPage(withChange)).toMatchObject({
      status: 'verified',
      receipt: { total: 3700, change: 300 },
    });
  });

  it('does not derive a total the page gives no way to check', () => {
    const noPaid = aspnet.replace(/<tr><td><b>Valor Pago[\s\S]*?<\/tr>/, '');
    const result = parseConsultationPage(noPaid);
    expect(problemCodes(result)).toEqual(['missing-field']);
    if (result.status === 'unverified') {
      expect(result.problems[0]?.details).toEqual({ field: 'total' });
      expect(result.reading.total).toBeUndefined();
    }
  });

  it('refuses a tabs view whose total leaves out a charge', () => {
    const noCharge = tabs.replace(
      'Outras Despesas Acessórias</label><span>5,00',
      'Outras Despesas Acessórias</label><span>0,00',
    );
    expect(problemCodes(parseConsultationPage(noCharge))).toEqual(['totals-mismatch']);
  });

  it('refuses a Minas Gerais item whose total was altered', () => {
    const altered = mg.replace('R$ 9,00', 'R$ 9,50');
    expect(problemCodes(parseConsultationPage(altered))).toEqual(['items-sum-mismatch']);
  });
});

describe('parseConsultationPage: pages that are no receipt', () => {
  it('says the note is not available yet', () => {
    expect(parseConsultationPage(readPage('not-available'))).toMatchObject({
      status: 'not-available',
      message: { 'pt-BR': expect.stringMatching(/ainda não tem essa nota/) },
    });
  });

  it('does not recognize a page with a lone total', () => {
    expect(parseConsultationPage(readPage('unknown-layout'))).toMatchObject({
      status: 'unknown-layout',
    });
  });

  it.each([
    ['empty', ''],
    ['plain text', 'Serviço indisponível no momento'],
    ['JSON', '{"total": 65.05, "itens": []}'],
    ['broken markup', '<html><body><table id="tabResult"><tr><td class="valor">9,99'],
    ['binary', '\u0000\u0001PNG\u0002\u0003'],
  ])('answers %s without throwing', (_, html) => {
    const result = parseConsultationPage(html);
    expect(['unknown-layout', 'unverified']).toContain(result.status);
    expect(result).not.toHaveProperty('receipt');
  });

  it('refuses a page far larger than any receipt', () => {
    expect(parseConsultationPage(`<html>${' '.repeat(5_000_001)}</html>`)).toMatchObject({
      status: 'unknown-layout',
    });
  });
});
