import { and, eq, ne } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import { flowSessions, flows, flowVersions } from './flows.tables.js';

export type FlowSessionRow = typeof flowSessions.$inferSelect;
export type FlowSessionViewRow = FlowSessionRow & { flowName: string; version: number };
type SessionStatus = FlowSessionRow['status'];

/** Sessions with their flow's name and version number, latest activity first. */
export async function listSessions(
  db: DbExecutor,
  tenantId: string,
  filter: {
    conversationId?: string | undefined;
    flowId?: string | undefined;
    status?: SessionStatus | undefined;
    cursor: PageCursor | undefined;
    limit: number;
  },
): Promise<FlowSessionViewRow[]> {
  const rows = await db
    .select({ session: flowSessions, flowName: flows.name, version: flowVersions.version })
    .from(flowSessions)
    .innerJoin(flows, eq(flows.id, flowSessions.flowId))
    .innerJoin(flowVersions, eq(flowVersions.id, flowSessions.flowVersionId))
    .where(
      and(
        eq(flowSessions.tenantId, tenantId),
        filter.conversationId ? eq(flowSessions.conversationId, filter.conversationId) : undefined,
        filter.flowId ? eq(flowSessions.flowId, filter.flowId) : undefined,
        filter.status ? eq(flowSessions.status, filter.status) : undefined,
        keysetAfter(flowSessions.updatedAt, flowSessions.id, filter.cursor),
      ),
    )
    .orderBy(...keysetOrder(flowSessions.updatedAt, flowSessions.id))
    .limit(filter.limit + 1);
  return rows.map(({ session, flowName, version }) => ({ ...session, flowName, version }));
}

export async function findSession(
  db: DbExecutor,
  tenantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<FlowSessionViewRow | undefined> {
  const query = db
    .select({ session: flowSessions, flowName: flows.name, version: flowVersions.version })
    .from(flowSessions)
    .innerJoin(flows, eq(flows.id, flowSessions.flowId))
    .innerJoin(flowVersions, eq(flowVersions.id, flowSessions.flowVersionId))
    .where(and(eq(flowSessions.tenantId, tenantId), eq(flowSessions.id, id)))
    .limit(1);
  const [row] = options.lock ? await query.for('update', { of: flowSessions }) : await query;
  return row ? { ...row.session, flowName: row.flowName, version: row.version } : undefined;
}

export async function updateSession(
  db: DbExecutor,
  id: string,
  changes: Partial<
    Pick<FlowSessionRow, 'status' | 'state' | 'history' | 'endReason' | 'endedAt' | 'updatedAt'>
  >,
): Promise<void> {
  await db.update(flowSessions).set(changes).where(eq(flowSessions.id, id));
}

/** True when some conversation is in the flow now (a session not ended). */
export async function hasLiveSessions(
  db: DbExecutor,
  tenantId: string,
  flowId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: flowSessions.id })
    .from(flowSessions)
    .where(
      and(
        eq(flowSessions.tenantId, tenantId),
        eq(flowSessions.flowId, flowId),
        ne(flowSessions.status, 'ended'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
