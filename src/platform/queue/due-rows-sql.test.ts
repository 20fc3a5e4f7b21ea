import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-database.js';
import {
  buildDueRowCondition,
  claimDueRow,
  type DueRowsTable,
  findDueRowIds,
  finishClaimedRow,
  releaseClaimedRow,
} from './due-rows-sql.js';

const jobs: DueRowsTable = { table: 'queue_sql_jobs' };
/** A table with its own words, like `messages` (queued → sending → sent). */
const outbox: DueRowsTable = {
  table: 'queue_sql_outbox',
  idColumn: 'message_id',
  statusColumn: 'state',
  dueAtColumn: 'send_at',
  lockedUntilColumn: 'lease_until',
  pendingStatus: 'queued',
  runningStatus: 'sending',
  doneStatus: 'sent',
};

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`
    create table queue_sql_jobs (
      id integer primary key,
      status text not null,
      due_at timestamptz not null,
      locked_until timestamptz
    )`);
  await database.db.execute(sql`
    create table queue_sql_outbox (
      message_id uuid primary key default gen_random_uuid(),
      state text not null,
      send_at timestamptz not null default now(),
      lease_until timestamptz
    )`);
});

afterAll(async () => {
  await database?.destroy();
});

beforeEach(async () => {
  await database.db.execute(sql`truncate queue_sql_jobs, queue_sql_outbox`);
});

async function insertJobs(
  rows: Array<{ id: number; status: string; dueIn: string; lockedFor?: string }>,
): Promise<void> {
  for (const row of rows) {
    await database.db.execute(sql`
      insert into queue_sql_jobs (id, status, due_at, locked_until)
      values (${row.id}, ${row.status}, now() + ${row.dueIn}::interval,
              ${row.lockedFor === undefined ? null : sql`now() + ${row.lockedFor}::interval`})`);
  }
}

