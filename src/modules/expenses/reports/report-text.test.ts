import { describe, expect, it } from 'vitest';
import { toWinAnsiText } from './pdf-report.js';
import { computeCurrencyTotals, type ReportReceipt } from './report-model.js';
import {
  buildReportFileName,
  formatMoney,
  formatReportDate,
  formatReportTime,
  formatTaxId,
  slugify,
  toSpreadsheetDate,
} from './report-text.js';
import { buildSampleReportModel } from './testing/report-model-fixtures.js';

describe('formatTaxId', () => {
  it.each([
    ['CNPJ', '11222333000181', 'nfce', '11.222.333/0001-81'],
    ['CNPJ already formatted', '11.222.333/0001-81', 'nfce', '11.222.333/0001-81'],
    ['alphanumeric CNPJ', '12abc34501de35', 'nfce', '12.ABC.345/01DE-35'],
    ['CPF of a person issuing', '52998224725', 'nfce', '529.982.247-25'],
    ['NIF', '503504564', 'pt-invoice', '503 504 564'],
    ['NIF of a manual entry', '503504564', 'manual', '503 504 564'],
    ['nine digits on an NFC-e are not a NIF', '503504564', 'nfce', '503504564'],
    ['anything else as given', ' ES-B12345678 ', 'pt-invoice', 'ES-B12345678'],
    ['none', null, 'manual', ''],
  ] as const)('%s', (_name, taxId, source, expected) => {
    expect(formatTaxId(taxId, source)).toBe(expected);
  });
});

describe('dates in the report time zone', () => {
  it.each([
    // 02:15 UTC is still the evening before in São Paulo (UTC-3)…
    ['2025-06-07T02:15:00Z', 'America/Sao_Paulo', '06/06/2025', '23:15'],
    // …and already the next morning in Lisbon (UTC+1 in summer).
    ['2025-06-06T23:30:00Z', 'Europe/Lisbon', '07/06/2025', '00:30'],
    ['2025-01-15T12:00:00Z', 'Europe/Lisbon', '15/01/2025', '12:00'],
    ['2024-02-29T15:00:00Z', 'America/Manaus', '29/02/2024', '11:00'],
  ])('%s in %s is %s %s', (instant, timeZone, date, time) => {
    expect(formatReportDate(new Date(instant), timeZone)).toBe(date);
    expect(formatReportTime(new Date(instant), timeZone)).toBe(time);
  });

  it.each([
    'America/Sao_Paulo',
    'Europe/Lisbon',
    'Atlantic/Azores',
    'America/Noronha',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'America/St_Johns',
  ])('agrees with Intl minute by minute across offset changes in %s', (timeZone) => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    // Every 7 minutes (and a few seconds) over the DST changes of 2018 (São Paulo still had
    // them) and of 2025, in both hemispheres.
    const windows = [
      ['2018-02-17T00:00:00Z', '2018-02-19T00:00:00Z'],
      ['2018-11-03T00:00:00Z', '2018-11-05T00:00:00Z'],
      ['2025-03-29T00:00:00Z', '2025-03-31T00:00:00Z'],
      ['2025-04-05T00:00:00Z', '2025-04-07T00:00:00Z'],
      ['2025-10-04T00:00:00Z', '2025-10-06T00:00:00Z'],
      ['2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z'],
      ['2025-11-01T00:00:00Z', '2025-11-03T00:00:00Z'],
    ];
    for (const [from, to] of windows) {
      for (
        let time = Date.parse(from ?? '');
        time < Date.parse(to ?? '');
        time += 7 * 60_000 + 13_000
      ) {
        const instant = new Date(time);
        const expected = intl.format(instant).replace(',', ''); // dd/mm/yyyy hh:mm
        const actual = `${formatReportDate(instant, timeZone)} ${formatReportTime(instant, timeZone)}`;
        if (actual !== expected) expect({ instant, actual }).toEqual({ instant, actual: expected });
      }
    }
  });

  it('gives spreadsheets the local calendar day at midnight UTC', () => {
    expect(toSpreadsheetDate(new Date('2025-06-07T02:15:00Z'), 'America/Sao_Paulo')).toEqual(
      new Date('2025-06-06T00:00:00Z'),
    );
  });
});

describe('money', () => {
  it.each([
    [6505, 'BRL', 'R$ 65,05'],
    [123456789, 'BRL', 'R$ 1.234.567,89'],
    [1230, 'EUR', '12,30 €'],
    [0, 'EUR', '0,00 €'],
  ] as const)('%i cents of %s → %s', (cents, currency, expected) => {
    expect(formatMoney(cents, currency)).toBe(expected);
  });
});

describe('file names', () => {
  it.each([
    ['São Paulo → Lisboa', 'sao-paulo-lisboa'],
    ['  Belo Horizonte (MG)  ', 'belo-horizonte-mg'],
    ['Zürich / Genève', 'zurich-geneve'],
    ['東京', ''],
  ])('%s → %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('names the destination and the first day, in the trip time zone', () => {
    const model = buildSampleReportModel({ receiptCount: 0 });
    expect(buildReportFileName(model, 'pdf')).toBe(
      'relatorio-despesas-sao-paulo-lisboa-2025-06-02.pdf',
    );
    const tokyo = { ...model, trip: { ...model.trip, destination: '東京' } };
    expect(buildReportFileName(tokyo, 'xlsx')).toBe('relatorio-despesas-viagem-2025-06-02.xlsx');
  });
});

describe('toWinAnsiText (what Helvetica can draw)', () => {
  it.each([
    [
      'Portuguese stays as it is',
      'Relatório: açúcar, ções, à, º, ª',
      'Relatório: açúcar, ções, à, º, ª',
    ],
    ['Windows-1252 extras stay', '12,30 € – “ok” … • ‰', '12,30 € – “ok” … • ‰'],
    ['decomposed accents are composed', 'Sa\u0303o Joa\u0303o', 'São João'],
    ['letters outside Latin-1 lose their accent', 'Łódź Ővár', '?ódz Ovár'],
    ['arrows and minus signs are spelled', 'São Paulo → Lisboa −5', 'São Paulo -> Lisboa -5'],
    ['emoji and other scripts become ?', 'Café ☕ 東京', 'Café ? ??'],
    ['control characters become spaces', 'linha 1\nlinha\t2', 'linha 1 linha 2'],
  ])('%s', (_name, text, expected) => {
    expect(toWinAnsiText(text)).toBe(expected);
  });
});

describe('computeCurrencyTotals', () => {
  const receipt = (totalCents: number | null, currency: 'BRL' | 'EUR'): ReportReceipt => ({
    issuedAt: null,
    issuerName: null,
    issuerTaxId: null,
    source: 'manual',
    totalCents,
    currency,
    items: [],
    status: totalCents === null ? 'needs-amount' : 'manual',
  });

  it('sums per currency, BRL first, and counts receipts without an amount apart', () => {
    expect(
      computeCurrencyTotals([
        receipt(1230, 'EUR'),
        receipt(6505, 'BRL'),
        receipt(null, 'BRL'),
        receipt(995, 'BRL'),
      ]),
    ).toEqual([
      { currency: 'BRL', totalCents: 7500, receiptCount: 2, withoutAmountCount: 1 },
      { currency: 'EUR', totalCents: 1230, receiptCount: 1, withoutAmountCount: 0 },
    ]);
  });

  it('has no totals without receipts', () => {
    expect(computeCurrencyTotals([])).toEqual([]);
  });
});
