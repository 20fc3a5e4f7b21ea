import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { validateFlow } from '../src/engine/index.js';
import { deleteRedisKeysWithPrefix } from '../test/helpers/redis-keys.js';
import { type Benchmark, benchDirectory } from './lib/benchmark.js';
import {
  type BotTurnLoadResult,
  type BotTurnPhase,
  type BotTurnPhaseResult,
  type LatencySummary,
  runBotTurnLoadInWorker,
} from './lib/bot-turn-load.js';
import { describeExit, getInterruptSignal, registerCleanup } from './lib/child-processes.js';
import { percentile } from './lib/closed-loop.js';
import { type CpuPlan, planCpuPinning } from './lib/cpu-pinning.js';
import {
  cpuProfileArgs,
  formatProfileSummary,
  readCpuProfiles,
  summarizeCpuProfile,
} from './lib/cpu-profile.js';
import { type EngineTurnsResult, loadEngineBenchFlow, runEngineTurns } from './lib/engine-turns.js';
import { measureProcessCpu } from './lib/process-cpu.js';
import { startRawBaseline } from './lib/raw-baseline.js';
import { waitForQueueIdle } from './lib/recado-api.js';
import { errorMessage, measureEachMode } from './lib/recado-modes.js';
import {
  createTemporaryDataDir,
  loginToRecado,
  type RecadoEntry,
  type RecadoEntryPreference,
  type RecadoServer,
  startRecado,
} from './lib/recado-server.js';
import { formatNumber, formatTable } from './lib/report.js';
import { countRows, type DatabaseLocation } from './lib/row-counts.js';
import { createTemporaryDatabase } from './lib/temporary-database.js';

/**
 * Flows, two measurements in one run.
 *
 * 1. The pure engine turn: `runTurn` of a sign-up flow (message.text, message.buttons,
 *    input.email, input.validated CPF, logic.condition, logic.set, templates) over a scripted
 *    conversation — taps, wrong answers re-asked, right ones — looped; each turn timed alone
 *    after a warm-up. Target p99 <= 1 ms. Baseline, same turns: `structuredClone` of the
 *    session state + `JSON.stringify` of the result, the least a turn costs to persist.
 *
 * 2. A bot turn end to end: a simulated user's message posted to a real Recado process
 *    (`POST /api/v1/sandbox/:channelId/inbound`) → stored, processed, routed → flows.turn → the
 *    outbox → messages.send → the sandbox provider takes the reply, seen as the realtime
 *    WebSocket's `message.status` `sent`. Every user is a distinct phone in its own
 *    conversation with a flow that answers every message (input.text → logic.set → again).
 *    First a closed loop (`--concurrency` users, each writing again once answered) gives the
 *    most the server sustains; then an open loop at half of it gives the latency, from each
 *    message's due time. Targets, scaled mode: p50 <= 15 ms, p99 <= 60 ms; embedded reported
 *    alike. Baselines, same run: the same open loop against a raw node:http server answering
 *    200 (the floor of any HTTP hop), and Recado's own intake (the inbound POST's 202) in the
 *    same open loop. The sandbox channel reports `delivered` and `read` as a phone would
 *    (300 ms and 1.5 s after each send): that processing is part of the load, as in production.
 */

const parts = ['engine', 'bot'] as const;
type Part = (typeof parts)[number];
const modes = ['scaled', 'embedded'] as const;
type Mode = (typeof modes)[number];

const engineTargetP99Micros = 1000;
const botTargets = { p50Ms: 15, p99Ms: 60 } as const;
/** The highest rate the channels API accepts: the channel limiter books but hardly waits. */
const channelRatePerSecond = 1000;
const drainedJobs = ['messaging.process-webhook', 'flows.turn', 'flows.effect', 'messages.send'];

