import type { z } from 'zod';
import { normalizeText } from './text.js';

/**
 * The one shape every validator answers with. A success carries the normalized value (what is
 * stored in a flow variable) and a display form (what a bot echoes back); a failure carries a
 * stable reason code and a message specific enough for a bot to re-ask helpfully.
 */

export type LocalizedText = { 'pt-BR': string; en: string };

/** Conventions for numbers, dates and defaults (currency, country, time zone). */
export type ValidatorLocale = 'pt-BR' | 'pt-PT';

export type ValidationDetails = Record<string, string | number>;

export type ValidationSuccess<Value> = { ok: true; value: Value; display: string };

export type ValidationFailure<Reason extends string = string> = {
  ok: false;
  reason: Reason;
  message: LocalizedText;
  /** Facts behind the message (expected and received lengths, a suggested e-mail, ...). */
  details?: ValidationDetails;
};

export type ValidationResult<Value, Reason extends string = string> =
  | ValidationSuccess<Value>
  | ValidationFailure<Reason>;

/** Reasons every validator may give. */
export type CommonFailureReason = 'empty' | 'too-long';

export type ValidatorDefinition<Id extends string, Options, Value, Reason extends string> = {
  id: Id;
  /** The options a flow author writes in the flow JSON; checked when the flow is validated. */
  optionsSchema: z.ZodType<Partial<Options>>;
  validate: (input: string, options: Options) => ValidationResult<Value, Reason>;
};

export function succeed<Value>(value: Value, display: string): ValidationSuccess<Value> {
  return { ok: true, value, display };
}

export function fail<Reason extends string>(
  reason: Reason,
  message: LocalizedText,
  details?: ValidationDetails,
): ValidationFailure<Reason> {
  return details ? { ok: false, reason, message, details } : { ok: false, reason, message };
}

/** How a validator names what it asks for, in both languages ("o CPF" / "the CPF"). */
export type FieldName = { 'pt-BR': string; en: string };

/**
 * The checks before any parsing: far more text than any valid answer (refused before the text
 * is even normalized, so a huge message costs nothing), or nothing at all once zero-width
 * characters and spaces are gone. Returns the normalized text otherwise.
 */
export function readInput(
  input: string,
  maxLength: number,
  field: FieldName,
): { text: string } | { failure: ValidationFailure<CommonFailureReason> } {
  if (input.length > maxLength) {
    return {
      failure: fail(
        'too-long',
        {
          'pt-BR': `A mensagem é longa demais para ${field['pt-BR']}. Envie só ${field['pt-BR']}.`,
          en: `The message is too long for ${field.en}. Send only ${field.en}.`,
        },
        { maxLength, received: input.length },
      ),
    };
  }
  const text = normalizeText(input);
  if (text === '') {
    return {
      failure: fail('empty', {
        'pt-BR': `Não recebi nada. Envie ${field['pt-BR']}, por favor.`,
        en: `Nothing was received. Please send ${field.en}.`,
      }),
    };
  }
  return { text };
}
