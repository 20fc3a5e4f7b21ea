import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { deleteRedisKeysWithPrefix } from '../test/helpers/redis-keys.js';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import { describeExit, getInterruptSignal, registerCleanup } from './lib/child-processes.js';
import { type ChildServer, startChildServer } from './lib/child-server.js';
import { runClosedLoop } from './lib/closed-loop.js';
import { type CpuPlan, planCpuPinning } from './lib/cpu-pinning.js';
import {
  cpuProfileArgs,
  formatProfileSummary,
  readCpuProfiles,
  summarizeCpuProfile,
} from './lib/cpu-profile.js';
import { type OutboundBatchResult, runOutboundDriverInWorker } from './lib/outbound-driver.js';
import { type PostLoopResult, runPostLoopInWorker } from './lib/post-loop.js';
import { measureProcessCpu } from './lib/process-cpu.js';
import { createMetaChannel, waitForQueueIdle } from './lib/recado-api.js';
import { errorMessage, measureEachMode } from './lib/recado-modes.js';
import {
  createTemporaryDataDir,
  loginToRecado,
  type RecadoEntry,
  type RecadoEntryPreference,
  type RecadoServer,
  type StartRecadoOptions,
  startRecado,
} from './lib/recado-server.js';
import { evaluateRatio, formatNumber, formatTable } from './lib/report.js';
import { countRows, type DatabaseLocation, executeStatement } from './lib/row-counts.js';
import { createTemporaryDatabase } from './lib/temporary-database.js';
import { createWebhookSource } from './lib/webhook-bodies.js';

/**
 * Outbound throughput, end to end: `POST /api/v1/messages` to a real Recado process → queue →
 * channel limiter and pair rate → meta-cloud adapter (createHttpClient) → a loopback fake Graph
 * API with no limit → status `sent` stored (seen on the realtime WebSocket, then counted in the
 * database). N messages (default 2,000) to distinct recipients whose 24-hour window is open
 * (each first writes in through a signed webhook), after a warm-up batch. The channel's limit is
 * lifted far above what is measured (SQL: the API caps it at 1,000/s), so the limiter books but
 * never waits. Baseline, same run: a raw keep-alive node:http POST loop with the same
 * concurrency to the same fake server, for 5 s. Target: messages/s >= 0.50 × baseline. Each
 * side's own CPU time per message is reported too: a ratio that does not depend on the load
 * other processes put on the machine.
 *
 * Through the API rather than the outbound service in-process: it is what users do, and the
 * intake (auth, validation, contact, conversation, the queued row) shares the one CPU with the
 * sending, so the ratio is a lower bound for the send path alone.
 */

const modes = ['embedded', 'scaled'] as const;
type Mode = (typeof modes)[number];

const ratioTarget = 0.5;
const sendJob = 'messages.send';
const webhookJob = 'messaging.process-webhook';
/** The baseline runs this long (a few thousand sends take a fraction of a second). */
const baselineSeconds = 5;
/** Far above any measured rate: the limiter still books every slot, but never makes one wait. */
const liftedRatePerSecond = 1_000_000;

export type OutboundBenchOptions = {
  count: number;
  warmupCount: number;
  concurrency: number;
  modes: Mode[];
  entry: RecadoEntryPreference;
  readyTimeoutSeconds: number;
  timeoutSeconds: number;
  databaseUrl: string;
  redisUrl: string;
  isStrict: boolean;
  jsonPath?: string;
  /** Write Recado's CPU profiles (node --cpu-prof) under this directory and summarize them. */
  profileDir?: string;
  isVerbose: boolean;
};

