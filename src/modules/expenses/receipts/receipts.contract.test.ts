import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasValidAccessKeyCheckDigit } from './access-key.js';
import { parseConsultationPage } from './consultation-page.js';
import type { PageReading } from './consultation-receipt.js';
import { parseNfceQr } from './nfce-qr.js';
import { parsePtInvoiceQr } from './pt-invoice-qr.js';

/*
 * The receipt parsers against real material (../shared/fixtures, see SOURCES.md there): 22 NFC-e
 * QR contents from six states, the four examples of the Portuguese tax authority's QR
 * specification, and real consultation pages with the values other projects' tests expect —
 * including the three Paraná pages whose keys their author altered.
 */

const fixtures = new URL('../../../../../shared/fixtures/', import.meta.url);
const readFixture = (path: string) => readFileSync(new URL(path, fixtures), 'utf8');
const readJson = <T>(path: string, schema: z.ZodType<T>): T =>
  schema.parse(JSON.parse(readFixture(path)));

/** `179.63` → 17963 and `0,266`-style numbers, computed apart from the code under test. */
const dotCents = (text: string) => {
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};
const commaCents = (text: string) => dotCents(text.replace(/\./g, '').replace(',', '.'));
const commaNumber = (text: string) => Number(text.replace(/\./g, '').replace(',', '.'));
const brDateTime = (text: string) => {
  const [date = '', time = ''] = text.split(' ');
  const [day, month, year] = date.split('/');
  return `${year}-${month}-${day}T${time}`;
};

const qrEntrySchema = z.object({
  url: z.string(),
  qr_version: z.string(),
  tpAmb: z.string().optional(),
  mode: z.enum(['online', 'offline', 'legacy v1']),
  fields: z.array(z.string()).optional(),
  key: z.string().length(44),
  uf: z.string().length(2),
  tpEmis: z.string().length(1),
  dv_ok: z.boolean(),
});

describe('NFC-e QR contents (ymoreiratiti/consultaNFE)', () => {
  const entries = readJson('nfce/qr-urls.json', z.array(qrEntrySchema).length(22));

  it.each(entries.map((entry, index) => ({ index, ...entry })))(
    '#$index $mode $uf $key',
    (entry) => {
      const result = parseNfceQr(entry.url);
      expect(result.ok).toBe(entry.dv_ok);
      if (!result.ok) return;
      const qr = result.value;
      expect(qr.accessKey.key).toBe(entry.key);
      expect(qr.accessKey.stateCode).toBe(entry.uf);
      expect(qr.accessKey.emissionTypeCode).toBe(entry.tpEmis);
      expect(qr.accessKey.documentType).toBe('nfce');
      expect(new URL(qr.portalUrl).host).toBe(new URL(entry.url).host);
      expect(qr.portalUrl.split('?')[1]).toBe(entry.url.split('?')[1]);

      if (entry.mode === 'legacy v1') {
        const query = new URL(entry.url).searchParams;
        expect(qr.form).toBe('v1');
        expect(qr.version).toBe(1);
        expect(qr.environment).toBe(query.get('tpAmb') === '1' ? 'production' : 'homologation');
        expect(qr.declaredTotal).toBe(dotCents(query.get('vNF') ?? ''));
        expect(qr.cscId).toBe(query.get('cIdToken'));
        expect(qr.hash).toBe(query.get('cHashQRCode'));
        const issued = Buffer.from(query.get('dhEmi') ?? '', 'hex').toString('latin1');
        expect(qr.issuedAt).toBe(issued);
        return;
      }
      const [key, version, tpAmb, ...rest] = entry.fields ?? [];
      expect(key).toBe(entry.key);
      expect(String(qr.version)).toBe(version);
      expect(String(qr.version)).toBe(entry.qr_version);
      expect(tpAmb).toBe(entry.tpAmb);
      expect(qr.environment).toBe(tpAmb === '1' ? 'production' : 'homologation');
      if (entry.mode === 'online') {
        const [cscId, hash] = rest;
        expect(qr.form).toBe('v2-online');
        expect(qr).toMatchObject({ cscId, hash });
        expect(qr.offlineTotal).toBeUndefined();
      } else {
        const [day = '', total = '', , cscId, hash] = rest;
        expect(qr.form).toBe('v2-offline');
        expect(qr).toMatchObject({
          offlineDay: Number(day),
          offlineTotal: dotCents(total),
          declaredTotal: dotCents(total),
          cscId,
          hash,
        });
      }
    },
  );

  it('covers every form the fixture has: legacy v1, v2 online, v2 offline, escaped pipes', () => {
    const forms = entries.map((entry) => {
      const result = parseNfceQr(entry.url);
      return result.ok ? result.value.form : result.reason;
    });
    expect(new Set(forms)).toEqual(new Set(['v1', 'v2-online', 'v2-offline']));
    expect(entries.filter((entry) => entry.url.includes('%7C')).length).toBeGreaterThan(0);
  });
});

