import { z } from 'zod';
import { computeMod11CheckDigit } from './check-digits.js';
import { stripLeadingLabel } from './text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * CNPJ (Cadastro Nacional da Pessoa Jurídica): 14 characters, the last two check digits.
 * From July 2026 the Receita Federal issues alphanumeric CNPJs: the first 12 characters may be
 * letters A–Z or digits, the check digits stay numeric, and each character counts as its ASCII
 * code minus 48 (digits keep their value, A = 17 … Z = 42) in the same modulo-11 sums. Numeric
 * CNPJs are the same computation.
 *
 * Accepts dots, slashes, dashes and spaces anywhere, lower-case letters and a leading "CNPJ:";
 * the value is the 14 characters in upper case, the display `12.ABC.345/01DE-35`.
 */

export const cnpjOptionsSchema = z.strictObject({
  /** Accept the alphanumeric format (default true); false accepts digits only. */
  allowAlphanumeric: z.boolean().optional(),
});
export type CnpjOptions = z.infer<typeof cnpjOptionsSchema>;

export type CnpjFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'letters-not-allowed'
  | 'wrong-length'
  | 'letters-in-check-digits'
  | 'repeated-digits'
  | 'check-digits';

const field = { 'pt-BR': 'o CNPJ', en: 'the CNPJ' };
const firstWeights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const secondWeights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

export function validateCnpj(
  input: string,
  options: CnpjOptions = {},
): ValidationResult<string, CnpjFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['cnpj', 'cnpj/mf']);
  if (!/^[\dA-Za-z\s./-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR':
        'O CNPJ tem só números e letras (pontos, barra e traço são opcionais), como 12.345.678/0001-95.',
      en: 'A CNPJ has only digits and letters (dots, slash and dash optional), like 12.345.678/0001-95.',
    });
  }
  const compact = text.replace(/[\s./-]/g, '').toUpperCase();
  const letterCount = compact.replace(/\d/g, '').length;
  if (letterCount > 0 && options.allowAlphanumeric === false) {
    return fail('letters-not-allowed', {
      'pt-BR': 'Aqui o CNPJ deve ter só números, como 12.345.678/0001-95.',
      en: 'Here the CNPJ must have digits only, like 12.345.678/0001-95.',
    });
  }
  if (compact.length !== 14) {
    const looksLikeCpf = compact.length === 11 && letterCount === 0;
    return fail(
      'wrong-length',
      {
        'pt-BR': `O CNPJ tem 14 caracteres; você enviou ${compact.length}.${looksLikeCpf ? ' Isso parece um CPF.' : ''}`,
        en: `A CNPJ has 14 characters; you sent ${compact.length}.${looksLikeCpf ? ' That looks like a CPF.' : ''}`,
      },
      { expected: 14, received: compact.length },
    );
  }
  if (!/^\d{2}$/.test(compact.slice(12))) {
    return fail('letters-in-check-digits', {
      'pt-BR': 'Os dois últimos caracteres do CNPJ (dígitos verificadores) são sempre números.',
      en: 'The last two characters of a CNPJ (the check digits) are always digits.',
    });
  }
  if (/^(.)\1{13}$/.test(compact)) {
    return fail('repeated-digits', {
      'pt-BR': 'Esse CNPJ tem todos os dígitos iguais; não é um CNPJ válido.',
      en: 'That CNPJ has all digits equal; it is not a valid CNPJ.',
    });
  }
  const values = [...compact].map((char) => char.charCodeAt(0) - 48);
  const first = computeMod11CheckDigit(values.slice(0, 12), firstWeights);
  const second = computeMod11CheckDigit(values.slice(0, 13), secondWeights);
  if (values[12] !== first || values[13] !== second) {
    return fail('check-digits', {
      'pt-BR': 'Os dígitos verificadores não conferem. Confira o CNPJ e envie de novo.',
      en: 'The check digits do not match. Please check the CNPJ and send it again.',
    });
  }
  return succeed(compact, formatCnpj(compact));
}

/** `12ABC34501DE35` → `12.ABC.345/01DE-35`. */
export function formatCnpj(compact: string): string {
  return `${compact.slice(0, 2)}.${compact.slice(2, 5)}.${compact.slice(5, 8)}/${compact.slice(8, 12)}-${compact.slice(12)}`;
}

export const cnpjValidator: ValidatorDefinition<'cnpj', CnpjOptions, string, CnpjFailureReason> = {
  id: 'cnpj',
  optionsSchema: cnpjOptionsSchema,
  validate: validateCnpj,
};
