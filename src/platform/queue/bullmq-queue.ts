import { randomUUID } from 'node:crypto';
import {
  Queue as BullQueue,
  DelayedError,
  type Job,
  type JobsOptions,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import { Redis } from 'ioredis';
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

export type BullmqQueueOptions = {
  redisUrl: string;
  logger: Logger;
  /** Redis key prefix: one per deployment (and one per test). Default `recado`. */
  prefix?: string;
  /**
   * How long a worker's lock on a running job lasts (renewed at half this while it runs).
   * A crashed worker's jobs go back to waiting after about this long. Default 30 s.
   */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired (stalled). Default 30 s. */
  stalledIntervalMs?: number;
  /** Completed jobs kept per job type for inspection (also at most one day). Default 1,000. */
  keepCompleted?: number;
  /** Failed jobs kept per job type for inspection (also at most 14 days). Default 5,000. */
  keepFailed?: number;
};

/**
 * What a BullMQ job's `data` holds. `attempts` is set only when the caller passed one; otherwise
 * the job type's setting of the worker that runs it applies (a producer may not know it).
 */
type JobEnvelope = { payload: unknown; attempts?: number };

/**
 * Our backoff strategy reads the delay the shared policy decided from this error, so both
 * drivers retry on the same schedule and honour `RetryLaterError` the same way.
 */
class ScheduledRetryError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ScheduledRetryError';
  }
}

const backoffType = 'recado';
/**
 * BullMQ's own attempt limit is set out of the way (unless the caller set one): the shared
 * policy decides, and a final failure is thrown as `UnrecoverableError`.
 */
const unboundedAttempts = 1_000_000;
const defaultCloseTimeoutMs = 10_000;
const defaultIdleTimeoutMs = 30_000;
const idlePollMs = 25;
/** After the drain timeout aborts running jobs, how long to let them hand back before forcing. */
const maxAbortGraceMs = 2_000;
const errorLogIntervalMs = 10_000;

type RegisteredType = {
  handler: JobHandler<unknown>;
  settings: JobTypeSettings;
  worker: Worker<JobEnvelope> | undefined;
};

/**
 * The scaled-out driver: one BullMQ queue per job type on Redis, workers started by `start()`.
 * Delivery is at-least-once (a crashed worker's jobs run again once their lock expires), so
 * handlers must be idempotent, as with every driver.
 */
