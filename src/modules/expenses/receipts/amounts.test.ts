import { describe, expect, it } from 'vitest';
import {
  formatCentsBrazilian,
  parseBrazilianMoneyToCents,
  parseBrazilianQuantity,
  parseDotDecimalToCents,
} from './amounts.js';

describe('amounts', () => {
  it.each([
    ['179.63', 17963],
    ['10', 1000],
    ['0.8', 80],
    ['0.00', 0],
    ['9999999999999.99', 999999999999999],
  ])('QR amount %s → %i cents', (text, cents) => {
    expect(parseDotDecimalToCents(text)).toBe(cents);
  });

  it.each(['10,00', '-1.00', '1.234.56', '1.999', '', ' 1.00', '1e3', '99999999999999.00'])(
    'QR amount %s is refused',
    (text) => {
      expect(parseDotDecimalToCents(text)).toBeUndefined();
    },
  );

  it.each([
    ['9,49', 949],
    ['R$ 1.234,56', 123456],
    ['R$\u00a017,15', 1715],
    ['1234,56', 123456],
    ['10.00', 1000],
    ['1.234', 123400],
    ['2,989', 299],
    ['2,984', 298],
    ['0,005', 1],
    ['1,234.56', 123456],
  ])('page money %s → %i cents, no floating point', (text, cents) => {
    expect(parseBrazilianMoneyToCents(text)).toBe(cents);
  });

  it.each(['', 'R$', 'abc', '-5,00', '1,2,3', '12.34.56,7'])('page money %j is refused', (text) => {
    expect(parseBrazilianMoneyToCents(text)).toBeUndefined();
  });

  it.each([
    ['0,266', 0.266],
    ['1,0000', 1],
    ['1.0000', 1],
    ['0.3500', 0.35],
    ['3', 3],
    ['1.234,5', 1234.5],
  ])('quantity %s → %d', (text, quantity) => {
    expect(parseBrazilianQuantity(text)).toBe(quantity);
  });

  it('formats cents the Brazilian way', () => {
    expect(formatCentsBrazilian(123456789)).toBe('1.234.567,89');
    expect(formatCentsBrazilian(5)).toBe('0,05');
    expect(formatCentsBrazilian(-150)).toBe('-1,50');
  });
});
