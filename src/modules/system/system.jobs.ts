import { hostname } from 'node:os';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Queue } from '../../platform/queue/queue.port.js';

export const diagnosticJobName = 'system.diagnostic';

export type DiagnosticJob = { requestId: string; tenantId: string; requestedAt: string };

/** Where a piece of work ran: proves which process handled it in a scaled deployment. */
export function describeProcess(role: string) {
  return { role, pid: process.pid, host: hostname() };
}

/**
 * `system.diagnostic`: a round trip through the queue and the event bus. The worker that takes
 * the job publishes `system.diagnostic.completed` to the requesting tenant, with its own
 * process identity and the queue latency.
 */
export function registerSystemJobs(deps: { queue: Queue; events: EventBus; role: string }) {
  deps.queue.process<DiagnosticJob>(
    diagnosticJobName,
    async (job) => {
      await deps.events.publish({
        type: 'system.diagnostic.completed',
        tenantId: job.tenantId,
        payload: {
          requestId: job.requestId,
          handledBy: describeProcess(deps.role),
          queueLatencyMs: Date.now() - new Date(job.requestedAt).getTime(),
        },
      });
    },
    { concurrency: 4, attempts: 3 },
  );
}
