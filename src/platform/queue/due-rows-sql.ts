import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { DbExecutor } from '../db/database.js';

/**
 * SQL for tables whose rows are units of queued work (messages, campaign recipients, flow
 * wake-ups). The row, not the queue, is the truth: a row is due when it is pending and its time
 * has come, or stuck when a worker claimed it and its lease ran out (the worker died).
 *
 *   due:   status = 'pending' and due_at <= now()
 *   stuck: status = 'running' and (locked_until is null or locked_until < now())
 *
 * A handler claims its row (`claimDueRow`: status → running, lease until now + leaseMs), does
 * the work, then in ONE transaction with the work's database effect calls `finishClaimedRow`,
 * which only succeeds while the claim is still the row's current one (the lease timestamp is the
 * fencing token). A worker that lost its lease to another cannot finish the row twice.
 * See README.md for the whole pattern.
 */
export type DueRowsTable = {
  /** e.g. `campaign_recipients` */
  table: string;
  idColumn?: string;
  statusColumn?: string;
  dueAtColumn?: string;
  lockedUntilColumn?: string;
  /** Status values, when the table uses its own words (e.g. messages: `queued`/`sending`). */
  pendingStatus?: string;
  runningStatus?: string;
  doneStatus?: string;
};

/** A held claim. `lease` is the row's `locked_until` as Postgres text (microsecond-exact). */
export type RowClaim = { id: string; lease: string };

type ResolvedTable = {
  table: SQLWrapper;
  id: SQLWrapper;
  status: SQLWrapper;
  dueAt: SQLWrapper;
  lockedUntil: SQLWrapper;
  pending: string;
  running: string;
  done: string;
};

/** The WHERE condition "due or stuck" for `table`; for modules that write their own query. */
export function buildDueRowCondition(table: DueRowsTable): SQL {
  const t = resolveTable(table);
  return sql`((${t.status} = ${t.pending} and ${t.dueAt} <= now()) or (${t.status} = ${t.running} and (${t.lockedUntil} is null or ${t.lockedUntil} < now())))`;
}

/** Ids of due or stuck rows, oldest due first (a sweeper's `findDue`). */
export async function findDueRowIds(
  db: DbExecutor,
  table: DueRowsTable,
  limit: number,
): Promise<string[]> {
  const t = resolveTable(table);
  const result = await db.execute(
    sql`select ${t.id}::text as id from ${t.table} where ${buildDueRowCondition(table)} order by ${t.dueAt} limit ${Math.max(0, Math.floor(limit))}`,
  );
  return readRows(result).map((row) => String(row.id));
}

/**
 * Claims the row for `leaseMs` if it is due or stuck. Undefined when it is not: already done,
 * not due yet, or held by a live claim (another worker has it). Pick a lease comfortably longer
 * than the work takes; when it expires the row counts as stuck and may run again.
 */
export async function claimDueRow(
  db: DbExecutor,
  table: DueRowsTable,
  id: string | number,
  leaseMs: number,
): Promise<RowClaim | undefined> {
  const t = resolveTable(table);
  const result = await db.execute(
    sql`update ${t.table} set ${t.status} = ${t.running}, ${t.lockedUntil} = now() + ${Math.ceil(leaseMs)}::integer * interval '1 millisecond' where ${t.id} = ${id} and ${buildDueRowCondition(table)} returning ${t.id}::text as id, ${t.lockedUntil}::text as lease`,
  );
  const row = readRows(result)[0];
  return row ? { id: String(row.id), lease: String(row.lease) } : undefined;
}

/**
 * Marks a claimed row finished (`doneStatus`, or the given status) if the claim still holds.
 * Call it inside the transaction that records the work's effect, and roll back when it returns
 * false: the lease expired and another worker re-claimed the row.
 */
export async function finishClaimedRow(
  tx: DbExecutor,
  table: DueRowsTable,
  claim: RowClaim,
  status?: string,
): Promise<boolean> {
  const t = resolveTable(table);
  const result = await tx.execute(
    sql`update ${t.table} set ${t.status} = ${status ?? t.done}, ${t.lockedUntil} = null where ${t.id} = ${claim.id} and ${t.status} = ${t.running} and ${t.lockedUntil} = ${claim.lease}::timestamptz returning ${t.id}::text as id`,
  );
  return readRows(result).length === 1;
}

/**
 * Hands a claimed row back as pending, due in `delayMs` (e.g. the provider asked to retry later
 * and the job will not wait). False when the claim no longer holds.
 */
export async function releaseClaimedRow(
  db: DbExecutor,
  table: DueRowsTable,
  claim: RowClaim,
  delayMs = 0,
): Promise<boolean> {
  const t = resolveTable(table);
  const result = await db.execute(
    sql`update ${t.table} set ${t.status} = ${t.pending}, ${t.dueAt} = now() + ${Math.ceil(delayMs)}::integer * interval '1 millisecond', ${t.lockedUntil} = null where ${t.id} = ${claim.id} and ${t.status} = ${t.running} and ${t.lockedUntil} = ${claim.lease}::timestamptz returning ${t.id}::text as id`,
  );
  return readRows(result).length === 1;
}

function resolveTable(table: DueRowsTable): ResolvedTable {
  return {
    table: sql.identifier(table.table),
    id: sql.identifier(table.idColumn ?? 'id'),
    status: sql.identifier(table.statusColumn ?? 'status'),
    dueAt: sql.identifier(table.dueAtColumn ?? 'due_at'),
    lockedUntil: sql.identifier(table.lockedUntilColumn ?? 'locked_until'),
    pending: table.pendingStatus ?? 'pending',
    running: table.runningStatus ?? 'running',
    done: table.doneStatus ?? 'done',
  };
}

/** `execute` returns `{ rows }` on both drivers (node-postgres and PGlite). */
function readRows(result: unknown): Array<Record<string, unknown>> {
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new Error('Unexpected query result: no rows array');
  return rows as Array<Record<string, unknown>>;
}
