import { describe, expect, it } from 'vitest';
import { normalizePhone, waIdCandidates, waIdToE164 } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['+55 11 98765-4321', '+5511987654321', true],
    ['(11) 98765-4321', '+5511987654321', true],
    ['11987654321', '+5511987654321', true],
    ['5511987654321', '+5511987654321', true],
    ['+55 21 3333-4444', '+552133334444', false],
    ['+351 912 345 678', '+351912345678', true],
    // WhatsApp's old Brazilian mobile ids lack the ninth digit.
    ['551187654321', '+5511987654321', true],
    ['+551187654321', '+5511987654321', true],
  ])('%s → %s', (input, e164, isMobile) => {
    expect(normalizePhone(input)).toMatchObject({ ok: true, e164, isMobile });
  });

  it('uses the default country for national numbers', () => {
    expect(normalizePhone('912 345 678', 'PT')).toMatchObject({ ok: true, e164: '+351912345678' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'not-a-number'],
    ['+55 11 1234', 'invalid'],
    ['+999 123456789', 'invalid'],
  ])('rejects %j (%s)', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });
});

describe('WhatsApp ids', () => {
  it('maps wa_ids to E.164, repairing old Brazilian ids', () => {
    expect(waIdToE164('5511987654321')).toBe('+5511987654321');
    expect(waIdToE164('551187654321')).toBe('+5511987654321');
    expect(waIdToE164('351912345678')).toBe('+351912345678');
    expect(waIdToE164('not-digits')).toBeUndefined();
  });

  it('lists both forms of a Brazilian mobile, one form otherwise', () => {
    expect(waIdCandidates('+5511987654321')).toEqual(['5511987654321', '551187654321']);
    expect(waIdCandidates('+552133334444')).toEqual(['552133334444']);
    expect(waIdCandidates('+351912345678')).toEqual(['351912345678']);
  });
});
