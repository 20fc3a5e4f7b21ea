import { describe, expect, it } from 'vitest';
import { countInRange, findBusiestWindow, measureBucketExcess } from './rate-windows.js';

/** `count` events `stepMs` apart from `fromMs`. */
function evenly(count: number, stepMs: number, fromMs = 0): number[] {
  return Array.from({ length: count }, (_, index) => fromMs + index * stepMs);
}

describe('findBusiestWindow', () => {
  it('counts a perfectly paced 80/s stream as 80 per second (half-open windows)', () => {
    // 12.5 ms apart: events 0 and 80 are exactly 1000 ms apart, so never in one window.
    expect(findBusiestWindow(evenly(4800, 12.5), 1000)).toEqual({ count: 80, startMs: 0 });
  });

  it('finds a burst anywhere, in unsorted input', () => {
    const times = [...evenly(100, 20), ...evenly(10, 1, 1500.5)].reverse();
    // Around 1500 ms: 10 burst events plus the paced ones, 50 per second.
    const busiest = findBusiestWindow(times, 1000);
    expect(busiest.count).toBe(60);
    expect(busiest.startMs).toBeLessThanOrEqual(1500.5);
  });

  it('handles empty and single-event streams', () => {
    expect(findBusiestWindow([], 1000)).toEqual({ count: 0 });
    expect(findBusiestWindow([42], 1000)).toEqual({ count: 1, startMs: 42 });
  });
});

describe('countInRange', () => {
  it('includes the start and excludes the end', () => {
    expect(countInRange([0, 999, 1000, 1001], 0, 1000)).toBe(2);
  });
});

describe('measureBucketExcess', () => {
  const pairRule = { ratePerSecond: 1 / 6, burst: 45 };

  it('accepts a full burst then one per refill period', () => {
    const times = [...evenly(45, 0), ...evenly(10, 6000, 6000)];
    expect(measureBucketExcess(times, pairRule).excess).toBeLessThanOrEqual(0);
  });

  it('scores the events beyond the bucket', () => {
    // 47 at once: two too many.
    expect(measureBucketExcess(evenly(47, 0), pairRule).excess).toBeCloseTo(2);
    // A 46th event only 3 s after a full burst: half a token was there, so half an event over.
    const early = [...evenly(45, 0), 3000];
    expect(measureBucketExcess(early, pairRule).excess).toBeCloseTo(0.5);
  });

  it('finds the violation in the middle of a long conforming stream', () => {
    const paced = evenly(200, 12.5); // 80/s exactly
    const rule = { ratePerSecond: 80, burst: 1 };
    expect(measureBucketExcess(paced, rule).excess).toBeLessThanOrEqual(1e-9);
    const withExtra = [...paced, 1000.1];
    const result = measureBucketExcess(withExtra, rule);
    expect(result.excess).toBeGreaterThan(0.9);
    expect(result.atMs).toBeGreaterThanOrEqual(1000);
  });

  it('forgives rounding within the tolerance', () => {
    // Whole-millisecond slots of an 80/s bucket: 12 or 13 ms apart, never early on average.
    const rounded = evenly(81, 12.5).map((time) => Math.ceil(time));
    const rule = { ratePerSecond: 80, burst: 1 };
    expect(measureBucketExcess(rounded, rule).excess).toBeGreaterThan(0);
    expect(measureBucketExcess(rounded, rule, 1).excess).toBeLessThanOrEqual(0);
  });

  it('gives minus the burst for no events', () => {
    expect(measureBucketExcess([], pairRule).excess).toBe(-45);
  });
});
