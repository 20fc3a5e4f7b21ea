import { Gauge, type Registry } from 'prom-client';
import type { Queue } from './queue.port.js';

/**
 * `recado_queue_jobs{job, state}`: jobs waiting, active, delayed and failed per job type, read
 * from the queue at scrape time. With BullMQ every process reports the same shared counts, so
 * aggregate with max(), not sum().
 */
export function registerQueueMetrics(registry: Registry, queue: Queue): void {
  new Gauge({
    name: 'recado_queue_jobs',
    help: 'Jobs by job type and state (waiting, active, delayed, failed), read at scrape time.',
    labelNames: ['job', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const job of queue.registeredJobNames()) {
        const counts = await queue.counts(job).catch(() => undefined);
        if (!counts) continue;
        for (const [state, value] of Object.entries(counts)) this.set({ job, state }, value);
      }
    },
  });
}
