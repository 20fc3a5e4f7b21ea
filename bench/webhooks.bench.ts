import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deleteRedisKeysWithPrefix } from '../test/helpers/redis-keys.js';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import { describeExit, getInterruptSignal, registerCleanup } from './lib/child-processes.js';
import { startChildServer } from './lib/child-server.js';
import { type CpuPlan, planCpuPinning } from './lib/cpu-pinning.js';
import {
  cpuProfileArgs,
  formatProfileSummary,
  readCpuProfiles,
  summarizeCpuProfile,
} from './lib/cpu-profile.js';
import { measureProcessCpu } from './lib/process-cpu.js';
import { createMetaChannel, waitForQueueIdle } from './lib/recado-api.js';
import { errorMessage, measureEachMode } from './lib/recado-modes.js';
import {
  createTemporaryDataDir,
  loginToRecado,
  type RecadoEntry,
  type RecadoEntryPreference,
  type RecadoServer,
  startRecado,
} from './lib/recado-server.js';
import { evaluateRatio, formatNumber, formatTable } from './lib/report.js';
import { countRows, type DatabaseLocation } from './lib/row-counts.js';
import { createTemporaryDatabase } from './lib/temporary-database.js';
import {
  runWebhookLoadInWorker,
  type WebhookLoadRequest,
  type WebhookPhase,
  type WebhookPhaseResult,
} from './lib/webhook-load.js';

/**
 * Webhook intake: signed Meta message webhooks, every one a distinct message, posted to a real
 * Recado process (`POST /webhooks/meta-cloud/:channelId`: verify the signature, store the
 * delivery, enqueue, then 200) against a raw node:http server that reads the body, checks the
 * HMAC and answers 200 — same machine, same run, server and load pinned to different CPUs.
 *   scaled    PostgreSQL (a temporary database) + Redis (a unique key prefix)   target >= 0.40 × raw
 *   embedded  PGlite in a temporary DATA_DIR, in-process queue                  (reported alike)
 * Then, at half the measured Recado rate, the latency: a paced open loop (steady, latency from
 * each request's due time) and autocannon's `overallRate`. Targets p50 <= 5 ms, p99 <= 25 ms.
 * Finally the deliveries stored are counted: every 200 must have one (durable before 200).
 * Each server's own CPU time per request at full speed is reported too (Recado's includes
 * processing what it stored): a ratio that does not depend on the load other processes put on
 * the machine.
 */

const modes = ['scaled', 'embedded'] as const;
type Mode = (typeof modes)[number];

const ratioTarget = 0.4;
const latencyTargets = { p50Ms: 5, p99Ms: 25 } as const;
const webhookJob = 'messaging.process-webhook';

export type WebhooksBenchOptions = {
  durationSeconds: number;
  warmupSeconds: number;
  halfSeconds: number;
  connections: number;
  senders: number;
  pregenerate: number;
  modes: Mode[];
  /** `api`: intake alone — nothing processes the stored deliveries (a diagnostic). */
  role: 'all' | 'api';
  entry: RecadoEntryPreference;
  readyTimeoutSeconds: number;
  drainTimeoutSeconds: number;
  databaseUrl: string;
  redisUrl: string;
  isStrict: boolean;
  jsonPath?: string;
  /** Write Recado's CPU profiles (node --cpu-prof) under this directory and summarize them. */
  profileDir?: string;
  isVerbose: boolean;
};

const usage = `Options:
  --duration=<s>        measured run at full speed, baseline and each mode (default 10)
  --warmup=<s>          warm-up before it (default 5; 0 = none)
  --half-duration=<s>   each latency run at half the measured rate (default 10)
  --connections=<n>     concurrent connections of the full-speed runs (default 50)
  --senders=<n>         distinct WhatsApp users the messages come from (default 1000)
  --pregenerate=<n>     signed bodies made before each load process starts (default 200000)
  --modes=<list>        scaled,embedded (default both, scaled first)
  --role=<role>         all | api (default all: the deliveries are processed in the same process,
                        as they are in production; api: intake alone, nothing processes them)
  --entry=<kind>        auto | dist | src (default auto: dist/main.js when it exists)
  --ready-timeout=<s>   wait this long for /health/ready (default 120)
  --drain-timeout=<s>   wait this long for the stored deliveries to be processed (default 600)
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

function parseNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`--${name} must be a number >= 0`);
  return number;
}

function parseCount(name: string, value: string | undefined, fallback: number): number {
  const number = parseNumber(name, value, fallback);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be an integer >= 1`);
  return number;
}

