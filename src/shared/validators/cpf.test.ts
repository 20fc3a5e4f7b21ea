import { describe, expect, it } from 'vitest';
import { validateCpf } from './cpf.js';

describe('validateCpf', () => {
  it.each([
    ['390.533.447-05', '39053344705'],
    ['39053344705', '39053344705'],
    ['529.982.247-25', '52998224725'],
    ['111 444 777 35', '11144477735'],
    ['111.444.777/35', undefined],
    ['  123.456.789-09  ', '12345678909'],
    ['000.000.001-91', '00000000191'],
    ['CPF: 390.533.447-05', '39053344705'],
    ['meu cpf é 529.982.247-25', '52998224725'],
    ['CPF nº 529.982.247-25', '52998224725'],
    // Unicode: full-width and Arabic-Indic digits, en dash, no-break spaces, zero-width joiners.
    ['３９０.５３３.４４７-０５', '39053344705'],
    ['٣٩٠٥٣٣٤٤٧٠٥', '39053344705'],
    ['390.533.447–05', '39053344705'],
    ['390\u00A0533\u202F447-05', '39053344705'],
    ['390\u200B533447\u200D05', '39053344705'],
  ])('%j → %s', (input, value) => {
    const result = validateCpf(input);
    if (value === undefined) {
      expect(result).toMatchObject({ ok: false, reason: 'invalid-characters' });
      return;
    }
    expect(result).toEqual({
      ok: true,
      value,
      display: `${value.slice(0, 3)}.${value.slice(3, 6)}.${value.slice(6, 9)}-${value.slice(9)}`,
    });
  });

  it.each([
    ['', 'empty'],
    ['   \u200B ', 'empty'],
    ['390.533.447=0', 'invalid-characters'],
    ['390.533.447-0X', 'invalid-characters'],
    ['abc', 'invalid-characters'],
    ['3905334470', 'wrong-length'],
    ['390533447055', 'wrong-length'],
    ['11.222.333/0001-81', 'invalid-characters'],
    ['11222333000181', 'wrong-length'],
    ['111.111.111-11', 'repeated-digits'],
    ['000.000.000-00', 'repeated-digits'],
    ['999.999.999-99', 'repeated-digits'],
    ['231.002.999-00', 'check-digits'],
    ['390.533.447-04', 'check-digits'],
    ['390.533.447-15', 'check-digits'],
    ['123.456.789-90', 'check-digits'],
    ['1'.repeat(101), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateCpf(input)).toMatchObject({ ok: false, reason });
  });

  it('says how many digits a CPF has and how many came', () => {
    expect(validateCpf('3905334470')).toEqual({
      ok: false,
      reason: 'wrong-length',
      message: {
        'pt-BR': 'O CPF tem 11 dígitos; você enviou 10.',
        en: 'A CPF has 11 digits; you sent 10.',
      },
      details: { expected: 11, received: 10 },
    });
  });

  it('recognizes a CNPJ sent where a CPF was asked', () => {
    const result = validateCpf('11222333000181');
    expect(result.ok || result.message['pt-BR']).toBe(
      'O CPF tem 11 dígitos; você enviou 14. Isso parece um CNPJ.',
    );
  });

  it('names the failing rule in the message', () => {
    const repeated = validateCpf('111.111.111-11');
    const checkDigits = validateCpf('231.002.999-00');
    expect(repeated.ok || repeated.message['pt-BR']).toMatch(/todos os dígitos iguais/);
    expect(checkDigits.ok || checkDigits.message['pt-BR']).toMatch(
      /^Os dígitos verificadores não conferem\./,
    );
  });

  it('refuses a huge message without reading it', () => {
    const result = validateCpf('9'.repeat(5_000_000));
    expect(result).toMatchObject({ ok: false, reason: 'too-long', details: { maxLength: 100 } });
  });
});
