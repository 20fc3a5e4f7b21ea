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
if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
if wait > maxWait then return {0, wait, now} end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return {1, wait, now + wait}
`;

export function createRedisTokenBucket(options: {
  redis: Redis;
  prefix: string;
}): TokenBucketLimiter {
  const { redis } = options;
  redis.defineCommand('recadoReserveToken', { numberOfKeys: 1, lua: reserveScript });
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
  };
}
