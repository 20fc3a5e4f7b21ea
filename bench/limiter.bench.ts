import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { deleteRedisKeysWithPrefix } from '../test/helpers/redis-keys.js';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import { getInterruptSignal, registerCleanup } from './lib/child-processes.js';
import { percentile } from './lib/closed-loop.js';
import { getAllowedCpus } from './lib/cpu-pinning.js';
import {
  type LimiterGo,
  type LimiterLoadResult,
  measureRedisClockOffset,
  runLimiterLoadInWorker,
} from './lib/limiter-load.js';
import { countInRange, findBusiestWindow, measureBucketExcess } from './lib/rate-windows.js';
import { formatNumber, formatTable } from './lib/report.js';

/**
 * The shared limiter under contention: two worker processes draw from one channel's Redis token
 * bucket (the real `createRedisTokenBucket`) at 80/s, burst 1, for 60 s, with 16 senders each,
 * like two outbound workers. Each records the slot times Redis granted and when it actually
 * sent; merged, the run must reach 98–100 % of the limit with no 1-second sliding window above
 * it. Alongside, both keep asking one recipient's pair-rate bucket (1 per 6 s, burst 45) for
 * more than it allows; its grants must never exceed the bucket.
 */

export type LimiterBenchOptions = {
  seconds: number;
  ratePerSecond: number;
  workers: number;
  senders: number;
  /** Percent below the limit the workers book at (0 = exactly the limit, as Recado does). */
  headroomPercent: number;
  redisUrl: string;
  jsonPath?: string;
  isVerbose: boolean;
};

const pairRule = { ratePerSecond: 1 / 6, burst: 45 } as const;
const maxWaitMs = 5_000;
const pairIntervalMs = 250;
/** Achieved share of the limit that meets the target. */
const targetShare = { min: 0.98, max: 1 } as const;

const usage = `Options:
  --seconds=<s>     length of the run (default 60)
  --rate=<n>        the channel's limit, messages per second (default 80, Meta's default)
  --workers=<n>     worker processes sharing the bucket (default 2)
  --senders=<n>     concurrent senders per worker (default 16, the outbound engine's concurrency)
  --headroom=<pct>  book slots this many percent below the limit (default 0: at the limit, as
                    the outbound engine does); shows what a margin does to the busiest window
  --json=<file>     also write the merged results as JSON
  --verbose         print the workers' output (also BENCH_VERBOSE=1)

Environment:
  BENCH_REDIS_URL   Redis to use (default redis://127.0.0.1:6379); keys go under a unique prefix,
                    deleted afterwards.`;

