import { z } from 'zod';
import { percentile, runClosedLoop } from './closed-loop.js';
import {
  buildSendBody,
  buildSendTarget,
  clientVariants,
  createSender,
} from './http-client-variants.js';
import { runIpcWorker } from './ipc-worker.js';

/**
 * A POST loop to a fake Graph server: Meta text sends with one client variant in a closed loop
 * — a warm-up, then a measured run of a duration or a number of sends. Run in its own process
 * (post-loop-worker.ts) so it can be pinned to a CPU.
 */

export const postLoopRequestSchema = z.object({
  variant: z.enum(clientVariants),
  baseUrl: z.url(),
  concurrency: z.int().min(1),
  warmupSeconds: z.number().min(0),
  /** Measured run: this long, or (when `count` is set) this many sends. */
  durationSeconds: z.number().positive().optional(),
  count: z.int().min(1).optional(),
});
export type PostLoopRequest = z.infer<typeof postLoopRequestSchema>;

export const postLoopResultSchema = z.object({
  completed: z.number(),
  failed: z.number(),
  elapsedMs: z.number(),
  requestsPerSecond: z.number(),
  latencyP50Ms: z.number(),
  latencyP99Ms: z.number(),
  /** CPU this process used during the measured run (user + system). */
  cpuMs: z.number(),
  firstError: z.string().optional(),
});
export type PostLoopResult = z.infer<typeof postLoopResultSchema>;

export async function runPostLoop(request: PostLoopRequest): Promise<PostLoopResult> {
  const sender = createSender(
    request.variant,
    buildSendTarget(request.baseUrl),
    request.concurrency,
  );
  try {
    let sequence = 0;
    const task = async () => {
      await sender.send(buildSendBody(sequence++));
    };
    if (request.warmupSeconds > 0) {
      await runClosedLoop({
        concurrency: request.concurrency,
        durationMs: request.warmupSeconds * 1000,
        task,
      });
    }
    const cpuBefore = process.cpuUsage();
    const result = await runClosedLoop({
      concurrency: request.concurrency,
      total: request.count,
      durationMs: request.count === undefined ? (request.durationSeconds ?? 10) * 1000 : undefined,
      task,
    });
    const cpu = process.cpuUsage(cpuBefore);
    return {
      completed: result.completed,
      failed: result.failed,
      elapsedMs: result.elapsedMs,
      requestsPerSecond: result.completed / (result.elapsedMs / 1000),
      latencyP50Ms: percentile(result.latenciesMs, 50),
      latencyP99Ms: percentile(result.latenciesMs, 99),
      cpuMs: (cpu.user + cpu.system) / 1000,
      firstError: result.firstError,
    };
  } finally {
    await sender.close();
  }
}

export function runPostLoopInWorker(
  request: PostLoopRequest,
  options: { cwd: string; cpu?: number; echo?: boolean },
): Promise<PostLoopResult> {
  return runIpcWorker({
    name: `post-loop (${request.variant})`,
    script: new URL('./post-loop-worker.ts', import.meta.url),
    request,
    resultSchema: postLoopResultSchema,
    ...options,
  });
}
