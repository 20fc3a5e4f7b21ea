/**
 * Load generator process (started by load-generator.ts, usually pinned with taskset).
 * Receives one LoadRequest over IPC, runs autocannon (warm-up, then measured run) and sends
 * back a LoadWorkerMessage. Exits when the parent goes away.
 */
import autocannon, { type AutocannonResult } from 'autocannon';
import { type LoadResult, type LoadWorkerMessage, loadRequestSchema } from './load-generator.js';

function summarize(result: AutocannonResult): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats))
    statusCodes[code] = stats.count;
  return {
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    durationSeconds: result.duration,
  };
}

function reply(message: LoadWorkerMessage): void {
  process.send?.(message, () => process.disconnect());
}

process.on('disconnect', () => process.exit(0));

process.once('message', async (raw: unknown) => {
  try {
    const request = loadRequestSchema.parse(raw);
    const common = {
      url: request.url,
      headers: request.headers,
      connections: request.connections,
      pipelining: request.pipelining,
    };
    if (request.warmupSeconds > 0) await autocannon({ ...common, duration: request.warmupSeconds });
    const result = await autocannon({ ...common, duration: request.durationSeconds });
    reply({ kind: 'result', result: summarize(result) });
  } catch (error) {
    reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
