import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-database.js';
import { isServicesRun, testRedisUrl } from '../../../test/helpers/test-env.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import {
  createDurabilityTables,
  type DurabilityParentMessage,
  type DurabilityReport,
  type DurabilityWorkerArgs,
  type DurabilityWorkerMessage,
  readDurabilityReport,
} from './testing/durability-fixture.js';

/**
 * The durability proof (ARCHITECTURE.md §1): a worker process is SIGKILLed in the middle of
 * 1,000 jobs, with some rows claimed and their jobs hanging; a new worker's sweeper recovers
 * them, and every item ends with exactly one effect. Unit run: in-process queue + PGlite data
 * dir (which must recover from the kill). Services run: BullMQ + PostgreSQL.
 */

const itemCount = 1_000;
const killAfterEffects = 300;
const workerScript = fileURLToPath(new URL('./testing/durability-worker.ts', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('queue durability', () => {
  it(`${isServicesRun ? 'bullmq + postgres' : 'in-process + pglite'}: a SIGKILLed worker loses nothing and duplicates nothing`, async () => {
    const database = await prepareDatabase();
    const baseArgs: DurabilityWorkerArgs = {
      driver: isServicesRun ? 'bullmq' : 'in-process',
      database: database.args,
      redisUrl: testRedisUrl,
      redisPrefix: isServicesRun ? await createRedisPrefix() : undefined,
      concurrency: 8,
      leaseMs: 2_000,
      sweepIntervalMs: 200,
      workMs: 2,
      lockDurationMs: 3_000,
      stalledIntervalMs: 1_000,
    };

    const first = startWorker({ ...baseArgs, hangAfterEffects: killAfterEffects });
    await first.waitUntil(
      (state) => state.effects >= killAfterEffects && state.hung >= 2,
      `${killAfterEffects} effects and 2 hung jobs`,
      90_000,
    );
    await first.kill();

    const afterKill = await database.read();
    // The kill landed mid-way, with claimed rows left behind ("stuck").
    expect(afterKill.done).toBeGreaterThanOrEqual(killAfterEffects);
    expect(afterKill.done).toBeLessThan(itemCount);
    expect(afterKill.running).toBeGreaterThanOrEqual(2);
    // Effect and "done" commit together, even across the kill.
    expect(afterKill.effects).toBe(afterKill.done);
    expect(afterKill.distinctItemsWithEffects).toBe(afterKill.done);

    const second = startWorker(baseArgs);
    await second.waitUntil((state) => state.done === itemCount, 'all items done', 120_000);
    await second.stop();

    const final = await database.read();
    expect(final).toMatchObject({
      items: itemCount,
      done: itemCount,
      running: 0,
      pending: 0,
      effects: itemCount,
      distinctItemsWithEffects: itemCount,
    });
    // The first worker's committed effects survived; the second did exactly the rest.
    expect(final.effectsByPid[String(first.pid)]).toBe(afterKill.effects);
    expect(final.effectsByPid[String(second.pid)]).toBe(itemCount - afterKill.effects);
  }, 240_000);
});

type TestDatabaseForWorkers = {
  args: DurabilityWorkerArgs['database'];
  /** Reads the report; for PGlite only while no worker has the data dir open. */
  read(): Promise<DurabilityReport>;
};

async function prepareDatabase(): Promise<TestDatabaseForWorkers> {
  if (isServicesRun) {
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.destroy());
    if (!database.url) throw new Error('the services run must give a PostgreSQL url');
    await createDurabilityTables(database.db, itemCount);
    return {
      args: { kind: 'postgres', url: database.url },
      read: () => readDurabilityReport(database.db),
    };
  }
  // A PGlite data dir on disk, seeded from the migrated template (no initdb).
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-queue-durability-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const dump = await readFile(inject('pgliteTemplatePath'));
  const client = await PGlite.create({ dataDir, loadDataDir: new Blob([dump]) });
  await withHandle(await openDatabase({ kind: 'pglite', client }), (handle) =>
    createDurabilityTables(handle.db, itemCount),
  );
  return {
    args: { kind: 'pglite', dataDir },
    // Reopening after a SIGKILL is itself part of the proof: PGlite must recover.
    read: async () =>
      withHandle(await openDatabase({ kind: 'pglite', dataDir }), (handle) =>
        readDurabilityReport(handle.db),
      ),
  };
}

async function withHandle<T>(
  handle: DatabaseHandle,
  use: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

async function createRedisPrefix(): Promise<string> {
  const { createTestQueuePrefix, deleteRedisKeysWithPrefix } = await import(
    '../../../test/helpers/redis-keys.js'
  );
  const prefix = createTestQueuePrefix();
  cleanups.push(() => deleteRedisKeysWithPrefix(testRedisUrl, prefix));
  return prefix;
}

type WorkerState = { effects: number; hung: number; done: number };

type WorkerProcess = {
  pid: number;
  waitUntil(
    condition: (state: WorkerState) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
};

function startWorker(args: DurabilityWorkerArgs): WorkerProcess {
  const child: ChildProcess = fork(workerScript, [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('durability worker did not start');
  const state: WorkerState = { effects: 0, hung: 0, done: 0 };
  let stderr = '';
  let stopped = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  child.on('message', (message: DurabilityWorkerMessage) => {
    if (message.type === 'effect') state.effects += 1;
    else if (message.type === 'hung') state.hung += 1;
    else if (message.type === 'progress') state.done = message.done;
    else if (message.type === 'stopped') stopped = true;
  });
  // Never leave a worker behind, whatever the test did.
  cleanups.push(async () => {
    if (!hasExited) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  async function waitFor(condition: () => boolean, what: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (hasExited && !condition()) {
        throw new Error(`durability worker exited while waiting for ${what}\n${stderr}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} (${JSON.stringify(state)})\n${stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    pid,
    waitUntil: (condition, what, timeoutMs) => waitFor(() => condition(state), what, timeoutMs),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const message: DurabilityParentMessage = { type: 'stop' };
      child.send(message);
      await waitFor(() => stopped && hasExited, 'a graceful stop', 30_000);
      expect(child.exitCode).toBe(0);
    },
  };
}
