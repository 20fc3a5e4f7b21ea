import type { Redis } from 'ioredis';
import {
  assertBucketRule,
  type Reservation,
  type TokenBucketLimiter,
} from './token-bucket.port.js';

/**
 * The same arithmetic as `computeReservation`, atomically in Redis, on Redis's clock (so
 * workers on machines with skewed clocks still share one timeline). Returns {granted, ms, slot time}.
 */
const reserveScript = `
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
end
local wait = 0
-- The epsilon keeps float noise (14.000000000000002) from rounding a slot 1 ms late.
if tokens < 1 then wait = math.ceil((1 - tokens) / rate - 1e-6) end
if wait > maxWait then return {0, wait, now} end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return {1, wait, now + wait}
`;

/** `computeSpacedReservation` atomically, on Redis's clock. */
const reserveSpacedScript = `
local gap = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local next = tonumber(redis.call('GET', KEYS[1]))
local slot = now
if next ~= nil and next > now then slot = next end
local wait = slot - now
if wait > maxWait then return {0, wait, now} end
redis.call('SET', KEYS[1], tostring(slot + gap), 'PX', wait + gap + 1000)
return {1, wait, slot}
`;

export function createRedisTokenBucket(options: {
  redis: Redis;
  prefix: string;
}): TokenBucketLimiter {
  const { redis } = options;
  redis.defineCommand('recadoReserveToken', { numberOfKeys: 1, lua: reserveScript });
  redis.defineCommand('recadoReserveSpaced', { numberOfKeys: 1, lua: reserveSpacedScript });
  const runSpaced = (
    redis as Redis & {
      recadoReserveSpaced(
        key: string,
        gap: string,
        maxWait: string,
      ): Promise<[number, number, number]>;
    }
  ).recadoReserveSpaced.bind(redis);
  const run = (
    redis as Redis & {
      recadoReserveToken(
        key: string,
        rate: string,
        burst: string,
        maxWait: string,
      ): Promise<[number, number, number]>;
    }
  ).recadoReserveToken.bind(redis);
  return {
    driver: 'redis',
    async reserve(key, rule, maxWaitMs): Promise<Reservation> {
      assertBucketRule(rule);
      const [granted, ms, slotAtMs] = await run(
        `${options.prefix}:bucket:${key}`,
        String(rule.ratePerSecond),
        String(rule.burst),
        String(Math.max(0, Math.floor(maxWaitMs))),
      );
      return granted === 1
        ? { granted: true, waitMs: ms, slotAtMs }
        : { granted: false, retryAfterMs: ms };
    },
    async reserveSpaced(key, gapMs, maxWaitMs): Promise<Reservation> {
      if (!(gapMs >= 0) || !Number.isFinite(gapMs)) {
        throw new RangeError(`gapMs must be a non-negative number, got ${gapMs}`);
      }
      const [granted, ms, slotAtMs] = await runSpaced(
        `${options.prefix}:spaced:${key}`,
        String(Math.round(gapMs)),
        String(Math.max(0, Math.floor(maxWaitMs))),
      );
      return granted === 1
        ? { granted: true, waitMs: ms, slotAtMs }
        : { granted: false, retryAfterMs: ms };
    },
  };
}
