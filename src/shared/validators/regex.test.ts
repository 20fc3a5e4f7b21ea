import { describe, expect, it } from 'vitest';
import { checkRegexPattern, regexOptionsSchema, validateRegex } from './regex.js';

const plate = { pattern: '[A-Z]{3}-?\\d[A-Z\\d]\\d{2}' };

describe('validateRegex', () => {
  it.each([
    ['ABC1D23', 'ABC1D23'],
    ['ABC-1234', 'ABC-1234'],
    ['  ABC1D23 ', 'ABC1D23'],
    ['ABC–1234', 'ABC-1234'],
    ['ABC１D２３', 'ABC1D23'],
  ])('%j matches → %s', (input, value) => {
    expect(validateRegex(input, plate)).toEqual({ ok: true, value, display: value });
  });

  it.each([
    ['abc1d23', 'no-match'],
    ['ABC1D234', 'no-match'],
    ['placa ABC1D23', 'no-match'],
    ['', 'empty'],
    ['A'.repeat(201), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateRegex(input, plate)).toMatchObject({ ok: false, reason });
  });

  it('anchors the pattern to the whole answer', () => {
    expect(validateRegex('pedido 123', { pattern: '\\d+' })).toMatchObject({ ok: false });
    expect(validateRegex('123', { pattern: '\\d+' })).toMatchObject({ ok: true });
    // An alternation stays inside the anchors.
    expect(validateRegex('sim!', { pattern: 'sim|não' })).toMatchObject({ ok: false });
    expect(validateRegex('não', { pattern: 'sim|não' })).toMatchObject({ ok: true });
  });

  it('applies the flags', () => {
    expect(validateRegex('abc1d23', { ...plate, flags: 'i' })).toMatchObject({ ok: true });
  });

  it('says what the flow author wrote when the answer does not match', () => {
    const message = { 'pt-BR': 'Envie a placa como ABC1D23.', en: 'Send the plate like ABC1D23.' };
    expect(validateRegex('xyz', { ...plate, message })).toEqual({
      ok: false,
      reason: 'no-match',
      message,
    });
  });

  it('honours a longer or shorter answer limit', () => {
    expect(validateRegex('a'.repeat(300), { pattern: 'a+', maxLength: 1000 })).toMatchObject({
      ok: true,
    });
    expect(validateRegex('aaaa', { pattern: 'a+', maxLength: 3 })).toMatchObject({
      ok: false,
      reason: 'too-long',
    });
  });

  it('refuses to run a pattern that could backtrack catastrophically', () => {
    expect(() => validateRegex('aaaa', { pattern: '(a+)+$' })).toThrow(TypeError);
  });
});

describe('checkRegexPattern', () => {
  it.each([
    '[A-Z]{3}\\d[A-Z\\d]\\d{2}',
    '\\d{5}-?\\d{3}',
    '(\\d{3}\\.)+\\d{2}',
    '(?:sim|não)',
    '(abc)+',
    '[\\w.+-]+@[\\w-]+\\.[\\w.]+',
    '(?<ano>\\d{4})-(?<mes>\\d{2})',
    '(?=.*\\d)[a-z\\d]{6,}',
    '[(a+)+]*',
    '\\(a+\\)+',
  ])('accepts %s', (pattern) => {
    expect(checkRegexPattern(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+', /repetition/],
    ['(a*)*b', /repetition/],
    ['(\\w+\\s?)*$', /repetition/],
    ['(a|aa)+', /alternation/],
    ['(\\w|\\d)*', /alternation/],
    ['(x+){10}', /repetition/],
    ['((ab)*c)+', /repetition/],
    ['(?:a?){2,}', /repetition/],
    ['(a)\\1', /Backreferences/],
    ['(?<x>a)\\k<x>', /Backreferences/],
    ['\\d*\\d*\\d*\\d*x', /open-ended/],
    ['[A-Z]+-\\d+-[A-Z]+-\\d{1,20}', /open-ended/],
    ['[a-', /Invalid regular expression/],
    ['(abc', /Invalid regular expression/],
  ])('refuses %s', (pattern, problem) => {
    expect(checkRegexPattern(pattern)).toMatch(problem);
  });

  it('allows only harmless flags', () => {
    expect(checkRegexPattern('a', 'iu')).toBeUndefined();
    expect(checkRegexPattern('a', 'g')).toMatch(/Flags/);
    expect(checkRegexPattern('a', 'y')).toMatch(/Flags/);
    expect(checkRegexPattern('a', 'ii')).toMatch(/Flags/);
  });

  it('is what the options schema checks', () => {
    const refused = regexOptionsSchema.safeParse({ pattern: '(a+)+' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['pattern']);
    expect(regexOptionsSchema.safeParse({ pattern: '\\d+', flags: 'i' }).success).toBe(true);
    expect(regexOptionsSchema.safeParse({ pattern: '' }).success).toBe(false);
    expect(regexOptionsSchema.safeParse({}).success).toBe(false);
  });
});
