import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { childError, describeExit, spawnManaged } from './child-processes.js';

/** What the load worker is asked to do: a warm-up run, then the measured run. */
export const loadRequestSchema = z.object({
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  connections: z.int().min(1),
  pipelining: z.int().min(1),
  durationSeconds: z.number().positive(),
  warmupSeconds: z.number().min(0),
});
export type LoadRequest = z.input<typeof loadRequestSchema>;

export const loadResultSchema = z.object({
  requestsPerSecond: z.number(),
  totalRequests: z.number(),
  latencyP50Ms: z.number(),
  latencyP99Ms: z.number(),
  /** Responses outside 2xx (a 429 from the rate limiter shows up here). */
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  statusCodes: z.record(z.string(), z.number()),
  durationSeconds: z.number(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;

export const loadWorkerMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), result: loadResultSchema }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type LoadWorkerMessage = z.infer<typeof loadWorkerMessageSchema>;

const workerPath = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export type RunLoadOptions = {
  /** Pin the load generator to this CPU. */
  cpu?: number;
  cwd: string;
  echo?: boolean;
};

/**
 * Runs autocannon in its own process (so it never shares a core or an event loop with the
 * runner or the server) and returns the measured run's summary.
 */
export async function runLoad(request: LoadRequest, options: RunLoadOptions): Promise<LoadResult> {
  const child = spawnManaged({
    name: 'load-generator',
    command: process.execPath,
    args: ['--import', 'tsx', workerPath],
    cwd: options.cwd,
    cpu: options.cpu,
    ipc: true,
    echo: options.echo,
  });
  const message = new Promise<LoadWorkerMessage>((resolve, reject) => {
    child.process.once('message', (raw: unknown) => {
      const parsed = loadWorkerMessageSchema.safeParse(raw);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`unexpected message from the load generator: ${JSON.stringify(raw)}`));
    });
    void child.exited.then((exit) =>
      reject(childError(child, `the load generator ${describeExit(exit)} without a result.`)),
    );
  });
  try {
    child.process.send(loadRequestSchema.parse(request));
    const answer = await message;
    if (answer.kind === 'error') throw new Error(`load generator: ${answer.message}`);
    return answer.result;
  } finally {
    await child.stop(5_000);
  }
}
