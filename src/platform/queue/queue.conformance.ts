import { afterEach, describe, expect, it } from 'vitest';
import { type JobContext, PermanentJobError, type Queue, RetryLaterError } from './queue.port.js';

/**
 * The behaviour every queue driver must show (ARCHITECTURE.md §1). `queue.test.ts` runs it on
 * the in-process driver always and on BullMQ in the services run. Delays are tens of
 * milliseconds; assertions wait by polling with generous timeouts, never by fixed sleeps.
 */

export type QueueUnderTest = {
  queue: Queue;
  /** Runs after the queue is closed (e.g. deletes the test's Redis keys). */
  cleanup?: () => Promise<void>;
};

export type QueueFactory = () => Promise<QueueUnderTest>;

const waitTimeoutMs = 10_000;

export function describeQueueConformance(name: string, createQueue: QueueFactory): void {
  describe(`queue conformance: ${name}`, () => {
    const opened: QueueUnderTest[] = [];

    async function openQueue(): Promise<Queue> {
      const underTest = await createQueue();
      opened.push(underTest);
      return underTest.queue;
    }

    afterEach(async () => {
      for (const underTest of opened.splice(0)) {
        await underTest.queue.close(2_000);
        await underTest.cleanup?.();
      }
    });

    it('runs an enqueued job once after start(), with its id, name and attempt', async () => {
      const queue = await openQueue();
      const seen: Array<{ payload: unknown; context: JobContext }> = [];
      queue.process<{ n: number }>('conformance.basic', async (payload, context) => {
        seen.push({ payload, context });
      });

      const result = await queue.enqueue('conformance.basic', { n: 1 });
      expect(result.deduplicated).toBe(false);
      expect(typeof result.id).toBe('string');
      expect(await queue.counts('conformance.basic')).toMatchObject({ waiting: 1, active: 0 });
      expect(seen).toHaveLength(0);

      await queue.start();
      await waitUntil(() => seen.length === 1, 'the job to run');
      await queue.whenIdle(waitTimeoutMs);

      expect(seen).toHaveLength(1);
      const [run] = seen;
      expect(run?.payload).toEqual({ n: 1 });
      expect(run?.context).toMatchObject({
        id: result.id,
        name: 'conformance.basic',
        attempt: 1,
        maxAttempts: 5,
      });
      expect(run?.context.signal.aborted).toBe(false);
      expect(await queue.counts('conformance.basic')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });
    });

    it('delivers the payload as its JSON form, unaffected by later mutation', async () => {
      const queue = await openQueue();
      const received: unknown[] = [];
      queue.process('conformance.payload', async (payload) => {
        received.push(payload);
      });
      await queue.start();

      const payload = {
        text: 'Olá, ação confirmada ✅ — 50 €',
        count: 42,
        ratio: 0.25,
        negative: -7,
        flag: true,
        nothing: null,
        list: [1, 'two', { three: [3] }],
        nested: { deeper: { deepest: 'ok' } },
        at: new Date('2025-01-02T03:04:05.678Z'),
      };
      await queue.enqueue('conformance.payload', payload);
      payload.nested.deeper.deepest = 'mutated after enqueue';

      await waitUntil(() => received.length === 1, 'the job to run');
      expect(received[0]).toEqual({
        text: 'Olá, ação confirmada ✅ — 50 €',
        count: 42,
        ratio: 0.25,
        negative: -7,
        flag: true,
        nothing: null,
        list: [1, 'two', { three: [3] }],
        nested: { deeper: { deepest: 'ok' } },
        at: '2025-01-02T03:04:05.678Z',
      });
    });

    it('does not run a delayed job before its delay', async () => {
      const queue = await openQueue();
      const startedAt = new Map<string, number>();
      queue.process<{ key: string }>(
        'conformance.delay',
        async ({ key }) => {
          startedAt.set(key, Date.now());
        },
        { concurrency: 2 },
      );
      await queue.start();

      const delayMs = 150;
      const enqueuedAt = Date.now();
      await queue.enqueue('conformance.delay', { key: 'delayed' }, { delayMs });
      expect(await queue.counts('conformance.delay')).toMatchObject({ delayed: 1 });
      await queue.enqueue('conformance.delay', { key: 'immediate' });

      await waitUntil(() => startedAt.size === 2, 'both jobs to run');
      const delayedStart = startedAt.get('delayed') ?? 0;
      const immediateStart = startedAt.get('immediate') ?? Number.POSITIVE_INFINITY;
      expect(delayedStart - enqueuedAt).toBeGreaterThanOrEqual(delayMs);
      expect(immediateStart).toBeLessThan(delayedStart);
    });

    it('de-duplicates by key while a job is delayed, waiting or running', async () => {
      const queue = await openQueue();
      const runs: string[] = [];
      const gate = createGate();
      queue.process<{ key: string; run: number }>(
        'conformance.dedupe',
        async ({ key, run }) => {
          runs.push(`${key}#${run}`);
          if (key === 'held') await gate.promise;
        },
        { concurrency: 2 },
      );

      // Delayed, then still waiting (not started): the second enqueue is a no-op.
      const first = await queue.enqueue(
        'conformance.dedupe',
        { key: 'pending', run: 1 },
        { dedupeKey: 'pending', delayMs: 50 },
      );
      const second = await queue.enqueue(
        'conformance.dedupe',
        { key: 'pending', run: 2 },
        { dedupeKey: 'pending' },
      );
      expect(first.deduplicated).toBe(false);
      expect(second).toEqual({ id: first.id, deduplicated: true });

      // Keys are scoped by job name.
      const otherName = await queue.enqueue(
        'conformance.dedupe-other',
        { key: 'pending', run: 1 },
        { dedupeKey: 'pending' },
      );
      expect(otherName.deduplicated).toBe(false);

      // Running: enqueueing the same key while it runs is a no-op too.
      const held = await queue.enqueue(
        'conformance.dedupe',
        { key: 'held', run: 1 },
        { dedupeKey: 'held' },
      );
      await queue.start();
      await waitUntil(() => runs.includes('held#1'), 'the held job to start');
      const whileRunning = await queue.enqueue(
        'conformance.dedupe',
        { key: 'held', run: 2 },
        { dedupeKey: 'held' },
      );
      expect(whileRunning).toEqual({ id: held.id, deduplicated: true });

      gate.open();
      await waitUntil(() => runs.includes('pending#1'), 'the delayed job to run');
      await queue.whenIdle(waitTimeoutMs);

      // Once finished, the key is free again.
      const afterwards = await queue.enqueue(
        'conformance.dedupe',
        { key: 'held', run: 3 },
        { dedupeKey: 'held' },
      );
      expect(afterwards.deduplicated).toBe(false);
      await waitUntil(() => runs.includes('held#3'), 'the re-enqueued job to run');
      await queue.whenIdle(waitTimeoutMs);
      expect(runs.sort()).toEqual(['held#1', 'held#3', 'pending#1']);
    });

    it('retries with exponential backoff, then counts the job as failed', async () => {
      const queue = await openQueue();
      const tries: Array<{ at: number; attempt: number; maxAttempts: number }> = [];
      const backoffMs = 40;
      queue.process(
        'conformance.backoff',
        async (_payload, context) => {
          tries.push({
            at: Date.now(),
            attempt: context.attempt,
            maxAttempts: context.maxAttempts,
          });
          throw new Error('provider unavailable');
        },
        { attempts: 3, backoffMs, maxBackoffMs: 10_000 },
      );
      await queue.start();
      await queue.enqueue('conformance.backoff', {});

      await waitUntil(
        async () => (await queue.counts('conformance.backoff')).failed === 1,
        'the job to fail for good',
      );
      await queue.whenIdle(waitTimeoutMs);

      expect(tries.map((t) => [t.attempt, t.maxAttempts])).toEqual([
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      const [first, second, third] = tries.map((t) => t.at);
      // Base delay doubled each retry, with at most ±25% jitter.
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(backoffMs * 0.75);
      expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(backoffMs * 2 * 0.75);
      expect(await queue.counts('conformance.backoff')).toMatchObject({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 1,
      });
    });

    it('lets enqueue() override the job type attempts', async () => {
      const queue = await openQueue();
      const attempts: number[] = [];
      queue.process(
        'conformance.attempts',
        async (_payload, context) => {
          attempts.push(context.maxAttempts);
          throw new Error('always');
        },
        { attempts: 5, backoffMs: 5 },
      );
      await queue.start();
      await queue.enqueue('conformance.attempts', {}, { attempts: 2 });

      await waitUntil(
        async () => (await queue.counts('conformance.attempts')).failed === 1,
        'the job to fail for good',
      );
      expect(attempts).toEqual([2, 2]);
    });

    it('honours RetryLaterError: retries after its delay instead of the backoff', async () => {
      const queue = await openQueue();
      const tries: number[] = [];
      const retryAfterMs = 150;
      queue.process(
        'conformance.retry-later',
        async (_payload, context) => {
          tries.push(Date.now());
          if (context.attempt === 1) throw new RetryLaterError('rate limited', retryAfterMs);
        },
        // The backoff alone would wait a minute: the test would time out.
        { attempts: 3, backoffMs: 60_000 },
      );
      await queue.start();
      await queue.enqueue('conformance.retry-later', {});

      await waitUntil(() => tries.length === 2, 'the retry');
      await queue.whenIdle(waitTimeoutMs);
      const [first, second] = tries;
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(retryAfterMs);
      expect(tries).toHaveLength(2);
      expect(await queue.counts('conformance.retry-later')).toMatchObject({ failed: 0 });
    });

    it('does not retry after a PermanentJobError', async () => {
      const queue = await openQueue();
      let tries = 0;
      queue.process(
        'conformance.permanent',
        async () => {
          tries += 1;
          throw new PermanentJobError('invalid recipient');
        },
        { attempts: 5, backoffMs: 5 },
      );
      await queue.start();
      await queue.enqueue('conformance.permanent', {});

      await waitUntil(
        async () => (await queue.counts('conformance.permanent')).failed === 1,
        'the job to fail',
      );
      await queue.whenIdle(waitTimeoutMs);
      expect(tries).toBe(1);
    });

    it('never runs more jobs of a type at once than its concurrency', async () => {
      const queue = await openQueue();
      const trackers = { wide: createConcurrencyTracker(), narrow: createConcurrencyTracker() };
      queue.process('conformance.wide', () => trackers.wide.run(40), { concurrency: 3 });
      queue.process('conformance.narrow', () => trackers.narrow.run(40), { concurrency: 1 });
      for (let i = 0; i < 12; i++) await queue.enqueue('conformance.wide', { i });
      for (let i = 0; i < 4; i++) await queue.enqueue('conformance.narrow', { i });
      await queue.start();

      await waitUntil(
        () => trackers.wide.finished === 12 && trackers.narrow.finished === 4,
        'all jobs to finish',
      );
      expect(trackers.wide.max).toBe(3);
      expect(trackers.narrow.max).toBe(1);
    });

    it('close() lets running jobs finish and stops taking new ones', async () => {
      const queue = await openQueue();
      const started: number[] = [];
      const finished: number[] = [];
      let abortedSignals = 0;
      queue.process<{ n: number }>('conformance.drain', async ({ n }, context) => {
        started.push(n);
        await sleep(150);
        if (context.signal.aborted) abortedSignals += 1;
        finished.push(n);
      });
      await queue.start();
      await queue.enqueue('conformance.drain', { n: 1 });
      await waitUntil(() => started.length === 1, 'the first job to start');
      await queue.enqueue('conformance.drain', { n: 2 });

      await queue.close(5_000);

      expect(finished).toEqual([1]);
      expect(started).toEqual([1]);
      expect(abortedSignals).toBe(0);
      await expect(queue.enqueue('conformance.drain', { n: 3 })).rejects.toThrow(/closed/);
    });

    it('close() aborts the signal of jobs that outlive the drain timeout', async () => {
      const queue = await openQueue();
      let started = false;
      let sawAbort = false;
      queue.process('conformance.abort', async (_payload, context) => {
        started = true;
        await new Promise<void>((resolve) => {
          const fallback = setTimeout(resolve, 20_000);
          context.signal.addEventListener('abort', () => {
            clearTimeout(fallback);
            sawAbort = true;
            resolve();
          });
        });
        throw new Error('aborted');
      });
      await queue.start();
      await queue.enqueue('conformance.abort', {});
      await waitUntil(() => started, 'the job to start');

      const closingAt = Date.now();
      await queue.close(100);

      expect(sawAbort).toBe(true);
      expect(Date.now() - closingAt).toBeLessThan(5_000);
    });

    it('whenIdle() waits for waiting and running jobs but not for future ones', async () => {
      const queue = await openQueue();
      let done = 0;
      queue.process('conformance.idle', async () => {
        await sleep(30);
        done += 1;
      });
      await queue.start();
      await queue.enqueue('conformance.idle', {}, { delayMs: 60_000 });
      for (let i = 0; i < 4; i++) await queue.enqueue('conformance.idle', { i });

      await queue.whenIdle(waitTimeoutMs);
      expect(done).toBe(4);
      expect(await queue.counts('conformance.idle')).toMatchObject({ delayed: 1 });
    });

    it('whenIdle() rejects when jobs are still running at its timeout', async () => {
      const queue = await openQueue();
      const gate = createGate();
      let started = false;
      queue.process('conformance.busy', async () => {
        started = true;
        await gate.promise;
      });
      await queue.start();
      await queue.enqueue('conformance.busy', {});
      await waitUntil(() => started, 'the job to start');

      await expect(queue.whenIdle(100)).rejects.toThrow(/idle/);
      gate.open();
      await queue.whenIdle(waitTimeoutMs);
    });
  });
}

/** Polls `condition` until it holds; fails with `what` after the timeout. */
async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = waitTimeoutMs,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function createGate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function createConcurrencyTracker() {
  const tracker = {
    current: 0,
    max: 0,
    finished: 0,
    async run(ms: number): Promise<void> {
      tracker.current += 1;
      tracker.max = Math.max(tracker.max, tracker.current);
      await sleep(ms);
      tracker.current -= 1;
      tracker.finished += 1;
    },
  };
  return tracker;
}
