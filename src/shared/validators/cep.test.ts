import { describe, expect, it } from 'vitest';
import { validateCep } from './cep.js';

describe('validateCep', () => {
  it.each([
    ['01310-100', '01310-100'],
    ['01310100', '01310-100'],
    ['01.310-100', '01310-100'],
    ['01310 100', '01310-100'],
    [' 01310–100 ', '01310-100'],
    ['CEP: 20040-020', '20040-020'],
    ['cep 99999-999', '99999-999'],
    ['01000-000', '01000-000'],
    ['０１３１０-１００', '01310-100'],
  ])('%j → %s', (input, value) => {
    expect(validateCep(input)).toEqual({ ok: true, value, display: value });
  });

  it.each([
    ['', 'empty'],
    ['01310-10O', 'invalid-characters'],
    ['Av. Paulista, 01310-100', 'invalid-characters'],
    ['01310/100', 'invalid-characters'],
    ['01310', 'wrong-length'],
    ['0131010', 'wrong-length'],
    ['013101000', 'wrong-length'],
    ['00000-000', 'nonexistent-range'],
    ['00999-999', 'nonexistent-range'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateCep(input)).toMatchObject({ ok: false, reason });
  });

  it('points at the missing suffix of a five-digit CEP', () => {
    const result = validateCep('01310');
    expect(result.ok || result.message['pt-BR']).toBe(
      'O CEP tem 8 dígitos; você enviou 5. Faltam os 3 depois do traço.',
    );
  });
});
