import { sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db/database.js';
import type { DueRowsTable } from '../due-rows-sql.js';

/**
 * Shared by queue.durability.test.ts (the parent) and durability-worker.ts (the child that gets
 * killed): the tables, the job and the messages they exchange.
 */

export const durabilityJobName = 'queue-test.apply-effect';
export const durabilityItemsTable: DueRowsTable = { table: 'queue_test_items' };

export type DurabilityWorkerArgs = {
  driver: 'in-process' | 'bullmq';
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  redisUrl?: string;
  redisPrefix?: string;
  concurrency: number;
  leaseMs: number;
  sweepIntervalMs: number;
  /** Simulated work between claiming a row and recording its effect. */
  workMs: number;
  /**
   * After this many effects, jobs for items divisible by 7 claim their row and then hang (a
   * stuck provider call) until the process is killed: the next worker must recover them.
   */
  hangAfterEffects?: number;
  /** BullMQ only: short locks so jobs of a killed worker are recovered quickly. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};

export type DurabilityWorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'effect'; itemId: number }
  | { type: 'hung'; itemId: number }
  | { type: 'progress'; done: number }
  | { type: 'stopped' };

export type DurabilityParentMessage = { type: 'stop' };

export type DurabilityReport = {
  items: number;
  done: number;
  running: number;
  pending: number;
  effects: number;
  distinctItemsWithEffects: number;
  effectsByPid: Record<string, number>;
};

/**
 * `queue_test_effects` deliberately has no unique constraint: a duplicated effect would be a
 * second row, and the test would see it.
 */
export async function createDurabilityTables(db: DbExecutor, itemCount: number): Promise<void> {
  await db.execute(sql`
    create table queue_test_items (
      id integer primary key,
      status text not null default 'pending',
      due_at timestamptz not null default now(),
      locked_until timestamptz
    )`);
  await db.execute(sql`
    create table queue_test_effects (
      item_id integer not null,
      pid integer not null,
      job_id text not null,
      attempt integer not null,
      created_at timestamptz not null default now()
    )`);
  await db.execute(
    sql`insert into queue_test_items (id) select generate_series(1, ${itemCount}::integer)`,
  );
}

export async function insertDurabilityEffect(
  tx: DbExecutor,
  effect: { itemId: number; pid: number; jobId: string; attempt: number },
): Promise<void> {
  await tx.execute(
    sql`insert into queue_test_effects (item_id, pid, job_id, attempt) values (${effect.itemId}, ${effect.pid}, ${effect.jobId}, ${effect.attempt})`,
  );
}

export async function countDoneItems(db: DbExecutor): Promise<number> {
  const rows = readRows(
    await db.execute(sql`select count(*)::int as done from queue_test_items where status = 'done'`),
  );
  return Number(rows[0]?.done ?? 0);
}

export async function readDurabilityReport(db: DbExecutor): Promise<DurabilityReport> {
  const [items] = readRows(
    await db.execute(sql`
      select count(*)::int as items,
             count(*) filter (where status = 'done')::int as done,
             count(*) filter (where status = 'running')::int as running,
             count(*) filter (where status = 'pending')::int as pending
      from queue_test_items`),
  );
  const [effects] = readRows(
    await db.execute(sql`
      select count(*)::int as effects, count(distinct item_id)::int as distinct_items
      from queue_test_effects`),
  );
  const byPid = readRows(
    await db.execute(
      sql`select pid::text as pid, count(*)::int as effects from queue_test_effects group by pid`,
    ),
  );
  return {
    items: Number(items?.items ?? 0),
    done: Number(items?.done ?? 0),
    running: Number(items?.running ?? 0),
    pending: Number(items?.pending ?? 0),
    effects: Number(effects?.effects ?? 0),
    distinctItemsWithEffects: Number(effects?.distinct_items ?? 0),
    effectsByPid: Object.fromEntries(byPid.map((row) => [String(row.pid), Number(row.effects)])),
  };
}

function readRows(result: unknown): Array<Record<string, unknown>> {
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new Error('Unexpected query result: no rows array');
  return rows as Array<Record<string, unknown>>;
}
