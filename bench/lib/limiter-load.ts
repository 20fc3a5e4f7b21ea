import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { createRedisTokenBucket } from '../../src/platform/rate-limit/redis-token-bucket.js';
import { runIpcWorker } from './ipc-worker.js';

/**
 * One limiter worker (limiter.bench.ts runs two, as two processes): `senders` loops draw slots
 * from one channel's Redis token bucket the way the outbound engine does — reserve, sleep until
 * the slot, "send" — and one loop keeps asking a recipient's pair-rate bucket for more than it
 * allows. Every granted slot (Redis clock, from the script) and every send (local clock moved
 * onto Redis's by a measured offset) is recorded.
 */

export const limiterLoadRequestSchema = z.object({
  redisUrl: z.string().min(1),
  prefix: z.string().min(1),
  channelKey: z.string().min(1),
  pairKey: z.string().min(1),
  ratePerSecond: z.number().positive(),
  pairRule: z.object({ ratePerSecond: z.number().positive(), burst: z.int().min(1) }),
  senders: z.int().min(1),
  maxWaitMs: z.number().min(0),
  /** How often this worker asks the pair bucket for a slot. */
  pairIntervalMs: z.number().positive(),
});
export type LimiterLoadRequest = z.infer<typeof limiterLoadRequestSchema>;

/** Start handshake: the worker says it is ready, the parent gives every worker one start. */
export const limiterReadySchema = z.object({ kind: z.literal('ready') });
/** Start and end of the run, on Redis's clock (ms). */
export const limiterGoSchema = z.object({
  kind: z.literal('go'),
  startAtMs: z.number(),
  endAtMs: z.number(),
});
export type LimiterGo = z.infer<typeof limiterGoSchema>;

const streamSchema = z.object({
  /** Granted slot times (Redis clock). */
  slots: z.array(z.number()),
  /** When each granted send happened (Redis clock, sub-millisecond). */
  sends: z.array(z.number()),
  /** Send time minus slot time, per send: the reply's trip plus the timer's lateness. */
  delays: z.array(z.number()),
  refused: z.number(),
});

export const limiterLoadResultSchema = z.object({
  pid: z.number(),
  channel: streamSchema,
  pair: streamSchema,
  /** Redis clock minus local clock, and the round trip it was measured with. */
  clockOffsetMs: z.number(),
  clockRttMs: z.number(),
});
export type LimiterLoadResult = z.infer<typeof limiterLoadResultSchema>;

const localNow = () => performance.timeOrigin + performance.now();

/** Redis clock − local clock, from the TIME sample with the shortest round trip. */
export async function measureRedisClockOffset(
  redis: Redis,
  samples = 15,
): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let index = 0; index < samples; index += 1) {
    const before = localNow();
    const [seconds, micros] = await redis.time();
    const after = localNow();
    const redisMs = Number(seconds) * 1000 + Number(micros) / 1000;
    if (after - before < best.rttMs) {
      best = { offsetMs: redisMs - (before + after) / 2, rttMs: after - before };
    }
  }
  return best;
}

/** Runs one worker's load; `waitForGo` is called once connected, and resolves with the run's times. */
export async function runLimiterLoad(
  request: LimiterLoadRequest,
  waitForGo: () => Promise<LimiterGo>,
): Promise<LimiterLoadResult> {
  const redis = new Redis(request.redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const limiter = createRedisTokenBucket({ redis, prefix: request.prefix });
    const clock = await measureRedisClockOffset(redis);
    const redisNow = () => localNow() + clock.offsetMs;
    const newStream = () => ({
      slots: [] as number[],
      sends: [] as number[],
      delays: [] as number[],
      refused: 0,
    });
    const channel = newStream();
    const pair = newStream();
    const recordSend = (stream: typeof channel, slotAtMs: number) => {
      const sentAt = redisNow();
      stream.sends.push(sentAt);
      stream.delays.push(sentAt - slotAtMs);
    };

    const { startAtMs, endAtMs } = await waitForGo();
    const startIn = startAtMs - redisNow();
    if (startIn > 0) await sleep(startIn);

    const channelRule = { ratePerSecond: request.ratePerSecond, burst: 1 };
    const sender = async () => {
      while (redisNow() < endAtMs) {
        const slot = await limiter.reserve(request.channelKey, channelRule, request.maxWaitMs);
        if (!slot.granted) {
          channel.refused += 1;
          await sleep(slot.retryAfterMs);
          continue;
        }
        channel.slots.push(slot.slotAtMs);
        if (slot.waitMs > 0) await sleep(slot.waitMs);
        recordSend(channel, slot.slotAtMs);
      }
    };
    const pairAsker = async () => {
      const inFlight: Promise<void>[] = [];
      while (redisNow() < endAtMs) {
        const slot = await limiter.reserve(request.pairKey, request.pairRule, request.maxWaitMs);
        if (slot.granted) {
          pair.slots.push(slot.slotAtMs);
          inFlight.push(sleep(slot.waitMs).then(() => recordSend(pair, slot.slotAtMs)));
        } else {
          pair.refused += 1;
        }
        await sleep(request.pairIntervalMs);
      }
      await Promise.all(inFlight);
    };
    await Promise.all([...Array.from({ length: request.senders }, sender), pairAsker()]);
    return {
      pid: process.pid,
      channel,
      pair,
      clockOffsetMs: clock.offsetMs,
      clockRttMs: clock.rttMs,
    };
  } finally {
    redis.disconnect();
  }
}

export function runLimiterLoadInWorker(
  request: LimiterLoadRequest,
  options: {
    name: string;
    cwd: string;
    cpu?: number;
    echo?: boolean;
    /** Called when the worker is connected; `go` starts it. */
    onReady: (go: (message: LimiterGo) => void) => void;
  },
): Promise<LimiterLoadResult> {
  return runIpcWorker({
    name: options.name,
    script: new URL('./limiter-worker.ts', import.meta.url),
    request,
    resultSchema: limiterLoadResultSchema,
    cwd: options.cwd,
    cpu: options.cpu,
    echo: options.echo,
    onMessage: (message, child) => {
      if (!limiterReadySchema.safeParse(message).success) {
        throw new Error(`unexpected message from ${options.name}: ${JSON.stringify(message)}`);
      }
      options.onReady((go) => child.process.send(go));
    },
  });
}