const atExampleSchema = z.object({
  name: z.string(),
  qr: z.string(),
  fields: z.record(z.string(), z.string()),
  A_nif_valid: z.boolean(),
  B_nif_valid: z.boolean(),
});

describe('Portuguese invoice QR: the AT specification examples', () => {
  const { examples } = readJson(
    'pt-invoice/at-official-examples.json',
    z.object({ examples: z.array(atExampleSchema).length(4) }),
  );

  it.each(examples)('$name', (example) => {
    const result = parsePtInvoiceQr(example.qr);
    expect(result.ok).toBe(example.A_nif_valid && example.B_nif_valid);
    if (!result.ok) return;
    const invoice = result.value;
    const { fields } = example;
    expect(invoice.fields).toEqual(fields);
    expect(invoice).toMatchObject({
      issuerNif: fields.A,
      buyerTaxId: fields.B,
      buyerCountry: fields.C,
      documentType: fields.D,
      documentStatus: fields.E,
      date: `${fields.F?.slice(0, 4)}-${fields.F?.slice(4, 6)}-${fields.F?.slice(6, 8)}`,
      documentId: fields.G,
      atcud: fields.H,
      totalTaxes: dotCents(fields.N ?? ''),
      grossTotal: dotCents(fields.O ?? ''),
      hashCharacters: fields.Q,
      certificateNumber: fields.R,
      currency: 'EUR',
      inconsistencies: [],
    });
    const optional = { L: 'nonTaxable', M: 'stampDuty', P: 'withholding' } as const;
    for (const [code, name] of Object.entries(optional)) {
      const value = fields[code];
      expect(invoice[name], code).toBe(value === undefined ? undefined : dotCents(value));
    }
    expect(invoice.otherInfo).toBe(fields.S);

    const names = [
      'exemptBase',
      'reducedRateBase',
      'reducedRateVat',
      'intermediateRateBase',
      'intermediateRateVat',
      'normalRateBase',
      'normalRateVat',
    ] as const;
    const expectedRegions = ['I', 'J', 'K']
      .filter((group) => fields[`${group}1`] !== undefined && fields[`${group}1`] !== '0')
      .map((group) => {
        const region: Record<string, string | number> = { region: fields[`${group}1`] ?? '' };
        names.forEach((name, index) => {
          const value = fields[`${group}${index + 2}`];
          if (value !== undefined) region[name] = dotCents(value);
        });
        return region;
      });
    expect(invoice.taxRegions).toEqual(expectedRegions);
  });
});

const sampleItemSchema = z.object({
  index: z.number(),
  name: z.string(),
  quantity: z.string(),
  unit: z.string(),
  unitPrice: z.string(),
  total: z.string(),
  code: z.string().optional(),
});
const paranaPageSchema = z.object({
  issuerName: z.string(),
  itemCount: z.number().optional(),
  totals: z
    .object({
      items: z.string().optional(),
      total: z.string(),
      discounts: z.string(),
      taxes: z.string(),
      toPay: z.string(),
    })
    .optional(),
  sampleItem: sampleItemSchema,
  accessKey: z.string().length(44),
  accessKeyCheckDigitValid: z.boolean(),
  number: z.string(),
  series: z.string(),
  issuedAt: z.string(),
  protocol: z.string(),
});

function readingOf(html: string): { reading: PageReading; problems: string[] } {
  const result = parseConsultationPage(html);
  if (result.status === 'verified')
    return { reading: { ...result.receipt, unreadableItems: [] }, problems: [] };
  if (result.status !== 'unverified') throw new Error(`page not read: ${result.status}`);
  return { reading: result.reading, problems: result.problems.map((problem) => problem.code) };
}

describe('consultation pages: the mobile template (Paraná, python-nfce-get)', () => {
  const expected = readJson(
    'nfce/pr-consulta-mobile.expected.json',
    z.record(z.string(), z.unknown()),
  );
  const pages = Object.entries(expected)
    .filter(([name]) => name.endsWith('.html'))
    .map(([name, value]) => ({ name, ...paranaPageSchema.parse(value) }));

  it('has the three pages', () => {
    expect(pages.map((page) => page.name)).toHaveLength(3);
  });

  it.each(pages)('$name: reads every expected value, and flags the altered key', (page) => {
    const result = parseConsultationPage(readFixture(`nfce/${page.name}`));
    // The altered key makes the page unverified: no amount leaves the parser as a receipt.
    expect(result.status).toBe('unverified');
    const { reading, problems } = readingOf(readFixture(`nfce/${page.name}`));
    expect(problems).toContain('page-key-invalid');
    // The page itself adds up: only the key's checks fail.
    expect(
      problems.filter((code) => !code.startsWith('key-') && code !== 'page-key-invalid'),
    ).toEqual([]);

    expect(reading.issuer.name).toBe(page.issuerName);
    expect(reading.accessKey).toBe(page.accessKey);
    expect(hasValidAccessKeyCheckDigit(reading.accessKey ?? '')).toBe(
      page.accessKeyCheckDigitValid,
    );
    expect(reading.number).toBe(Number(page.number));
    expect(reading.series).toBe(Number(page.series));
    expect(reading.issuedAt).toBe(brDateTime(page.issuedAt));
    expect(reading.protocol).toBe(page.protocol);
    if (page.itemCount !== undefined) expect(reading.items).toHaveLength(page.itemCount);
    if (page.totals) {
      if (page.totals.items !== undefined) {
        expect(reading.declaredItemCount).toBe(Number(page.totals.items));
      }
      expect(reading.itemsTotal).toBe(commaCents(page.totals.total));
      expect(reading.discounts).toBe(commaCents(page.totals.discounts));
      expect(reading.taxes).toBe(commaCents(page.totals.taxes));
      expect(reading.total).toBe(commaCents(page.totals.toPay));
    }
    const item = reading.items[page.sampleItem.index];
    expect(item).toEqual({
      description: page.sampleItem.name,
      quantity: commaNumber(page.sampleItem.quantity),
      unit: page.sampleItem.unit,
      unitPrice: commaCents(page.sampleItem.unitPrice),
      total: commaCents(page.sampleItem.total),
      // The first page's expectation names no code; the page has one.
      code: page.sampleItem.code ?? item?.code,
    });
  });
});

