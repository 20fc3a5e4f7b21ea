import type { Logger } from '../observability/logger.js';
import type { Queue } from './queue.port.js';

/** What worker roles start: sweepers and periodic jobs alike. */
export type PeriodicJob = {
  start(): void;
  stop(): Promise<void>;
  /** One round now (tests, and a sweeper's `sweepOnce`). */
  sweepOnce(): Promise<unknown>;
};

/**
 * Enqueues `jobName` every `intervalMs` in each worker process, de-duplicated by a fixed key:
 * however many workers run the timer, one job of the kind is waiting or running at a time.
 */
export function createPeriodicJob(options: {
  jobName: string;
  intervalMs: number;
  queue: Pick<Queue, 'enqueue'>;
  logger: Logger;
}): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  const enqueue = () =>
    options.queue
      .enqueue(options.jobName, {}, { dedupeKey: `${options.jobName}:periodic` })
      .catch((error: unknown) =>
        options.logger.warn({ err: error, job: options.jobName }, 'periodic job not enqueued'),
      );
  return {
    start() {
      if (timer) return;
      void enqueue();
      timer = setInterval(() => void enqueue(), options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    sweepOnce: enqueue,
  };
}
