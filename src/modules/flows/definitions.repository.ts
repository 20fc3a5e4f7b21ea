import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import type { FlowDocument } from '../../shared/flows/flow-document.js';
import { flows, flowVersions } from './flows.tables.js';

export type FlowRow = typeof flows.$inferSelect;
export type FlowVersionRow = typeof flowVersions.$inferSelect;
export type FlowVersionSummaryRow = Omit<FlowVersionRow, 'document'>;

export async function listFlows(
  db: DbExecutor,
  tenantId: string,
  page: { cursor: PageCursor | undefined; limit: number },
): Promise<FlowRow[]> {
  return db
    .select()
    .from(flows)
    .where(and(eq(flows.tenantId, tenantId), keysetAfter(flows.createdAt, flows.id, page.cursor)))
    .orderBy(...keysetOrder(flows.createdAt, flows.id))
    .limit(page.limit + 1);
}

export async function findFlow(
  db: DbExecutor,
  tenantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<FlowRow | undefined> {
  const query = db
    .select()
    .from(flows)
    .where(and(eq(flows.tenantId, tenantId), eq(flows.id, id)))
    .limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** Undefined when the tenant already has a flow with this name (case-insensitive). */
export async function insertFlow(
  db: DbExecutor,
  values: { tenantId: string; name: string; draft: unknown },
): Promise<FlowRow | undefined> {
  const [row] = await db.insert(flows).values(values).onConflictDoNothing().returning();
  return row;
}

/** Undefined when the flow is gone; throws on a name taken (see isFlowNameTaken). */
export async function updateFlowDraft(
  db: DbExecutor,
  tenantId: string,
  id: string,
  changes: { name: string; draft: unknown; updatedAt: Date },
): Promise<FlowRow | undefined> {
  const [row] = await db
    .update(flows)
    .set(changes)
    .where(and(eq(flows.tenantId, tenantId), eq(flows.id, id)))
    .returning();
  return row;
}

export async function deleteFlow(db: DbExecutor, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(flows)
    .where(and(eq(flows.tenantId, tenantId), eq(flows.id, id)))
    .returning({ id: flows.id });
  return rows.length > 0;
}

/**
 * Stores the next version of a flow whose row the caller holds locked (findFlow with `lock`),
 * so concurrent publishes queue on the row and each gets its own number; the unique index on
 * (flow, version) refuses a duplicate if a caller forgot the lock.
 */
export async function insertNextVersion(
  db: DbExecutor,
  flow: Pick<FlowRow, 'id' | 'tenantId' | 'latestVersion'>,
  values: { document: FlowDocument; publishedBy: string | null; at: Date },
): Promise<FlowVersionRow> {
  const version = flow.latestVersion + 1;
  const [row] = await db
    .insert(flowVersions)
    .values({
      tenantId: flow.tenantId,
      flowId: flow.id,
      version,
      document: values.document,
      publishedBy: values.publishedBy,
      createdAt: values.at,
    })
    .returning();
  if (!row) throw new Error(`flow ${flow.id}: version ${version} was not stored`);
  await db
    .update(flows)
    .set({ latestVersion: version, updatedAt: values.at })
    .where(eq(flows.id, flow.id));
  return row;
}

const versionSummaryColumns = {
  id: flowVersions.id,
  tenantId: flowVersions.tenantId,
  flowId: flowVersions.flowId,
  version: flowVersions.version,
  publishedBy: flowVersions.publishedBy,
  createdAt: flowVersions.createdAt,
};

/** Newest first; `before` is the last version number of the previous page. */
export async function listFlowVersions(
  db: DbExecutor,
  tenantId: string,
  flowId: string,
  page: { before: number | undefined; limit: number },
): Promise<FlowVersionSummaryRow[]> {
  return db
    .select(versionSummaryColumns)
    .from(flowVersions)
    .where(
      and(
        eq(flowVersions.tenantId, tenantId),
        eq(flowVersions.flowId, flowId),
        page.before === undefined ? undefined : lt(flowVersions.version, page.before),
      ),
    )
    .orderBy(desc(flowVersions.version))
    .limit(page.limit + 1);
}

export async function findFlowVersion(
  db: DbExecutor,
  tenantId: string,
  flowId: string,
  version: number,
): Promise<FlowVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(flowVersions)
    .where(
      and(
        eq(flowVersions.tenantId, tenantId),
        eq(flowVersions.flowId, flowId),
        eq(flowVersions.version, version),
      ),
    )
    .limit(1);
  return row;
}

/**
 * A published version by its id, for the runtime: a session runs the version it started with
 * (sessions keep `flow_version_id`), whatever was published since.
 */
export async function findPublishedVersion(
  db: DbExecutor,
  tenantId: string,
  flowVersionId: string,
): Promise<FlowVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(flowVersions)
    .where(and(eq(flowVersions.tenantId, tenantId), eq(flowVersions.id, flowVersionId)))
    .limit(1);
  return row;
}

/** True for the unique violation of (tenant, lower(name)), whichever driver raised it. */
export function isFlowNameTaken(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (code === '23505') {
      return constraint === undefined || constraint === 'flows_tenant_name_key';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