async function readStatus(id: number): Promise<{ status: string; locked: boolean; due: boolean }> {
  const result = await database.db.execute(sql`
    select status, locked_until is not null as locked, due_at <= now() as due
    from queue_sql_jobs where id = ${id}`);
  const row = (
    result as unknown as { rows: Array<{ status: string; locked: boolean; due: boolean }> }
  ).rows[0];
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

describe('due rows SQL', () => {
  it('finds pending rows that are due and running rows whose lease expired, oldest first', async () => {
    await insertJobs([
      { id: 1, status: 'pending', dueIn: '-1 minute' },
      { id: 2, status: 'pending', dueIn: '1 hour' }, // not due yet
      { id: 3, status: 'running', dueIn: '-2 minutes', lockedFor: '-1 second' }, // stuck
      { id: 4, status: 'running', dueIn: '-3 minutes', lockedFor: '1 minute' }, // held
      { id: 5, status: 'done', dueIn: '-4 minutes' },
      { id: 6, status: 'pending', dueIn: '-5 minutes' },
      { id: 7, status: 'running', dueIn: '-1 second' }, // running without a lease: stuck
    ]);
    expect(await findDueRowIds(database.db, jobs, 10)).toEqual(['6', '3', '1', '7']);
    expect(await findDueRowIds(database.db, jobs, 2)).toEqual(['6', '3']);

    const custom = await database.db.execute(
      sql`select count(*)::int as n from queue_sql_jobs where ${buildDueRowCondition(jobs)}`,
    );
    expect((custom as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(4);
  });

  it('claims a due row once; a second claim gets nothing while the lease holds', async () => {
    await insertJobs([{ id: 1, status: 'pending', dueIn: '-1 second' }]);
    const claim = await claimDueRow(database.db, jobs, 1, 60_000);
    expect(claim?.id).toBe('1');
    expect(await readStatus(1)).toMatchObject({ status: 'running', locked: true });
    expect(await claimDueRow(database.db, jobs, 1, 60_000)).toBeUndefined();
    expect(await findDueRowIds(database.db, jobs, 10)).toEqual([]);
  });

  it('does not claim rows that are not due or already done', async () => {
    await insertJobs([
      { id: 1, status: 'pending', dueIn: '1 hour' },
      { id: 2, status: 'done', dueIn: '-1 hour' },
    ]);
    expect(await claimDueRow(database.db, jobs, 1, 1_000)).toBeUndefined();
    expect(await claimDueRow(database.db, jobs, 2, 1_000)).toBeUndefined();
    expect(await claimDueRow(database.db, jobs, 99, 1_000)).toBeUndefined();
  });

  it('lets exactly one of several concurrent claims win', async () => {
    await insertJobs([{ id: 1, status: 'pending', dueIn: '-1 second' }]);
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => claimDueRow(database.db, jobs, 1, 60_000)),
    );
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('finishes a row only with the claim that currently holds it (fencing)', async () => {
    await insertJobs([{ id: 1, status: 'pending', dueIn: '-1 second' }]);
    const stale = await claimDueRow(database.db, jobs, 1, 60_000);
    if (!stale) throw new Error('expected a claim');
    // The lease runs out (the worker hung); another worker re-claims the stuck row.
    await database.db.execute(
      sql`update queue_sql_jobs set locked_until = now() - interval '1 second' where id = 1`,
    );
    const fresh = await claimDueRow(database.db, jobs, 1, 60_000);
    if (!fresh) throw new Error('expected the stuck row to be re-claimed');
    expect(fresh.lease).not.toBe(stale.lease);

    expect(await database.db.transaction((tx) => finishClaimedRow(tx, jobs, stale))).toBe(false);
    expect(await readStatus(1)).toMatchObject({ status: 'running' });
    expect(await database.db.transaction((tx) => finishClaimedRow(tx, jobs, fresh))).toBe(true);
    expect(await readStatus(1)).toMatchObject({ status: 'done', locked: false });
    // Finishing twice is harmless.
    expect(await finishClaimedRow(database.db, jobs, fresh)).toBe(false);
  });

  it('finishes with another final status when asked', async () => {
    await insertJobs([{ id: 1, status: 'pending', dueIn: '-1 second' }]);
    const claim = await claimDueRow(database.db, jobs, 1, 60_000);
    if (!claim) throw new Error('expected a claim');
    expect(await finishClaimedRow(database.db, jobs, claim, 'failed')).toBe(true);
    expect(await readStatus(1)).toMatchObject({ status: 'failed' });
  });

  it('releases a claimed row back to pending, due after the delay', async () => {
    await insertJobs([{ id: 1, status: 'pending', dueIn: '-1 second' }]);
    const claim = await claimDueRow(database.db, jobs, 1, 60_000);
    if (!claim) throw new Error('expected a claim');
    expect(await releaseClaimedRow(database.db, jobs, claim, 60_000)).toBe(true);
    expect(await readStatus(1)).toEqual({ status: 'pending', locked: false, due: false });
    expect(await findDueRowIds(database.db, jobs, 10)).toEqual([]);
    expect(await releaseClaimedRow(database.db, jobs, claim)).toBe(false);
  });

  it('works with custom column names, status words and uuid ids', async () => {
    await database.db.execute(
      sql`insert into queue_sql_outbox (state) values ('queued'), ('sent'), ('queued')`,
    );
    const due = await findDueRowIds(database.db, outbox, 10);
    expect(due).toHaveLength(2);
    const [first] = due;
    if (!first) throw new Error('expected a due row');
    const claim = await claimDueRow(database.db, outbox, first, 30_000);
    expect(claim?.id).toBe(first);
    if (!claim) throw new Error('expected a claim');
    expect(await finishClaimedRow(database.db, outbox, claim)).toBe(true);
    const states = await database.db.execute(
      sql`select state, count(*)::int as n from queue_sql_outbox group by state order by state`,
    );
    expect((states as unknown as { rows: unknown[] }).rows).toEqual([
      { state: 'queued', n: 1 },
      { state: 'sent', n: 2 },
    ]);
  });
});
