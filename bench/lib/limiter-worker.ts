/** Worker process of limiter-load.ts: one of the processes sharing a Redis token bucket. */
import { serveOneRequest } from './ipc-worker.js';
import { limiterGoSchema, limiterLoadRequestSchema, runLimiterLoad } from './limiter-load.js';

serveOneRequest(limiterLoadRequestSchema, (request, channel) =>
  runLimiterLoad(request, async () => {
    channel.send({ kind: 'ready' });
    return channel.receive(limiterGoSchema);
  }),
);
