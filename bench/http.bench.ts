import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg, release } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import {
  describeExit,
  getInterruptSignal,
  readRssBytes,
  sampleRssBytes,
} from './lib/child-processes.js';
import { type CpuPlan, planCpuPinning } from './lib/cpu-pinning.js';
import { type LoadResult, runLoad } from './lib/load-generator.js';
import { startRawBaseline } from './lib/raw-baseline.js';
import {
  createTemporaryDataDir,
  expectOk,
  loginToRecado,
  type RecadoEntry,
  type RecadoEntryPreference,
  type RecadoServer,
  resolveRecadoEntry,
  startRecado,
} from './lib/recado-server.js';
import {
  evaluateRatio,
  formatMebibytes,
  formatNumber,
  formatTable,
  formatVerdict,
  type RatioVerdict,
} from './lib/report.js';
import { createTemporaryDatabase } from './lib/temporary-database.js';

/**
 * HTTP throughput of Recado against a raw node:http baseline measured in the same run, on the
 * same machine, with the server and the load generator pinned to different CPUs:
 *   raw     node:http answering {"status":"ok"}
 *   health  GET /health/live                  target >= 0.60 × raw
 *   me      GET /api/v1/me with a bearer token  target >= 0.25 × raw
 *   rss     idle RSS after start: embedded (PGlite) and, with BENCH_DATABASE_URL, PostgreSQL
 */

const measurementIds = ['raw', 'health', 'me', 'rss'] as const;
type MeasurementId = (typeof measurementIds)[number];
type LoadMeasurementId = Exclude<MeasurementId, 'rss'>;

const targets = { health: 0.6, me: 0.25 } as const;

/** 1-minute load average above which the run is flagged as noisy. */
const busyLoadAverage = 1;

/** How long Recado sits idle after /health/ready before its RSS is read. */
const idleSettleMs = 5_000;

export type HttpBenchOptions = {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: number;
  only: ReadonlySet<MeasurementId>;
  entry: RecadoEntryPreference;
  readyTimeoutSeconds: number;
  isStrict: boolean;
  jsonPath?: string;
  isVerbose: boolean;
};

const usage = `Options:
  --duration=<s>        measured run per endpoint (default 10)
  --warmup=<s>          warm-up run before each measurement (default 5; 0 = none)
  --connections=<n>     concurrent connections (default 50)
  --pipelining=<n>      requests in flight per connection (default 1)
  --only=<list>         any of raw,health,me,rss (default: all)
  --entry=<kind>        auto | dist | src: the built dist/main.js or src/main.ts via tsx
                        (default auto: dist/main.js when it exists)
  --ready-timeout=<s>   wait this long for /health/ready (default 120)
  --strict              exit 1 when a ratio is below its target
  --json=<file>         also write the results as JSON
  --verbose             print the servers' output (also BENCH_VERBOSE=1)

Environment:
  BENCH_DATABASE_URL    admin URL of a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres);
                        when set, the idle RSS is also measured against a fresh database there
                        (created, then dropped).`;

function parsePositiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`--${name} must be a number >= 0`);
  return number;
}

