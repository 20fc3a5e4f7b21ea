import { describe, expect, it } from 'vitest';
import { validatePostalCodePt } from './postal-code-pt.js';

describe('validatePostalCodePt', () => {
  it.each([
    ['1000-001', '1000-001'],
    ['1000 001', '1000-001'],
    ['1000001', '1000-001'],
    ['4450–123', '4450-123'],
    ['  9999-999 ', '9999-999'],
    ['Código postal: 2790-045', '2790-045'],
    ['CP 3000-123', '3000-123'],
    ['١٠٠٠-٠٠١', '1000-001'],
  ])('%j → %s', (input, value) => {
    expect(validatePostalCodePt(input)).toEqual({ ok: true, value, display: value });
  });

  it.each([
    ['', 'empty'],
    ['1000-001 Lisboa', 'invalid-characters'],
    ['1000/001', 'invalid-characters'],
    ['1000', 'wrong-length'],
    ['1000-01', 'wrong-length'],
    ['10000-001', 'wrong-length'],
    ['01310-100', 'wrong-length'],
    ['0999-999', 'nonexistent-range'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validatePostalCodePt(input)).toMatchObject({ ok: false, reason });
  });

  it('asks for the last three digits of an old four-digit code', () => {
    const result = validatePostalCodePt('1000');
    expect(result.ok || result.message['pt-BR']).toBe(
      'O código postal tem 7 dígitos (1234-567); você enviou 4. Faltam os 3 depois do traço.',
    );
  });
});
