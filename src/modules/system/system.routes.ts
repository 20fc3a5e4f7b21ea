import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertRole } from '../../platform/auth/principal.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import type { Queue } from '../../platform/queue/queue.port.js';
import { type DiagnosticJob, describeProcess, diagnosticJobName } from './system.jobs.js';

const processSchema = z.object({ role: z.string(), pid: z.number().int(), host: z.string() });

export function systemRoutes(deps: {
  queue: Queue;
  events: EventBus;
  role: string;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/system/diagnostics',
      {
        schema: {
          tags: ['system'],
          summary: 'Check the job queue and realtime events end to end (admins)',
          description:
            'Publishes `system.diagnostic.requested` from this API process and enqueues a `system.diagnostic` job; the worker that runs it publishes `system.diagnostic.completed`. Both events reach the WebSocket of every API process.',
          security: bearerSecurity,
          response: {
            202: z.object({ requestId: z.uuid(), jobId: z.string(), acceptedBy: processSchema }),
          },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        assertRole(principal, 'admin');
        const job: DiagnosticJob = {
          requestId: randomUUID(),
          tenantId: principal.tenantId,
          requestedAt: new Date().toISOString(),
        };
        const acceptedBy = describeProcess(deps.role);
        await deps.events.publish({
          type: 'system.diagnostic.requested',
          tenantId: principal.tenantId,
          payload: { requestId: job.requestId, publishedBy: acceptedBy },
        });
        const { id } = await deps.queue.enqueue(diagnosticJobName, job);
        return reply.status(202).send({ requestId: job.requestId, jobId: id, acceptedBy });
      },
    );
  };
}
