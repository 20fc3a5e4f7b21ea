import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';

/**
 * One hook at the end of every request: observes `http_request_duration_seconds` by method,
 * route pattern and status (label children cached: resolving labels is most of an
 * observation's cost), and writes one access-log line (Fastify's two lines per request are
 * off). Routes with `logLevel: 'warn'` (health probes) are logged only when they fail.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics) {
  const children = new Map<string, Histogram.Internal<'method' | 'route' | 'status_code'>>();
  app.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpRequestDuration.labels(request.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    request.log[level](
      {
        method: request.method,
        url: request.url,
        route,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
        userId: request.principal?.userId,
      },
      'request completed',
    );
    done(null, payload);
  });
}