export function createBullmqQueue(options: BullmqQueueOptions): Queue {
  const prefix = options.prefix ?? 'recado';
  const logger = options.logger.child({ component: 'queue', driver: 'bullmq', prefix });
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const stalledIntervalMs = options.stalledIntervalMs ?? 30_000;
  const keepCompleted = options.keepCompleted ?? 1_000;
  const keepFailed = options.keepFailed ?? 5_000;
  const logError = createThrottledErrorLog(logger);

  // Producers fail fast when Redis is away (the row stays queued and the sweeper retries);
  // workers wait for it (BullMQ requires `maxRetriesPerRequest: null` for them).
  const producer = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 3,
    connectionName: `${prefix}:producer`,
  });
  producer.on('error', (error) => logError('producer', error));
  const workerConnection = new Redis(options.redisUrl, {
    maxRetriesPerRequest: null,
    connectionName: `${prefix}:worker`,
  });
  workerConnection.on('error', (error) => logError('worker-connection', error));

  const queues = new Map<string, BullQueue<JobEnvelope>>();
  const types = new Map<string, RegisteredType>();
  /** Controllers of the jobs running in this process, aborted when the drain timeout expires. */
  const runningControllers = new Set<AbortController>();
  let isStarted = false;
  let isClosing = false;
  let closePromise: Promise<void> | undefined;

  function ensureQueue(name: string): BullQueue<JobEnvelope> {
    let queue = queues.get(name);
    if (!queue) {
      queue = new BullQueue<JobEnvelope>(name, { connection: producer, prefix });
      queue.on('error', (error) => logError(`queue:${name}`, error));
      queues.set(name, queue);
    }
    return queue;
  }

  function createWorker(name: string, type: RegisteredType): Worker<JobEnvelope> {
    const { settings, handler } = type;
    const processJob = async (
      job: Job<JobEnvelope>,
      token: string | undefined,
      signal: AbortSignal | undefined,
    ): Promise<void> => {
      const { payload, attempts } = readEnvelope(job.data);
      const attempt = job.attemptsMade + 1;
      const maxAttempts = attempts ?? settings.attempts;
      const jobId = job.id ?? '';
      const jobLogger = logger.child({ jobName: name, jobId, attempt });
      const controller = new AbortController();
      const abortFromBullmq = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', abortFromBullmq, { once: true });
      runningControllers.add(controller);
      const context: JobContext = {
        id: jobId,
        name,
        attempt,
        maxAttempts,
        logger: jobLogger,
        signal: controller.signal,
      };
      try {
        await handler(payload, context);
        jobLogger.debug('job completed');
      } catch (thrown) {
        const error = normalizeError(thrown);
        if (controller.signal.aborted && isClosing) {
          // Hand the job back without using up an attempt; another worker picks it up.
          jobLogger.warn({ err: error }, 'job aborted at shutdown; handed back to the queue');
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        const decision = decideAfterFailure(thrown, attempt, maxAttempts, settings);
        if (decision.action === 'fail') {
          jobLogger.error({ err: error, reason: decision.reason, maxAttempts }, 'job failed');
          throw new UnrecoverableError(`${decision.reason}: ${error.message}`);
        }
        jobLogger.warn(
          { err: error, retryInMs: decision.delayMs, reason: decision.reason, maxAttempts },
          'job failed; will retry',
        );
        throw new ScheduledRetryError(error.message, decision.delayMs, { cause: thrown });
      } finally {
        signal?.removeEventListener('abort', abortFromBullmq);
        runningControllers.delete(controller);
      }
    };
    const worker = new Worker<JobEnvelope>(name, processJob, {
      connection: workerConnection,
      prefix,
      concurrency: settings.concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
      autorun: true,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          // Only our processor throws retryable errors; anything else (a BullMQ internal
          // failure) falls back to the type's exponential backoff.
          error instanceof ScheduledRetryError
            ? error.delayMs
            : decideFallbackDelay(attemptsMade, settings),
      },
    });
    worker.on('error', (error) => logError(`worker:${name}`, error));
    worker.on('stalled', (jobId) => {
      logger.warn({ jobName: name, jobId }, 'job stalled (its worker died?); moved back to wait');
    });
    return worker;
  }

  async function closeWorkers(timeoutMs: number): Promise<void> {
    const workers = [...types.values()].flatMap((type) => (type.worker ? [type.worker] : []));
    if (workers.length === 0) return;
    // `close()` stops fetching at once and waits for the running jobs.
    const closed = Promise.allSettled(workers.map((worker) => worker.close()));
    if (await settleWithin(closed, timeoutMs)) return;
    logger.warn(
      { running: runningControllers.size },
      'queue closing: drain timeout reached, aborting running jobs',
    );
    for (const controller of runningControllers) {
      controller.abort(new Error('Queue is shutting down'));
    }
    if (await settleWithin(closed, Math.min(maxAbortGraceMs, timeoutMs))) return;
    // A handler ignores its signal: cut the connections. Its job stays active in Redis until
    // its lock expires, then another worker runs it again (at-least-once).
    logger.warn('queue closing: jobs ignored the abort signal; disconnecting workers');
    await Promise.allSettled(workers.map((worker) => worker.disconnect()));
  }

  async function closeQueue(timeoutMs: number): Promise<void> {
    isClosing = true;
    await closeWorkers(timeoutMs);
    await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
    await Promise.allSettled([quitConnection(producer), quitConnection(workerConnection)]);
    logger.debug('queue closed');
  }

  async function countDueDelayed(queue: BullQueue<JobEnvelope>): Promise<number> {
    // BullMQ scores delayed jobs as `dueAt * 0x1000 + n`: count those due by now.
    const maxScore = (Date.now() + 1) * 0x1000 - 1;
    return producer.zcount(queue.toKey('delayed'), 0, maxScore);
  }

  async function isIdle(): Promise<boolean> {
    for (const name of types.keys()) {
      const queue = ensureQueue(name);
      // Due delayed jobs first: a job promoted between the two reads is then seen as waiting
      // or active (or is already finished).
      const dueDelayed = await countDueDelayed(queue);
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
      if (
        dueDelayed + (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0) >
        0
      ) {
        return false;
      }
    }
    return true;
  }

  return {
    driver: 'bullmq',

    async enqueue<TPayload>(
      name: string,
      payload: TPayload,
      enqueueOptions: EnqueueOptions = {},
    ): Promise<EnqueueResult> {
      if (isClosing) throw new Error(`Queue is closed: cannot enqueue "${name}"`);
      assertJobName(name);
      assertEnqueueOptions(enqueueOptions);
      const envelope: JobEnvelope = { payload: normalizePayload(payload) };
      if (enqueueOptions.attempts !== undefined) envelope.attempts = enqueueOptions.attempts;
      const jobId = randomUUID();
      const jobOptions: JobsOptions = {
        jobId,
        attempts: enqueueOptions.attempts ?? unboundedAttempts,
        backoff: { type: backoffType },
        removeOnComplete: { age: 24 * 3600, count: keepCompleted },
        removeOnFail: { age: 14 * 24 * 3600, count: keepFailed },
      };
      if (enqueueOptions.delayMs) jobOptions.delay = Math.ceil(enqueueOptions.delayMs);
      // Without a TTL the key lives until the job completes or fails for good.
      if (enqueueOptions.dedupeKey !== undefined) {
        jobOptions.deduplication = { id: enqueueOptions.dedupeKey };
      }
      const job = await ensureQueue(name).add(name, envelope, jobOptions);
      const id = job.id ?? jobId;
      return { id, deduplicated: id !== jobId };
    },

    process<TPayload>(
      name: string,
      handler: JobHandler<TPayload>,
      processOptions: ProcessOptions = {},
    ): void {
      assertJobName(name);
      if (types.has(name)) throw new Error(`A handler for job "${name}" is already registered`);
      if (isClosing) throw new Error('Queue is closed: cannot register handlers');
      const type: RegisteredType = {
        handler: handler as JobHandler<unknown>,
        settings: resolveJobTypeSettings(processOptions),
        worker: undefined,
      };
      types.set(name, type);
      if (isStarted) type.worker = createWorker(name, type);
    },

    async start(): Promise<void> {
      if (isClosing) throw new Error('Queue is closed: cannot start');
      isStarted = true;
      for (const [name, type] of types) type.worker ??= createWorker(name, type);
      await Promise.all(
        [...types.values()].map((type) => type.worker?.waitUntilReady() ?? Promise.resolve()),
      );
    },

    registeredJobNames(): string[] {
      return [...types.keys()];
    },

    async counts(name: string): Promise<QueueCounts> {
      const counts = await ensureQueue(name).getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'failed',
      );
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async whenIdle(timeoutMs = defaultIdleTimeoutMs): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      // Two idle readings in a row: jobs move between lists in separate Redis calls.
      let idleReadings = 0;
      for (;;) {
        idleReadings = (await isIdle()) ? idleReadings + 1 : 0;
        if (idleReadings >= 2) return;
        if (Date.now() >= deadline) {
          throw new Error(`Queue did not become idle within ${timeoutMs} ms`);
        }
        await sleep(idlePollMs);
      }
    },

    close(timeoutMs = defaultCloseTimeoutMs): Promise<void> {
      closePromise ??= closeQueue(timeoutMs);
      return closePromise;
    },

    async ping(): Promise<void> {
      if (isClosing) throw new Error('Queue is closed');
      await producer.ping();
    },
  };
}

function readEnvelope(data: unknown): JobEnvelope {
  if (typeof data === 'object' && data !== null && 'payload' in data) {
    const attempts = (data as { attempts?: unknown }).attempts;
    return {
      payload: (data as { payload: unknown }).payload,
      ...(typeof attempts === 'number' ? { attempts } : {}),
    };
  }
  // A job added by something other than this driver: its data is the payload.
  return { payload: data };
}

function decideFallbackDelay(attemptsMade: number, settings: JobTypeSettings): number {
  const decision = decideAfterFailure(new Error('fallback'), attemptsMade, Infinity, settings);
  return decision.action === 'retry' ? decision.delayMs : 0;
}

async function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function quitConnection(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  try {
    await settleWithin(connection.quit(), 2_000);
  } finally {
    connection.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Redis errors repeat on every reconnect attempt: log each source at most every 10 s. */
function createThrottledErrorLog(logger: Logger): (source: string, error: Error) => void {
  const lastLoggedAt = new Map<string, number>();
  return (source, error) => {
    const now = Date.now();
    const last = lastLoggedAt.get(source);
    if (last !== undefined && now - last < errorLogIntervalMs) return;
    lastLoggedAt.set(source, now);
    logger.error({ err: error, source }, 'queue connection error');
  };
}
