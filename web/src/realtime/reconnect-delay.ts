const baseDelayMs = 1_000;
const maxDelayMs = 30_000;

/**
 * Exponential backoff with jitter for the n-th reconnect attempt (0-based): 1 s, 2 s, 4 s, …
 * capped at 30 s, each scaled by a random factor in [0.5, 1) so that many browsers do not
 * reconnect in lockstep after a server restart.
 */
export function computeReconnectDelay(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(exponential * (0.5 + random() / 2));
}
