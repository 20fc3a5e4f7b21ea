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
 * CPF (Cadastro de Pessoas Físicas): 11 digits, the last two check digits (modulo 11).
 * Accepts dots, dashes and spaces anywhere and a leading "CPF:"; the value is the 11 digits,
 * the display `123.456.789-09`.
 */

export const cpfOptionsSchema = z.strictObject({});
export type CpfOptions = z.infer<typeof cpfOptionsSchema>;

export type CpfFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'wrong-length'
  | 'repeated-digits'
  | 'check-digits';

const field = { 'pt-BR': 'o CPF', en: 'the CPF' };

export function validateCpf(
  input: string,
  _options: CpfOptions = {},
): ValidationResult<string, CpfFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['cpf', 'cpf/mf']);
  if (!/^[\d\s.-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR': 'O CPF tem só números (pontos e traço são opcionais), como 123.456.789-09.',
      en: 'A CPF has digits only (dots and dash optional), like 123.456.789-09.',
    });
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 11) {
    const looksLikeCnpj = digits.length === 14;
    return fail(
      'wrong-length',
      {
        'pt-BR': `O CPF tem 11 dígitos; você enviou ${digits.length}.${looksLikeCnpj ? ' Isso parece um CNPJ.' : ''}`,
        en: `A CPF has 11 digits; you sent ${digits.length}.${looksLikeCnpj ? ' That looks like a CNPJ.' : ''}`,
      },
      { expected: 11, received: digits.length },
    );
  }
  if (/^(\d)\1{10}$/.test(digits)) {
    return fail('repeated-digits', {
      'pt-BR': 'Esse CPF tem todos os dígitos iguais; não é um CPF válido.',
      en: 'That CPF has all digits equal; it is not a valid CPF.',
    });
  }
  const values = [...digits].map(Number);
  const first = computeMod11CheckDigit(values.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = computeMod11CheckDigit(values.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  if (values[9] !== first || values[10] !== second) {
    return fail('check-digits', {
      'pt-BR': 'Os dígitos verificadores não conferem. Confira o número e envie de novo.',
      en: 'The check digits do not match. Please check the number and send it again.',
    });
  }
  return succeed(digits, formatCpf(digits));
}

/** `12345678909` → `123.456.789-09`. */
export function formatCpf(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
}

export const cpfValidator: ValidatorDefinition<'cpf', CpfOptions, string, CpfFailureReason> = {
  id: 'cpf',
  optionsSchema: cpfOptionsSchema,
  validate: validateCpf,
};