describe('consultation pages: the mobile template (Espírito Santo, anonymised)', () => {
  const expected = readJson(
    'nfce/es-consulta-mobile-anonymized.expected.json',
    z.object({
      company_name: z.string(),
      cnpj: z.string(),
      address: z.string(),
      total_items: z.number(),
      total_value: z.number(),
      discounts: z.number(),
      total_to_pay: z.number(),
      how_paid: z.string(),
      total_paied: z.number(),
      exchange: z.number(),
      tax: z.number(),
      items: z.array(
        z.object({
          product: z.string(),
          code: z.string(),
          quantity: z.number(),
          uom: z.string(),
          unitary_price: z.number(),
          total: z.number(),
        }),
      ),
    }),
  );
  const cents = (value: number) => Math.round(value * 100);

  it('reads every expected value, and does not trust a page cut down to 4 of its 37 items', () => {
    const { reading, problems } = readingOf(readFixture('nfce/es-consulta-mobile-anonymized.html'));
    // The anonymised page lists 4 items of 37 and carries a made-up CNPJ.
    expect(problems).toEqual(['issuer-cnpj-invalid', 'items-sum-mismatch', 'item-count-mismatch']);
    expect(reading.issuer).toEqual({
      name: expected.company_name,
      cnpj: expected.cnpj.replace(/\D/g, ''),
      address: expected.address.replace(/\s+,/g, ','),
    });
    expect(reading.declaredItemCount).toBe(expected.total_items);
    expect(reading.itemsTotal).toBe(cents(expected.total_value));
    expect(reading.discounts).toBe(cents(expected.discounts));
    expect(reading.total).toBe(cents(expected.total_to_pay));
    expect(reading.paymentMethods).toEqual([
      { method: expected.how_paid, amount: cents(expected.total_paied) },
    ]);
    expect(reading.change).toBe(cents(expected.exchange));
    expect(reading.taxes).toBe(cents(expected.tax));
    expect(reading.items).toEqual(
      expected.items.map((item) => ({
        description: item.product,
        code: item.code,
        quantity: item.quantity,
        unit: item.uom.replace(/^UN:\s*/, ''),
        unitPrice: cents(item.unitary_price),
        total: cents(item.total),
      })),
    );
  });
});

describe('consultation pages: the ASP.NET item list (Rio Grande do Norte, my-nfce)', () => {
  it('verifies all 93 items against the total and the key', () => {
    const html = readFixture('nfce/rn-aspnet.html');
    const key = '24230107110635000271651060000638791220983458';
    const result = parseConsultationPage(html, { expectedAccessKey: key });
    expect(result).toMatchObject({
      status: 'verified',
      layout: 'aspnet-item-list',
      receipt: {
        issuer: { name: 'A L Urbano & Cia Ltda', cnpj: '07110635000271' },
        accessKey: key,
        total: 70266,
        itemsTotal: 70266,
        discounts: 0,
        number: 63879,
        series: 106,
        issuedAt: '2023-01-14T18:01:39',
        paymentMethods: [{ method: 'Cartão de Crédito', amount: 70266 }],
      },
    });
    if (result.status !== 'verified') return;
    expect(result.receipt.items).toHaveLength(93);
    expect(result.receipt.items[0]).toEqual({
      description: 'FEIJAO CARIOCA BELO GRAO 1KG',
      quantity: 1,
      unit: 'UN',
      unitPrice: 975,
      total: 975,
    });
    expect(result.receipt.items.at(-1)?.total).toBe(1828);
    // Another QR's key for the same page is refused.
    const other = parseConsultationPage(html, {
      expectedAccessKey: '24200816233389003251650130000188671000191710',
    });
    expect(other.status).toBe('unverified');
  });
});
