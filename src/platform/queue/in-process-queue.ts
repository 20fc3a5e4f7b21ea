import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import {
  assertEnqueueOptions,
  assertJobName,
  decideAfterFailure,
  type JobTypeSettings,
  normalizeError,
  normalizePayload,
  resolveJobTypeSettings,
} from './job-policy.js';
import type {
  EnqueueOptions,
  EnqueueResult,
  JobContext,
  JobHandler,
  ProcessOptions,
  Queue,
  QueueCounts,
} from './queue.port.js';

/** Time as the in-process queue sees it; tests may pass their own. */
export type QueueClock = {
  now(): number;
  /** Calls `callback` after `delayMs`; returns a function that cancels the call. */
  schedule(callback: () => void, delayMs: number): () => void;
};

export type InProcessQueueOptions = {
  logger: Logger;
  clock?: QueueClock;
};

/**
 * Timers are unref'd: a pending delayed job alone does not keep a process alive (the jobs are
 * not durable anyway; their rows are).
 */
export const systemQueueClock: QueueClock = {
  now: () => Date.now(),
  schedule: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

const defaultCloseTimeoutMs = 10_000;
const defaultIdleTimeoutMs = 30_000;
/** After the drain timeout aborts running jobs, how long to let them unwind before returning. */
const maxAbortGraceMs = 1_000;

type InProcessJob = {
  id: string;
  name: string;
  payload: unknown;
  dedupeKey: string | undefined;
  /** Explicit attempts from `enqueue`; else the job type's setting when it runs. */
  attempts: number | undefined;
  attemptsMade: number;
  dueAt: number;
  cancelTimer: (() => void) | undefined;
};

type RunningJob = {
  job: InProcessJob;
  controller: AbortController;
  settled: Promise<void>;
};

type JobType = {
  name: string;
  handler: JobHandler<unknown> | undefined;
  settings: JobTypeSettings;
  ready: Fifo<InProcessJob>;
  delayed: Set<InProcessJob>;
  running: Map<string, RunningJob>;
  failed: number;
};

type IdleWaiter = { resolve: () => void };

/**
 * The embedded-mode driver: jobs live in this process's memory. It honours the whole port
 * (delays, de-dupe keys, attempts with backoff, per-type concurrency, graceful close) but is not
 * durable by design: after a crash or restart, the sweeper re-enqueues from the domain tables.
 */
export function createInProcessQueue(options: InProcessQueueOptions): Queue {
  const logger = options.logger.child({ component: 'queue', driver: 'in-process' });
  const clock = options.clock ?? systemQueueClock;
  const types = new Map<string, JobType>();
  /** `${name}\n${dedupeKey}` → job id, while the job is waiting, delayed or running. */
  const dedupeIndex = new Map<string, string>();
  const idleWaiters = new Set<IdleWaiter>();
  let isStarted = false;
  let isClosing = false;
  let closePromise: Promise<void> | undefined;

  function ensureType(name: string): JobType {
    let type = types.get(name);
    if (!type) {
      type = {
        name,
        handler: undefined,
        settings: resolveJobTypeSettings(),
        ready: createFifo(),
        delayed: new Set(),
        running: new Map(),
        failed: 0,
      };
      types.set(name, type);
    }
    return type;
  }

  function buildDedupeIndexKey(name: string, dedupeKey: string): string {
    return `${name}\n${dedupeKey}`;
  }

  function releaseDedupeKey(job: InProcessJob): void {
    if (job.dedupeKey === undefined) return;
    const key = buildDedupeIndexKey(job.name, job.dedupeKey);
    if (dedupeIndex.get(key) === job.id) dedupeIndex.delete(key);
  }

  function scheduleJob(type: JobType, job: InProcessJob, delayMs: number): void {
    if (delayMs <= 0) {
      job.dueAt = clock.now();
      type.ready.push(job);
      pump(type);
      return;
    }
    job.dueAt = clock.now() + delayMs;
    type.delayed.add(job);
    armTimer(type, job, delayMs);
  }

  function armTimer(type: JobType, job: InProcessJob, delayMs: number): void {
    job.cancelTimer = clock.schedule(() => {
      job.cancelTimer = undefined;
      if (!type.delayed.has(job)) return;
      // Timers may fire a little early relative to the wall clock: never run before `dueAt`.
      const remainingMs = job.dueAt - clock.now();
      if (remainingMs > 0) {
        armTimer(type, job, remainingMs);
        return;
      }
      type.delayed.delete(job);
      type.ready.push(job);
      pump(type);
      notifyIdleWaiters();
    }, delayMs);
  }

  function pump(type: JobType): void {
    const handler = type.handler;
    if (!isStarted || isClosing || !handler) return;
    while (type.running.size < type.settings.concurrency) {
      const job = type.ready.shift();
      if (!job) return;
      runJob(type, job, handler);
    }
  }

  function runJob(type: JobType, job: InProcessJob, handler: JobHandler<unknown>): void {
    job.attemptsMade += 1;
    const attempt = job.attemptsMade;
    const maxAttempts = job.attempts ?? type.settings.attempts;
    const controller = new AbortController();
    const jobLogger = logger.child({ jobName: job.name, jobId: job.id, attempt });
    const context: JobContext = {
      id: job.id,
      name: job.name,
      attempt,
      maxAttempts,
      logger: jobLogger,
      signal: controller.signal,
    };
    // Registered before the handler starts (it runs on a microtask), so a handler that enqueues
    // synchronously cannot push this type past its concurrency.
    const running: RunningJob = { job, controller, settled: Promise.resolve() };
    type.running.set(job.id, running);
    running.settled = Promise.resolve()
      .then(() => handler(job.payload, context))
      .then(
        () => {
          jobLogger.debug('job completed');
          releaseDedupeKey(job);
        },
        (thrown: unknown) => {
          const error = normalizeError(thrown);
          if (controller.signal.aborted && isClosing) {
            jobLogger.warn(
              { err: error },
              'job aborted at shutdown; its row will be picked up again by the sweeper',
            );
            releaseDedupeKey(job);
            return;
          }
          const decision = decideAfterFailure(thrown, attempt, maxAttempts, type.settings);
          if (decision.action === 'fail') {
            type.failed += 1;
            releaseDedupeKey(job);
            jobLogger.error({ err: error, reason: decision.reason, maxAttempts }, 'job failed');
            return;
          }
          if (isClosing) {
            releaseDedupeKey(job);
            jobLogger.warn(
              { err: error },
              'job failed during shutdown; not retried here, the sweeper will re-enqueue it',
            );
            return;
          }
          jobLogger.warn(
            { err: error, retryInMs: decision.delayMs, reason: decision.reason, maxAttempts },
            'job failed; will retry',
          );
          scheduleJob(type, job, decision.delayMs);
        },
      )
      .catch((error: unknown) => {
        // Only a bug in the code above can land here; never let it become an unhandled rejection.
        jobLogger.error({ err: normalizeError(error) }, 'queue bookkeeping failed');
      })
      .finally(() => {
        type.running.delete(job.id);
        pump(type);
        notifyIdleWaiters();
      });
  }

  function isIdle(): boolean {
    const now = clock.now();
    for (const type of types.values()) {
      if (!type.handler) continue;
      if (type.running.size > 0) return false;
      if (!isClosing && type.ready.size > 0) return false;
      for (const job of type.delayed) if (job.dueAt <= now) return false;
    }
    return true;
  }

  function notifyIdleWaiters(): void {
    if (idleWaiters.size === 0 || !isIdle()) return;
    for (const waiter of idleWaiters) waiter.resolve();
    idleWaiters.clear();
  }

  function dropQueuedJobs(): number {
    let dropped = 0;
    for (const type of types.values()) {
      for (let job = type.ready.shift(); job; job = type.ready.shift()) {
        releaseDedupeKey(job);
        dropped += 1;
      }
      for (const job of type.delayed) {
        job.cancelTimer?.();
        releaseDedupeKey(job);
        dropped += 1;
      }
      type.delayed.clear();
    }
    return dropped;
  }

  function collectRunning(): RunningJob[] {
    return [...types.values()].flatMap((type) => [...type.running.values()]);
  }

  async function waitFor(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
    let cancel: (() => void) | undefined;
    const timedOut = new Promise<false>((resolve) => {
      cancel = clock.schedule(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([promise.then(() => true as const), timedOut]);
    } finally {
      cancel?.();
    }
  }

  async function closeQueue(timeoutMs: number): Promise<void> {
    isClosing = true;
    const dropped = dropQueuedJobs();
    if (dropped > 0) {
      logger.info({ dropped }, 'queue closing: dropped jobs that had not started (not durable)');
    }
    const running = collectRunning();
    if (running.length > 0) {
      logger.info({ running: running.length, timeoutMs }, 'queue closing: draining running jobs');
      const allSettled = Promise.allSettled(running.map((entry) => entry.settled));
      const drained = await waitFor(allSettled, timeoutMs);
      if (!drained) {
        const stillRunning = collectRunning();
        logger.warn(
          { running: stillRunning.length },
          'queue closing: drain timeout reached, aborting running jobs',
        );
        for (const entry of stillRunning) {
          entry.controller.abort(new Error('Queue is shutting down'));
        }
        await waitFor(
          Promise.allSettled(stillRunning.map((entry) => entry.settled)),
          Math.min(maxAbortGraceMs, timeoutMs),
        );
      }
    }
    notifyIdleWaiters();
    logger.debug('queue closed');
  }

  return {
    driver: 'in-process',

    async enqueue<TPayload>(
      name: string,
      payload: TPayload,
      enqueueOptions: EnqueueOptions = {},
    ): Promise<EnqueueResult> {
      if (isClosing) throw new Error(`Queue is closed: cannot enqueue "${name}"`);
      assertJobName(name);
      assertEnqueueOptions(enqueueOptions);
      const data = normalizePayload(payload);
      const { dedupeKey } = enqueueOptions;
      if (dedupeKey !== undefined) {
        const existingId = dedupeIndex.get(buildDedupeIndexKey(name, dedupeKey));
        if (existingId !== undefined) return { id: existingId, deduplicated: true };
      }
      const job: InProcessJob = {
        id: randomUUID(),
        name,
        payload: data,
        dedupeKey,
        attempts: enqueueOptions.attempts,
        attemptsMade: 0,
        dueAt: clock.now(),
        cancelTimer: undefined,
      };
      if (dedupeKey !== undefined) dedupeIndex.set(buildDedupeIndexKey(name, dedupeKey), job.id);
      scheduleJob(ensureType(name), job, enqueueOptions.delayMs ?? 0);
      return { id: job.id, deduplicated: false };
    },

    process<TPayload>(
      name: string,
      handler: JobHandler<TPayload>,
      processOptions: ProcessOptions = {},
    ): void {
      assertJobName(name);
      if (isClosing) throw new Error('Queue is closed: cannot register handlers');
      const type = ensureType(name);
      if (type.handler) throw new Error(`A handler for job "${name}" is already registered`);
      type.settings = resolveJobTypeSettings(processOptions);
      type.handler = handler as JobHandler<unknown>;
      pump(type);
    },

    async start(): Promise<void> {
      if (isClosing) throw new Error('Queue is closed: cannot start');
      isStarted = true;
      for (const type of types.values()) pump(type);
    },

    registeredJobNames(): string[] {
      return [...types.values()].filter((type) => type.handler).map((type) => type.name);
    },

    async counts(name: string): Promise<QueueCounts> {
      const type = types.get(name);
      if (!type) return { waiting: 0, active: 0, delayed: 0, failed: 0 };
      return {
        waiting: type.ready.size,
        active: type.running.size,
        delayed: type.delayed.size,
        failed: type.failed,
      };
    },

    whenIdle(timeoutMs = defaultIdleTimeoutMs): Promise<void> {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const cancelTimeout = clock.schedule(() => {
          idleWaiters.delete(waiter);
          reject(new Error(`Queue did not become idle within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: IdleWaiter = {
          resolve: () => {
            cancelTimeout();
            resolve();
          },
        };
        idleWaiters.add(waiter);
      });
    },

    close(timeoutMs = defaultCloseTimeoutMs): Promise<void> {
      closePromise ??= closeQueue(timeoutMs);
      return closePromise;
    },

    async ping(): Promise<void> {
      if (isClosing) throw new Error('Queue is closed');
    },
  };
}

/** A FIFO with O(1) push and shift (an array's `shift` is O(n) on large backlogs). */
type Fifo<T> = {
  readonly size: number;
  push(item: T): void;
  shift(): T | undefined;
};

function createFifo<T>(): Fifo<T> {
  let items: Array<T | undefined> = [];
  let head = 0;
  return {
    get size() {
      return items.length - head;
    },
    push(item) {
      items.push(item);
    },
    shift() {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head] = undefined;
      head += 1;
      if (head >= 1024 && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
  };
}
