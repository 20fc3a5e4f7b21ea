import { z } from 'zod';
import type { BlockContext, FlowValue, ResumeInput, Step, Variables, WaitState } from '../types.js';
import { variableNameSchema } from './variable-paths.js';

/**
 * What the blocks that wait for an effect's result share (`action.http`, `action.call`): the
 * `error` port and the optional `errorVariable`, which receives
 * `{ code, message, status }` (`status` is the HTTP status, or null) when the action fails.
 * `error` without an edge goes on through `next`, so a flow that stores the error can test it
 * with `logic.condition` instead of wiring the port.
 */

export const errorPort = 'error';

export const errorVariableOption = {
  /** Receives `{ code, message, status }` when the action fails. */
  errorVariable: variableNameSchema.optional(),
};

export type ActionError = { code: string; message: string; status: number | null };

export function failure(
  context: BlockContext<{ errorVariable?: string | undefined }>,
  error: ActionError,
  event: string,
): Step {
  const { errorVariable } = context.options;
  const detail: Record<string, FlowValue> = { code: error.code, status: error.status };
  return {
    ...(errorVariable ? { set: { [errorVariable]: error } satisfies Variables } : {}),
    next: { go: errorPort },
    log: { event, detail },
  };
}

/**
 * The result this block waits for, or a step that keeps waiting for anything else (the
 * runtime defers messages while an effect is pending; this is the belt to its braces).
 */
export function awaitedResult(
  input: ResumeInput,
  waiting: WaitState,
):
  | { result: Extract<ResumeInput, { kind: 'effect-result' }>['result']; step?: never }
  | { step: Step; result?: never } {
  if (
    input.kind === 'effect-result' &&
    (waiting.key === undefined || waiting.key === input.effectId)
  ) {
    return { result: input.result };
  }
  return {
    step: {
      next:
        waiting.data === undefined
          ? { wait: 'effect', attempts: waiting.attempts }
          : { wait: 'effect', attempts: waiting.attempts, data: waiting.data },
    },
  };
}

export const actionNamePattern = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

export const actionNameSchema = z
  .string()
  .regex(actionNamePattern, 'is "<module>.<verb>", e.g. "expenses.start-trip"');
