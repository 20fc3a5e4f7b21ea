import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { defaultFlowCommands, type FlowCommands } from '../../shared/contracts/flows.contract.js';
import type { FlowDocument } from '../../shared/flows/flow-document.js';
import { flowChannelSettings, flows, flowTriggers, flowVersions } from './flows.tables.js';
import { findKeyword, wordsOf } from './keywords.js';

export type FlowTriggerRow = typeof flowTriggers.$inferSelect & { flowName: string };

const triggerColumns = {
  id: flowTriggers.id,
  tenantId: flowTriggers.tenantId,
  channelId: flowTriggers.channelId,
  flowId: flowTriggers.flowId,
  kind: flowTriggers.kind,
  keywords: flowTriggers.keywords,
  createdAt: flowTriggers.createdAt,
  updatedAt: flowTriggers.updatedAt,
  flowName: flows.name,
};

/** A channel's triggers with their flows' names: the default first, then oldest first. */
export async function listTriggers(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
): Promise<FlowTriggerRow[]> {
  return db
    .select(triggerColumns)
    .from(flowTriggers)
    .innerJoin(flows, eq(flows.id, flowTriggers.flowId))
    .where(and(eq(flowTriggers.tenantId, tenantId), eq(flowTriggers.channelId, channelId)))
    .orderBy(asc(flowTriggers.kind), asc(flowTriggers.createdAt), asc(flowTriggers.id));
}

/**
 * Holds a lock on the channel's triggers and commands until the transaction ends, so two
 * requests cannot both find a keyword free and both take it.
 */
export async function lockChannelTriggers(db: DbExecutor, channelId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${channelId}, 42))`);
}

export async function insertTrigger(
  db: DbExecutor,
  values: {
    tenantId: string;
    channelId: string;
    flowId: string;
    kind: 'default' | 'keyword';
    keywords: string[];
  },
): Promise<typeof flowTriggers.$inferSelect> {
  const [row] = await db.insert(flowTriggers).values(values).returning();
  if (!row) throw new Error(`the trigger of channel ${values.channelId} was not stored`);
  return row;
}

export async function deleteDefaultTrigger(db: DbExecutor, channelId: string): Promise<void> {
  await db
    .delete(flowTriggers)
    .where(and(eq(flowTriggers.channelId, channelId), eq(flowTriggers.kind, 'default')));
}

export async function deleteTrigger(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(flowTriggers)
    .where(
      and(
        eq(flowTriggers.tenantId, tenantId),
        eq(flowTriggers.channelId, channelId),
        eq(flowTriggers.id, id),
      ),
    )
    .returning({ id: flowTriggers.id });
  return rows.length > 0;
}

/** The channel's stored commands, or undefined when it keeps the defaults. */
export async function findChannelCommands(
  db: DbExecutor,
  channelId: string,
): Promise<FlowCommands | undefined> {
  const [row] = await db
    .select({ commands: flowChannelSettings.commands })
    .from(flowChannelSettings)
    .where(eq(flowChannelSettings.channelId, channelId))
    .limit(1);
  return row?.commands;
}

/** The global commands of a channel (normalized words; the defaults when never changed). */
export async function commandsOf(db: DbExecutor, channelId: string): Promise<FlowCommands> {
  return (await findChannelCommands(db, channelId)) ?? defaultFlowCommands;
}

export async function upsertChannelCommands(
  db: DbExecutor,
  values: { tenantId: string; channelId: string; commands: FlowCommands; at: Date },
): Promise<void> {
  await db
    .insert(flowChannelSettings)
    .values({
      channelId: values.channelId,
      tenantId: values.tenantId,
      commands: values.commands,
      createdAt: values.at,
      updatedAt: values.at,
    })
    .onConflictDoUpdate({
      target: flowChannelSettings.channelId,
      set: { commands: values.commands, updatedAt: values.at },
    });
}

export type TriggeredFlow = {
  flowId: string;
  /** The flow's latest published version: the one a new session starts on. */
  versionId: string;
  document: FlowDocument;
  /** Which trigger matched (`default`, or the keyword found in the text). */
  matched: { kind: 'default' } | { kind: 'keyword'; keyword: string };
};

/**
 * The flow a message starts on a channel, for a conversation with no live session: a keyword
 * trigger whose keyword appears in the text (as whole words, compared normalized; the earliest
 * in the text wins, then the longest), else the channel's default flow, else none.
 */
export async function findTriggerFlow(
  db: DbExecutor,
  channelId: string,
  text: string,
): Promise<TriggeredFlow | undefined> {
  const triggers = await db
    .select({
      flowId: flowTriggers.flowId,
      kind: flowTriggers.kind,
      keywords: flowTriggers.keywords,
    })
    .from(flowTriggers)
    .where(eq(flowTriggers.channelId, channelId))
    .orderBy(asc(flowTriggers.createdAt), asc(flowTriggers.id));
  const words = wordsOf(text);
  let best: { flowId: string; keyword: string; at: number } | undefined;
  for (const trigger of triggers) {
    if (trigger.kind !== 'keyword') continue;
    for (const keyword of trigger.keywords) {
      const at = findKeyword(words, keyword);
      if (at < 0) continue;
      if (
        !best ||
        at < best.at ||
        (at === best.at && keyword.split(' ').length > best.keyword.split(' ').length)
      ) {
        best = { flowId: trigger.flowId, keyword, at };
      }
    }
  }
  const fallback = triggers.find((trigger) => trigger.kind === 'default');
  const chosen = best
    ? { flowId: best.flowId, matched: { kind: 'keyword' as const, keyword: best.keyword } }
    : fallback
      ? { flowId: fallback.flowId, matched: { kind: 'default' as const } }
      : undefined;
  if (!chosen) return undefined;
  const [version] = await db
    .select({ id: flowVersions.id, document: flowVersions.document })
    .from(flowVersions)
    .innerJoin(
      flows,
      and(eq(flows.id, flowVersions.flowId), eq(flows.latestVersion, flowVersions.version)),
    )
    .where(eq(flowVersions.flowId, chosen.flowId))
    .limit(1);
  if (!version) return undefined;
  return {
    flowId: chosen.flowId,
    versionId: version.id,
    document: version.document,
    matched: chosen.matched,
  };
}
