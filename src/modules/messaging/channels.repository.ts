import { and, count, desc, eq, inArray, ne } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { channels } from './messaging.tables.js';

export type ChannelRow = typeof channels.$inferSelect;

export async function insertChannel(
  db: DbExecutor,
  values: typeof channels.$inferInsert,
): Promise<ChannelRow> {
  const [row] = await db.insert(channels).values(values).returning();
  if (!row) throw new Error('The channel was not stored.');
  return row;
}

export async function listChannels(db: DbExecutor, tenantId: string): Promise<ChannelRow[]> {
  return db
    .select()
    .from(channels)
    .where(eq(channels.tenantId, tenantId))
    .orderBy(desc(channels.createdAt));
}

export async function findChannel(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.tenantId, tenantId), eq(channels.id, id)))
    .limit(1);
  return row;
}

/** A channel by id alone, for webhooks (addressed by channel id, authenticated by signature). */
export async function findChannelById(db: DbExecutor, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, id)).limit(1);
  return row;
}

export async function updateChannel(
  db: DbExecutor,
  tenantId: string,
  id: string,
  values: Partial<
    Pick<ChannelRow, 'name' | 'config' | 'secrets' | 'ratePerSecond' | 'pacing' | 'status'>
  >,
): Promise<ChannelRow | undefined> {
  const [row] = await db
    .update(channels)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(channels.tenantId, tenantId), eq(channels.id, id)))
    .returning();
  return row;
}

/**
 * Sets a channel's connection status as its session reports it, unless an admin disabled it.
 * Returns the status before and after (undefined when the channel is gone or disabled).
 */
export async function recordSessionStatus(
  db: DbExecutor,
  id: string,
  values: { status: 'active' | 'connecting' | 'disconnected'; displayNumber?: string | undefined },
): Promise<{ before: ChannelRow['status']; after: ChannelRow } | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: channels.status })
      .from(channels)
      .where(eq(channels.id, id))
      .for('update');
    if (!current || current.status === 'disabled') return undefined;
    const [row] = await tx
      .update(channels)
      .set({
        status: values.status,
        ...(values.displayNumber ? { displayNumber: values.displayNumber } : {}),
        updatedAt: new Date(),
      })
      .where(eq(channels.id, id))
      .returning();
    return row ? { before: current.status, after: row } : undefined;
  });
}

/** Whether the monitor should keep this channel's session running. */
export async function setSessionWanted(
  db: DbExecutor,
  tenantId: string,
  id: string,
  wanted: boolean,
): Promise<void> {
  await db
    .update(channels)
    .set({
      sessionWanted: wanted,
      ...(wanted ? { sessionRestarts: 0 } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(channels.tenantId, tenantId), eq(channels.id, id)));
}

/** Channels the session monitor looks at: QR providers, not disabled. */
export async function listSessionChannels(db: DbExecutor, providers: string[]) {
  if (providers.length === 0) return [];
  return db
    .select({
      id: channels.id,
      tenantId: channels.tenantId,
      sessionWanted: channels.sessionWanted,
      sessionRestarts: channels.sessionRestarts,
      sessionCheckedAt: channels.sessionCheckedAt,
    })
    .from(channels)
    .where(and(inArray(channels.provider, providers), ne(channels.status, 'disabled')));
}

export async function recordSessionCheck(
  db: DbExecutor,
  id: string,
  values: { restarts: number },
): Promise<void> {
  await db
    .update(channels)
    .set({ sessionRestarts: values.restarts, sessionCheckedAt: new Date() })
    .where(eq(channels.id, id));
}

export async function countChannelsByStatus(db: DbExecutor) {
  return db
    .select({ provider: channels.provider, status: channels.status, count: count() })
    .from(channels)
    .groupBy(channels.provider, channels.status);
}

export async function deleteChannel(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(channels)
    .where(and(eq(channels.tenantId, tenantId), eq(channels.id, id)))
    .returning({ id: channels.id });
  return rows.length > 0;
}
