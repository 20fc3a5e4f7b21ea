import { runValidator, type ValidatorId } from '../../shared/validators/index.js';
import type { BlockContext, BlockExecutor, FlowValue } from '../types.js';
import {
  ask,
  type InputBaseOptions,
  notTextReason,
  type Reading,
  receive,
  textOf,
} from './input-common.js';

/**
 * Inputs backed by one shared validator (`input.email`, `input.phone`, `input.date`,
 * `input.amount`): the block's options are the input's own (prompt, variable, attempts) plus
 * the validator's, written flat beside them. The answer goes through `runValidator` with the
 * flow's clock, locale and time zone; the value stored is the validator's normalized value, and
 * a refusal re-asks with the validator's own reason.
 */

/** The validator's options: everything in the block's options but the input's own. */
export function validatorOptionsOf(options: InputBaseOptions): Record<string, unknown> {
  const { prompt: _p, variable: _v, maxAttempts: _m, retryPrompt: _r, ...rest } = options;
  return rest;
}

/** Reads a text answer with the validator `id`. */
export function readWithValidator(
  context: BlockContext<InputBaseOptions>,
  id: ValidatorId,
  text: string | undefined,
): Reading {
  if (text === undefined) {
    return { ok: false, code: 'not-text', reason: context.text(notTextReason) };
  }
  const result = runValidator(id, text, validatorOptionsOf(context.options), {
    now: context.env.now,
    // Validators know pt-BR and pt-PT conventions; an English flow keeps their defaults.
    ...(context.locale === 'en' ? {} : { locale: context.locale }),
    timeZone: context.timeZone,
  });
  if (result.ok) return { ok: true, value: result.value as FlowValue };
  return {
    ok: false,
    code: result.reason,
    // Validators speak Portuguese (written for Brazil, read well in Portugal) and English.
    reason: context.locale === 'en' ? result.message.en : result.message['pt-BR'],
  };
}

/** The executor of a validator-backed input: ask, then read each answer with `id`. */
export function createValidatorInputExecutor<Options extends InputBaseOptions>(
  id: ValidatorId,
): BlockExecutor<Options> {
  return {
    enter: (context) => ask(context),
    resume: (context, input, waiting) =>
      receive(context, input, waiting, ({ content }) =>
        readWithValidator(context, id, textOf(content)),
      ),
  };
}
