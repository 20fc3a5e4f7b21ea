import { describe, expect, it } from 'vitest';
import { formatAmount, validateAmount } from './amount.js';

describe('validateAmount', () => {
  it.each([
    ['R$ 1.234,56', 123456, 'BRL', 'R$ 1.234,56'],
    ['R$1.234,56', 123456, 'BRL', 'R$ 1.234,56'],
    ['R$1.234,5', 123450, 'BRL', 'R$ 1.234,50'],
    ['1234,56', 123456, 'BRL', 'R$ 1.234,56'],
    ['150,50', 15050, 'BRL', 'R$ 150,50'],
    ['150,5', 15050, 'BRL', 'R$ 150,50'],
    ['1500', 150000, 'BRL', 'R$ 1.500,00'],
    ['0,50', 50, 'BRL', 'R$ 0,50'],
    [',50', 50, 'BRL', 'R$ 0,50'],
    ['150,', 15000, 'BRL', 'R$ 150,00'],
    ['007', 700, 'BRL', 'R$ 7,00'],
    // A dot before exactly three digits groups thousands.
    ['1.234', 123400, 'BRL', 'R$ 1.234,00'],
    ['1.234.567,89', 123456789, 'BRL', 'R$ 1.234.567,89'],
    // A dot before one or two digits can only be a decimal point.
    ['150.50', 15050, 'BRL', 'R$ 150,50'],
    ['1.5', 150, 'BRL', 'R$ 1,50'],
    // Spaces group thousands too (pt-PT), also no-break ones.
    ['1 234,56', 123456, 'BRL', 'R$ 1.234,56'],
    ['1\u202F234,56 €', 123456, 'EUR', '1.234,56 €'],
    ['€ 12,30', 1230, 'EUR', '12,30 €'],
    ['€12,30', 1230, 'EUR', '12,30 €'],
    ['12,30 €', 1230, 'EUR', '12,30 €'],
    ['12,30 EUR', 1230, 'EUR', '12,30 €'],
    ['EUR 12,30', 1230, 'EUR', '12,30 €'],
    ['15 euros', 1500, 'EUR', '15,00 €'],
    ['BRL 10', 1000, 'BRL', 'R$ 10,00'],
    ['50 reais', 5000, 'BRL', 'R$ 50,00'],
    ['1 real', 100, 'BRL', 'R$ 1,00'],
    ['R$ 50 reais', 5000, 'BRL', 'R$ 50,00'],
    ['2 mil', 200000, 'BRL', 'R$ 2.000,00'],
    ['1,5 mil', 150000, 'BRL', 'R$ 1.500,00'],
    ['R$ 1,25 mil', 125000, 'BRL', 'R$ 1.250,00'],
    ['3k', 300000, 'BRL', 'R$ 3.000,00'],
    ['50 centavos', 50, 'BRL', 'R$ 0,50'],
    ['80 cêntimos', 80, 'EUR', '0,80 €'],
    ['valor: R$ 99,90', 9990, 'BRL', 'R$ 99,90'],
    ['+10', 1000, 'BRL', 'R$ 10,00'],
    ['R$ ١٥٠,٥٠', 15050, 'BRL', 'R$ 150,50'],
    ['９９,９０', 9990, 'BRL', 'R$ 99,90'],
    ['9999999999999,99', 999999999999999, 'BRL', 'R$ 9.999.999.999.999,99'],
  ])('%j → %i %s', (input, cents, currency, display) => {
    expect(validateAmount(input)).toEqual({ ok: true, value: { cents, currency }, display });
  });

  it('takes the currency from the text, then the option, then the locale', () => {
    expect(validateAmount('10', { currency: 'EUR' })).toMatchObject({
      value: { cents: 1000, currency: 'EUR' },
      display: '10,00 €',
    });
    expect(validateAmount('10', { locale: 'pt-PT' })).toMatchObject({
      value: { currency: 'EUR' },
    });
    expect(validateAmount('R$ 10', { locale: 'pt-PT' })).toMatchObject({
      value: { currency: 'BRL' },
    });
    expect(validateAmount('10 €', { currency: 'EUR' })).toMatchObject({ ok: true });
    expect(validateAmount('R$ 10', { currency: 'EUR' })).toMatchObject({
      ok: false,
      reason: 'wrong-currency',
      message: { 'pt-BR': 'O valor precisa ser em euros (€).' },
    });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not-a-number'],
    ['R$', 'not-a-number'],
    ['paguei 150', 'not-a-number'],
    ['10 e 50', 'not-a-number'],
    ['1,234.56', 'wrong-separators'],
    ['1,234,567', 'wrong-separators'],
    ['1.234.56', 'invalid-format'],
    ['1.2345', 'invalid-format'],
    ['1234.567', 'invalid-format'],
    ['12 34', 'invalid-format'],
    ['1,,5', 'invalid-format'],
    ['1,234', 'too-many-decimals'],
    ['10,505', 'too-many-decimals'],
    ['1,2345 mil', 'too-many-decimals'],
    ['10,5 centavos', 'too-many-decimals'],
    ['99999999999999', 'too-large'],
    ['9999999999999 mil', 'too-large'],
    ['US$ 10', 'unsupported-currency'],
    ['$10', 'unsupported-currency'],
    ['10 USD', 'unsupported-currency'],
    ['£ 10', 'unsupported-currency'],
    ['10 dólares', 'unsupported-currency'],
    ['R$ 10 €', 'conflicting-currency'],
    ['R$ 50 cêntimos', 'conflicting-currency'],
    ['0', 'zero'],
    ['0,00', 'zero'],
    ['R$ 0', 'zero'],
    ['-10', 'negative'],
    ['R$ -10,00', 'negative'],
    ['- R$ 10', 'negative'],
    ['10-', 'negative'],
    ['menos 10', 'negative'],
    ['1'.repeat(101), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateAmount(input)).toMatchObject({ ok: false, reason });
  });

  it('hints at the Portuguese separators', () => {
    const english = validateAmount('1,234.56');
    const thousands = validateAmount('1,234');
    expect(english.ok || english.message['pt-BR']).toBe(
      'Use vírgula para os centavos e ponto para os milhares, como 1.234,56.',
    );
    expect(thousands.ok || thousands.message['pt-BR']).toMatch(/Para milhares, use ponto: 1\.234/);
  });

  it('accepts zero and negative amounts only when allowed', () => {
    expect(validateAmount('0', { allowZero: true })).toMatchObject({
      ok: true,
      value: { cents: 0 },
      display: 'R$ 0,00',
    });
    expect(validateAmount('-10,50', { allowNegative: true })).toMatchObject({
      ok: true,
      value: { cents: -1050 },
      display: '-R$ 10,50',
    });
    expect(validateAmount('-0', { allowZero: true })).toMatchObject({ value: { cents: 0 } });
  });

  it('keeps to the minimum and maximum', () => {
    const options = { minCents: 1000, maxCents: 500000 };
    expect(validateAmount('10', options)).toMatchObject({ ok: true });
    expect(validateAmount('5.000', options)).toMatchObject({ ok: true });
    expect(validateAmount('9,99', options)).toMatchObject({
      ok: false,
      reason: 'below-min',
      message: { 'pt-BR': 'O valor mínimo é R$ 10,00; você enviou R$ 9,99.' },
    });
    expect(validateAmount('5.000,01 €', options)).toMatchObject({
      ok: false,
      reason: 'above-max',
      message: { 'pt-BR': 'O valor máximo é 5.000,00 €; você enviou 5.000,01 €.' },
    });
  });
});

describe('formatAmount', () => {
  it.each([
    [0, 'BRL', 'R$ 0,00'],
    [5, 'BRL', 'R$ 0,05'],
    [100000000, 'BRL', 'R$ 1.000.000,00'],
    [-150, 'EUR', '-1,50 €'],
    [99999, 'EUR', '999,99 €'],
  ] as const)('%i %s → %s', (cents, currency, display) => {
    expect(formatAmount({ cents, currency })).toBe(display);
  });
});
