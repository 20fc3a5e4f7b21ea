import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestQueuePrefix,
  deleteRedisKeysWithPrefix,
} from '../../../test/helpers/redis-keys.js';
import { isServicesRun, testRedisUrl } from '../../../test/helpers/test-env.js';
import { createInProcessTokenBucket } from './in-process-token-bucket.js';
import { createRedisTokenBucket } from './redis-token-bucket.js';
import { computeReservation, type TokenBucketLimiter } from './token-bucket.port.js';

describe('computeReservation', () => {
  it('grants a full bucket at once, then books slots at the rate', () => {
    let state: { tokens: number; updatedAtMs: number } | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { reservation, next } = computeReservation(
        state,
        { ratePerSecond: 10, burst: 2 },
        1000,
        10_000,
      );
      state = next;
      if (reservation.granted) waits.push(reservation.waitMs);
    }
    expect(waits).toEqual([0, 0, 100, 200, 300]);
  });

  it('refuses a booking beyond maxWait without consuming, and refills over time', () => {
    const rule = { ratePerSecond: 1, burst: 1 };
    const first = computeReservation(undefined, rule, 0, 0);
    expect(first.reservation).toMatchObject({ granted: true, waitMs: 0 });
    const refused = computeReservation(first.next, rule, 0, 500);
    expect(refused.reservation).toEqual({ granted: false, retryAfterMs: 1000 });
    expect(refused.next).toBeUndefined();
    const later = computeReservation(first.next, rule, 1000, 0);
    expect(later.reservation).toMatchObject({ granted: true, waitMs: 0 });
  });

  it('handles fractional rates (the pair rate: one per 6 s, bursts of 45)', () => {
    const rule = { ratePerSecond: 1 / 6, burst: 45 };
    let state: { tokens: number; updatedAtMs: number } | undefined;
    for (let i = 0; i < 45; i++) {
      const step = computeReservation(state, rule, 0, 0);
      expect(step.reservation).toMatchObject({ granted: true, waitMs: 0 });
      state = step.next;
    }
    expect(computeReservation(state, rule, 0, 60_000).reservation).toMatchObject({
      granted: true,
      waitMs: 6000,
    });
  });
});

const prefix = createTestQueuePrefix();
const clients: Redis[] = [];
afterAll(async () => {
  if (isServicesRun) await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  for (const client of clients) client.disconnect();
});

function describeLimiter(name: string, createLimiters: () => TokenBucketLimiter[]) {
  describe(`${name} token bucket`, () => {
    it('two workers drawing from one bucket never exceed the rate in any 1-second window', async () => {
      const [a, b] = createLimiters();
      if (!a || !b) throw new Error('two limiters expected');
      const rule = { ratePerSecond: 200, burst: 1 };
      const slots: number[] = [];
      const book = async (limiter: TokenBucketLimiter) => {
        for (let i = 0; i < 150; i++) {
          const reservation = await limiter.reserve(`${prefix}-shared`, rule, 10_000);
          if (!reservation.granted) throw new Error('unexpected refusal');
          slots.push(reservation.slotAtMs);
        }
      };
      await Promise.all([book(a), book(b)]);
      slots.sort((x, y) => x - y);
      expect(slots).toHaveLength(300);
      // 300 tokens at 200/s with burst 1 span at least 1.49 s.
      expect((slots.at(-1) ?? 0) - (slots[0] ?? 0)).toBeGreaterThanOrEqual(1490);
      for (let i = 0; i + 200 < slots.length; i++) {
        // The 201st slot after any slot is at least one second later (slot times are
        // whole milliseconds, so allow the rounding of one).
        expect((slots[i + 200] ?? 0) - (slots[i] ?? 0)).toBeGreaterThanOrEqual(999);
      }
    });

    it('refuses beyond maxWait and tells when to retry', async () => {
      const [limiter] = createLimiters();
      if (!limiter) throw new Error('limiter expected');
      const rule = { ratePerSecond: 1, burst: 1 };
      expect(await limiter.reserve(`${prefix}-slow`, rule, 0)).toMatchObject({
        granted: true,
        waitMs: 0,
      });
      const refused = await limiter.reserve(`${prefix}-slow`, rule, 100);
      expect(refused.granted).toBe(false);
      if (!refused.granted) expect(refused.retryAfterMs).toBeGreaterThan(900);
      // Other keys are independent buckets.
      expect(await limiter.reserve(`${prefix}-other`, rule, 0)).toMatchObject({
        granted: true,
        waitMs: 0,
      });
    });

    it("spaces two workers' slots by each booking's own random gap, and refuses far ones", async () => {
      const [a, b] = createLimiters();
      if (!a || !b) throw new Error('two limiters expected');
      const key = `${prefix}-spaced`;
      const booked: Array<{ slot: number; gap: number }> = [];
      const book = async (limiter: TokenBucketLimiter) => {
        for (let i = 0; i < 20; i++) {
          const gap = 20 + Math.floor(Math.random() * 20);
          const reservation = await limiter.reserveSpaced(key, gap, 10_000);
          if (!reservation.granted) throw new Error('unexpected refusal');
          booked.push({ slot: reservation.slotAtMs, gap });
        }
      };
      await Promise.all([book(a), book(b)]);
      booked.sort((x, y) => x.slot - y.slot);
      for (let i = 1; i < booked.length; i++) {
        const previous = booked[i - 1];
        const current = booked[i];
        if (!previous || !current) continue;
        // Never closer than the earlier booking's gap (whole-millisecond clocks).
        expect(current.slot - previous.slot).toBeGreaterThanOrEqual(previous.gap - 1);
      }
      const refused = await a.reserveSpaced(key, 20, 0);
      expect(refused.granted).toBe(false);
      if (!refused.granted) expect(refused.retryAfterMs).toBeGreaterThan(0);
      await expect(a.reserveSpaced(key, -1, 0)).rejects.toThrow(/gapMs/);
    });

    it('rejects nonsense rules', async () => {
      const [limiter] = createLimiters();
      await expect(limiter?.reserve('x', { ratePerSecond: 0, burst: 1 }, 0)).rejects.toThrow(
        /ratePerSecond/,
      );
      await expect(limiter?.reserve('x', { ratePerSecond: 1, burst: 0 }, 0)).rejects.toThrow(
        /burst/,
      );
    });
  });
}

const shared = createInProcessTokenBucket();
describeLimiter('in-process', () => [shared, shared]);

if (isServicesRun) {
  describeLimiter('redis', () =>
    [0, 1].map(() => {
      const redis = new Redis(testRedisUrl);
      clients.push(redis);
      return createRedisTokenBucket({ redis, prefix });
    }),
  );
}
