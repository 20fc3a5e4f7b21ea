import {
  assertBucketRule,
  computeReservation,
  computeSpacedReservation,
  type TokenBucketLimiter,
} from './token-bucket.port.js';

type BucketState = {
  tokens: number;
  updatedAtMs: number;
  rule: { ratePerSecond: number; burst: number };
};

/** Token buckets in this process's memory (embedded mode: one process does all the work). */
export function createInProcessTokenBucket(
  options: { now?: () => number } = {},
): TokenBucketLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, BucketState>();
  const spaced = new Map<string, number>();
  let reservationsSinceSweep = 0;

  /** Drops buckets that have refilled completely: they hold no information. */
  function sweep(nowMs: number) {
    for (const [key, state] of buckets) {
      const refillMs = ((state.rule.burst - state.tokens) / state.rule.ratePerSecond) * 1000;
      if (nowMs - state.updatedAtMs > refillMs) buckets.delete(key);
    }
  }

  return {
    driver: 'in-process',
    async reserve(key, rule, maxWaitMs) {
      assertBucketRule(rule);
      const nowMs = now();
      if (++reservationsSinceSweep >= 10_000) {
        reservationsSinceSweep = 0;
        sweep(nowMs);
      }
      const { reservation, next } = computeReservation(buckets.get(key), rule, nowMs, maxWaitMs);
      if (next) buckets.set(key, { ...next, rule });
      return reservation;
    },
    async reserveSpaced(key, gapMs, maxWaitMs) {
      const nowMs = now();
      const current = spaced.get(key);
      if (current !== undefined && current < nowMs) spaced.delete(key);
      const { reservation, next } = computeSpacedReservation(
        spaced.get(key),
        gapMs,
        nowMs,
        maxWaitMs,
      );
      if (next !== undefined) spaced.set(key, next);
      return reservation;
    },
  };
}
