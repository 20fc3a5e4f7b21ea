/**
 * Token buckets shared by every worker: per-channel throughput (e.g. 80 messages/s on Meta),
 * per-recipient pair rate (about one message per 6 s, bursts up to 45) and the pacing of
 * unofficial providers. In-process in embedded mode; a Redis script in scaled mode, so several
 * worker processes draw from one bucket.
 *
 * `reserve` books the next free slot instead of failing: the caller waits `waitMs` and then
 * acts, so a queue of sends leaves at exactly the rate, in order, with no thundering herd. A
 * booking that would wait longer than `maxWaitMs` is not made (`granted: false`): the caller
 * retries later (e.g. re-enqueues the job after `retryAfterMs`).
 */
export type BucketRule = {
  /** Tokens added per second (may be fractional: 1/6 for one per six seconds). */
  ratePerSecond: number;
  /** Bucket size: how many may go at once after a quiet period. 1 = perfectly paced. */
  burst: number;
};

export type Reservation =
  /** `slotAtMs`: when the booked token is due, on the limiter's clock (Redis's in scaled mode). */
  { granted: true; waitMs: number; slotAtMs: number } | { granted: false; retryAfterMs: number };

export interface TokenBucketLimiter {
  readonly driver: 'in-process' | 'redis';
  reserve(key: string, rule: BucketRule, maxWaitMs: number): Promise<Reservation>;
  /**
   * Human-like pacing: books the slot `max(now, next)` and moves `next` to that slot plus
   * `gapMs` — a gap the caller may draw at random per call (30–60 s between recipients), so
   * consecutive slots of one key are always at least the gap of the earlier one apart.
   */
  reserveSpaced(key: string, gapMs: number, maxWaitMs: number): Promise<Reservation>;
}

/** `reserveSpaced`'s arithmetic; `next` is the earliest free slot (ms), absent when idle. */
export function computeSpacedReservation(
  next: number | undefined,
  gapMs: number,
  nowMs: number,
  maxWaitMs: number,
): { reservation: Reservation; next: number | undefined } {
  if (!(gapMs >= 0) || !Number.isFinite(gapMs)) {
    throw new RangeError(`gapMs must be a non-negative number, got ${gapMs}`);
  }
  const slotAtMs = Math.max(nowMs, next ?? nowMs);
  const waitMs = slotAtMs - nowMs;
  if (waitMs > maxWaitMs)
    return { reservation: { granted: false, retryAfterMs: waitMs }, next: undefined };
  return { reservation: { granted: true, waitMs, slotAtMs }, next: slotAtMs + gapMs };
}

export function assertBucketRule(rule: BucketRule): void {
  if (!(rule.ratePerSecond > 0) || !Number.isFinite(rule.ratePerSecond)) {
    throw new RangeError(`ratePerSecond must be a positive number, got ${rule.ratePerSecond}`);
  }
  if (!Number.isInteger(rule.burst) || rule.burst < 1) {
    throw new RangeError(`burst must be a positive integer, got ${rule.burst}`);
  }
}

/**
 * The bucket arithmetic both drivers share (the Redis script mirrors it). Tokens may go
 * negative: each booking beyond the bucket pushes the next free slot further out.
 */
export function computeReservation(
  state: { tokens: number; updatedAtMs: number } | undefined,
  rule: BucketRule,
  nowMs: number,
  maxWaitMs: number,
): { reservation: Reservation; next: { tokens: number; updatedAtMs: number } | undefined } {
  const ratePerMs = rule.ratePerSecond / 1000;
  const elapsed = state ? Math.max(0, nowMs - state.updatedAtMs) : 0;
  const tokens = state ? Math.min(rule.burst, state.tokens + elapsed * ratePerMs) : rule.burst;
  // The epsilon keeps float noise (14.000000000000002) from rounding a slot 1 ms late, which
  // would let the next on-time slot put one token too many in a 1-second window.
  const waitMs = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / ratePerMs - 1e-6);
  if (waitMs > maxWaitMs) {
    return { reservation: { granted: false, retryAfterMs: waitMs }, next: undefined };
  }
  return {
    reservation: { granted: true, waitMs, slotAtMs: nowMs + waitMs },
    next: { tokens: tokens - 1, updatedAtMs: nowMs },
  };
}
