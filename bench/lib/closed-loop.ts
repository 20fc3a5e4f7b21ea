/**
 * A closed loop: `concurrency` lanes, each starting its next task as soon as its last one
 * settles, until `total` tasks have started or `durationMs` has passed. What a worker pool with
 * a fixed concurrency does (the outbound engine sends 16 at a time per process).
 */

export type ClosedLoopOptions = {
  concurrency: number;
  /** Stop starting tasks after this many. */
  total?: number;
  /** Stop starting tasks after this long. */
  durationMs?: number;
  task: (index: number) => Promise<void>;
  now?: () => number;
};

export type ClosedLoopResult = {
  completed: number;
  failed: number;
  /** From the first start to the last settle. */
  elapsedMs: number;
  /** Latency of every completed task, ascending. */
  latenciesMs: number[];
  firstError?: string;
};

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { total, durationMs } = options;
  if (total === undefined && durationMs === undefined) {
    throw new Error('runClosedLoop needs a total, a duration or both');
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new Error('concurrency must be an integer >= 1');
  }
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + durationMs;
  const latenciesMs: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;

  const lane = async () => {
    for (;;) {
      if (total !== undefined && next >= total) return;
      if (now() >= deadline) return;
      const index = next;
      next += 1;
      const taskStartedAt = now();
      try {
        await options.task(index);
        latenciesMs.push(now() - taskStartedAt);
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  latenciesMs.sort((a, b) => a - b);
  return {
    completed: latenciesMs.length,
    failed,
    elapsedMs: now() - startedAt,
    latenciesMs,
    firstError,
  };
}

/** Nearest-rank percentile of ascending `sorted` values (p in 0..100); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}
