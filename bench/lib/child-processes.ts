import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Child processes for benchmarks: optionally pinned to one CPU with `taskset`, their output
 * kept (last lines) for error messages, and always killed — on success, on error, on Ctrl-C.
 */

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

export type ManagedChild = {
  name: string;
  process: ChildProcess;
  /** Resolves when the process has exited (or failed to start). */
  exited: Promise<ChildExit>;
  isRunning(): boolean;
  /** The last `lines` lines of stdout and stderr, interleaved as they came. */
  getOutputTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<ChildExit>;
};

export type SpawnManagedOptions = {
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Pin the process to this CPU (`taskset -c <cpu>`). */
  cpu?: number;
  /** Open an IPC channel (`process.send` in the child). */
  ipc?: boolean;
  /** Also print the child's output, prefixed with its name (BENCH_VERBOSE=1). */
  echo?: boolean;
};

type CleanupTask = () => Promise<void> | void;

const cleanupTasks = new Set<CleanupTask>();
const liveChildren = new Set<ChildProcess>();
let areHandlersInstalled = false;
let interruptedBy: NodeJS.Signals | undefined;

/** The signal that interrupted the run, if one did: results after it are not meaningful. */
export function getInterruptSignal(): NodeJS.Signals | undefined {
  return interruptedBy;
}

function installExitHandlers(): void {
  if (areHandlersInstalled) return;
  areHandlersInstalled = true;
  // Last resort, synchronous: nothing may outlive the runner.
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
  const onSignal = (signal: NodeJS.Signals, exitCode: number) => {
    interruptedBy = signal;
    console.error(`\n${signal}: stopping child processes and cleaning up…`);
    for (const child of liveChildren) child.kill('SIGKILL');
    void runAllCleanups().finally(() => process.exit(exitCode));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('SIGHUP', () => onSignal('SIGHUP', 129));
}

/**
 * Registers a cleanup step (remove a temp dir, drop a database) that also runs on Ctrl-C.
 * Returns a function that runs it now (once) and unregisters it.
 */
export function registerCleanup(task: CleanupTask): () => Promise<void> {
  installExitHandlers();
  let hasRun = false;
  const runOnce: CleanupTask = async () => {
    if (hasRun) return;
    hasRun = true;
    cleanupTasks.delete(runOnce);
    await task();
  };
  cleanupTasks.add(runOnce);
  return async () => {
    await runOnce();
  };
}

async function runAllCleanups(): Promise<void> {
  for (const task of [...cleanupTasks].reverse()) {
    try {
      await task();
    } catch (error) {
      console.error('cleanup failed:', error instanceof Error ? error.message : error);
    }
  }
}

const maxKeptLines = 200;

export function spawnManaged(options: SpawnManagedOptions): ManagedChild {
  installExitHandlers();
  const [command, args] =
    options.cpu === undefined
      ? [options.command, [...options.args]]
      : ['taskset', ['-c', String(options.cpu), options.command, ...options.args]];
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);

  const lines: string[] = [];
  const keepOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      lines.push(line);
      if (options.echo) console.error(`[${options.name}] ${line}`);
    }
    if (lines.length > maxKeptLines) lines.splice(0, lines.length - maxKeptLines);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);

  let isRunning = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      isRunning = false;
      liveChildren.delete(child);
      resolve({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => {
      isRunning = false;
      liveChildren.delete(child);
      resolve({ code, signal });
    });
  });

  return {
    name: options.name,
    process: child,
    exited,
    isRunning: () => isRunning,
    getOutputTail: (count = 40) => lines.slice(-count).join('\n'),
    stop: async (graceMs = 20_000) => {
      if (isRunning) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start (${exit.error.message})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/** An error that carries the child's last output lines. */
export function childError(child: ManagedChild, message: string): Error {
  const tail = child.getOutputTail();
  return new Error(
    tail ? `${message}\n--- last output of ${child.name} ---\n${tail}\n---` : message,
  );
}

export type WaitForHttpOptions = {
  child: ManagedChild;
  timeoutMs: number;
  intervalMs?: number;
};

/** Polls `url` until it answers 200; fails fast when the child exits first. */
export async function waitForHttpOk(url: string, options: WaitForHttpOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!options.child.isRunning()) {
      const exit = await options.child.exited;
      throw childError(
        options.child,
        `${options.child.name} ${describeExit(exit)} before ${url} answered 200.`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? (error.cause?.toString() ?? error.message) : 'error';
    }
    await delay(options.intervalMs ?? 250);
  }
  throw childError(
    options.child,
    `${url} did not answer 200 within ${Math.round(options.timeoutMs / 1000)} s (last: ${lastProblem}).`,
  );
}

/** Resident set size of a process, in bytes (Linux /proc). */
export async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Median RSS over `samples` readings taken `intervalMs` apart. */
export async function sampleRssBytes(pid: number, samples = 5, intervalMs = 500): Promise<number> {
  const readings: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    if (index > 0) await delay(intervalMs);
    readings.push(await readRssBytes(pid));
  }
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)] ?? 0;
}
