import { describe, expect, it } from 'vitest';
import {
  activeTripsByTraveller,
  buildTripsQuery,
  formatDay,
  formatMoney,
  toCostCentreBars,
} from './expenses-format';

// Intl puts a no-break space between symbol and number in some locales.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatMoney', () => {
  it.each([
    [{ cents: 6505, currency: 'BRL' as const }, 'pt-BR', 'R$ 65,05'],
    [{ cents: 123456, currency: 'BRL' as const }, 'pt-BR', 'R$ 1.234,56'],
    [{ cents: 1230, currency: 'EUR' as const }, 'en', '€12.30'],
    [{ cents: 1230, currency: 'EUR' as const }, 'pt-BR', '€ 12,30'],
  ])('%o in %s is %s', (money, language, expected) => {
    expect(plain(formatMoney(money, language))).toBe(expected);
  });
});

describe('formatDay', () => {
  it('shows the calendar day itself, not the day before west of UTC', () => {
    expect(formatDay('2026-03-10', 'en')).toBe('Mar 10, 2026');
    expect(formatDay('2026-03-01', 'pt-BR')).toMatch(/^1 de mar\.? de 2026$/);
  });
  it('returns what it cannot read unchanged', () => {
    expect(formatDay('March', 'en')).toBe('March');
  });
});

describe('buildTripsQuery', () => {
  it.each([
    [{}, { limit: 50 }, 'limit=50'],
    [
      { status: 'closed' as const, costCentre: ' CC-1 ', from: '2026-03-01', to: '' },
      { limit: 20, cursor: 'abc' },
      'limit=20&status=closed&costCentre=CC-1&from=2026-03-01&cursor=abc',
    ],
    [
      { travellerId: 't-1', costCentre: '   ' },
      { limit: 5, cursor: null },
      'limit=5&travellerId=t-1',
    ],
  ])('%o → %s', (filters, page, expected) => {
    expect(buildTripsQuery(filters, page).toString()).toBe(expected);
  });
});

describe('toCostCentreBars', () => {
  it('scales each bar to the largest of its own currency, largest first', () => {
    const bars = toCostCentreBars({
      items: [
        { costCentre: 'A', currency: 'BRL', totalCents: 5000, receiptCount: 2, tripCount: 1 },
        { costCentre: 'B', currency: 'BRL', totalCents: 10000, receiptCount: 1, tripCount: 1 },
        { costCentre: 'A', currency: 'EUR', totalCents: 300, receiptCount: 1, tripCount: 1 },
      ],
    });
    expect(bars.map((bar) => [bar.costCentre, bar.currency, bar.ratio])).toEqual([
      ['B', 'BRL', 1],
      ['A', 'BRL', 0.5],
      ['A', 'EUR', 1],
    ]);
  });
  it('gives zero-length bars when nothing was spent', () => {
    const bars = toCostCentreBars({
      items: [{ costCentre: 'A', currency: 'BRL', totalCents: 0, receiptCount: 0, tripCount: 1 }],
    });
    expect(bars[0]?.ratio).toBe(0);
  });
});

describe('activeTripsByTraveller', () => {
  it('maps travellers to their active trip and ignores closed ones', () => {
    const map = activeTripsByTraveller([
      { id: '1', travellerId: 'a', destination: 'Lisboa', status: 'closed' },
      { id: '2', travellerId: 'a', destination: 'Porto', status: 'active' },
      { id: '3', travellerId: 'b', destination: 'Recife', status: 'closed' },
    ]);
    expect([...map]).toEqual([['a', { id: '2', destination: 'Porto' }]]);
  });
});