export type FlowsBenchOptions = {
  only: Part[];
  turns: number;
  engineWarmupTurns: number;
  users: number;
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  halfSeconds: number;
  modes: Mode[];
  entry: RecadoEntryPreference;
  readyTimeoutSeconds: number;
  replyTimeoutSeconds: number;
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
  --only=<list>         engine,bot (default both)
  Engine turn:
  --turns=<n>           measured turns (default 200000)
  --engine-warmup=<n>   turns run before, unmeasured (default 20000)
  Bot turn end to end:
  --users=<n>           simulated users, each a phone with its own conversation (default 1000)
  --concurrency=<n>     users writing at once in the closed loop (default 32)
  --warmup=<s>          closed loop after every user's first message, unmeasured (default 5)
  --duration=<s>        closed loop measured: the most the server sustains (default 10)
  --half-duration=<s>   open loop at half that rate, and the raw baseline's (default 20)
  --modes=<list>        scaled,embedded (default both, scaled first)
  --entry=<kind>        auto | dist | src (default auto: dist/main.js when it exists)
  --ready-timeout=<s>   wait this long for /health/ready (default 120)
  --reply-timeout=<s>   a turn without its reply after this long failed (default 30)
  --drain-timeout=<s>   wait this long for the queues to empty between runs (default 300)
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

function parseList<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T[] {
  const selected: T[] = [];
  for (const item of (value ?? allowed.join(',')).split(',')) {
    const entry = item.trim();
    if (!(allowed as readonly string[]).includes(entry)) {
      throw new Error(`--${name}: unknown value "${entry}" (use ${allowed.join(', ')})`);
    }
    if (!selected.includes(entry as T)) selected.push(entry as T);
  }
  return selected;
}

export function parseFlowsBenchArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): FlowsBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: 'string' },
      turns: { type: 'string' },
      'engine-warmup': { type: 'string' },
      users: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'half-duration': { type: 'string' },
      modes: { type: 'string' },
      entry: { type: 'string' },
      'ready-timeout': { type: 'string' },
      'reply-timeout': { type: 'string' },
      'drain-timeout': { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      profile: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const entry = values.entry ?? 'auto';
  if (entry !== 'auto' && entry !== 'dist' && entry !== 'src') {
    throw new Error('--entry must be auto, dist or src');
  }
  const users = parseInteger('users', values.users, 1000);
  const concurrency = parseInteger('concurrency', values.concurrency, 32);
  if (concurrency > users) throw new Error('--concurrency cannot be more than --users');
  return {
    only: parseList('only', values.only, parts),
    turns: parseInteger('turns', values.turns, 200_000),
    engineWarmupTurns: parseInteger('engine-warmup', values['engine-warmup'], 20_000, 0),
    users,
    concurrency,
    warmupSeconds: parseNumber('warmup', values.warmup, 5, 0),
    durationSeconds: parseNumber('duration', values.duration, 10, 0.1),
    halfSeconds: parseNumber('half-duration', values['half-duration'], 20, 0.1),
    modes: parseList('modes', values.modes, modes),
    entry,
    readyTimeoutSeconds: parseNumber('ready-timeout', values['ready-timeout'], 120, 1),
    replyTimeoutSeconds: parseNumber('reply-timeout', values['reply-timeout'], 30, 1),
    drainTimeoutSeconds: parseNumber('drain-timeout', values['drain-timeout'], 300, 1),
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    isStrict: values.strict ?? false,
    jsonPath: values.json,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
    isVerbose: (values.verbose ?? false) || env.BENCH_VERBOSE === '1',
  };
}

/** The bot of the end-to-end runs: it answers every message, forever. */
export const botBenchFlowDocument = {
  schemaVersion: 1,
  name: 'Bench: resposta a cada mensagem',
  locale: 'pt-BR',
  variables: {
    answer: { type: 'string', description: 'The last message' },
    count: { type: 'number', default: 0, description: 'Messages answered' },
  },
  start: 'ask',
  blocks: {
    ask: {
      type: 'input.text',
      options: { prompt: 'Recebido! Pode mandar a próxima mensagem.', variable: 'answer' },
      next: 'count',
    },
    count: {
      type: 'logic.set',
      options: { assignments: [{ variable: 'count', value: { op: 'add', value: 1 } }] },
      next: 'ask',
    },
  },
};

type Check = { name: string; value: string; target: string; isMet?: boolean };

function formatCheckVerdict(check: Check): string {
  if (check.target === '-') return 'reported';
  if (check.isMet === undefined) return 'not measured';
  return check.isMet ? 'meets target' : 'MISSED';
}

type RunContext = {
  options: FlowsBenchOptions;
  plan: CpuPlan;
  repoRoot: string;
  problems: string[];
  warnings: string[];
};

// ---------------------------------------------------------------------------------------------
// 1. The pure engine turn