function parsePositive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a number > 0`);
  return number;
}

function parseCount(name: string, value: string | undefined, fallback: number): number {
  const number = parsePositive(name, value, fallback);
  if (!Number.isInteger(number)) throw new Error(`--${name} must be an integer >= 1`);
  return number;
}

function parseHeadroom(value: string | undefined): number {
  if (value === undefined) return 0;
  const number = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(number) || number < 0 || number >= 50) {
    throw new Error('--headroom must be a percentage from 0 to 50');
  }
  return number;
}

export function parseLimiterBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): LimiterBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      seconds: { type: 'string' },
      rate: { type: 'string' },
      workers: { type: 'string' },
      senders: { type: 'string' },
      headroom: { type: 'string' },
      json: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  return {
    seconds: parsePositive('seconds', values.seconds, 60),
    ratePerSecond: parsePositive('rate', values.rate, 80),
    workers: parseCount('workers', values.workers, 2),
    senders: parseCount('senders', values.senders, 16),
    headroomPercent: parseHeadroom(values.headroom),
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    jsonPath: values.json,
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

export type StreamAnalysis = {
  inWindow: number;
  /** Events in the window ÷ (limit × seconds). */
  share: number;
  busiest: number;
  busiestAtMs?: number;
  /** measureBucketExcess with 1 ms of rounding forgiven: ≤ 0 conforms. */
  excess: number;
};

/** Merged events of one bucket over the run window `[startAtMs, startAtMs + seconds)`. */
export function analyzeStream(
  times: readonly number[],
  rule: { ratePerSecond: number; burst: number },
  startAtMs: number,
  seconds: number,
): StreamAnalysis {
  const inWindow = countInRange(times, startAtMs, startAtMs + seconds * 1000);
  const busiest = findBusiestWindow(times, 1000);
  return {
    inWindow,
    share: inWindow / (rule.ratePerSecond * seconds),
    busiest: busiest.count,
    busiestAtMs: busiest.startMs,
    excess: measureBucketExcess(times, rule, 1).excess,
  };
}

function verdict(isMet: boolean): string {
  return isMet ? 'meets target' : 'MISSED';
}

function formatPercent(share: number): string {
  return `${formatNumber(share * 100, 2)} %`;
}

async function runLimiterBench(args: readonly string[]): Promise<number> {
  const options = parseLimiterBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const allowedCpus = getAllowedCpus();
  const prefix = `recado-bench-${randomBytes(6).toString('hex')}`;
  const channelKey = `channel:bench-${randomBytes(4).toString('hex')}`;
  const pairKey = `pair:bench:+5511987654321`;
  const channelRule = { ratePerSecond: options.ratePerSecond, burst: 1 };
  const bookedRate = options.ratePerSecond * (1 - options.headroomPercent / 100);

  console.log('Limiter benchmark (Redis token bucket shared by worker processes)');
  console.log(
    `  ${options.workers} workers × ${options.senders} senders, channel ${options.ratePerSecond}/s (burst 1), ${options.seconds} s; pair bucket 1 per 6 s (burst 45), asked every ${pairIntervalMs} ms per worker`,
  );
  if (options.headroomPercent > 0) {
    console.log(
      `  Headroom ${options.headroomPercent} %: slots booked at ${formatNumber(bookedRate, 2)}/s, judged against ${options.ratePerSecond}/s`,
    );
  }
  console.log(`  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}`);
  const [loadAverage = 0] = loadavg();
  if (loadAverage > 1)
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);

  const removeKeys = registerCleanup(() => deleteRedisKeysWithPrefix(options.redisUrl, prefix));
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  let results: LimiterLoadResult[];
  let startAtMs = 0;
  try {
    const clock = await measureRedisClockOffset(redis, 5);
    console.log(`  Redis ${options.redisUrl}, key prefix ${prefix}`);
    console.log('');
    // Every worker connects and measures its clock offset, then all start at one Redis time.
    const goes: Array<(message: LimiterGo) => void> = [];
    const onReady = (go: (message: LimiterGo) => void) => {
      goes.push(go);
      if (goes.length < options.workers) return;
      startAtMs = performance.timeOrigin + performance.now() + clock.offsetMs + 250;
      const endAtMs = startAtMs + options.seconds * 1000;
      console.log(`Workers ready; running ${options.seconds} s…`);
      for (const send of goes) send({ kind: 'go', startAtMs, endAtMs });
    };
    results = await Promise.all(
      Array.from({ length: options.workers }, (_, index) =>
        runLimiterLoadInWorker(
          {
            redisUrl: options.redisUrl,
            prefix,
            channelKey,
            pairKey,
            ratePerSecond: bookedRate,
            pairRule,
            senders: options.senders,
            maxWaitMs,
            pairIntervalMs,
          },
          {
            name: `limiter-worker-${index + 1}`,
            cwd: repoRoot,
            cpu: allowedCpus.length > 1 ? allowedCpus[index % allowedCpus.length] : undefined,
            echo: options.isVerbose,
            onReady,
          },
        ),
      ),
    );
  } finally {
    redis.disconnect();
    await removeKeys();
  }
  if (getInterruptSignal()) return 130;

  const merge = (pick: (result: LimiterLoadResult) => number[]) => results.flatMap(pick);
  const channelSlots = analyzeStream(
    merge((result) => result.channel.slots),
    channelRule,
    startAtMs,
    options.seconds,
  );
  const channelSends = analyzeStream(
    merge((result) => result.channel.sends),
    channelRule,
    startAtMs,
    options.seconds,
  );
  const pairSlots = analyzeStream(
    merge((result) => result.pair.slots),
    pairRule,
    startAtMs,
    options.seconds,
  );
  const pairSends = analyzeStream(
    merge((result) => result.pair.sends),
    pairRule,
    startAtMs,
    options.seconds,
  );
  const pairAllowed = Math.floor(pairRule.burst + pairRule.ratePerSecond * options.seconds);
  const refused = results.reduce((sum, result) => sum + result.channel.refused, 0);
  const pairRefused = results.reduce((sum, result) => sum + result.pair.refused, 0);

  const isShareMet = (share: number) => share >= targetShare.min && share <= targetShare.max;
  // The targets, on what the limiter decides: the slot times Redis granted.
  const checks = [
    {
      name: 'channel: achieved rate',
      value: formatPercent(channelSlots.share),
      target: '98–100 %',
      isMet: isShareMet(channelSlots.share),
    },
    {
      name: 'channel: busiest 1-s sliding window',
      value: formatNumber(channelSlots.busiest),
      target: `<= ${options.ratePerSecond}`,
      isMet: channelSlots.busiest <= options.ratePerSecond,
    },
    {
      name: 'pair: most beyond the bucket',
      value: formatNumber(pairSlots.excess, 4),
      target: '<= 0',
      isMet: pairSlots.excess <= 0,
    },
  ];
  const channelDelays = merge((result) => result.channel.delays).sort((a, b) => a - b);

  console.log('');
  console.log(
    formatTable(
      [
        { title: 'worker' },
        { title: 'channel slots', align: 'right' },
        { title: 'refused', align: 'right' },
        { title: 'pair slots', align: 'right' },
        { title: 'pair refused', align: 'right' },
        { title: 'clock offset / RTT', align: 'right' },
      ],
      results.map((result, index) => [
        `${index + 1} (pid ${result.pid})`,
        formatNumber(result.channel.slots.length),
        formatNumber(result.channel.refused),
        formatNumber(result.pair.slots.length),
        formatNumber(result.pair.refused),
        `${formatNumber(result.clockOffsetMs, 2)} / ${formatNumber(result.clockRttMs, 2)} ms`,
      ]),
    ),
  );
  console.log('');
  console.log(
    `Channel bucket: ${formatNumber(channelSlots.inWindow)} slots in the ${options.seconds} s window (limit × time = ${formatNumber(options.ratePerSecond * options.seconds)}); ${formatNumber(refused)} reservations refused.`,
  );
  console.log(
    `Pair bucket: ${formatNumber(pairSlots.inWindow)} slots granted in the window (the bucket allows at most ${pairAllowed}); ${formatNumber(pairRefused)} asks refused.`,
  );
  console.log('');
  console.log('Limiter (granted slot times, Redis clock)');
  console.log(
    formatTable(
      [
        { title: 'check' },
        { title: 'value', align: 'right' },
        { title: 'target', align: 'right' },
        { title: 'verdict' },
      ],
      checks.map((check) => [check.name, check.value, check.target, verdict(check.isMet)]),
    ),
  );
  console.log('');
  console.log('As sent (slot + reply trip + timer lateness): what the provider would see');
  console.log(
    formatTable(
      [{ title: 'measure' }, { title: 'value', align: 'right' }],
      [
        ['channel: achieved rate', formatPercent(channelSends.share)],
        [
          'channel: busiest 1-s sliding window',
          `${formatNumber(channelSends.busiest)} (limit ${options.ratePerSecond})`,
        ],
        [
          'channel: send − slot p50 / p99 / max',
          `${formatNumber(percentile(channelDelays, 50), 1)} / ${formatNumber(percentile(channelDelays, 99), 1)} / ${formatNumber(channelDelays.at(-1) ?? Number.NaN, 1)} ms`,
        ],
        ['pair: most beyond the bucket', formatNumber(pairSends.excess, 4)],
      ],
    ),
  );
  if (channelSends.busiest > options.ratePerSecond && options.headroomPercent === 0) {
    console.log(
      `Slots booked exactly at the limit leave no room for send jitter: a send a few ms late followed by on-time ones puts ${formatNumber(channelSends.busiest)} in one second. Compare with --headroom=1.`,
    );
  }
  console.log('');

  if (options.jsonPath) {
    await writeFile(
      options.jsonPath,
      `${JSON.stringify({ benchmark: 'limiter', date: new Date().toISOString(), options, startAtMs, checks, channelSlots, channelSends, pairSlots, pairSends, workers: results }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${options.jsonPath}`);
  }
  return checks.every((check) => check.isMet) ? 0 : 1;
}

export const limiterBench: Benchmark = {
  description:
    'Redis token bucket shared by two worker processes: 80/s for 60 s, achieved rate and busiest 1-s window; pair rate',
  usage,
  run: runLimiterBench,
};
