import {
  computeBackoffMs,
  type EnqueueOptions,
  PermanentJobError,
  type ProcessOptions,
  RetryLaterError,
} from './queue.port.js';

/**
 * The rules both drivers share, so that a job behaves the same in embedded and scaled-out mode:
 * option defaults and validation, payload serialization, and what happens after a failure.
 */

export const defaultJobAttempts = 5;
export const defaultBackoffMs = 1_000;
export const defaultMaxBackoffMs = 10 * 60_000;

export type JobTypeSettings = {
  concurrency: number;
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
};

export type FailureDecision =
  | { action: 'retry'; delayMs: number; reason: 'backoff' | 'retry-later' }
  | { action: 'fail'; reason: 'permanent' | 'attempts-exhausted' };

const jobNamePattern = /^[a-z0-9][a-z0-9._-]*$/i;

/** Job names are stable dotted ids (`messages.send`); BullMQ also forbids `:` in queue names. */
export function assertJobName(name: string): void {
  if (!jobNamePattern.test(name)) {
    throw new TypeError(
      `Invalid job name "${name}": use letters, digits, ".", "_" or "-" (e.g. "messages.send")`,
    );
  }
}

export function resolveJobTypeSettings(options: ProcessOptions = {}): JobTypeSettings {
  const settings: JobTypeSettings = {
    concurrency: options.concurrency ?? 1,
    attempts: options.attempts ?? defaultJobAttempts,
    backoffMs: options.backoffMs ?? defaultBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? defaultMaxBackoffMs,
  };
  assertPositiveInteger('concurrency', settings.concurrency);
  assertPositiveInteger('attempts', settings.attempts);
  assertNonNegativeNumber('backoffMs', settings.backoffMs);
  assertNonNegativeNumber('maxBackoffMs', settings.maxBackoffMs);
  return settings;
}

export function assertEnqueueOptions(options: EnqueueOptions): void {
  if (options.delayMs !== undefined) assertNonNegativeNumber('delayMs', options.delayMs);
  if (options.attempts !== undefined) assertPositiveInteger('attempts', options.attempts);
  if (options.dedupeKey !== undefined && options.dedupeKey.length === 0) {
    throw new TypeError('dedupeKey must not be empty');
  }
}

/**
 * Payloads cross a process boundary in the scaled-out mode, so both drivers store the JSON form:
 * a `Date` arrives as a string in either mode, and a caller mutating its object after `enqueue`
 * changes nothing. Anything JSON cannot represent is rejected at enqueue time.
 */
export function normalizePayload<TPayload>(payload: TPayload): TPayload {
  const json = JSON.stringify(payload);
  if (json === undefined) {
    throw new TypeError('Job payload must be JSON-serializable (got undefined or a function)');
  }
  return JSON.parse(json) as TPayload;
}

export function isRetryLaterError(error: unknown): error is RetryLaterError {
  return (
    error instanceof RetryLaterError ||
    (error instanceof Error &&
      error.name === 'RetryLaterError' &&
      typeof (error as { retryAfterMs?: unknown }).retryAfterMs === 'number')
  );
}

export function isPermanentJobError(error: unknown): error is PermanentJobError {
  return (
    error instanceof PermanentJobError ||
    (error instanceof Error && error.name === 'PermanentJobError')
  );
}

/**
 * What to do after try number `attempt` (1-based) failed with `error`. A `RetryLaterError`
 * replaces the backoff with its own delay but still uses up an attempt, so a job that keeps
 * asking for "later" ends as failed instead of looping forever.
 */
export function decideAfterFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  settings: Pick<JobTypeSettings, 'backoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): FailureDecision {
  if (isPermanentJobError(error)) return { action: 'fail', reason: 'permanent' };
  if (attempt >= maxAttempts) return { action: 'fail', reason: 'attempts-exhausted' };
  if (isRetryLaterError(error)) {
    return { action: 'retry', delayMs: Math.max(0, error.retryAfterMs), reason: 'retry-later' };
  }
  return {
    action: 'retry',
    delayMs: computeBackoffMs(attempt, settings.backoffMs, settings.maxBackoffMs, random),
    reason: 'backoff',
  };
}

/** A thrown value as an `Error`, for logs and for drivers that need one. */
export function normalizeError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function assertPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${field} must be a positive integer (got ${value})`);
  }
}

function assertNonNegativeNumber(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`${field} must be a finite number >= 0 (got ${value})`);
  }
}
