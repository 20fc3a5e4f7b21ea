import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { DatabaseHandle } from '../platform/db/database.js';
import type { Metrics } from '../platform/observability/metrics.js';
import type { Queue } from '../platform/queue/queue.port.js';

const checkTimeoutMs = 3000;

async function runCheck(check: () => Promise<unknown>): Promise<'ok' | 'failing'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), checkTimeoutMs);
      }),
    ]);
    return 'ok';
  } catch {
    return 'failing';
  } finally {
    clearTimeout(timer);
  }
}

/** `/health/live` (the process answers), `/health/ready` (its dependencies answer), `/metrics`. */
export function healthRoutes(deps: {
  database: DatabaseHandle;
  queue: Queue;
  redis?: Redis | undefined;
  metrics: Metrics;
  config: { METRICS_ENABLED: boolean };
}): FastifyPluginAsyncZod {
  const noLimit = { rateLimit: false } as const;
  // Probes hit these every few seconds: log them only when something goes wrong.
  const logLevel = 'warn';
  return async (app) => {
    app.get(
      '/health/live',
      {
        logLevel,
        config: noLimit,
        // No response schema: the zod serializer would double this probe's cost.
        schema: { tags: ['health'], description: 'The process answers: `{ "status": "ok" }`.' },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        logLevel,
        config: noLimit,
        schema: {
          tags: ['health'],
          description: 'Checks the database, and Redis when configured. 503 when one fails.',
        },
      },
      async (_request, reply) => {
        const checks: Record<string, 'ok' | 'failing'> = {
          database: await runCheck(() => deps.database.ping()),
          queue: await runCheck(() => deps.queue.ping()),
        };
        const redis = deps.redis;
        if (redis) checks.redis = await runCheck(() => redis.ping());
        const ready = Object.values(checks).every((state) => state === 'ok');
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'failing', checks });
      },
    );

    if (deps.config.METRICS_ENABLED) {
      app.get(
        '/metrics',
        { logLevel, config: noLimit, schema: { hide: true } },
        async (_request, reply) =>
          reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
      );
    }
  };
}
