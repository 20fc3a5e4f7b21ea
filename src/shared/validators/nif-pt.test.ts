import { describe, expect, it } from 'vitest';
import { validateNifPt } from './nif-pt.js';

describe('validateNifPt', () => {
  it.each([
    ['501964843', '501964843'],
    ['PT 501 964 843', '501964843'],
    ['pt501964843', '501964843'],
    ['PT-505 856 468', '505856468'],
    ['PT 500135.495', '500135495'],
    ['NIF: 123 456 789', '123456789'],
    ['NIF PT503038083', '503038083'],
    ['número de contribuinte 123456789', '123456789'],
    ['１２３４５６７８９', '123456789'],
    // Every valid prefix.
    ['112345670', '112345670'],
    ['212345672', '212345672'],
    ['312345674', '312345674'],
    ['451234561', '451234561'],
    ['512345678', '512345678'],
    ['612345670', '612345670'],
    ['701234563', '701234563'],
    ['711234566', '711234566'],
    ['721234569', '721234569'],
    ['741234564', '741234564'],
    ['751234567', '751234567'],
    ['771234562', '771234562'],
    ['781234565', '781234565'],
    ['791234568', '791234568'],
    ['812345673', '812345673'],
    ['901234567', '901234567'],
    ['911234560', '911234560'],
    ['981234569', '981234569'],
    ['991234561', '991234561'],
    // A check digit of 10 or 11 is written 0.
    ['999999990', '999999990'],
  ])('%j → %s', (input, value) => {
    expect(validateNifPt(input)).toEqual({
      ok: true,
      value,
      display: `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`,
    });
  });

  it.each([
    ['', 'empty'],
    ['PT 501 964 84A', 'invalid-characters'],
    ['501/964/843', 'invalid-characters'],
    ['50196484', 'wrong-length'],
    ['5019648430', 'wrong-length'],
    ['PT 501 964 842', 'check-digit'],
    ['123456780', 'check-digit'],
    // Prefixes no NIF has (each with a correct check digit).
    ['012345679', 'invalid-prefix'],
    ['401234568', 'invalid-prefix'],
    ['731234561', 'invalid-prefix'],
    ['761234560', 'invalid-prefix'],
    ['921234562', 'invalid-prefix'],
    ['971234566', 'invalid-prefix'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateNifPt(input)).toMatchObject({ ok: false, reason });
  });

  it('names the impossible prefix', () => {
    const result = validateNifPt('731234561');
    expect(result).toMatchObject({ details: { prefix: '73' } });
    expect(result.ok || result.message['pt-BR']).toBe(
      'Nenhum NIF começa por 73. Confira o número e envie de novo.',
    );
  });

  it('tells people from entities when the flow asks for one of them', () => {
    expect(validateNifPt('501964843', { holder: 'person' })).toMatchObject({
      ok: false,
      reason: 'not-a-person',
    });
    expect(validateNifPt('451234561', { holder: 'person' })).toMatchObject({ ok: true });
    expect(validateNifPt('123456789', { holder: 'entity' })).toMatchObject({
      ok: false,
      reason: 'not-an-entity',
    });
    expect(validateNifPt('991234561', { holder: 'entity' })).toMatchObject({ ok: true });
  });
});
