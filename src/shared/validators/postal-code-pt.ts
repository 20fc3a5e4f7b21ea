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
 * Portuguese postal code (código postal): `NNNN-NNN`, four digits for the area (1000–9999) and
 * three for the street or delivery point. The locality that follows on an envelope ("1000-001
 * LISBOA") is asked separately by flows, so here only the code is accepted.
 *
 * Accepts dashes, dots and spaces anywhere (or nothing) and a leading "código postal:";
 * value and display are `1000-001`.
 */

export const postalCodePtOptionsSchema = z.strictObject({});
export type PostalCodePtOptions = z.infer<typeof postalCodePtOptionsSchema>;

export type PostalCodePtFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'wrong-length'
  | 'nonexistent-range';

const field = { 'pt-BR': 'o código postal', en: 'the postal code' };

export function validatePostalCodePt(
  input: string,
  _options: PostalCodePtOptions = {},
): ValidationResult<string, PostalCodePtFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['codigo postal', 'cod\\.? postal', 'cp']);
  if (!/^[\d\s.-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR': 'Envie só o código postal, no formato 1234-567.',
      en: 'Send only the postal code, in the format 1234-567.',
    });
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 7) {
    const missingSuffix = digits.length === 4;
    return fail(
      'wrong-length',
      {
        'pt-BR': `O código postal tem 7 dígitos (1234-567); você enviou ${digits.length}.${missingSuffix ? ' Faltam os 3 depois do traço.' : ''}`,
        en: `A postal code has 7 digits (1234-567); you sent ${digits.length}.${missingSuffix ? ' The 3 after the dash are missing.' : ''}`,
      },
      { expected: 7, received: digits.length },
    );
  }
  if (digits.startsWith('0')) {
    return fail('nonexistent-range', {
      'pt-BR': 'Nenhum código postal português começa por 0. Confira e envie de novo.',
      en: 'No Portuguese postal code starts with 0. Please check it and send it again.',
    });
  }
  const formatted = `${digits.slice(0, 4)}-${digits.slice(4)}`;
  return succeed(formatted, formatted);
}

export const postalCodePtValidator: ValidatorDefinition<
  'postal-code-pt',
  PostalCodePtOptions,
  string,
  PostalCodePtFailureReason
> = {
  id: 'postal-code-pt',
  optionsSchema: postalCodePtOptionsSchema,
  validate: validatePostalCodePt,
};
