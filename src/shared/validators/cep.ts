import { z } from 'zod';
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
 * CEP (Código de Endereçamento Postal): 8 digits, written `01310-100`. The lowest CEP in use is
 * 01000-000 (São Paulo), so one starting with 00 does not exist. Whether a CEP is assigned to a
 * street needs a lookup service, which a pure validator does not do.
 *
 * Accepts dots, dashes and spaces anywhere and a leading "CEP:"; value and display are
 * `01310-100`.
 */

export const cepOptionsSchema = z.strictObject({});
export type CepOptions = z.infer<typeof cepOptionsSchema>;

export type CepFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'wrong-length'
  | 'nonexistent-range';

const field = { 'pt-BR': 'o CEP', en: 'the CEP' };

export function validateCep(
  input: string,
  _options: CepOptions = {},
): ValidationResult<string, CepFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['cep']);
  if (!/^[\d\s.-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR': 'Envie só o CEP, com 8 números, como 01310-100.',
      en: 'Send only the CEP, 8 digits, like 01310-100.',
    });
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 8) {
    const missingSuffix = digits.length === 5;
    return fail(
      'wrong-length',
      {
        'pt-BR': `O CEP tem 8 dígitos; você enviou ${digits.length}.${missingSuffix ? ' Faltam os 3 depois do traço.' : ''}`,
        en: `A CEP has 8 digits; you sent ${digits.length}.${missingSuffix ? ' The 3 after the dash are missing.' : ''}`,
      },
      { expected: 8, received: digits.length },
    );
  }
  if (digits.startsWith('00')) {
    return fail('nonexistent-range', {
      'pt-BR': 'Não existe CEP começando com 00. Confira o número e envie de novo.',
      en: 'No CEP starts with 00. Please check the number and send it again.',
    });
  }
  const formatted = `${digits.slice(0, 5)}-${digits.slice(5)}`;
  return succeed(formatted, formatted);
}

export const cepValidator: ValidatorDefinition<'cep', CepOptions, string, CepFailureReason> = {
  id: 'cep',
  optionsSchema: cepOptionsSchema,
  validate: validateCep,
};
