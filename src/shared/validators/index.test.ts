import { describe, expect, it } from 'vitest';
import {
  isValidatorId,
  runValidator,
  type ValidationResult,
  validate,
  validatorIdSchema,
  validatorIds,
  validators,
} from './index.js';

const now = new Date('2026-03-05T15:00:00Z');

/** Options that make each validator runnable (only regex needs any). */
const minimalOptions: Record<string, unknown> = { regex: { pattern: '\\w+' } };

describe('validator registry', () => {
  it('has every validator of the flow engine under its id', () => {
    expect(validatorIds).toEqual([
      'email',
      'phone',
      'cpf',
      'cnpj',
      'nif-pt',
      'cep',
      'postal-code-pt',
      'date',
      'amount',
      'regex',
    ]);
    for (const id of validatorIds) expect(validators[id].id).toBe(id);
    expect(isValidatorId('cpf')).toBe(true);
    expect(isValidatorId('toString')).toBe(false);
    expect(isValidatorId('rg')).toBe(false);
    expect(validatorIdSchema.safeParse('nif-pt').success).toBe(true);
    expect(validatorIdSchema.safeParse('nif').success).toBe(false);
  });

  it('runs a validator by id with typed options', () => {
    expect(validate('cpf', '390.533.447-05', {})).toMatchObject({ ok: true, value: '39053344705' });
    expect(validate('date', 'amanhã', { now })).toMatchObject({ ok: true, value: '2026-03-06' });
    expect(validate('amount', '€ 12,30', {})).toMatchObject({
      ok: true,
      value: { cents: 1230, currency: 'EUR' },
    });
  });

  it('runs flow-authored options with the engine context', () => {
    expect(runValidator('date', 'hoje', undefined, { now })).toMatchObject({
      value: '2026-03-05',
    });
    // The context's locale and time zone are defaults …
    expect(runValidator('amount', '10', {}, { now, locale: 'pt-PT' })).toMatchObject({
      value: { currency: 'EUR' },
    });
    expect(
      runValidator(
        'date',
        'hoje',
        {},
        { now: new Date('2026-03-06T02:30:00Z'), timeZone: 'Europe/Lisbon' },
      ),
    ).toMatchObject({ value: '2026-03-06' });
    expect(runValidator('phone', '912 345 678', {}, { now, locale: 'pt-PT' })).toMatchObject({
      value: '+351912345678',
    });
    // … and what the flow says wins.
    expect(
      runValidator('amount', '10', { currency: 'BRL' }, { now, locale: 'pt-PT' }),
    ).toMatchObject({ value: { currency: 'BRL' } });
    expect(runValidator('date', 'sexta', { direction: 'past' }, { now })).toMatchObject({
      value: '2026-02-27',
    });
  });

  it('throws on options a published flow could not have', () => {
    expect(() => runValidator('regex', 'x', { pattern: '(a+)+' }, { now })).toThrow(
      /Invalid options for validator "regex"/,
    );
    expect(() => runValidator('cpf', 'x', { strict: true }, { now })).toThrow(TypeError);
    expect(() => runValidator('amount', '1', { minCents: 'ten' }, { now })).toThrow(TypeError);
  });

  it('checks authored options with each validator’s schema', () => {
    expect(validators.email.optionsSchema.safeParse({ rejectFreeProviders: true }).success).toBe(
      true,
    );
    expect(validators.phone.optionsSchema.safeParse({ allowedCountries: ['br'] }).success).toBe(
      false,
    );
    expect(validators['nif-pt'].optionsSchema.safeParse({ holder: 'person' }).success).toBe(true);
    expect(validators.amount.optionsSchema.safeParse({ currency: 'USD' }).success).toBe(false);
    expect(validators.cep.optionsSchema.safeParse({ anything: 1 }).success).toBe(false);
  });

  // Whatever arrives in a chat: every validator answers with the same shape and never throws.
  const junk = [
    '',
    ' ',
    '\u200B',
    'null',
    '😀😀😀',
    '{"cpf": "390.533.447-05"}',
    '<script>alert(1)</script>',
    "'; DROP TABLE users; --",
    '\u0000\u0001\u0002',
    '٣٩٠٥٣٣٤٤٧٠٥',
    '-'.repeat(99),
    '9'.repeat(99),
    '.'.repeat(99),
    'á'.repeat(5000),
    'x'.repeat(1_000_000),
    '\uD800',
    '12/12/2026 '.repeat(9),
  ];

  it.each(validatorIds)('%s answers every input with a result, never an exception', (id) => {
    for (const input of junk) {
      const result = runValidator(id, input, minimalOptions[id], { now }) as ValidationResult<
        unknown,
        string
      >;
      if (result.ok) {
        expect(typeof result.display).toBe('string');
        expect(result.display.length).toBeGreaterThan(0);
      } else {
        expect(result.reason).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
        expect(result.message['pt-BR'].length).toBeGreaterThan(10);
        expect(result.message.en.length).toBeGreaterThan(10);
        expect(result.message['pt-BR']).not.toMatch(/undefined|NaN|\[object/);
        expect(result.message.en).not.toMatch(/undefined|NaN|\[object/);
      }
    }
  });
});
