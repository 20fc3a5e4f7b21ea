import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createSilentLogger } from '../observability/logger.js';
import { buildDueRowDedupeKey, createDueRowsSweeper, type DueRow } from './due-rows-sweeper.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { EnqueueOptions, Queue } from './queue.port.js';

const stops: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function createRecordingQueue(): {
  queue: Queue;
  enqueued: Array<{ name: string; options?: EnqueueOptions }>;
} {
  const queue = createInProcessQueue({ logger: createSilentLogger() });
  stops.push(() => queue.close(1_000));
  const enqueued: Array<{ name: string; options?: EnqueueOptions }> = [];
  const recording: Queue = {
    ...queue,
    enqueue: (name, payload, options) => {
      enqueued.push({ name, options });
      return queue.enqueue(name, payload, options);
    },
  };
  return { queue: recording, enqueued };
}

function createCapturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

const rows: DueRow[] = [
  { jobName: 'campaigns.send-recipient', id: 'r1', payload: { recipientId: 'r1' } },
  { jobName: 'campaigns.send-recipient', id: 'r2', payload: { recipientId: 'r2' } },
  { jobName: 'flows.wake', id: 'r1', payload: { sessionId: 'r1' } },
];

describe('createDueRowsSweeper', () => {
  it('enqueues each due row once, keyed by job name and row id', async () => {
    const { queue, enqueued } = createRecordingQueue();
    const sweeper = createDueRowsSweeper({
      name: 'test',
      intervalMs: 60_000,
      queue,
      logger: createSilentLogger(),
      findDue: async () => rows,
    });

    expect(await sweeper.sweepOnce()).toEqual({
      found: 3,
      enqueued: 3,
      deduplicated: 0,
      failed: 0,
    });
    expect(enqueued.map((e) => e.options?.dedupeKey)).toEqual([
      'campaigns.send-recipient:r1',
      'campaigns.send-recipient:r2',
      'flows.wake:r1',
    ]);
    // The jobs are still waiting (the queue is not started): a second sweep is a no-op.
    expect(await sweeper.sweepOnce()).toEqual({
      found: 3,
      enqueued: 0,
      deduplicated: 3,
      failed: 0,
    });
    expect(await queue.counts('campaigns.send-recipient')).toMatchObject({ waiting: 2 });
    expect(buildDueRowDedupeKey('flows.wake', 'r1')).toBe('flows.wake:r1');
  });

  it('passes its batch size to findDue', async () => {
    const { queue } = createRecordingQueue();
    const limits: number[] = [];
    const sweeper = createDueRowsSweeper({
      name: 'test',
      intervalMs: 60_000,
      batchSize: 25,
      queue,
      logger: createSilentLogger(),
      findDue: async (limit) => {
        limits.push(limit);
        return [];
      },
    });
    await sweeper.sweepOnce();
    expect(limits).toEqual([25]);
  });

  it('never runs two sweeps at once', async () => {
    const { queue } = createRecordingQueue();
    let calls = 0;
    let release: () => void = () => {};
    const sweeper = createDueRowsSweeper({
      name: 'test',
      intervalMs: 60_000,
      queue,
      logger: createSilentLogger(),
      findDue: async () => {
        calls += 1;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return rows;
      },
    });
    const first = sweeper.sweepOnce();
    const second = sweeper.sweepOnce();
    expect(second).toBe(first);
    await waitUntil(() => calls === 1);
    release();
    expect(await first).toMatchObject({ enqueued: 3 });
    expect(calls).toBe(1);
  });

  it('logs a failing findDue instead of throwing', async () => {
    const { queue } = createRecordingQueue();
    const { logger, lines } = createCapturingLogger();
    const sweeper = createDueRowsSweeper({
      name: 'messages',
      intervalMs: 60_000,
      queue,
      logger,
      findDue: async () => {
        throw new Error('database unavailable');
      },
    });
    expect(await sweeper.sweepOnce()).toEqual({
      found: 0,
      enqueued: 0,
      deduplicated: 0,
      failed: 0,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        sweeper: 'messages',
        err: expect.objectContaining({ message: 'database unavailable' }),
      }),
    );
  });

  it('keeps enqueueing the other rows when one enqueue fails, and logs it', async () => {
    const { queue } = createRecordingQueue();
    const { logger, lines } = createCapturingLogger();
    const flaky: Queue = {
      ...queue,
      enqueue: (name, payload, options) =>
        options?.dedupeKey === 'campaigns.send-recipient:r2'
          ? Promise.reject(new Error('redis down'))
          : queue.enqueue(name, payload, options),
    };
    const sweeper = createDueRowsSweeper({
      name: 'campaigns',
      intervalMs: 60_000,
      queue: flaky,
      logger,
      findDue: async () => rows,
    });
    expect(await sweeper.sweepOnce()).toEqual({
      found: 3,
      enqueued: 2,
      deduplicated: 0,
      failed: 1,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        failed: 1,
        err: expect.objectContaining({ message: 'redis down' }),
      }),
    );
  });

  it('sweeps at start and then every interval, until stopped', async () => {
    const { queue } = createRecordingQueue();
    let calls = 0;
    const sweeper = createDueRowsSweeper({
      name: 'test',
      intervalMs: 20,
      queue,
      logger: createSilentLogger(),
      findDue: async () => {
        calls += 1;
        return [];
      },
    });
    stops.push(() => sweeper.stop());
    sweeper.start();
    sweeper.start(); // idempotent: still one timer chain
    await waitUntil(() => calls >= 4);
    await sweeper.stop();
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(callsAtStop);
  });

  it('stop() waits for the sweep in progress', async () => {
    const { queue } = createRecordingQueue();
    let finished = false;
    let started = false;
    const sweeper = createDueRowsSweeper({
      name: 'test',
      intervalMs: 60_000,
      queue,
      logger: createSilentLogger(),
      findDue: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
        return [];
      },
    });
    sweeper.start();
    await waitUntil(() => started);
    await sweeper.stop();
    expect(finished).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
