import { describe, expect, it } from 'vitest';
import { validatePhone } from './phone.js';

describe('validatePhone', () => {
  it.each([
    ['+55 11 98765-4321', '+5511987654321', '+55 11 98765 4321'],
    ['(11) 98765-4321', '+5511987654321', '+55 11 98765 4321'],
    ['11987654321', '+5511987654321', '+55 11 98765 4321'],
    ['5511987654321', '+5511987654321', '+55 11 98765 4321'],
    ['011 98765-4321', '+5511987654321', '+55 11 98765 4321'],
    ['0055 11 98765 4321', '+5511987654321', '+55 11 98765 4321'],
    ['celular: (21) 3333-4444', '+552133334444', '+55 21 3333 4444'],
    ['Meu WhatsApp é 11 98765 4321', '+5511987654321', '+55 11 98765 4321'],
    // An old Brazilian mobile without the ninth digit.
    ['+55 11 8765-4321', '+5511987654321', '+55 11 98765 4321'],
    ['+351 912 345 678', '+351912345678', '+351 912 345 678'],
    ['00351 912 345 678', '+351912345678', '+351 912 345 678'],
    ['+351 21 234 5678', '+351212345678', '+351 21 234 5678'],
    ['(１１) ９８７６５–４３２１', '+5511987654321', '+55 11 98765 4321'],
  ])('%j → %s', (input, value, display) => {
    expect(validatePhone(input)).toEqual({ ok: true, value, display });
  });

  it('reads national numbers in the locale’s country', () => {
    expect(validatePhone('912 345 678', { locale: 'pt-PT' })).toMatchObject({
      ok: true,
      value: '+351912345678',
    });
    expect(validatePhone('912 345 678', { defaultCountry: 'PT' })).toMatchObject({
      ok: true,
      value: '+351912345678',
    });
    expect(validatePhone('(11) 98765-4321', { locale: 'pt-PT' })).toMatchObject({ ok: false });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not-a-number'],
    ['11 98765-4321 ramal 2', 'not-a-number'],
    ['+', 'not-a-number'],
    ['98765-4321', 'missing-area-code'],
    ['3333-4444', 'missing-area-code'],
    ['12345', 'too-short'],
    ['+55 11', 'too-short'],
    ['(00) 98765-4321', 'invalid'],
    ['+55 11 1234-5678', 'invalid'],
    ['+999 123456789', 'invalid'],
    ['+55 11 98765-4321 5555', 'invalid'],
    ['9'.repeat(101), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validatePhone(input)).toMatchObject({ ok: false, reason });
  });

  it('keeps to the countries a flow serves', () => {
    const options = { allowedCountries: ['PT'] };
    expect(validatePhone('+351 912 345 678', options)).toMatchObject({ ok: true });
    const result = validatePhone('+55 11 98765-4321', options);
    expect(result).toMatchObject({
      ok: false,
      reason: 'country-not-allowed',
      details: { country: 'BR' },
    });
  });

  it('refuses landlines when a mobile is needed', () => {
    expect(validatePhone('(21) 3333-4444', { mobileOnly: true })).toMatchObject({
      ok: false,
      reason: 'not-mobile',
    });
    expect(validatePhone('(11) 98765-4321', { mobileOnly: true })).toMatchObject({ ok: true });
    expect(validatePhone('+351 21 234 5678', { mobileOnly: true })).toMatchObject({
      ok: false,
      reason: 'not-mobile',
    });
  });

  it('asks for the DDD by name', () => {
    const result = validatePhone('98765-4321');
    expect(result.ok || result.message['pt-BR']).toMatch(/^Faltou o DDD/);
  });
});
