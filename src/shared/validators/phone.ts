import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { normalizePhone } from '../messaging/phone.js';
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
 * Phone numbers, Brazilian and Portuguese first. Parsing is `normalizePhone` from
 * `shared/messaging/phone.ts` (libphonenumber's full metadata, Brazilian mobiles without the
 * ninth digit repaired); this adds the chat side: a leading "celular:", the `00` international
 * prefix, and reasons a person can act on (the missing DDD, a landline where a mobile is
 * needed, a country not served). The value is E.164 (`+5511987654321`), the display the
 * international format (`+55 11 98765 4321`).
 */

export const phoneOptionsSchema = z.strictObject({
  locale: z.enum(['pt-BR', 'pt-PT']).optional(),
  /** The country of a number typed without `+` (default BR; PT when the locale is pt-PT). */
  defaultCountry: z.enum(['BR', 'PT']).optional(),
  /** Only numbers of these countries (ISO 3166 alpha-2); any country when absent. */
  allowedCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .min(1)
    .max(250)
    .optional(),
  /** Refuse landlines (numbers that can only be fixed lines). */
  mobileOnly: z.boolean().optional(),
});
export type PhoneOptions = z.infer<typeof phoneOptionsSchema>;

export type PhoneFailureReason =
  | CommonFailureReason
  | 'not-a-number'
  | 'missing-area-code'
  | 'too-short'
  | 'invalid'
  | 'country-not-allowed'
  | 'not-mobile';

const field = { 'pt-BR': 'o número de telefone', en: 'the phone number' };
const labels = [
  'telefone',
  'tel\\.?',
  'fone',
  'celular',
  'cel\\.?',
  'telemovel',
  'whats\\s?app',
  'whats',
  'zap',
  'numero',
  'contato',
];

export function validatePhone(
  input: string,
  options: PhoneOptions = {},
): ValidationResult<string, PhoneFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const defaultCountry = options.defaultCountry ?? (options.locale === 'pt-PT' ? 'PT' : 'BR');
  const text = stripLeadingLabel(read.text, labels).replace(/^00(?=[1-9])/, '+');
  if (!/^[+\d\s().-]+$/.test(text) || !/\d/.test(text)) {
    return fail('not-a-number', {
      'pt-BR': 'Envie só o número de telefone, com DDD, como (11) 98765-4321.',
      en: 'Send only the phone number, with the area code, like +55 11 98765-4321.',
    });
  }
  const digitCount = text.replace(/\D/g, '').length;
  const isInternational = text.startsWith('+');
  if (!isInternational && defaultCountry === 'BR' && (digitCount === 8 || digitCount === 9)) {
    return fail('missing-area-code', {
      'pt-BR': 'Faltou o DDD. Envie o número com DDD, como (11) 98765-4321.',
      en: 'The area code (DDD) is missing. Send the number with it, like (11) 98765-4321.',
    });
  }
  if (digitCount < 8) {
    return fail(
      'too-short',
      {
        'pt-BR': `Esse número tem só ${digitCount} ${digitCount === 1 ? 'dígito' : 'dígitos'}; falta algum. Envie o número completo.`,
        en: `That number has only ${digitCount} ${digitCount === 1 ? 'digit' : 'digits'}. Please send the whole number.`,
      },
      { received: digitCount },
    );
  }
  const parsed = normalizePhone(text, defaultCountry);
  if (!parsed.ok) {
    return fail('invalid', {
      'pt-BR':
        defaultCountry === 'PT' && !isInternational
          ? 'Esse número de telefone não existe. Confira os 9 dígitos, como 912 345 678.'
          : 'Esse número de telefone não existe. Confira o DDD e os dígitos, como (11) 98765-4321.',
      en: 'That phone number does not exist. Please check the area code and the digits.',
    });
  }
  const country = parsed.country ?? '';
  if (options.allowedCountries && !options.allowedCountries.includes(country)) {
    const allowed = options.allowedCountries.join(', ');
    return fail(
      'country-not-allowed',
      {
        'pt-BR': `Aqui só aceitamos números destes países: ${allowed}.`,
        en: `Only numbers from these countries are accepted here: ${allowed}.`,
      },
      { country, allowed },
    );
  }
  if (options.mobileOnly && !parsed.isMobile) {
    return fail('not-mobile', {
      'pt-BR': 'Esse número é de telefone fixo. Envie um número de celular.',
      en: 'That is a landline number. Please send a mobile number.',
    });
  }
  const display = parsePhoneNumberFromString(parsed.e164)?.formatInternational() ?? parsed.e164;
  return succeed(parsed.e164, display);
}

export const phoneValidator: ValidatorDefinition<
  'phone',
  PhoneOptions,
  string,
  PhoneFailureReason
> = {
  id: 'phone',
  optionsSchema: phoneOptionsSchema,
  validate: validatePhone,
};