function parseCount(name: string, value: string | undefined, fallback: number): number {
  const number = parsePositiveNumber(name, value, fallback);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be an integer >= 1`);
  return number;
}

function isMeasurementId(value: string): value is MeasurementId {
  return (measurementIds as readonly string[]).includes(value);
}

function isEntryPreference(value: string): value is RecadoEntryPreference {
  return value === 'auto' || value === 'dist' || value === 'src';
}

export function parseHttpBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): HttpBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      pipelining: { type: 'string' },
      only: { type: 'string' },
      entry: { type: 'string' },
      'ready-timeout': { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });

  const only = new Set<MeasurementId>();
  for (const item of (values.only ?? measurementIds.join(',')).split(',')) {
    const id = item.trim();
    if (!isMeasurementId(id)) {
      throw new Error(`--only: unknown measurement "${id}" (use ${measurementIds.join(', ')})`);
    }
    only.add(id);
  }
  const entry = values.entry ?? 'auto';
  if (!isEntryPreference(entry)) throw new Error('--entry must be auto, dist or src');

  const durationSeconds = parsePositiveNumber('duration', values.duration, 10);
  if (durationSeconds <= 0) throw new Error('--duration must be > 0');
  return {
    durationSeconds,
    warmupSeconds: parsePositiveNumber('warmup', values.warmup, 5),
    connections: parseCount('connections', values.connections, 50),
    pipelining: parseCount('pipelining', values.pipelining, 1),
    only,
    entry,
    readyTimeoutSeconds: parsePositiveNumber('ready-timeout', values['ready-timeout'], 120),
    isStrict: values.strict ?? false,
    jsonPath: values.json,
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

type LoadMeasurement = {
  id: LoadMeasurementId;
  label: string;
  result?: LoadResult;
  error?: string;
};
type RssReading = { label: string; bytes?: number; note?: string };

const loadLabels: Record<LoadMeasurementId, string> = {
  raw: 'raw node:http (baseline)',
  health: 'GET /health/live',
  me: 'GET /api/v1/me (bearer)',
};

/** A run with errors, timeouts or non-2xx answers did not measure the endpoint. */
function findLoadProblem(result: LoadResult): string | undefined {
  if (result.errors === 0 && result.timeouts === 0 && result.non2xx === 0) return undefined;
  const codes = Object.entries(result.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${code}×${count}`)
    .join(', ');
  return `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}${codes ? ` (${codes})` : ''}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type RunContext = {
  options: HttpBenchOptions;
  plan: CpuPlan;
  repoRoot: string;
  measurements: LoadMeasurement[];
  rss: RssReading[];
  problems: string[];
  warnings: string[];
};

async function measureLoad(
  context: RunContext,
  id: LoadMeasurementId,
  url: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const label = loadLabels[id];
  const { options } = context;
  console.log(
    `  ${label}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured…`,
  );
  try {
    await expectOk(url, headers);
    const result = await runLoad(
      {
        url,
        headers,
        connections: options.connections,
        pipelining: options.pipelining,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
      },
      { cpu: context.plan.loadCpu, cwd: context.repoRoot, echo: options.isVerbose },
    );
    const problem = findLoadProblem(result);
    if (problem) context.problems.push(`${label}: ${problem}`);
    context.measurements.push({ id, label, result, error: problem });
  } catch (error) {
    context.problems.push(`${label}: ${errorMessage(error)}`);
    context.measurements.push({ id, label, error: errorMessage(error) });
  }
}

async function measureRawBaseline(context: RunContext): Promise<void> {
  console.log('Baseline (node:http)');
  try {
    const server = await startRawBaseline({ cpu: context.plan.serverCpu, cwd: context.repoRoot });
    try {
      await measureLoad(context, 'raw', `${server.baseUrl}/`);
    } finally {
      await server.child.stop(5_000);
    }
  } catch (error) {
    context.problems.push(`baseline server: ${errorMessage(error)}`);
  }
}

async function measureIdleRss(context: RunContext, label: string, pid: number): Promise<void> {
  console.log(`  idle RSS (${label}): ${idleSettleMs / 1000} s settle, then sampled…`);
  await delay(idleSettleMs);
  context.rss.push({ label, bytes: await sampleRssBytes(pid) });
}

/**
 * Embedded mode: first boot (PGlite initdb + migrations) with its idle RSS, the load runs,
 * then, for the RSS, a restart on the same DATA_DIR — what a server looks like on every
 * start after its first.
 */
async function measureEmbeddedRecado(context: RunContext, entry: RecadoEntry): Promise<void> {
  const { options } = context;
  console.log('Recado, embedded mode (PGlite, in-process queue)');
  const { dataDir, remove } = await createTemporaryDataDir();
  const start = (name: string) =>
    startRecado({
      name,
      entry,
      repoRoot: context.repoRoot,
      dataDir,
      cpu: context.plan.serverCpu,
      readyTimeoutMs: options.readyTimeoutSeconds * 1000,
      echo: options.isVerbose,
    });
  try {
    await runEmbeddedLoad(context, await start('recado-embedded'));
    if (options.only.has('rss')) {
      const restarted = await start('recado-embedded-restart');
      try {
        await measureIdleRss(context, 'embedded (PGlite), idle after a restart', restarted.pid);
      } finally {
        await stopRecado(context, restarted, 'embedded, restart');
      }
    }
  } finally {
    await remove();
  }
}

async function stopRecado(context: RunContext, server: RecadoServer, label: string) {
  const exit = await server.stop();
  if (exit.code !== 0) {
    context.warnings.push(
      `Recado (${label}) ${describeExit(exit)} on SIGTERM; a graceful shutdown exits 0.`,
    );
  }
}

async function runEmbeddedLoad(context: RunContext, server: RecadoServer): Promise<void> {
  const { options } = context;
  try {
    if (options.only.has('rss')) {
      await measureIdleRss(context, 'embedded (PGlite), idle after first boot', server.pid);
    }
    if (options.only.has('health')) {
      await measureLoad(context, 'health', `${server.baseUrl}/health/live`);
    }
    if (options.only.has('me')) {
      try {
        const token = await loginToRecado(server);
        await measureLoad(context, 'me', `${server.baseUrl}/api/v1/me`, {
          authorization: `Bearer ${token}`,
        });
      } catch (error) {
        context.problems.push(`${loadLabels.me}: ${errorMessage(error)}`);
        context.measurements.push({ id: 'me', label: loadLabels.me, error: errorMessage(error) });
      }
    }
    if (options.only.has('health') || options.only.has('me')) {
      context.rss.push({
        label: 'embedded (PGlite), after the load runs',
        bytes: await readRssBytes(server.pid),
      });
    }
  } finally {
    await stopRecado(context, server, 'embedded');
  }
}

async function measurePostgresRss(context: RunContext, entry: RecadoEntry): Promise<void> {
  const label = 'external PostgreSQL, idle after start';
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    context.rss.push({ label, note: 'skipped: set BENCH_DATABASE_URL to measure' });
    return;
  }
  console.log('Recado with external PostgreSQL (idle RSS)');
  try {
    const database = await createTemporaryDatabase(adminUrl);
    try {
      const server = await startRecado({
        name: 'recado-postgres',
        entry,
        repoRoot: context.repoRoot,
        cpu: context.plan.serverCpu,
        databaseUrl: database.url,
        readyTimeoutMs: context.options.readyTimeoutSeconds * 1000,
        echo: context.options.isVerbose,
      });
      try {
        await measureIdleRss(context, label, server.pid);
      } finally {
        await stopRecado(context, server, 'PostgreSQL');
      }
    } finally {
      await database.drop();
    }
  } catch (error) {
    context.problems.push(`${label}: ${errorMessage(error)}`);
    context.rss.push({ label, note: 'failed (see below)' });
  }
}

function findRequestsPerSecond(context: RunContext, id: LoadMeasurementId): number | undefined {
  const measurement = context.measurements.find((item) => item.id === id);
  if (!measurement?.result || measurement.error) return undefined;
  return measurement.result.requestsPerSecond;
}

function printReport(context: RunContext, verdicts: readonly RatioVerdict[]): void {
  console.log('');
  console.log('Throughput');
  console.log(
    formatTable(
      [
        { title: 'endpoint' },
        { title: 'req/s', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'requests', align: 'right' },
        { title: 'valid' },
      ],
      context.measurements.map(({ label, result, error }) =>
        result
          ? [
              label,
              formatNumber(result.requestsPerSecond),
              formatNumber(result.latencyP50Ms, 1),
              formatNumber(result.latencyP99Ms, 1),
              formatNumber(result.totalRequests),
              error ? 'NO' : 'yes',
            ]
          : [label, '-', '-', '-', '-', 'NO (failed)'],
      ),
    ),
  );

  console.log('');
  console.log('Ratios against the baseline (same run, same machine)');
  console.log(
    formatTable(
      [
        { title: 'ratio' },
        { title: 'value', align: 'right' },
        { title: 'target', align: 'right' },
        { title: 'verdict' },
      ],
      verdicts.map((verdict) => [
        verdict.name,
        verdict.ratio === undefined ? '-' : formatNumber(verdict.ratio, 2),
        `>= ${formatNumber(verdict.target, 2)}`,
        formatVerdict(verdict),
      ]),
    ),
  );

  if (context.rss.length > 0) {
    console.log('');
    console.log('Resident memory of the Recado process');
    console.log(
      formatTable(
        [{ title: 'state' }, { title: 'RSS', align: 'right' }, { title: 'note' }],
        context.rss.map(({ label, bytes, note }) => [
          label,
          bytes === undefined ? '-' : formatMebibytes(bytes),
          note ?? '',
        ]),
      ),
    );
  }

  for (const warning of context.warnings) console.log(`\nWarning: ${warning}`);
  if (context.problems.length > 0) {
    console.log('\nProblems (these measurements are missing or not valid):');
    for (const problem of context.problems) console.log(`- ${problem.replaceAll('\n', '\n  ')}`);
  }
}

async function runHttpBench(args: readonly string[]): Promise<number> {
  const options = parseHttpBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const plan = planCpuPinning();
  const context: RunContext = {
    options,
    plan,
    repoRoot,
    measurements: [],
    rss: [],
    problems: [],
    warnings: [],
  };

  console.log('HTTP benchmark');
  console.log(
    `  ${options.connections} connections, pipelining ${options.pipelining}, ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per endpoint`,
  );
  console.log(`  CPUs: ${plan.description}`);
  console.log(
    `  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()}, Linux ${release()})`,
  );
  const [loadAverage = 0] = loadavg();
  if (loadAverage > busyLoadAverage) {
    context.warnings.push(
      `the machine was busy before the run (load average ${loadAverage.toFixed(1)}): other processes share the pinned CPUs, so absolute numbers and even ratios are unreliable.`,
    );
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);
  }
  console.log('');

  if (options.only.has('raw')) await measureRawBaseline(context);

  const needsRecado = ['health', 'me', 'rss'].some((id) =>
    context.options.only.has(id as MeasurementId),
  );
  if (needsRecado) {
    try {
      const entry = await resolveRecadoEntry(options.entry, repoRoot);
      console.log(`Recado entry: ${entry.label}`);
      if (entry.warning) context.warnings.push(entry.warning);
      try {
        await measureEmbeddedRecado(context, entry);
      } catch (error) {
        context.problems.push(`Recado (embedded): ${errorMessage(error)}`);
      }
      if (options.only.has('rss')) await measurePostgresRss(context, entry);
    } catch (error) {
      context.problems.push(`Recado: ${errorMessage(error)}`);
    }
  }

  // Ctrl-C: children are gone and cleanup is running; a report now would only list the damage.
  if (getInterruptSignal()) return 130;

  const raw = findRequestsPerSecond(context, 'raw');
  const verdicts = [
    evaluateRatio('health/raw', findRequestsPerSecond(context, 'health'), raw, targets.health),
    evaluateRatio('me/raw', findRequestsPerSecond(context, 'me'), raw, targets.me),
  ];
  printReport(context, verdicts);

  if (options.jsonPath) {
    const report = {
      benchmark: 'http',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      pinning: plan,
      options: { ...options, only: [...options.only] },
      measurements: context.measurements,
      ratios: verdicts,
      rss: context.rss,
      warnings: context.warnings,
      problems: context.problems,
    };
    await writeFile(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nJSON written to ${options.jsonPath}`);
  }

  if (context.problems.length > 0) return 1;
  if (options.isStrict && verdicts.some((verdict) => verdict.isMet === false)) return 1;
  return 0;
}

export const httpBench: Benchmark = {
  description:
    'HTTP req/s of /health/live and /api/v1/me against a raw node:http baseline; idle RSS',
  usage,
  run: runHttpBench,
};
