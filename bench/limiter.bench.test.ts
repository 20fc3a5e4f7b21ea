import { describe, expect, it } from 'vitest';
import { analyzeStream, parseLimiterBenchArgs } from './limiter.bench.js';

describe('parseLimiterBenchArgs', () => {
  it('defaults to two workers at 80/s for 60 s with 16 senders each, no headroom', () => {
    expect(parseLimiterBenchArgs([], {})).toMatchObject({
      seconds: 60,
      ratePerSecond: 80,
      workers: 2,
      senders: 16,
      headroomPercent: 0,
      redisUrl: 'redis://127.0.0.1:6379',
      isVerbose: false,
    });
  });

  it('reads options and the Redis URL from BENCH_REDIS_URL', () => {
    const options = parseLimiterBenchArgs(['--seconds=5', '--headroom=1.5%', '--senders=4'], {
      BENCH_REDIS_URL: 'redis://10.0.0.2:6380',
    });
    expect(options).toMatchObject({
      seconds: 5,
      headroomPercent: 1.5,
      senders: 4,
      redisUrl: 'redis://10.0.0.2:6380',
    });
  });

  it('rejects nonsense', () => {
    expect(() => parseLimiterBenchArgs(['--seconds=0'], {})).toThrow(/--seconds/);
    expect(() => parseLimiterBenchArgs(['--workers=1.5'], {})).toThrow(/--workers/);
    expect(() => parseLimiterBenchArgs(['--headroom=60'], {})).toThrow(/--headroom/);
    expect(() => parseLimiterBenchArgs(['--fast'], {})).toThrow();
  });
});

describe('analyzeStream', () => {
  const rule = { ratePerSecond: 80, burst: 1 };

  it('scores a perfectly paced run at 100 % with 80 in the busiest second', () => {
    const times = Array.from({ length: 400 }, (_, index) => 1_000 + index * 12.5);
    expect(analyzeStream(times, rule, 1_000, 5)).toMatchObject({
      inWindow: 400,
      share: 1,
      busiest: 80,
    });
    expect(analyzeStream(times, rule, 1_000, 5).excess).toBeLessThanOrEqual(0);
  });

  it('counts only the run window and sees one slot a millisecond late as 81 in a second', () => {
    const times = Array.from({ length: 400 }, (_, index) => 1_000 + index * 12.5);
    times[10] = (times[10] ?? 0) + 1; // slot 10 late by 1 ms; slot 90 on time, 999 ms later
    const analysis = analyzeStream([500, ...times], rule, 1_000, 4);
    expect(analysis.inWindow).toBe(320);
    expect(analysis.busiest).toBe(81);
  });
});
