import { describe, expect, it } from 'vitest';
import {
  computeAccessKeyCheckDigit,
  decodeAccessKey,
  formatAccessKey,
  hasValidAccessKeyCheckDigit,
} from './access-key.js';

/*
 * Keys built for these tests: real CNPJs' check digits, the fields chosen, the check digit
 * computed by hand-checked rules (mod 11, weights 2–9 from the right, remainder 0 or 1 → 0).
 */
const paranaKey = '41240311222333000181650050000045211123456789';

function withCheckDigit(first43: string): string {
  return `${first43}${computeAccessKeyCheckDigit(first43)}`;
}

describe('decodeAccessKey', () => {
  it('decodes every field of a valid NFC-e key', () => {
    const result = decodeAccessKey(paranaKey);
    expect(result).toEqual({
      ok: true,
      value: {
        key: paranaKey,
        stateCode: '41',
        state: 'PR',
        year: 2024,
        month: 3,
        issuer: { kind: 'cnpj', cnpj: '11222333000181' },
        model: '65',
        documentType: 'nfce',
        series: 5,
        number: 4521,
        emissionType: 'normal',
        emissionTypeCode: '1',
        numericCode: '12345678',
        checkDigit: 9,
      },
      display: '4124 0311 2223 3300 0181 6500 5000 0045 2111 2345 6789',
    });
  });

  it('computes the check digit with weights 2–9 from the right (a published key)', () => {
    // RN's consultation page key (fixture-independent: the digits are printed on the page).
    expect(computeAccessKeyCheckDigit('2423010711063500027165106000063879122098345')).toBe(8);
    expect(hasValidAccessKeyCheckDigit('24230107110635000271651060000638791220983458')).toBe(true);
  });

  it('accepts the key as printed: groups, dots, a label, the XML id prefix, lower case', () => {
    for (const input of [
      '4124 0311 2223 3300 0181 6500 5000 0045 2111 2345 6789',
      'Chave de acesso: 4124.0311.2223.3300.0181.6500.5000.0045.2111.2345.6789',
      `NFe${paranaKey}`,
      ` ${paranaKey}\n`,
    ]) {
      const result = decodeAccessKey(input);
      expect(result.ok, input).toBe(true);
    }
  });

  it('refuses a wrong check digit, saying some digit is wrong', () => {
    const wrong = `${paranaKey.slice(0, 43)}0`;
    const result = decodeAccessKey(wrong);
    expect(result).toMatchObject({
      ok: false,
      reason: 'check-digit',
      details: { expected: 9, received: 0 },
    });
    if (!result.ok) expect(result.message['pt-BR']).toMatch(/dígito verificador/);
  });

  it('refuses a transposition of two digits (the typo the check digit exists for)', () => {
    const swapped = `${paranaKey.slice(0, 30)}${paranaKey[31]}${paranaKey[30]}${paranaKey.slice(32)}`;
    expect(swapped).not.toBe(paranaKey);
    expect(decodeAccessKey(swapped)).toMatchObject({ ok: false, reason: 'check-digit' });
  });

  it.each([
    [paranaKey.slice(0, 43), 43],
    [`${paranaKey}1`, 45],
    ['1234', 4],
  ])('refuses %s with the length it has', (input, received) => {
    expect(decodeAccessKey(input)).toMatchObject({
      ok: false,
      reason: 'wrong-length',
      details: { expected: 44, received },
    });
  });

  it('refuses letters outside the CNPJ and other characters', () => {
    expect(decodeAccessKey(`X${paranaKey.slice(1)}`)).toMatchObject({
      reason: 'invalid-characters',
    });
    expect(decodeAccessKey(`${paranaKey.slice(0, 20)}#${paranaKey.slice(21)}`)).toMatchObject({
      reason: 'invalid-characters',
    });
  });

  it('refuses state codes that are no state (IBGE)', () => {
    for (const state of ['00', '10', '20', '30', '34', '36', '54', '91', '99']) {
      const key = withCheckDigit(`${state}${paranaKey.slice(2, 43)}`);
      const result = decodeAccessKey(key);
      expect(result, state).toMatchObject({ ok: false, reason: 'invalid-state' });
      if (!result.ok) expect(result.message['pt-BR']).toContain(state);
    }
  });

  it('knows all 27 states', () => {
    const codes = ['11', '12', '13', '14', '15', '16', '17', '21', '22', '23', '24', '25', '26'];
    codes.push('27', '28', '29', '31', '32', '33', '35', '41', '42', '43', '50', '51', '52', '53');
    const states = codes.map((code) => {
      const result = decodeAccessKey(withCheckDigit(`${code}${paranaKey.slice(2, 43)}`));
      return result.ok ? result.value.state : result.reason;
    });
    expect(new Set(states).size).toBe(27);
    expect(states).toContain('SP');
    expect(states).toContain('DF');
  });

  it('refuses impossible months and years before the NF-e', () => {
    expect(decodeAccessKey(withCheckDigit(`352413${paranaKey.slice(6, 43)}`))).toMatchObject({
      reason: 'invalid-month',
    });
    expect(decodeAccessKey(withCheckDigit(`352400${paranaKey.slice(6, 43)}`))).toMatchObject({
      reason: 'invalid-month',
    });
    expect(decodeAccessKey(withCheckDigit(`350503${paranaKey.slice(6, 43)}`))).toMatchObject({
      reason: 'invalid-year',
    });
  });

  it('decodes an NF-e (model 55) and names other fiscal documents', () => {
    const nfe = decodeAccessKey(
      withCheckDigit(`${paranaKey.slice(0, 20)}55${paranaKey.slice(22, 43)}`),
    );
    expect(nfe).toMatchObject({ ok: true, value: { model: '55', documentType: 'nfe' } });
    const sat = decodeAccessKey(
      withCheckDigit(`${paranaKey.slice(0, 20)}59${paranaKey.slice(22, 43)}`),
    );
    expect(sat).toMatchObject({ ok: false, reason: 'unsupported-model', details: { model: '59' } });
    if (!sat.ok) expect(sat.message['pt-BR']).toMatch(/SAT/);
    const unknown = decodeAccessKey(
      withCheckDigit(`${paranaKey.slice(0, 20)}01${paranaKey.slice(22, 43)}`),
    );
    expect(unknown).toMatchObject({ ok: false, reason: 'unsupported-model' });
  });

  it('refuses emission types 0 and 8 and decodes the offline one', () => {
    for (const type of ['0', '8']) {
      const key = withCheckDigit(`${paranaKey.slice(0, 34)}${type}${paranaKey.slice(35, 43)}`);
      expect(decodeAccessKey(key)).toMatchObject({ reason: 'invalid-emission-type' });
    }
    const offline = decodeAccessKey(
      withCheckDigit(`${paranaKey.slice(0, 34)}9${paranaKey.slice(35, 43)}`),
    );
    expect(offline).toMatchObject({ ok: true, value: { emissionType: 'contingency-offline' } });
  });

  it('refuses invoice number zero', () => {
    const key = withCheckDigit(`${paranaKey.slice(0, 25)}000000000${paranaKey.slice(34, 43)}`);
    expect(decodeAccessKey(key)).toMatchObject({ reason: 'invalid-number' });
  });

  it('validates the issuer CNPJ inside the key', () => {
    const badCnpj = withCheckDigit(
      `${paranaKey.slice(0, 6)}11222333000182${paranaKey.slice(20, 43)}`,
    );
    expect(decodeAccessKey(badCnpj)).toMatchObject({
      ok: false,
      reason: 'invalid-issuer',
      details: { issuer: '11222333000182' },
    });
  });

  it('reads a person issuing (000 + CPF), as NT 2025.001 allows', () => {
    const key = withCheckDigit(`${paranaKey.slice(0, 6)}00039053344705${paranaKey.slice(20, 43)}`);
    expect(decodeAccessKey(key)).toMatchObject({
      ok: true,
      value: { issuer: { kind: 'cpf', cpf: '39053344705' } },
    });
  });

  it('reads the alphanumeric CNPJ (July 2026), letters weighing ASCII − 48', () => {
    const key = withCheckDigit(`352607${'12ABC34501DE35'}${paranaKey.slice(20, 43)}`);
    const result = decodeAccessKey(key.toLowerCase());
    expect(result).toMatchObject({
      ok: true,
      value: { key, issuer: { kind: 'cnpj', cnpj: '12ABC34501DE35' } },
    });
    // The same key read with letters as zero would give another digit: the weight matters.
    expect(computeAccessKeyCheckDigit(key.slice(0, 43))).not.toBe(
      computeAccessKeyCheckDigit(key.slice(0, 43).replace(/[A-Z]/g, '0')),
    );
  });

  it('answers empty and huge input without throwing', () => {
    expect(decodeAccessKey('   ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(decodeAccessKey('4'.repeat(10_000))).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('formats in groups of four', () => {
    expect(formatAccessKey(paranaKey)).toBe(
      '4124 0311 2223 3300 0181 6500 5000 0045 2111 2345 6789',
    );
  });
});
