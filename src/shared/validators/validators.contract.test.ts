import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateCnpj } from './cnpj.js';
import { validateCpf } from './cpf.js';
import { validateNifPt } from './nif-pt.js';

/*
 * The tax-id validators against published vectors (../shared/fixtures/validators, from
 * python-stdnum's tests and docstrings; see SOURCES.md there): real CNPJs including the
 * alphanumeric one valid from July 2026, CPFs and Portuguese NIFs (also written as PT VAT
 * numbers), valid ones and ones with a wrong check digit or a wrong format.
 */

const vectorsFile = new URL(
  '../../../../shared/fixtures/validators/tax-id-vectors.json',
  import.meta.url,
);

const onlineVectorsSchema = z.array(z.strictObject({ v: z.string().min(1), ok: z.boolean() }));
const docstringSchema = z.strictObject({
  valid: z.array(z.string().min(1)).min(1),
  invalid_checksum: z.array(z.string().min(1)).min(1),
  invalid_format: z.array(z.string().min(1)).optional(),
});
const vectorsSchema = z.object({
  source: z.string(),
  cnpj_valid_found_online: onlineVectorsSchema.min(1),
  cnpj_docstring: docstringSchema,
  cpf_docstring: docstringSchema,
  pt_nif_docstring: docstringSchema,
  pt_vat_found_online: onlineVectorsSchema.min(1),
});

const vectors = vectorsSchema.parse(JSON.parse(readFileSync(vectorsFile, 'utf8')));

/**
 * A docstring entry may carry a note: "12. ABC.345 /01DE–35 (alphanumeric, from July 2026;
 * compacts to 12ABC34501DE35)". The number is what precedes the note; "compacts to X" is the
 * value the validator must give.
 */
function readEntry(entry: string): { number: string; compact: string | undefined } {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(entry);
  if (!match) return { number: entry, compact: undefined };
  const compact = /compacts to ([0-9A-Z]+)/.exec(match[2] ?? '')?.[1];
  return { number: match[1] ?? entry, compact };
}

/** What python-stdnum's compact() gives: separators and the PT prefix gone, upper case. */
const compactOf = (number: string, prefix = '') =>
  number
    .toUpperCase()
    .replace(new RegExp(`^${prefix}`), '')
    .replace(/[\s./\-–]/g, '');

describe('tax-id vectors (python-stdnum)', () => {
  describe('CNPJ', () => {
    it.each(vectors.cnpj_valid_found_online)('$v → ok: $ok', ({ v, ok }) => {
      const result = validateCnpj(v);
      expect(result.ok).toBe(ok);
      if (result.ok) expect(result.value).toBe(compactOf(v));
    });

    it.each(vectors.cnpj_docstring.valid)('valid: %s', (entry) => {
      const { number, compact } = readEntry(entry);
      const result = validateCnpj(number);
      expect(result).toMatchObject({ ok: true, value: compact ?? compactOf(number) });
    });

    it.each(vectors.cnpj_docstring.invalid_checksum)('wrong check digits: %s', (number) => {
      expect(validateCnpj(number)).toMatchObject({ ok: false, reason: 'check-digits' });
    });

    it.each(vectors.cnpj_docstring.invalid_format ?? [])('wrong format: %s', (number) => {
      const result = validateCnpj(number);
      expect(result.ok).toBe(false);
      expect(result.ok || result.reason).not.toBe('check-digits');
    });
  });

  describe('CPF', () => {
    it.each(vectors.cpf_docstring.valid)('valid: %s', (entry) => {
      const { number } = readEntry(entry);
      const result = validateCpf(number);
      expect(result).toMatchObject({ ok: true, value: compactOf(number) });
    });

    it.each(vectors.cpf_docstring.invalid_checksum)('wrong check digits: %s', (number) => {
      expect(validateCpf(number)).toMatchObject({ ok: false, reason: 'check-digits' });
    });

    it.each(vectors.cpf_docstring.invalid_format ?? [])('wrong format: %s', (number) => {
      const result = validateCpf(number);
      expect(result.ok).toBe(false);
      expect(result.ok || result.reason).not.toBe('check-digits');
    });
  });

  describe('Portuguese NIF', () => {
    it.each(vectors.pt_nif_docstring.valid)('valid: %s', (entry) => {
      const { number } = readEntry(entry);
      expect(validateNifPt(number)).toMatchObject({ ok: true, value: compactOf(number, 'PT') });
    });

    it.each(vectors.pt_nif_docstring.invalid_checksum)('wrong check digit: %s', (number) => {
      expect(validateNifPt(number)).toMatchObject({ ok: false, reason: 'check-digit' });
    });

    it.each(vectors.pt_vat_found_online)('VAT number $v → ok: $ok', ({ v, ok }) => {
      const result = validateNifPt(v);
      expect(result.ok).toBe(ok);
      if (result.ok) expect(result.value).toBe(compactOf(v, 'PT'));
    });
  });

  it('ran every vector in the file', () => {
    const docstringCount = (group: z.infer<typeof docstringSchema>) =>
      group.valid.length + group.invalid_checksum.length + (group.invalid_format?.length ?? 0);
    const total =
      vectors.cnpj_valid_found_online.length +
      vectors.pt_vat_found_online.length +
      docstringCount(vectors.cnpj_docstring) +
      docstringCount(vectors.cpf_docstring) +
      docstringCount(vectors.pt_nif_docstring);
    // 25 + 19 online, 4 + 3 + 2 docstring entries when this suite was written.
    expect(total).toBeGreaterThanOrEqual(53);
  });
});