function isMode(value: string): value is Mode {
  return (modes as readonly string[]).includes(value);
}

export function parseWebhooksBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): WebhooksBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'half-duration': { type: 'string' },
      connections: { type: 'string' },
      senders: { type: 'string' },
      pregenerate: { type: 'string' },
      modes: { type: 'string' },
      role: { type: 'string' },
      entry: { type: 'string' },
      'ready-timeout': { type: 'string' },
      'drain-timeout': { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      profile: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const selected: Mode[] = [];
  for (const item of (values.modes ?? modes.join(',')).split(',')) {
    const mode = item.trim();
    if (!isMode(mode)) throw new Error(`--modes: unknown mode "${mode}" (use scaled, embedded)`);
    if (!selected.includes(mode)) selected.push(mode);
  }
  const entry = values.entry ?? 'auto';
  if (entry !== 'auto' && entry !== 'dist' && entry !== 'src') {
    throw new Error('--entry must be auto, dist or src');
  }
  const role = values.role ?? 'all';
  if (role !== 'all' && role !== 'api') throw new Error('--role must be all or api');
  const durationSeconds = parseNumber('duration', values.duration, 10);
  const halfSeconds = parseNumber('half-duration', values['half-duration'], 10);
  if (durationSeconds <= 0 || halfSeconds <= 0) {
    throw new Error('--duration and --half-duration must be > 0');
  }
  return {
    durationSeconds,
    warmupSeconds: parseNumber('warmup', values.warmup, 5),
    halfSeconds,
    connections: parseCount('connections', values.connections, 50),
    senders: parseCount('senders', values.senders, 1000),
    pregenerate: Math.floor(parseNumber('pregenerate', values.pregenerate, 200_000)),
    modes: selected,
    role,
    entry,
    readyTimeoutSeconds: parseNumber('ready-timeout', values['ready-timeout'], 120),
    drainTimeoutSeconds: parseNumber('drain-timeout', values['drain-timeout'], 600),
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    isStrict: values.strict ?? false,
    jsonPath: values.json,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

/** What one server (baseline or Recado in a mode) measured. */
type ServerMeasurement = {
  label: string;
  full?: WebhookPhaseResult;
  paced?: WebhookPhaseResult;
  rate?: WebhookPhaseResult;
  /** Every phase against this server, warm-up included (for the durability count). */
  phases: WebhookPhaseResult[];
  stored?: number;
  processed?: number;
  drainMs?: number;
  generatedLate: number;
  /** From spawning Recado to the first load request (to leave boot out of its CPU profile). */
  bootMs?: number;
  /** Server CPU per answered request in the full-speed run (Recado: processing included). */
  cpuMsPerRequest?: number;
};

type RunContext = {
  options: WebhooksBenchOptions;
  plan: CpuPlan;
  repoRoot: string;
  appSecret: string;
  problems: string[];
  warnings: string[];
};

/** Non-2xx answers and errors mean the run did not measure what it says. */
function findPhaseProblem(result: WebhookPhaseResult): string | undefined {
  if (result.non2xx === 0 && result.errors === 0) return undefined;
  const codes = Object.entries(result.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${code}×${count}`)
    .join(', ');
  return `${result.label}: non-2xx ${result.non2xx}${codes ? ` (${codes})` : ''}, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}`;
}

async function runLoad(
  context: RunContext,
  url: string,
  phases: WebhookPhase[],
  measurement: ServerMeasurement,
): Promise<WebhookPhaseResult[]> {
  const request: WebhookLoadRequest = {
    url,
    appSecret: context.appSecret,
    idPrefix: randomBytes(6).toString('hex'),
    senders: context.options.senders,
    pregenerate: context.options.pregenerate,
    connections: context.options.connections,
    phases,
  };
  const result = await runWebhookLoadInWorker(request, {
    cwd: context.repoRoot,
    cpu: context.plan.loadCpu,
    echo: context.options.isVerbose,
  });
  measurement.generatedLate += result.generatedLate;
  for (const phase of result.phases) {
    measurement.phases.push(phase);
    const problem = findPhaseProblem(phase);
    if (problem) context.problems.push(`${measurement.label}, ${problem}`);
  }
  return result.phases;
}

/**
 * Warm-up, then the measured full-speed run with the server's CPU time read around it. For
 * Recado (`drainAfter`), the backlog the run stored is processed before the CPU is read again:
 * processing is part of what a webhook costs (with --role=api there is none).
 */
async function runFullSpeed(
  context: RunContext,
  url: string,
  measurement: ServerMeasurement,
  pid: number | undefined,
  drainAfter?: () => Promise<unknown>,
): Promise<WebhookPhaseResult | undefined> {
  const { options } = context;
  if (options.warmupSeconds > 0) {
    await runLoad(
      context,
      url,
      [{ kind: 'max', label: 'warm-up', seconds: options.warmupSeconds }],
      measurement,
    );
    await drainAfter?.();
  }
  const { result, cpuMs } = await measureProcessCpu(pid, async () => {
    const phases = await runLoad(
      context,
      url,
      [{ kind: 'max', label: 'full speed', seconds: options.durationSeconds }],
      measurement,
    );
    await drainAfter?.();
    return phases.at(-1);
  });
  measurement.full = result;
  const answered = result ? result.ok + result.non2xx : 0;
  if (cpuMs !== undefined && answered > 0) measurement.cpuMsPerRequest = cpuMs / answered;
  return result;
}

async function measureBaseline(context: RunContext): Promise<ServerMeasurement> {
  const measurement: ServerMeasurement = {
    label: 'raw node:http + HMAC (baseline)',
    phases: [],
    generatedLate: 0,
  };
  console.log('Baseline: node:http reading the body and checking the HMAC');
  const server = await startChildServer({
    name: 'raw-webhook-server',
    script: new URL('./lib/raw-webhook-server.ts', import.meta.url),
    cwd: context.repoRoot,
    cpu: context.plan.serverCpu,
    env: { ...process.env, BENCH_APP_SECRET: context.appSecret },
    echo: context.options.isVerbose,
  });
  try {
    await runFullSpeed(
      context,
      `${server.baseUrl}/webhooks/meta-cloud/00000000-0000-4000-8000-000000000000`,
      measurement,
      server.child.process.pid,
    );
  } finally {
    await server.stop();
  }
  return measurement;
}

/** A mode's Recado: started, its database location, and how to clean up. */
type ModeServer = {
  server: RecadoServer;
  location: DatabaseLocation;
  /** Stops Recado (and, for embedded mode, keeps DATA_DIR until `cleanup`). */
  stop(): Promise<void>;
  cleanup(): Promise<void>;
};

async function startModeServer(
  context: RunContext,
  mode: Mode,
  entry: RecadoEntry,
): Promise<ModeServer> {
  const { options } = context;
  const profiledEntry = options.profileDir
    ? { ...entry, args: [...cpuProfileArgs(path.join(options.profileDir, mode)), ...entry.args] }
    : entry;
  const common = {
    name: `recado-${mode}`,
    entry: profiledEntry,
    role: options.role,
    repoRoot: context.repoRoot,
    cpu: context.plan.serverCpu,
    readyTimeoutMs: options.readyTimeoutSeconds * 1000,
    echo: options.isVerbose,
  };
  const warnOnExit = async (server: RecadoServer) => {
    const exit = await server.stop();
    if (exit.code !== 0) {
      context.warnings.push(`Recado (${mode}) ${describeExit(exit)} on SIGTERM.`);
    }
  };
  if (mode === 'scaled') {
    const database = await createTemporaryDatabase(options.databaseUrl);
    const keyPrefix = `recado-bench-${randomBytes(6).toString('hex')}`;
    const removeKeys = registerCleanup(() =>
      deleteRedisKeysWithPrefix(options.redisUrl, keyPrefix),
    );
    try {
      const server = await startRecado({
        ...common,
        databaseUrl: database.url,
        redis: { url: options.redisUrl, keyPrefix },
      });
      let isStopped = false;
      const stop = async () => {
        if (isStopped) return;
        isStopped = true;
        await warnOnExit(server);
      };
      return {
        server,
        location: { kind: 'postgres', url: database.url },
        stop,
        cleanup: async () => {
          await stop();
          await removeKeys();
          await database.drop();
        },
      };
    } catch (error) {
      await removeKeys();
      await database.drop();
      throw error;
    }
  }
  const { dataDir, remove } = await createTemporaryDataDir();
  try {
    const server = await startRecado({ ...common, dataDir });
    let isStopped = false;
    const stop = async () => {
      if (isStopped) return;
      isStopped = true;
      await warnOnExit(server);
    };
    return {
      server,
      location: { kind: 'pglite', dataDir },
      stop,
      cleanup: async () => {
        await stop();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function drain(context: RunContext, server: RecadoServer, measurement: ServerMeasurement) {
  if (context.options.role === 'api') return 0; // Nothing processes them: nothing to wait for.
  const waitedMs = await waitForQueueIdle(
    server.baseUrl,
    webhookJob,
    context.options.drainTimeoutSeconds * 1000,
  );
  measurement.drainMs = (measurement.drainMs ?? 0) + waitedMs;
  return waitedMs;
}

async function measureRecado(
  context: RunContext,
  mode: Mode,
  entry: RecadoEntry,
): Promise<ServerMeasurement> {
  const { options } = context;
  const label =
    mode === 'scaled' ? 'Recado, scaled (PostgreSQL + Redis)' : 'Recado, embedded (PGlite)';
  const measurement: ServerMeasurement = { label, phases: [], generatedLate: 0 };
  console.log(label);
  const spawnedAt = performance.now();
  const started = await startModeServer(context, mode, entry);
  try {
    const { server } = started;
    const token = await loginToRecado(server);
    const channelId = await createMetaChannel(server, token, { appSecret: context.appSecret });
    const url = `${server.baseUrl}/webhooks/meta-cloud/${channelId}`;
    measurement.bootMs = performance.now() - spawnedAt;

    console.log(
      `  full speed: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s, ${options.connections} connections…`,
    );
    const full = await runFullSpeed(context, url, measurement, server.pid, async () => {
      if (options.role === 'api') return;
      const waitedMs = await drain(context, server, measurement);
      console.log(`  stored backlog processed in ${formatNumber(waitedMs / 1000, 1)} s`);
    });
    console.log(`  ${formatNumber(full?.requestsPerSecond ?? 0)} req/s at full speed`);

    const halfRate = (full?.requestsPerSecond ?? 0) / 2;
    if (halfRate >= 1) {
      console.log(
        `  half load, paced: ${formatNumber(halfRate)} req/s for ${options.halfSeconds} s…`,
      );
      [measurement.paced] = await runLoad(
        context,
        url,
        [
          {
            kind: 'paced',
            label: 'half load, paced',
            seconds: options.halfSeconds,
            ratePerSecond: halfRate,
            maxInFlight: 512,
          },
        ],
        measurement,
      );
      await drain(context, server, measurement);
      console.log(
        `  half load, autocannon overallRate: ${formatNumber(halfRate)} req/s for ${options.halfSeconds} s…`,
      );
      [measurement.rate] = await runLoad(
        context,
        url,
        [
          {
            kind: 'rate',
            label: 'half load, autocannon overallRate',
            seconds: options.halfSeconds,
            ratePerSecond: halfRate,
          },
        ],
        measurement,
      );
      await drain(context, server, measurement);
    } else {
      context.problems.push(`${label}: no full-speed rate, so no half-load runs`);
    }

    // Durable before 200: count what is stored (PGlite only once the server has let go).
    if (started.location.kind === 'pglite') await started.stop();
    const [stored, processed] = await countRows(started.location, [
      `select count(*) from webhook_deliveries where channel_id = '${channelId}'`,
      `select count(*) from webhook_deliveries where channel_id = '${channelId}' and status = 'processed'`,
    ]);
    measurement.stored = stored;
    measurement.processed = processed;
  } finally {
    await started.cleanup();
  }
  return measurement;
}

type Check = { name: string; value: string; target: string; isMet?: boolean };

function formatCheckVerdict(isMet: boolean | undefined): string {
  if (isMet === undefined) return 'not measured';
  return isMet ? 'meets target' : 'MISSED';
}

function latencyChecks(label: string, result: WebhookPhaseResult | undefined): Check[] {
  if (!result) return [];
  return [
    {
      name: `${label} p50`,
      value: `${formatNumber(result.latencyP50Ms, 2)} ms`,
      target: `<= ${latencyTargets.p50Ms} ms`,
      isMet: result.latencyP50Ms <= latencyTargets.p50Ms,
    },
    {
      name: `${label} p99`,
      value: `${formatNumber(result.latencyP99Ms, 2)} ms`,
      target: `<= ${latencyTargets.p99Ms} ms`,
      isMet: result.latencyP99Ms <= latencyTargets.p99Ms,
    },
  ];
}

/** 200s answered must all be stored; more may be stored (answers lost when a timed run stops). */
export function evaluateDurability(phases: readonly WebhookPhaseResult[], stored: number) {
  const ok = phases.reduce((sum, phase) => sum + phase.ok, 0);
  const sent = phases.reduce((sum, phase) => sum + phase.sent, 0);
  return { ok, sent, stored, isMet: stored >= ok && stored <= sent };
}

function printReport(
  context: RunContext,
  baseline: ServerMeasurement | undefined,
  recados: ServerMeasurement[],
): Check[] {
  const servers = [...(baseline ? [baseline] : []), ...recados];
  console.log('');
  console.log('Runs');
  console.log(
    formatTable(
      [
        { title: 'server' },
        { title: 'run' },
        { title: 'req/s', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'max ms', align: 'right' },
        { title: '200s', align: 'right' },
        { title: 'other', align: 'right' },
      ],
      servers.flatMap((server) =>
        server.phases.map((phase) => [
          server.label,
          phase.label,
          formatNumber(phase.requestsPerSecond),
          formatNumber(phase.latencyP50Ms, 2),
          formatNumber(phase.latencyP99Ms, 2),
          formatNumber(phase.latencyMaxMs, 1),
          formatNumber(phase.ok),
          formatNumber(phase.non2xx + phase.errors),
        ]),
      ),
    ),
  );

  const rawCpu = baseline?.cpuMsPerRequest;
  console.log('');
  console.log(
    "CPU per request at full speed: the server process's own CPU time (utime + stime), whatever else ran",
  );
  console.log(
    formatTable(
      [
        { title: 'server' },
        { title: 'CPU ms/request', align: 'right' },
        { title: 'requests per CPU-second', align: 'right' },
        { title: 'raw ÷ this', align: 'right' },
      ],
      servers.map((server) => {
        const cpu = server.cpuMsPerRequest;
        return [
          server.label,
          cpu === undefined ? '-' : formatNumber(cpu, 3),
          cpu === undefined ? '-' : formatNumber(1000 / cpu),
          cpu === undefined || rawCpu === undefined ? '-' : formatNumber(rawCpu / cpu, 3),
        ];
      }),
    ),
  );
  console.log(
    context.options.role === 'all'
      ? 'Recado: intake and the processing of what it stored; PostgreSQL and Redis CPU not counted.'
      : 'Recado: intake alone (--role=api); PostgreSQL and Redis CPU not counted.',
  );

  const checks: Check[] = [];
  const raw = baseline?.full?.requestsPerSecond;
  for (const recado of recados) {
    const ratio = evaluateRatio(
      `${recado.label}: req/s ÷ raw`,
      recado.full?.requestsPerSecond,
      raw,
      ratioTarget,
    );
    checks.push({
      name: ratio.name,
      value: ratio.ratio === undefined ? '-' : formatNumber(ratio.ratio, 2),
      target: `>= ${formatNumber(ratioTarget, 2)}`,
      isMet: ratio.isMet,
    });
    const cpuRatio = evaluateRatio(
      `${recado.label}: same, estimated from CPU per request`,
      rawCpu,
      recado.cpuMsPerRequest,
      ratioTarget,
    );
    checks.push({
      name: cpuRatio.name,
      value: cpuRatio.ratio === undefined ? '-' : formatNumber(cpuRatio.ratio, 3),
      target: `>= ${formatNumber(ratioTarget, 2)}`,
      isMet: cpuRatio.isMet,
    });
    checks.push(...latencyChecks(`${recado.label}: half load, paced`, recado.paced));
    checks.push(...latencyChecks(`${recado.label}: half load, overallRate`, recado.rate));
    if (recado.stored !== undefined) {
      const durability = evaluateDurability(recado.phases, recado.stored);
      checks.push({
        name: `${recado.label}: deliveries stored vs 200s`,
        value: `${formatNumber(durability.stored)} vs ${formatNumber(durability.ok)}`,
        target: `200s <= stored <= sent (${formatNumber(durability.sent)})`,
        isMet: durability.isMet,
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
  for (const recado of recados) {
    if (recado.stored === undefined) continue;
    const durability = evaluateDurability(recado.phases, recado.stored);
    console.log(
      `${recado.label}: ${formatNumber(durability.sent)} sent, ${formatNumber(durability.ok)} answered 200, ${formatNumber(recado.stored)} stored (${formatNumber(recado.stored - durability.ok)} stored whose answer a timed run did not wait for), ${formatNumber(recado.processed ?? 0)} processed; waited ${formatNumber((recado.drainMs ?? 0) / 1000, 1)} s in all for the processing backlog.`,
    );
  }
  for (const server of servers) {
    if (server.generatedLate > 0) {
      context.warnings.push(
        `${server.label}: ${formatNumber(server.generatedLate)} bodies were signed during the runs (raise --pregenerate).`,
      );
    }
  }
  for (const warning of context.warnings) console.log(`\nWarning: ${warning}`);
  if (context.problems.length > 0) {
    console.log('\nProblems (these measurements are missing or not valid):');
    for (const problem of context.problems) console.log(`- ${problem.replaceAll('\n', '\n  ')}`);
  }
  return checks;
}

async function printProfiles(directory: string, recados: readonly ServerMeasurement[]) {
  for (const mode of modes) {
    const profiles = await readCpuProfiles(path.join(directory, mode)).catch(() => []);
    const last = profiles.at(-1);
    if (!last) continue;
    const bootMs = recados.find((recado) => recado.label.includes(mode))?.bootMs ?? 0;
    console.log(
      `\nWhere Recado (${mode}) spent its CPU under load (the first ${formatNumber(bootMs / 1000, 1)} s, boot, left out) — ${last.file}`,
    );
    console.log(formatProfileSummary(summarizeCpuProfile(last.profile, { skipFirstMs: bootMs })));
  }
}

async function runWebhooksBench(args: readonly string[]): Promise<number> {
  const options = parseWebhooksBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const plan = planCpuPinning();
  const context: RunContext = {
    options,
    plan,
    repoRoot,
    appSecret: randomBytes(16).toString('hex'),
    problems: [],
    warnings: [],
  };
  console.log('Webhook intake benchmark (signed Meta message webhooks, each a distinct message)');
  console.log(
    `  ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s at full speed, ${options.halfSeconds} s per half-load run; ${options.senders} senders`,
  );
  if (options.role === 'api') {
    console.log(
      '  Role api: intake alone, the stored deliveries are not processed (a diagnostic).',
    );
  }
  console.log(`  CPUs: ${plan.description}`);
  console.log(`  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()})`);
  const [loadAverage = 0] = loadavg();
  if (loadAverage > 1) {
    context.warnings.push(
      `the machine was busy before the run (load average ${loadAverage.toFixed(1)}): absolute numbers and even ratios are unreliable.`,
    );
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);
  }
  console.log('');

  let baseline: ServerMeasurement | undefined;
  try {
    baseline = await measureBaseline(context);
  } catch (error) {
    context.problems.push(`baseline: ${errorMessage(error)}`);
  }
  const recados: ServerMeasurement[] = [];
  recados.push(
    ...(await measureEachMode({
      preference: options.entry,
      repoRoot,
      modes: options.modes,
      warnings: context.warnings,
      problems: context.problems,
      measure: (mode, entry) => measureRecado(context, mode, entry),
    })),
  );
  if (getInterruptSignal()) return 130;

  const checks = printReport(context, baseline, recados);
  if (options.profileDir) await printProfiles(options.profileDir, recados);
  if (options.jsonPath) {
    await writeFile(
      options.jsonPath,
      `${JSON.stringify({ benchmark: 'webhooks', date: new Date().toISOString(), node: process.version, pinning: plan, options: { ...options, databaseUrl: undefined }, baseline, recados, checks, warnings: context.warnings, problems: context.problems }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${options.jsonPath}`);
  }
  if (context.problems.length > 0) return 1;
  if (options.isStrict && checks.some((check) => check.isMet === false)) return 1;
  return 0;
}

export const webhooksBench: Benchmark = {
  description:
    'Webhook intake req/s (scaled and embedded) against raw node:http + HMAC; latency at half load; durable before 200',
  usage,
  run: runWebhooksBench,
};
