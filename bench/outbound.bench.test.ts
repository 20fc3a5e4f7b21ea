import { describe, expect, it } from 'vitest';
import { computeSendRate, parseOutboundBenchArgs } from './outbound.bench.js';

describe('parseOutboundBenchArgs', () => {
  it('defaults to 2,000 messages after 500 warm-up, 16 in flight, embedded first', () => {
    expect(parseOutboundBenchArgs([], {})).toMatchObject({
      count: 2000,
      warmupCount: 500,
      concurrency: 16,
      modes: ['embedded', 'scaled'],
    });
  });

  it('accepts no warm-up and rejects bad values', () => {
    expect(parseOutboundBenchArgs(['--warmup-count=0'], {}).warmupCount).toBe(0);
    expect(() => parseOutboundBenchArgs(['--count=0'], {})).toThrow(/--count/);
    expect(() => parseOutboundBenchArgs(['--modes=embedded,cloud'], {})).toThrow(/unknown mode/);
  });
});

describe('computeSendRate', () => {
  const batch = {
    count: 2000,
    accepted: 2000,
    rejected: 0,
    sent: 2000,
    failed: 0,
    intakeMs: 1500,
    completeMs: 2500,
    isComplete: true,
  };

  it('is messages sent per second from the first POST to the last sent', () => {
    expect(computeSendRate(batch)).toBe(800);
  });

  it('gives nothing for an incomplete batch', () => {
    expect(computeSendRate({ ...batch, isComplete: false })).toBeUndefined();
    expect(computeSendRate(undefined)).toBeUndefined();
  });
});
