import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import type { DueRowsTable } from '../../platform/queue/due-rows-sql.js';
import { findDueRowIds } from '../../platform/queue/due-rows-sql.js';
import { flowInputs, flowLanes, flowOutbox, flowSessions, flowVersions } from './flows.tables.js';

/** SQL of the flow runtime: inputs in order, lanes, sessions and the outbox. */

export const lanesTable: DueRowsTable = { table: 'flow_lanes', idColumn: 'conversation_id' };
export const outboxTable: DueRowsTable = { table: 'flow_outbox' };

export type InputRow = typeof flowInputs.$inferSelect;
export type SessionRow = typeof flowSessions.$inferSelect;
export type OutboxRow = typeof flowOutbox.$inferSelect;

/** Records an input once (by its dedupe key) and marks the conversation's lane due. */
export async function insertInput(
  db: DbExecutor,
  input: {
    tenantId: string;
    conversationId: string;
    kind: InputRow['kind'];
    payload: Record<string, unknown>;
    dedupeKey: string;
  },
): Promise<boolean> {
  const inserted = await db
    .insert(flowInputs)
    .values(input)
    .onConflictDoNothing()
    .returning({ id: flowInputs.id });
  await db.execute(sql`
    insert into flow_lanes (conversation_id, tenant_id, status, due_at, generation)
    values (${input.conversationId}, ${input.tenantId}, 'pending', now(), 1)
    on conflict (conversation_id) do update set
      generation = flow_lanes.generation + 1,
      status = case when flow_lanes.status = 'running' then 'running' else 'pending' end,
      due_at = case when flow_lanes.status = 'running' then flow_lanes.due_at else now() end,
      updated_at = now()`);
  return inserted.length > 0;
}

export async function laneGeneration(db: DbExecutor, conversationId: string): Promise<number> {
  const [row] = await db
    .select({ generation: flowLanes.generation })
    .from(flowLanes)
    .where(eq(flowLanes.conversationId, conversationId));
  return row?.generation ?? 0;
}

/**
 * Lets go of a lane when nothing new came since `generation` was read; false when an input
 * slipped in (the caller goes on) or the claim was lost.
 */
export async function finishLane(
  db: DbExecutor,
  conversationId: string,
  lease: string,
  generation: number,
): Promise<boolean> {
  const result = await db
    .update(flowLanes)
    .set({ status: 'done', lockedUntil: null, updatedAt: new Date() })
    .where(
      and(
        eq(flowLanes.conversationId, conversationId),
        eq(flowLanes.status, 'running'),
        sql`${flowLanes.lockedUntil} = ${lease}::timestamptz`,
        eq(flowLanes.generation, generation),
      ),
    )
    .returning({ id: flowLanes.conversationId });
  return result.length === 1;
}

/** Inside a turn's transaction: true while this worker still holds the lane. */
export async function holdsLane(
  tx: DbExecutor,
  conversationId: string,
  lease: string,
): Promise<boolean> {
  const result = await tx
    .select({ id: flowLanes.conversationId })
    .from(flowLanes)
    .where(
      and(
        eq(flowLanes.conversationId, conversationId),
        eq(flowLanes.status, 'running'),
        sql`${flowLanes.lockedUntil} = ${lease}::timestamptz`,
      ),
    )
    .for('update');
  return result.length === 1;
}

export async function pendingInputs(
  db: DbExecutor,
  conversationId: string,
  limit: number,
): Promise<InputRow[]> {
  return db
    .select()
    .from(flowInputs)
    .where(and(eq(flowInputs.conversationId, conversationId), eq(flowInputs.status, 'pending')))
    .orderBy(asc(flowInputs.id))
    .limit(limit);
}

export async function markInputDone(tx: DbExecutor, id: number, outcome: string): Promise<void> {
  await tx
    .update(flowInputs)
    .set({ status: 'done', outcome, processedAt: new Date() })
    .where(eq(flowInputs.id, id));
}

export async function findLiveSession(
  db: DbExecutor,
  conversationId: string,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(flowSessions)
    .where(and(eq(flowSessions.conversationId, conversationId), ne(flowSessions.status, 'ended')));
  return row;
}

export async function findVersionDocument(db: DbExecutor, versionId: string) {
  const [row] = await db
    .select({ document: flowVersions.document, flowId: flowVersions.flowId })
    .from(flowVersions)
    .where(eq(flowVersions.id, versionId));
  return row;
}

export async function insertSession(
  tx: DbExecutor,
  values: typeof flowSessions.$inferInsert,
): Promise<SessionRow> {
  const [row] = await tx.insert(flowSessions).values(values).returning();
  if (!row) throw new Error('flow session insert returned nothing');
  return row;
}

export async function updateSession(
  tx: DbExecutor,
  id: string,
  values: Partial<typeof flowSessions.$inferInsert>,
): Promise<void> {
  await tx
    .update(flowSessions)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(flowSessions.id, id));
}

export async function insertOutbox(
  tx: DbExecutor,
  rows: (typeof flowOutbox.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(flowOutbox).values(rows).onConflictDoNothing();
}

/** Pending outbox rows of a conversation, in the order turns wrote them. */
export async function pendingOutbox(db: DbExecutor, conversationId: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(flowOutbox)
    .where(and(eq(flowOutbox.conversationId, conversationId), eq(flowOutbox.status, 'pending')))
    .orderBy(asc(flowOutbox.seq));
}

export async function findSessionById(db: DbExecutor, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(flowSessions).where(eq(flowSessions.id, id));
  return row;
}

export async function findOutbox(db: DbExecutor, id: string): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(flowOutbox).where(eq(flowOutbox.id, id));
  return row;
}

export async function recordOutboxResult(
  tx: DbExecutor,
  id: string,
  result: Record<string, unknown>,
): Promise<void> {
  await tx
    .update(flowOutbox)
    .set({ result, updatedAt: new Date(), attempts: sql`${flowOutbox.attempts} + 1` })
    .where(eq(flowOutbox.id, id));
}

export function findDueOutbox(db: DbExecutor, limit: number): Promise<string[]> {
  return findDueRowIds(db, outboxTable, limit);
}

export function findDueLanes(db: DbExecutor, limit: number): Promise<string[]> {
  return findDueRowIds(db, lanesTable, limit);
}