type EngineSummary = {
  turns: number;
  conversations: number;
  turn: { p50: number; p99: number; max: number; mean: number };
  persist: { p50: number; p99: number; max: number; mean: number };
  mismatches: number;
  firstMismatch?: string;
};

function summarizeMicros(sorted: readonly number[]) {
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

export function summarizeEngineTurns(result: EngineTurnsResult): EngineSummary {
  return {
    turns: result.turns,
    conversations: result.conversations,
    turn: summarizeMicros(result.turnMicros),
    persist: summarizeMicros(result.persistMicros),
    mismatches: result.mismatches,
    firstMismatch: result.firstMismatch,
  };
}

function measureEngine(context: RunContext): EngineSummary {
  const { options } = context;
  console.log(
    `Engine turn: ${formatNumber(options.engineWarmupTurns)} warm-up + ${formatNumber(options.turns)} measured turns of the sign-up flow…`,
  );
  const summary = summarizeEngineTurns(
    runEngineTurns(loadEngineBenchFlow(), {
      turns: options.turns,
      warmupTurns: options.engineWarmupTurns,
    }),
  );
  if (summary.mismatches > 0) {
    context.problems.push(
      `engine: ${summary.mismatches} turns did not go where the script says (${summary.firstMismatch})`,
    );
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------
// 2. The bot turn end to end

const createdSchema = z.object({ id: z.uuid() });

async function postJson(
  server: RecadoServer,
  token: string,
  pathname: string,
  body: unknown,
): Promise<string> {
  const response = await fetch(`${server.baseUrl}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST ${pathname} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return createdSchema.parse(JSON.parse(text)).id;
}

/** A sandbox channel whose default flow is the bench bot, published: through the API. */
async function setUpBot(server: RecadoServer, token: string): Promise<string> {
  const channelId = await postJson(server, token, '/api/v1/channels', {
    provider: 'sandbox',
    name: 'Bench flows',
    ratePerSecond: channelRatePerSecond,
    config: {},
  });
  const flowId = await postJson(server, token, '/api/v1/flows', {
    document: botBenchFlowDocument,
  });
  await postJson(server, token, `/api/v1/flows/${flowId}/publish`, {});
  await postJson(server, token, `/api/v1/channels/${channelId}/flows/triggers`, {
    kind: 'default',
    flowId,
  });
  return channelId;
}

type ModeServer = {
  server: RecadoServer;
  location: DatabaseLocation;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
};

async function startModeServer(
  context: RunContext,
  mode: Mode,
  entry: RecadoEntry,
): Promise<ModeServer> {
  const { options } = context;
  const common = {
    name: `recado-${mode}`,
    entry: options.profileDir
      ? { ...entry, args: [...cpuProfileArgs(path.join(options.profileDir, mode)), ...entry.args] }
      : entry,
    repoRoot: context.repoRoot,
    cpu: context.plan.serverCpu,
    readyTimeoutMs: options.readyTimeoutSeconds * 1000,
    echo: options.isVerbose,
  };
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    let location: DatabaseLocation;
    let server: RecadoServer;
    if (mode === 'scaled') {
      const database = await createTemporaryDatabase(options.databaseUrl);
      cleanups.push(() => database.drop());
      const keyPrefix = `recado-bench-${randomBytes(6).toString('hex')}`;
      const removeKeys = registerCleanup(() =>
        deleteRedisKeysWithPrefix(options.redisUrl, keyPrefix),
      );
      cleanups.push(removeKeys);
      server = await startRecado({
        ...common,
        databaseUrl: database.url,
        redis: { url: options.redisUrl, keyPrefix },
      });
      location = { kind: 'postgres', url: database.url };
    } else {
      const { dataDir, remove } = await createTemporaryDataDir();
      cleanups.push(remove);
      server = await startRecado({ ...common, dataDir });
      location = { kind: 'pglite', dataDir };
    }
    let isStopped = false;
    const stop = async () => {
      if (isStopped) return;
      isStopped = true;
      const exit = await server.stop();
      if (exit.code !== 0) {
        context.warnings.push(`Recado (${mode}) ${describeExit(exit)} on SIGTERM.`);
      }
    };
    return {
      server,
      location,
      stop,
      cleanup: async () => {
        await stop();
        await runCleanups();
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

type BotMeasurement = {
  mode: Mode;
  label: string;
  warmup?: BotTurnPhaseResult[];
  max?: BotTurnPhaseResult;
  half?: BotTurnPhaseResult;
  /** The same open loop against raw node:http. */
  raw?: BotTurnPhaseResult;
  /** Recado's CPU per turn in the closed loop (its status webhooks processed included). */
  cpuMsPerTurn?: number;
  /** From spawning Recado to the first message (to leave boot out of its CPU profile). */
  bootMs?: number;
  /** Replies seen on the WebSocket over every run, and outbound messages stored as sent. */
  repliesSeen: number;
  storedSent?: number;
  unattributed: number;
  unexpected: number;
  late: number;
};

function checkLoad(context: RunContext, label: string, result: BotTurnLoadResult) {
  for (const phase of result.phases) {
    if (phase.refused > 0) {
      context.problems.push(
        `${label}, ${phase.label}: ${phase.refused} messages refused (${phase.firstError})`,
      );
    }
    if (phase.timedOut > 0) {
      context.problems.push(
        `${label}, ${phase.label}: ${phase.timedOut} turns without a reply within --reply-timeout`,
      );
    }
  }
}

async function drainQueues(context: RunContext, server: RecadoServer) {
  for (const job of drainedJobs) {
    await waitForQueueIdle(server.baseUrl, job, context.options.drainTimeoutSeconds * 1000);
  }
}

async function measureBot(
  context: RunContext,
  mode: Mode,
  entry: RecadoEntry,
): Promise<BotMeasurement> {
  const { options } = context;
  const label =
    mode === 'scaled' ? 'Recado, scaled (PostgreSQL + Redis)' : 'Recado, embedded (PGlite)';
  const measurement: BotMeasurement = {
    mode,
    label,
    repliesSeen: 0,
    unattributed: 0,
    unexpected: 0,
    late: 0,
  };
  console.log(label);
  const spawnedAt = performance.now();
  const started = await startModeServer(context, mode, entry);
  let halfRate = 0;
  try {
    const { server } = started;
    const token = await loginToRecado(server);
    const channelId = await setUpBot(server, token);
    measurement.bootMs = performance.now() - spawnedAt;
    const run = async (phases: BotTurnPhase[]) => {
      const result = await runBotTurnLoadInWorker(
        {
          url: `${server.baseUrl}/api/v1/sandbox/${channelId}/inbound`,
          websocketUrl: `${server.baseUrl.replace(/^http/, 'ws')}/api/v1/ws?token=${encodeURIComponent(token)}`,
          token,
          users: options.users,
          replyTimeoutSeconds: options.replyTimeoutSeconds,
          phases,
        },
        { cwd: context.repoRoot, cpu: context.plan.loadCpu, echo: options.isVerbose },
      );
      checkLoad(context, label, result);
      measurement.repliesSeen += result.phases.reduce((sum, phase) => sum + phase.replied, 0);
      measurement.repliesSeen += result.late;
      measurement.unattributed += result.unattributed;
      measurement.unexpected += result.unexpected;
      measurement.late += result.late;
      return result.phases;
    };

    console.log(
      `  warm-up: each of ${formatNumber(options.users)} users writes once (a session each), then ${options.warmupSeconds} s closed loop…`,
    );
    const warmup: BotTurnPhase[] = [
      {
        kind: 'closed',
        label: 'warm-up: first messages',
        concurrency: options.concurrency,
        total: options.users,
      },
    ];
    if (options.warmupSeconds > 0) {
      warmup.push({
        kind: 'closed',
        label: 'warm-up',
        concurrency: options.concurrency,
        seconds: options.warmupSeconds,
      });
    }
    measurement.warmup = await run(warmup);
    await drainQueues(context, server);

    console.log(
      `  closed loop: ${options.concurrency} users at once for ${options.durationSeconds} s…`,
    );
    const { result: maxPhases, cpuMs } = await measureProcessCpu(server.pid, async () => {
      const phases = await run([
        {
          kind: 'closed',
          label: 'closed loop (max)',
          concurrency: options.concurrency,
          seconds: options.durationSeconds,
        },
      ]);
      await drainQueues(context, server);
      return phases;
    });
    measurement.max = maxPhases[0];
    const turns = measurement.max?.replied ?? 0;
    if (cpuMs !== undefined && turns > 0) measurement.cpuMsPerTurn = cpuMs / turns;
    console.log(`  ${formatNumber(measurement.max?.repliesPerSecond ?? 0, 1)} turns/s sustained`);

    halfRate = (measurement.max?.repliesPerSecond ?? 0) / 2;
    if (halfRate > 0) {
      console.log(
        `  open loop at half: ${formatNumber(halfRate, 1)} messages/s for ${options.halfSeconds} s…`,
      );
      [measurement.half] = await run([
        {
          kind: 'paced',
          label: 'open loop at half',
          ratePerSecond: halfRate,
          seconds: options.halfSeconds,
          maxInFlight: 256,
        },
      ]);
      await drainQueues(context, server);
    } else {
      context.problems.push(`${label}: no sustained rate, so no open-loop run`);
    }

    // Every reply seen was stored once, and nothing else was sent (PGlite: once stopped).
    if (started.location.kind === 'pglite') await started.stop();
    [measurement.storedSent] = await countRows(started.location, [
      `select count(*) from messages where channel_id = '${channelId}' and direction = 'outbound' and status in ('sent', 'delivered', 'read')`,
    ]);
  } finally {
    await started.cleanup();
  }

  if (halfRate > 0 && !getInterruptSignal()) {
    console.log(
      `  baseline: raw node:http, the same open loop (${formatNumber(halfRate, 1)}/s for ${options.halfSeconds} s)…`,
    );
    const raw = await startRawBaseline({ cpu: context.plan.serverCpu, cwd: context.repoRoot });
    try {
      const result = await runBotTurnLoadInWorker(
        {
          url: `${raw.baseUrl}/api/v1/sandbox/raw/inbound`,
          token: 'raw',
          users: options.users,
          replyTimeoutSeconds: options.replyTimeoutSeconds,
          phases: [
            {
              kind: 'paced',
              label: 'raw node:http, open loop',
              ratePerSecond: halfRate,
              seconds: options.halfSeconds,
              maxInFlight: 256,
            },
          ],
        },
        { cwd: context.repoRoot, cpu: context.plan.loadCpu, echo: options.isVerbose },
      );
      checkLoad(context, `${label} baseline`, result);
      measurement.raw = result.phases[0];
    } finally {
      await raw.child.stop(5_000);
    }
  }
  return measurement;
}

// ---------------------------------------------------------------------------------------------
// Report

function formatMs(value: number | undefined, digits = 2): string {
  return value === undefined || Number.isNaN(value) ? '-' : formatNumber(value, digits);
}

function ratioText(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || !(denominator > 0)) return '-';
  if (Number.isNaN(numerator)) return '-';
  return `${formatNumber(numerator / denominator, 1)}×`;
}

function printEngine(engine: EngineSummary, checks: Check[]) {
  console.log('');
  console.log(
    `Engine turn (µs; ${formatNumber(engine.turns)} turns, ${formatNumber(engine.conversations)} conversations)`,
  );
  const row = (name: string, values: EngineSummary['turn']) => [
    name,
    formatNumber(values.p50, 1),
    formatNumber(values.p99, 1),
    formatNumber(values.max, 1),
    formatNumber(values.mean, 1),
  ];
  console.log(
    formatTable(
      [
        { title: 'measured' },
        { title: 'p50', align: 'right' },
        { title: 'p99', align: 'right' },
        { title: 'max', align: 'right' },
        { title: 'mean', align: 'right' },
      ],
      [
        row('runTurn', engine.turn),
        row('structuredClone(state) + JSON.stringify(result) (baseline)', engine.persist),
      ],
    ),
  );
  console.log(
    `runTurn ÷ baseline: p50 ${ratioText(engine.turn.p50, engine.persist.p50)}, p99 ${ratioText(engine.turn.p99, engine.persist.p99)}; one core runs ~${formatNumber(1e6 / engine.turn.mean)} turns/s`,
  );
  checks.push({
    name: 'engine: runTurn p99',
    value: `${formatNumber(engine.turn.p99, 1)} µs`,
    target: `<= ${formatNumber(engineTargetP99Micros)} µs`,
    isMet: engine.turn.p99 <= engineTargetP99Micros,
  });
}

function latencyCells(summary: LatencySummary | undefined): string[] {
  return [formatMs(summary?.p50Ms), formatMs(summary?.p99Ms), formatMs(summary?.maxMs, 1)];
}

function printBot(measurements: BotMeasurement[], checks: Check[]) {
  if (measurements.length === 0) return;
  console.log('');
  console.log(
    'Bot turn end to end (ms): message posted or due → reply handed to the provider (`sent` on the WebSocket)',
  );
  const rows: string[][] = [];
  for (const measurement of measurements) {
    const phases: [string, BotTurnPhaseResult | undefined][] = [
      ...(measurement.warmup ?? []).map((phase): [string, BotTurnPhaseResult] => [
        measurement.label,
        phase,
      ]),
      [measurement.label, measurement.max],
      [measurement.label, measurement.half],
      ['raw node:http (baseline)', measurement.raw],
    ];
    for (const [server, phase] of phases) {
      if (!phase) continue;
      rows.push([
        server,
        phase.label,
        formatNumber(phase.replied),
        formatNumber(phase.repliesPerSecond, 1),
        ...latencyCells(phase.reply),
        ...latencyCells(phase.intake),
        formatNumber(phase.refused + phase.timedOut),
      ]);
    }
  }
  console.log(
    formatTable(
      [
        { title: 'server' },
        { title: 'run' },
        { title: 'turns', align: 'right' },
        { title: 'turns/s', align: 'right' },
        { title: 'reply p50', align: 'right' },
        { title: 'p99', align: 'right' },
        { title: 'max', align: 'right' },
        { title: 'HTTP p50', align: 'right' },
        { title: 'p99', align: 'right' },
        { title: 'max', align: 'right' },
        { title: 'failed', align: 'right' },
      ],
      rows,
    ),
  );
  console.log('(The raw baseline answers the POST itself: its reply is the HTTP answer.)');
  console.log('');
  console.log(
    formatTable(
      [
        { title: 'server' },
        { title: 'max turns/s', align: 'right' },
        { title: 'CPU ms/turn', align: 'right' },
        { title: 'reply p50 ÷ raw p50', align: 'right' },
        { title: 'reply p50 ÷ own intake p50', align: 'right' },
        { title: 'reply p99 ÷ raw p99', align: 'right' },
      ],
      measurements.map((measurement) => [
        measurement.label,
        formatNumber(measurement.max?.repliesPerSecond ?? Number.NaN, 1),
        formatMs(measurement.cpuMsPerTurn),
        ratioText(measurement.half?.reply.p50Ms, measurement.raw?.reply.p50Ms),
        ratioText(measurement.half?.reply.p50Ms, measurement.half?.intake.p50Ms),
        ratioText(measurement.half?.reply.p99Ms, measurement.raw?.reply.p99Ms),
      ]),
    ),
  );
  console.log(
    "CPU: Recado's own (utime + stime) over the closed loop and the processing it left (status webhooks); PostgreSQL and Redis not counted.",
  );

  for (const measurement of measurements) {
    const isTarget = measurement.mode === 'scaled';
    const half = measurement.half;
    checks.push({
      name: `${measurement.label}: reply p50 at half load`,
      value: half ? `${formatMs(half.reply.p50Ms)} ms` : '-',
      target: isTarget ? `<= ${botTargets.p50Ms} ms` : '-',
      isMet: half ? half.reply.p50Ms <= botTargets.p50Ms : undefined,
    });
    checks.push({
      name: `${measurement.label}: reply p99 at half load`,
      value: half ? `${formatMs(half.reply.p99Ms)} ms` : '-',
      target: isTarget ? `<= ${botTargets.p99Ms} ms` : '-',
      isMet: half ? half.reply.p99Ms <= botTargets.p99Ms : undefined,
    });
    if (measurement.storedSent !== undefined) {
      checks.push({
        name: `${measurement.label}: replies stored as sent vs seen`,
        value: `${formatNumber(measurement.storedSent)} vs ${formatNumber(measurement.repliesSeen)}`,
        target: 'equal',
        isMet: measurement.storedSent === measurement.repliesSeen,
      });
    }
  }
}

function printReport(
  context: RunContext,
  engine: EngineSummary | undefined,
  bots: BotMeasurement[],
): Check[] {
  const checks: Check[] = [];
  if (engine) printEngine(engine, checks);
  printBot(bots, checks);
  for (const bot of bots) {
    if (bot.unattributed > 0 || bot.unexpected > 0) {
      context.problems.push(
        `${bot.label}: ${bot.unattributed} replies in conversations of no simulated user, ${bot.unexpected} replies nobody waited for`,
      );
    }
    if (bot.late > 0) {
      context.warnings.push(`${bot.label}: ${bot.late} replies came after their turn timed out.`);
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
      checks.map((check) => [check.name, check.value, check.target, formatCheckVerdict(check)]),
    ),
  );
  for (const warning of context.warnings) console.log(`\nWarning: ${warning}`);
  if (context.problems.length > 0) {
    console.log('\nProblems (these measurements are missing or not valid):');
    for (const problem of context.problems) console.log(`- ${problem.replaceAll('\n', '\n  ')}`);
  }
  return checks;
}

async function printProfiles(directory: string, bots: readonly BotMeasurement[]) {
  for (const bot of bots) {
    const profiles = await readCpuProfiles(path.join(directory, bot.mode)).catch(() => []);
    const last = profiles.at(-1);
    if (!last) continue;
    const bootMs = bot.bootMs ?? 0;
    console.log(
      `\nWhere Recado (${bot.mode}) spent its CPU under load (the first ${formatNumber(bootMs / 1000, 1)} s, boot, left out) — ${last.file}`,
    );
    console.log(formatProfileSummary(summarizeCpuProfile(last.profile, { skipFirstMs: bootMs })));
  }
}

async function runFlowsBench(args: readonly string[]): Promise<number> {
  const options = parseFlowsBenchArgs(args);
  const repoRoot = path.resolve(benchDirectory, '..');
  const plan = planCpuPinning();
  const context: RunContext = { options, plan, repoRoot, problems: [], warnings: [] };
  console.log('Flows benchmark: the pure engine turn, and a bot turn end to end');
  console.log(`  Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()})`);
  if (options.only.includes('bot')) {
    console.log(
      `  Bot: ${formatNumber(options.users)} users, ${options.concurrency} at once in the closed loop (${options.warmupSeconds} s warm-up + ${options.durationSeconds} s), open loop ${options.halfSeconds} s`,
    );
    console.log(`  CPUs: ${plan.description}`);
  }
  const [loadAverage = 0] = loadavg();
  if (loadAverage > 1) {
    context.warnings.push(
      `the machine was busy before the run (load average ${loadAverage.toFixed(1)}): latencies and rates are unreliable.`,
    );
    console.log(`  Load average ${loadAverage.toFixed(1)}: the machine is busy.`);
  }
  console.log('');

  let engine: EngineSummary | undefined;
  if (options.only.includes('engine')) {
    try {
      engine = measureEngine(context);
    } catch (error) {
      context.problems.push(`engine: ${errorMessage(error)}`);
    }
  }

  const bots: BotMeasurement[] = [];
  if (options.only.includes('bot')) {
    const validation = validateFlow(botBenchFlowDocument);
    if (!validation.ok) {
      throw new Error(`the bot flow is invalid: ${JSON.stringify(validation.issues)}`);
    }
    bots.push(
      ...(await measureEachMode({
        preference: options.entry,
        repoRoot,
        modes: options.modes,
        warnings: context.warnings,
        problems: context.problems,
        measure: (mode, entry) => measureBot(context, mode, entry),
      })),
    );
  }
  if (getInterruptSignal()) return 130;

  const checks = printReport(context, engine, bots);
  if (options.profileDir) await printProfiles(options.profileDir, bots);
  if (options.jsonPath) {
    await writeFile(
      options.jsonPath,
      `${JSON.stringify({ benchmark: 'flows', date: new Date().toISOString(), node: process.version, pinning: plan, options: { ...options, databaseUrl: undefined }, engine, bots, checks, warnings: context.warnings, problems: context.problems }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${options.jsonPath}`);
  }
  if (context.problems.length > 0) return 1;
  if (options.isStrict && checks.some((check) => check.target !== '-' && check.isMet === false)) {
    return 1;
  }
  return 0;
}

export const flowsBench: Benchmark = {
  description:
    'Flows: pure engine turn (p99 vs persisting it) and a bot turn end to end via the sandbox (max rate, latency at half load; scaled and embedded) vs raw node:http',
  usage,
  run: runFlowsBench,
};
