import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { percentile, runClosedLoop } from './closed-loop.js';

describe('runClosedLoop', () => {
  it('runs exactly `total` tasks, each index once, never more than `concurrency` at a time', async () => {
    const seen: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const result = await runClosedLoop({
      concurrency: 4,
      total: 25,
      task: async (index) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await delay(1);
        seen.push(index);
        running -= 1;
      },
    });
    expect(result.completed).toBe(25);
    expect(result.failed).toBe(0);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, index) => index));
    expect(maxRunning).toBe(4);
    expect(result.latenciesMs).toHaveLength(25);
  });

  it('stops starting tasks at the deadline (fake clock) and counts failures apart', async () => {
    let clock = 0;
    const result = await runClosedLoop({
      concurrency: 2,
      durationMs: 10,
      now: () => clock,
      task: async (index) => {
        clock += 1;
        if (index % 3 === 0) throw new Error(`task ${index} failed`);
      },
    });
    // Ten ticks of the fake clock: ten tasks started, every third failed.
    expect(result.completed + result.failed).toBe(10);
    expect(result.failed).toBe(4);
    expect(result.firstError).toBe('task 0 failed');
    expect(result.latenciesMs).toEqual([...result.latenciesMs].sort((a, b) => a - b));
  });

  it('refuses a loop with no end or no lanes', async () => {
    await expect(runClosedLoop({ concurrency: 1, task: async () => {} })).rejects.toThrow(/total/);
    await expect(runClosedLoop({ concurrency: 0, total: 1, task: async () => {} })).rejects.toThrow(
      /concurrency/,
    );
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