const usage = `Options:
  --count=<n>           messages measured, each to a distinct recipient (default 2000)
  --warmup-count=<n>    messages sent and waited for before (default 500; 0 = none)
  --concurrency=<n>     API requests in flight, and the baseline's POSTs in flight (default 16,
                        the outbound engine's send concurrency per process)
  --modes=<list>        embedded,scaled (default both, embedded first)
  --entry=<kind>        auto | dist | src (default auto: dist/main.js when it exists)
  --ready-timeout=<s>   wait this long for /health/ready (default 120)
  --timeout=<s>         wait this long for a batch to be sent (default 600)
  --strict              exit 1 when a target is missed
  --json=<file>         also write the results as JSON
  --profile=<dir>       run Recado under node --cpu-prof, profiles in <dir>/<mode>; print where
                        its CPU time went (profiling slows it: use for the why, not the numbers)
  --verbose             print the child processes' output (also BENCH_VERBOSE=1)

Environment:
  BENCH_DATABASE_URL    admin URL of the PostgreSQL server for scaled mode (a temporary database is
                        created there and dropped); default postgres://postgres@127.0.0.1:5432/postgres
  BENCH_REDIS_URL       Redis for scaled mode (keys under a unique prefix, deleted afterwards);
                        default redis://127.0.0.1:6379`;

function parseNumber(name: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) throw new Error(`--${name} must be >= ${min}`);
  return number;
}

function parseInteger(name: string, value: string | undefined, fallback: number, min = 1) {
  const number = parseNumber(name, value, fallback, min);
  if (!Number.isInteger(number)) throw new Error(`--${name} must be an integer >= ${min}`);
  return number;
}

function isMode(value: string): value is Mode {
  return (modes as readonly string[]).includes(value);
}

