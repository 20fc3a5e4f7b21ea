import { describe, expect, it } from 'vitest';
import { validateCnpj } from './cnpj.js';

describe('validateCnpj', () => {
  it.each([
    ['11.222.333/0001-81', '11222333000181', '11.222.333/0001-81'],
    ['11222333000181', '11222333000181', '11.222.333/0001-81'],
    ['16.727.230.0001-97', '16727230000197', '16.727.230/0001-97'],
    ['00.000.000/0001-91', '00000000000191', '00.000.000/0001-91'],
    ['CNPJ: 11.222.333/0001-81', '11222333000181', '11.222.333/0001-81'],
    // Alphanumeric CNPJ (issued from July 2026): letters count as ASCII code − 48.
    ['12.ABC.345/01DE-35', '12ABC34501DE35', '12.ABC.345/01DE-35'],
    ['12abc34501de35', '12ABC34501DE35', '12.ABC.345/01DE-35'],
    ['12. ABC.345 /01DE–35', '12ABC34501DE35', '12.ABC.345/01DE-35'],
    ['ZZ.ZZZ.ZZZ/0001-91', 'ZZZZZZZZ000191', 'ZZ.ZZZ.ZZZ/0001-91'],
    ['A1.B2C.3D4/0001-93', 'A1B2C3D4000193', 'A1.B2C.3D4/0001-93'],
    ['AA.AAA.AAA/AAAA-45', 'AAAAAAAAAAAA45', 'AA.AAA.AAA/AAAA-45'],
    ['１１．２２２．３３３／０００１－８１', '11222333000181', '11.222.333/0001-81'],
  ])('%j → %s', (input, value, display) => {
    expect(validateCnpj(input)).toEqual({ ok: true, value, display });
  });

  it.each([
    ['', 'empty'],
    ['16.727.230/0001=97', 'invalid-characters'],
    ['12.ABC.345/01DÉ-35', 'invalid-characters'],
    ['11.222.333/0001-8', 'wrong-length'],
    ['11.222.333/00001-81', 'wrong-length'],
    ['12.ABC.345/01DE-3F', 'letters-in-check-digits'],
    ['11.111.111/1111-11', 'repeated-digits'],
    ['00000000000000', 'repeated-digits'],
    ['16.727.230.0001-98', 'check-digits'],
    ['11.222.333/0001-82', 'check-digits'],
    ['12.ABC.345/01DE-36', 'check-digits'],
    // A letter changed: the check digits catch it.
    ['12.ABD.345/01DE-35', 'check-digits'],
    ['x'.repeat(200), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateCnpj(input)).toMatchObject({ ok: false, reason });
  });

  it('can be limited to the numeric format', () => {
    expect(validateCnpj('12.ABC.345/01DE-35', { allowAlphanumeric: false })).toMatchObject({
      ok: false,
      reason: 'letters-not-allowed',
    });
    expect(validateCnpj('11.222.333/0001-81', { allowAlphanumeric: false })).toMatchObject({
      ok: true,
    });
  });

  it('says how long a CNPJ is and recognizes a CPF', () => {
    const result = validateCnpj('529.982.247-25');
    expect(result).toMatchObject({
      ok: false,
      reason: 'wrong-length',
      details: { expected: 14, received: 11 },
    });
    expect(result.ok || result.message['pt-BR']).toBe(
      'O CNPJ tem 14 caracteres; você enviou 11. Isso parece um CPF.',
    );
  });

  it('tells the user the check digits are always numbers', () => {
    const result = validateCnpj('12ABC34501DEAB');
    expect(result.ok || result.message['pt-BR']).toMatch(/sempre números/);
  });
});
