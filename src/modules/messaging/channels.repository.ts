import { and, desc, eq } from 'drizzle-orm';
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
  values: Partial<Pick<ChannelRow, 'name' | 'config' | 'secrets' | 'ratePerSecond' | 'status'>>,
): Promise<ChannelRow | undefined> {
  const [row] = await db
    .update(channels)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(channels.tenantId, tenantId), eq(channels.id, id)))
    .returning();
  return row;
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
