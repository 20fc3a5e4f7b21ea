/**
 * Checks on a stream of event times (ms, any clock): how many fall in the busiest sliding
 * window, and whether the stream conforms to a token bucket. Times need not be sorted.
 */

function sortedCopy(times: readonly number[]): number[] {
  return [...times].sort((a, b) => a - b);
}

/**
 * The most events in any half-open window `[t, t + windowMs)`, over every start `t`, with the
 * window's start (the busiest window always starts at an event). 0 events: `{ count: 0 }`.
 */
export function findBusiestWindow(
  times: readonly number[],
  windowMs: number,
): { count: number; startMs?: number } {
  const sorted = sortedCopy(times);
  let best = 0;
  let bestStart: number | undefined;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    const from = sorted[start] ?? 0;
    while (end < sorted.length && (sorted[end] ?? 0) < from + windowMs) end += 1;
    if (end - start > best) {
      best = end - start;
      bestStart = from;
    }
  }
  return bestStart === undefined ? { count: 0 } : { count: best, startMs: bestStart };
}

/** Events in the half-open range `[fromMs, toMs)`. */
export function countInRange(times: readonly number[], fromMs: number, toMs: number): number {
  let count = 0;
  for (const time of times) if (time >= fromMs && time < toMs) count += 1;
  return count;
}

/**
 * How far the stream goes beyond a token bucket (`burst` tokens, refilled at `ratePerSecond`):
 * the largest `events(i..j) − (burst + rate × (t_j − t_i))` over every pair of events i ≤ j.
 * A conforming stream scores ≤ 0; a score of 2 means two events too many somewhere. O(n).
 * `toleranceMs` forgives clock rounding: each span is taken as that much longer.
 */
export function measureBucketExcess(
  times: readonly number[],
  rule: { ratePerSecond: number; burst: number },
  toleranceMs = 0,
): { excess: number; atMs?: number } {
  const sorted = sortedCopy(times);
  const ratePerMs = rule.ratePerSecond / 1000;
  // events(i..j) = j − i + 1. With g(k) = k − rate·t_k the excess of (i, j) is
  // g(j) − g(i) + 1 − burst − rate·tolerance: keep the smallest g(i) seen so far.
  let minimum = Number.POSITIVE_INFINITY;
  let excess = Number.NEGATIVE_INFINITY;
  let atMs: number | undefined;
  for (let index = 0; index < sorted.length; index += 1) {
    const time = sorted[index] ?? 0;
    const g = index - ratePerMs * time;
    minimum = Math.min(minimum, g);
    const candidate = g - minimum + 1 - rule.burst - ratePerMs * toleranceMs;
    if (candidate > excess) {
      excess = candidate;
      atMs = time;
    }
  }
  return sorted.length === 0 ? { excess: -rule.burst } : { excess, atMs };
}