export function parseOutboundBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): OutboundBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      count: { type: 'string' },
      'warmup-count': { type: 'string' },
      concurrency: { type: 'string' },
      modes: { type: 'string' },
      entry: { type: 'string' },
      'ready-timeout': { type: 'string' },
      timeout: { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      profile: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const selected: Mode[] = [];
  for (const item of (values.modes ?? modes.join(',')).split(',')) {
    const mode = item.trim();
    if (!isMode(mode)) throw new Error(`--modes: unknown mode "${mode}" (use embedded, scaled)`);
    if (!selected.includes(mode)) selected.push(mode);
  }
  const entry = values.entry ?? 'auto';
  if (entry !== 'auto' && entry !== 'dist' && entry !== 'src') {
    throw new Error('--entry must be auto, dist or src');
  }
  return {
    count: parseInteger('count', values.count, 2000),
    warmupCount: parseInteger('warmup-count', values['warmup-count'], 500, 0),
    concurrency: parseInteger('concurrency', values.concurrency, 16),
    modes: selected,
    entry,
    readyTimeoutSeconds: parseNumber('ready-timeout', values['ready-timeout'], 120, 1),
    timeoutSeconds: parseNumber('timeout', values.timeout, 600, 1),
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    isStrict: values.strict ?? false,
    jsonPath: values.json,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

type ModeMeasurement = {
  mode: Mode;
  label: string;
  warmup?: OutboundBatchResult;
  measured?: OutboundBatchResult;
  /** Sends the fake Graph API received during the batches (must be one per message). */
  providerSends?: number;
  /** Outbound messages of the channel stored as `sent`. */
  storedSent?: number;
  /** From spawning the Recado that sends to the first send (to leave boot out of its profile). */
  bootMs?: number;
  /** Recado's CPU per message of the measured batch (API intake and sending). */
  cpuMsPerMessage?: number;
};

type RunContext = {
  options: OutboundBenchOptions;
  plan: CpuPlan;
  repoRoot: string;
  graph: ChildServer;
  appSecret: string;
  problems: string[];
  warnings: string[];
};

const countSchema = z.object({ kind: z.literal('count'), sends: z.number(), rejected: z.number() });

/** Messages per second of a batch, from its first POST to its last `sent`. */
export function computeSendRate(batch: OutboundBatchResult | undefined): number | undefined {
  if (!batch?.isComplete || batch.sent === 0 || batch.completeMs <= 0) return undefined;
  return (batch.sent * 1000) / batch.completeMs;
}

/** Every recipient writes first (a signed inbound webhook), which opens its 24-hour window. */
async function openServiceWindows(
  context: RunContext,
  server: RecadoServer,
  channelId: string,
  recipients: number,
) {
  const source = createWebhookSource({
    appSecret: context.appSecret,
    idPrefix: `open-${randomBytes(4).toString('hex')}`,
    senders: recipients,
    pregenerate: 0,
  });
  const agent = new Agent({ connections: 16 });
  try {
    const result = await runClosedLoop({
      concurrency: 16,
      total: recipients,
      task: async () => {
        const { body, signature } = source.next();
        const response = await request(`${server.baseUrl}/webhooks/meta-cloud/${channelId}`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`);
      },
    });
    if (result.failed > 0) {
      throw new Error(`${result.failed} inbound webhooks failed (${result.firstError})`);
    }
  } finally {
    await agent.close();
  }
  await waitForQueueIdle(server.baseUrl, webhookJob, context.options.timeoutSeconds * 1000);
}

async function countProviderSends(context: RunContext): Promise<number> {
  return (await context.graph.ask({ kind: 'count' }, countSchema)).sends;
}

async function measureMode(
  context: RunContext,
  mode: Mode,
  entry: RecadoEntry,
): Promise<ModeMeasurement> {
  const { options } = context;
  const label =
    mode === 'scaled' ? 'Recado, scaled (PostgreSQL + Redis)' : 'Recado, embedded (PGlite)';
  const measurement: ModeMeasurement = { mode, label };
  console.log(label);
  const cleanups: Array<() => Promise<void>> = [];
  const common: Omit<StartRecadoOptions, 'name'> = {
    entry: options.profileDir
      ? { ...entry, args: [...cpuProfileArgs(path.join(options.profileDir, mode)), ...entry.args] }
      : entry,
    repoRoot: context.repoRoot,
    cpu: context.plan.serverCpu,
    readyTimeoutMs: options.readyTimeoutSeconds * 1000,
    echo: options.isVerbose,
  };
  let location: DatabaseLocation;
  if (mode === 'scaled') {
    const database = await createTemporaryDatabase(options.databaseUrl);
    const keyPrefix = `recado-bench-${randomBytes(6).toString('hex')}`;
    const removeKeys = registerCleanup(() =>
      deleteRedisKeysWithPrefix(options.redisUrl, keyPrefix),
    );
    cleanups.push(removeKeys, () => database.drop());
    common.databaseUrl = database.url;
    common.redis = { url: options.redisUrl, keyPrefix };
    location = { kind: 'postgres', url: database.url };
  } else {
    const { dataDir, remove } = await createTemporaryDataDir();
    cleanups.push(remove);
    common.dataDir = dataDir;
    location = { kind: 'pglite', dataDir };
  }
  let server: RecadoServer | undefined;
  const stopServer = async () => {
    if (!server) return;
    const exit = await server.stop();
    if (exit.code !== 0)
      context.warnings.push(`Recado (${mode}) ${describeExit(exit)} on SIGTERM.`);
    server = undefined;
  };
  let spawnedAt = performance.now();
  try {
    server = await startRecado({ ...common, name: `recado-${mode}` });
    const token = await loginToRecado(server);
    const channelId = await createMetaChannel(server, token, {
      appSecret: context.appSecret,
      graphApiBaseUrl: context.graph.baseUrl,
      ratePerSecond: 1000,
    });
    const recipients = options.warmupCount + options.count;
    console.log(`  ${formatNumber(recipients)} recipients write first (opens their window)…`);
    await openServiceWindows(context, server, channelId, recipients);

    const lift = `update channels set rate_per_second = ${liftedRatePerSecond} where id = '${channelId}'`;
    if (location.kind === 'pglite') {
      // PGlite is single-process: change the row while Recado is stopped, then restart it.
      // The access token stays valid: its signing secret is stored in the database.
      await stopServer();
      await executeStatement(location, lift);
      spawnedAt = performance.now();
      server = await startRecado({ ...common, name: `recado-${mode}-restarted` });
    } else {
      await executeStatement(location, lift);
    }

    const sendsBefore = await countProviderSends(context);
    measurement.bootMs = performance.now() - spawnedAt;
    const runningServer = server;
    const sendBatch = (firstRecipient: number, count: number) =>
      runOutboundDriverInWorker(
        {
          baseUrl: runningServer.baseUrl,
          token,
          channelId,
          firstRecipient,
          count,
          concurrency: options.concurrency,
          timeoutSeconds: options.timeoutSeconds,
        },
        { cwd: context.repoRoot, cpu: context.plan.loadCpu, echo: options.isVerbose },
      );
    const checkBatch = (name: string, batch: OutboundBatchResult) => {
      if (batch.rejected > 0) {
        context.problems.push(
          `${label}, ${name}: ${batch.rejected} sends refused (${batch.firstRejection})`,
        );
      }
      if (batch.failed > 0) {
        context.problems.push(
          `${label}, ${name}: ${batch.failed} messages failed (${batch.firstFailure})`,
        );
      }
      if (!batch.isComplete) {
        context.problems.push(`${label}, ${name}: not every message was sent within --timeout`);
      }
    };
    if (options.warmupCount > 0) {
      console.log(`  warm-up: ${formatNumber(options.warmupCount)} messages…`);
      measurement.warmup = await sendBatch(0, options.warmupCount);
      checkBatch('warm-up', measurement.warmup);
      await waitForQueueIdle(server.baseUrl, sendJob, options.timeoutSeconds * 1000);
    }
    console.log(
      `  measured: ${formatNumber(options.count)} messages, ${options.concurrency} in flight…`,
    );
    const { result: measured, cpuMs } = await measureProcessCpu(server.pid, () =>
      sendBatch(options.warmupCount, options.count),
    );
    measurement.measured = measured;
    checkBatch('measured', measured);
    if (cpuMs !== undefined && measured.sent > 0)
      measurement.cpuMsPerMessage = cpuMs / measured.sent;
    await waitForQueueIdle(server.baseUrl, sendJob, options.timeoutSeconds * 1000);
    measurement.providerSends = (await countProviderSends(context)) - sendsBefore;

    if (location.kind === 'pglite') await stopServer();
    const [storedSent] = await countRows(location, [
      `select count(*) from messages where channel_id = '${channelId}' and direction = 'outbound' and status = 'sent'`,
    ]);
    measurement.storedSent = storedSent;
  } finally {
    await stopServer();
    for (const cleanup of cleanups) await cleanup();
  }
  return measurement;
}

type Check = { name: string; value: string; target: string; isMet?: boolean };

function formatCheckVerdict(isMet: boolean | undefined): string {
  if (isMet === undefined) return 'not measured';
  return isMet ? 'meets target' : 'MISSED';
}

function printReport(
  context: RunContext,
  baseline: PostLoopResult | undefined,
  measurements: ModeMeasurement[],
): Check[] {
  const { options } = context;
  console.log('');
  console.log('Runs');
  const rows: string[][] = [];
  if (baseline) {
    rows.push([
      'raw keep-alive node:http POST loop (baseline)',
      formatNumber(baseline.completed),
      '-',
      formatNumber(baseline.requestsPerSecond),
      `${formatNumber(baseline.elapsedMs / 1000, 2)} s`,
    ]);
  }
  for (const measurement of measurements) {
    for (const [name, batch] of [
      ['warm-up', measurement.warmup],
      ['measured', measurement.measured],
    ] as const) {
      if (!batch) continue;
      const intake = batch.intakeMs > 0 ? (batch.accepted * 1000) / batch.intakeMs : Number.NaN;
      rows.push([
        `${measurement.label}, ${name}`,
        formatNumber(batch.sent),
        formatNumber(intake),
        formatNumber(computeSendRate(batch) ?? Number.NaN),
        `${formatNumber(batch.completeMs / 1000, 2)} s`,
      ]);
    }
  }
  console.log(
    formatTable(
      [
        { title: 'run' },
        { title: 'sent', align: 'right' },
        { title: 'API 202/s', align: 'right' },
        { title: 'messages/s', align: 'right' },
        { title: 'first POST → last sent', align: 'right' },
      ],
      rows,
    ),
  );

  const rawCpu =
    baseline && baseline.completed > 0 ? baseline.cpuMs / baseline.completed : undefined;
  console.log('');
  console.log(
    "CPU per message: the sending process's own CPU time (utime + stime), whatever else ran",
  );
  console.log(
    formatTable(
      [
        { title: 'sender' },
        { title: 'CPU ms/message', align: 'right' },
        { title: 'messages per CPU-second', align: 'right' },
        { title: 'baseline ÷ this', align: 'right' },
      ],
      [
        { name: 'raw keep-alive node:http POST loop (baseline)', cpu: rawCpu },
        ...measurements.map((measurement) => ({
          name: measurement.label,
          cpu: measurement.cpuMsPerMessage,
        })),
      ].map(({ name, cpu }) => [
        name,
        cpu === undefined ? '-' : formatNumber(cpu, 3),
        cpu === undefined ? '-' : formatNumber(1000 / cpu),
        cpu === undefined || rawCpu === undefined ? '-' : formatNumber(rawCpu / cpu, 3),
      ]),
    ),
  );
  console.log(
    'Recado: API intake and sending in its one process; PostgreSQL and Redis CPU not counted.',
  );

  const checks: Check[] = [];
  for (const measurement of measurements) {
    const cpuRatio = evaluateRatio(
      `${measurement.label}: same, estimated from CPU per message`,
      rawCpu,
      measurement.cpuMsPerMessage,
      ratioTarget,
    );
    const ratio = evaluateRatio(
      `${measurement.label}: messages/s ÷ baseline`,
      computeSendRate(measurement.measured),
      baseline?.requestsPerSecond,
      ratioTarget,
    );
    checks.push({
      name: ratio.name,
      value: ratio.ratio === undefined ? '-' : formatNumber(ratio.ratio, 2),
      target: `>= ${formatNumber(ratioTarget, 2)}`,
      isMet: ratio.isMet,
    });
    checks.push({
      name: cpuRatio.name,
      value: cpuRatio.ratio === undefined ? '-' : formatNumber(cpuRatio.ratio, 3),
      target: `>= ${formatNumber(ratioTarget, 2)}`,
      isMet: cpuRatio.isMet,
    });
    const expected = options.warmupCount + options.count;
    if (measurement.providerSends !== undefined) {
      checks.push({
        name: `${measurement.label}: sends the fake Graph API received`,
        value: formatNumber(measurement.providerSends),
        target: `= ${formatNumber(expected)}`,
        isMet: measurement.providerSends === expected,
      });
    }
    if (measurement.storedSent !== undefined) {
      checks.push({
        name: `${measurement.label}: messages stored as sent`,
        value: formatNumber(measurement.storedSent),
        target: `= ${formatNumber(expected)}`,
        isMet: measurement.storedSent === expected,
      });
    }
  }
  console.log('');
  console.log('Targets');
  console.log(
    formatTable(
      [
        { title: 'check' },
        { title: 'value', align: 'right' },
        { title: 'target', align: 'right' },
        { title: 'verdict' },
      ],
      checks.map((check) => [
        check.name,
        check.value,
        check.target,
        formatCheckVerdict(check.isMet),
      ]),
    ),
  );
  for (const warning of context.warnings) console.log(`\nWarning: ${warning}`);
  if (context.problems.length > 0) {
    console.log('\nProblems (these measurements are missing or not valid):');
    for (const problem of context.problems) console.log(`- ${problem.replaceAll('\n', '\n  ')}`);
  }
  return checks;
}

async function runOutboundBench(args: readonly string[]): Promise<number> {
  const options = parseOutboundBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const plan = planCpuPinning();
  console.log(
    'Outbound benchmark (API → queue → limiter → meta-cloud adapter → fake Graph API → sent)',
  );
  console.log(
    `  ${formatNumber(options.count)} messages after ${formatNumber(options.warmupCount)} warm-up, ${options.concurrency} in flight`,
  );
  console.log(
    `  CPUs: Recado and the baseline loop on ${plan.serverCpu ?? 'any'}, fake Graph API and the API client on ${plan.loadCpu ?? 'any'}`,
  );
  console.log(`  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()})`);
  const warnings: string[] = [];
  const [loadAverage = 0] = loadavg();
  if (loadAverage > 1) {
    warnings.push(
      `the machine was busy before the run (load average ${loadAverage.toFixed(1)}): absolute numbers and even ratios are unreliable.`,
    );
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);
  }
  console.log('');

  const graph = await startChildServer({
    name: 'fake-graph',
    script: new URL('./lib/fake-graph-server.ts', import.meta.url),
    cwd: repoRoot,
    cpu: plan.loadCpu,
    echo: options.isVerbose,
  });
  const context: RunContext = {
    options,
    plan,
    repoRoot,
    graph,
    appSecret: randomBytes(16).toString('hex'),
    problems: [],
    warnings,
  };
  let baseline: PostLoopResult | undefined;
  const measurements: ModeMeasurement[] = [];
  try {
    console.log(
      `Baseline: raw keep-alive node:http POST loop, ${options.concurrency} in flight, 2 s warm-up + ${baselineSeconds} s…`,
    );
    try {
      baseline = await runPostLoopInWorker(
        {
          variant: 'node-http',
          baseUrl: graph.baseUrl,
          concurrency: options.concurrency,
          warmupSeconds: 2,
          durationSeconds: baselineSeconds,
        },
        { cwd: repoRoot, cpu: plan.serverCpu, echo: options.isVerbose },
      );
      if (baseline.failed > 0) {
        context.problems.push(`baseline: ${baseline.failed} sends failed (${baseline.firstError})`);
      }
    } catch (error) {
      context.problems.push(`baseline: ${errorMessage(error)}`);
    }
    measurements.push(
      ...(await measureEachMode({
        preference: options.entry,
        repoRoot,
        modes: options.modes,
        warnings,
        problems: context.problems,
        measure: (mode, entry) => measureMode(context, mode, entry),
      })),
    );
  } finally {
    await graph.stop();
  }
  if (getInterruptSignal()) return 130;

  const checks = printReport(context, baseline, measurements);
  if (options.profileDir) {
    for (const mode of options.modes) {
      const profiles = await readCpuProfiles(path.join(options.profileDir, mode)).catch(() => []);
      // The last profile is the process that sent the batches (embedded mode restarts once).
      const last = profiles.at(-1);
      if (!last) continue;
      const bootMs = measurements.find((measurement) => measurement.mode === mode)?.bootMs ?? 0;
      console.log(
        `\nWhere Recado (${mode}) spent its CPU while sending (the first ${formatNumber(bootMs / 1000, 1)} s left out) — ${last.file}`,
      );
      console.log(formatProfileSummary(summarizeCpuProfile(last.profile, { skipFirstMs: bootMs })));
    }
  }
  if (options.jsonPath) {
    await writeFile(
      options.jsonPath,
      `${JSON.stringify({ benchmark: 'outbound', date: new Date().toISOString(), node: process.version, pinning: plan, options: { ...options, databaseUrl: undefined }, baseline, measurements, checks, warnings, problems: context.problems }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${options.jsonPath}`);
  }
  if (context.problems.length > 0) return 1;
  if (options.isStrict && checks.some((check) => check.isMet === false)) return 1;
  return 0;
}

export const outboundBench: Benchmark = {
  description:
    'Outbound messages/s, API to stored `sent` through a loopback fake Graph API, against a raw keep-alive POST loop',
  usage,
  run: runOutboundBench,
};
