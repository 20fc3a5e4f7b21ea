import type { Logger } from '../observability/logger.js';
import { normalizeError } from './job-policy.js';
import type { Queue } from './queue.port.js';

/** A row whose work is due (or stuck) and the job that does it. */
export type DueRow = {
  jobName: string;
  /** The row's id; with `jobName` it forms the de-dupe key. */
  id: string;
  /** What the job carries: ids, never state (the handler reloads the row). */
  payload: unknown;
};

export type DueRowsSweeperOptions = {
  /** Names the sweeper in logs, e.g. `messages`. */
  name: string;
  intervalMs: number;
  queue: Pick<Queue, 'enqueue'>;
  logger: Logger;
  /**
   * Returns at most `limit` rows that are due or stuck, oldest first (see `findDueRowIds` in
   * due-rows-sql.ts). Rows stay due until their handler finishes them, so the same rows come
   * back on every sweep until then: re-enqueueing them is a de-duplicated no-op.
   */
  findDue: (limit: number) => Promise<DueRow[]>;
  /** Rows read per sweep. Default 500. */
  batchSize?: number;
};

export type SweepResult = {
  found: number;
  enqueued: number;
  /** Already waiting, delayed or running: nothing to do. */
  deduplicated: number;
  failed: number;
};

export type DueRowsSweeper = {
  /** Sweeps now, then every `intervalMs` after the previous sweep ended. */
  start(): void;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
  /** One sweep; if one is already running, returns that one's result. Never rejects. */
  sweepOnce(): Promise<SweepResult>;
};

/** The de-dupe key of a row's job; whoever enqueues the row's first job must use it too. */
export function buildDueRowDedupeKey(jobName: string, id: string): string {
  return `${jobName}:${id}`;
}

/**
 * Durability for both queue drivers (ARCHITECTURE.md §1): the queue may lose jobs (in-process
 * driver on restart, Redis data loss), the tables do not. Periodically re-enqueues rows that are
 * due or stuck, keyed so that a row with a job already in the queue is not enqueued twice.
 * Runs never overlap; errors are logged, never thrown out of the timer.
 */
export function createDueRowsSweeper(options: DueRowsSweeperOptions): DueRowsSweeper {
  const logger = options.logger.child({ component: 'sweeper', sweeper: options.name });
  const batchSize = options.batchSize ?? 500;
  if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) {
    throw new TypeError(`intervalMs must be > 0 (got ${options.intervalMs})`);
  }
  let timer: NodeJS.Timeout | undefined;
  /** Bumped by start() and stop(), so a chain from an earlier start() never reschedules. */
  let generation = 0;
  let isRunning = false;
  let inFlight: Promise<SweepResult> | undefined;

  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { found: 0, enqueued: 0, deduplicated: 0, failed: 0 };
    let rows: DueRow[];
    try {
      rows = await options.findDue(batchSize);
    } catch (error) {
      logger.error({ err: normalizeError(error) }, 'sweep failed: could not read due rows');
      return result;
    }
    result.found = rows.length;
    let firstError: Error | undefined;
    for (const row of rows) {
      try {
        const { deduplicated } = await options.queue.enqueue(row.jobName, row.payload, {
          dedupeKey: buildDueRowDedupeKey(row.jobName, row.id),
        });
        if (deduplicated) result.deduplicated += 1;
        else result.enqueued += 1;
      } catch (error) {
        result.failed += 1;
        firstError ??= normalizeError(error);
      }
    }
    if (result.failed > 0) {
      logger.error({ err: firstError, ...result }, 'sweep could not enqueue some due rows');
    } else if (result.enqueued > 0) {
      // Normal after a restart; steadily non-zero means jobs are being lost somewhere.
      logger.info(result, 'sweep re-enqueued due rows');
    } else {
      logger.debug(result, 'sweep found nothing to re-enqueue');
    }
    return result;
  }

  function sweepOnce(): Promise<SweepResult> {
    inFlight ??= sweep().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function runAndReschedule(chain: number): void {
    void sweepOnce().then(() => {
      if (!isRunning || chain !== generation) return;
      timer = setTimeout(() => {
        timer = undefined;
        runAndReschedule(chain);
      }, options.intervalMs);
      timer.unref();
    });
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      generation += 1;
      runAndReschedule(generation);
    },
    async stop() {
      isRunning = false;
      generation += 1;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    sweepOnce,
  };
}
