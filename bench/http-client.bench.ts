import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import { getInterruptSignal } from './lib/child-processes.js';
import { startChildServer } from './lib/child-server.js';
import { planCpuPinning } from './lib/cpu-pinning.js';
import {
  type ClientVariant,
  clientVariantLabels,
  clientVariants,
} from './lib/http-client-variants.js';
import { type PostLoopResult, runPostLoopInWorker } from './lib/post-loop.js';
import { formatNumber, formatTable } from './lib/report.js';

/**
 * Which HTTP client provider adapters should use: a closed loop of Meta sends (JSON POST, JSON
 * answer, message id read) to a loopback fake Graph server, per client, in the same run:
 *   node-http            node:http + keep-alive Agent, body read by hand (the baseline)
 *   undici-request       undici's request + Agent, body.json()
 *   http-client          src/platform/http-client (undici → fetch Response), response.json()
 *   node-http-response   the same Response-returning shape on node:http (the alternative)
 *   fetch                Node 20's global fetch
 * The client runs pinned to one CPU, the fake server to another.
 */

export type HttpClientBenchOptions = {
  durationSeconds: number;
  warmupSeconds: number;
  concurrency: number;
  rounds: number;
  only: ClientVariant[];
  jsonPath?: string;
  isVerbose: boolean;
};

const usage = `Options:
  --duration=<s>      measured run per client and round (default 10)
  --warmup=<s>        warm-up before each measured run (default 3; 0 = none)
  --concurrency=<n>   requests in flight (default 16, the outbound engine's send concurrency)
  --rounds=<n>        measure every client this many times, interleaved; the best run counts (default 1)
  --only=<list>       any of ${clientVariants.join(',')} (default: all)
  --json=<file>       also write the results as JSON
  --verbose           print the child processes' output (also BENCH_VERBOSE=1)`;

function parseNumber(name: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) throw new Error(`--${name} must be >= ${min}`);
  return number;
}

function parseInteger(name: string, value: string | undefined, fallback: number) {
  const number = parseNumber(name, value, fallback, 1);
  if (!Number.isInteger(number)) throw new Error(`--${name} must be an integer >= 1`);
  return number;
}

function isClientVariant(value: string): value is ClientVariant {
  return (clientVariants as readonly string[]).includes(value);
}

export function parseHttpClientBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): HttpClientBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const only: ClientVariant[] = [];
  for (const item of (values.only ?? clientVariants.join(',')).split(',')) {
    const id = item.trim();
    if (!isClientVariant(id)) {
      throw new Error(`--only: unknown client "${id}" (use ${clientVariants.join(', ')})`);
    }
    if (!only.includes(id)) only.push(id);
  }
  const durationSeconds = parseNumber('duration', values.duration, 10, 0);
  if (durationSeconds <= 0) throw new Error('--duration must be > 0');
  return {
    durationSeconds,
    warmupSeconds: parseNumber('warmup', values.warmup, 3, 0),
    concurrency: parseInteger('concurrency', values.concurrency, 16),
    rounds: parseInteger('rounds', values.rounds, 1),
    only,
    jsonPath: values.json,
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

const countSchema = z.object({ kind: z.literal('count'), sends: z.number(), rejected: z.number() });

async function runHttpClientBench(args: readonly string[]): Promise<number> {
  const options = parseHttpClientBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const plan = planCpuPinning();
  const problems: string[] = [];

  console.log('HTTP client benchmark (Meta sends to a loopback fake Graph API)');
  console.log(
    `  concurrency ${options.concurrency}, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per client, ${options.rounds} round(s)`,
  );
  console.log(
    `  CPUs: client on ${plan.serverCpu ?? 'any'}, fake server on ${plan.loadCpu ?? 'any'}`,
  );
  console.log(`  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()})`);
  const [loadAverage = 0] = loadavg();
  if (loadAverage > 1)
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);
  console.log('');

  const server = await startChildServer({
    name: 'fake-graph',
    script: new URL('./lib/fake-graph-server.ts', import.meta.url),
    cwd: repoRoot,
    cpu: plan.loadCpu,
    echo: options.isVerbose,
  });
  const best = new Map<ClientVariant, PostLoopResult>();
  const runs: Array<{ variant: ClientVariant; round: number; result: PostLoopResult }> = [];
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const variant of options.only) {
        if (getInterruptSignal()) return 130;
        console.log(`  round ${round}: ${clientVariantLabels[variant]}…`);
        try {
          const result = await runPostLoopInWorker(
            {
              variant,
              baseUrl: server.baseUrl,
              concurrency: options.concurrency,
              warmupSeconds: options.warmupSeconds,
              durationSeconds: options.durationSeconds,
            },
            { cwd: repoRoot, cpu: plan.serverCpu, echo: options.isVerbose },
          );
          runs.push({ variant, round, result });
          if (result.failed > 0) {
            problems.push(`${variant}: ${result.failed} failed sends (${result.firstError})`);
          }
          const previous = best.get(variant);
          if (!previous || result.requestsPerSecond > previous.requestsPerSecond) {
            best.set(variant, result);
          }
        } catch (error) {
          problems.push(`${variant}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    const count = await server.ask({ kind: 'count' }, countSchema);
    if (count.rejected > 0) problems.push(`the fake server rejected ${count.rejected} requests`);
  } finally {
    await server.stop();
  }

  const baseline = best.get('node-http')?.requestsPerSecond;
  console.log('');
  console.log(
    formatTable(
      [
        { title: 'client' },
        { title: 'sends/s', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'vs node:http', align: 'right' },
      ],
      options.only.map((variant) => {
        const result = best.get(variant);
        if (!result) return [clientVariantLabels[variant], '-', '-', '-', '-'];
        return [
          clientVariantLabels[variant],
          formatNumber(result.requestsPerSecond),
          formatNumber(result.latencyP50Ms, 2),
          formatNumber(result.latencyP99Ms, 2),
          baseline ? `${formatNumber(result.requestsPerSecond / baseline, 2)}×` : '-',
        ];
      }),
    ),
  );
  if (problems.length > 0) {
    console.log('\nProblems:');
    for (const problem of problems) console.log(`- ${problem}`);
  }
  if (options.jsonPath) {
    await writeFile(
      options.jsonPath,
      `${JSON.stringify({ benchmark: 'http-client', date: new Date().toISOString(), node: process.version, pinning: plan, options, runs }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${options.jsonPath}`);
  }
  return problems.length > 0 ? 1 : 0;
}

export const httpClientBench: Benchmark = {
  description:
    'Provider HTTP clients (node:http, undici, createHttpClient, fetch): Meta sends/s to a loopback fake',
  usage,
  run: runHttpClientBench,
};
