import type { Logger } from '../observability/logger.js';

/**
 * The queue port (ARCHITECTURE.md §1). Jobs carry ids, never state: handlers reload rows and
 * must be idempotent, because every driver delivers at least once. Durable state lives in
 * domain tables; a sweeper (due-rows-sweeper.ts) re-enqueues what a crash left behind.
 */

export type EnqueueOptions = {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /**
   * While a job with this key is waiting, delayed or running, enqueueing another one with the
   * same key (and job name) is a no-op that returns the existing job's id.
   */
  dedupeKey?: string;
  /** Total tries including the first. Default: the job type's `attempts`, else 5. */
  attempts?: number;
};

export type EnqueueResult = { id: string; deduplicated: boolean };

export type JobContext = {
  id: string;
  name: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  logger: Logger;
  /** Aborted when the process shuts down and the drain timeout expires. */
  signal: AbortSignal;
};

export type JobHandler<TPayload> = (payload: TPayload, context: JobContext) => Promise<void>;

export type ProcessOptions = {
  /** How many jobs of this type run at once in this process. Default 1. */
  concurrency?: number;
  /** Default attempts for jobs of this type. Default 5. */
  attempts?: number;
  /** Base delay of the exponential backoff (doubled each retry, with ±25% jitter). Default 1 s. */
  backoffMs?: number;
  /** Upper bound of one retry delay. Default 10 minutes. */
  maxBackoffMs?: number;
};

/**
 * Thrown by a handler to say "retry, but not before this delay" (e.g. a provider's Retry-After).
 * The delay replaces the backoff; the try still counts as an attempt, so a job that keeps asking
 * for "later" ends as failed instead of looping forever.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Thrown by a handler to say "this will never succeed": no further attempts. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export type QueueCounts = { waiting: number; active: number; delayed: number; failed: number };

export interface Queue {
  readonly driver: 'in-process' | 'bullmq';
  enqueue<TPayload>(
    name: string,
    payload: TPayload,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;
  /** Registers the handler of a job type. Processing begins with `start()`. */
  process<TPayload>(name: string, handler: JobHandler<TPayload>, options?: ProcessOptions): void;
  /** Starts consuming registered job types (worker roles only). */
  start(): Promise<void>;
  counts(name: string): Promise<QueueCounts>;
  /** Job types with a handler registered in this process. */
  registeredJobNames(): string[];
  /**
   * Resolves when no job of any registered type is waiting, delayed-and-due, or running
   * (a job delayed into the future, including a retry waiting for its backoff, does not count).
   * Rejects after `timeoutMs` (default 30 s). For tests and tools, not for request paths.
   */
  whenIdle(timeoutMs?: number): Promise<void>;
  /**
   * Graceful shutdown: stop taking jobs, let running ones finish within `timeoutMs` (default
   * 10 s), then abort them (they are retried later: at-least-once) and release connections.
   * Afterwards `enqueue` rejects.
   */
  close(timeoutMs?: number): Promise<void>;
  ping(): Promise<void>;
}

/** Exponential backoff with ±25% jitter, capped. `attempt` is the try that just failed (1-based). */
export function computeBackoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = exponential * 0.25 * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(maxMs, exponential + jitter)));
}
