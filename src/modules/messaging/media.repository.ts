import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import type { DueRowsTable } from '../../platform/queue/due-rows-sql.js';
import { mediaObjects, messages } from './messaging.tables.js';

export type MediaRow = typeof mediaObjects.$inferSelect;

/** Inbound media as due work: pending → running (fetching) → stored | rejected | failed. */
export const mediaTable: DueRowsTable = { table: 'media_objects', doneStatus: 'stored' };

export async function insertMedia(
  db: DbExecutor,
  values: typeof mediaObjects.$inferInsert,
): Promise<MediaRow> {
  const [row] = await db.insert(mediaObjects).values(values).returning();
  if (!row) throw new Error('The media object was not stored.');
  return row;
}

export async function findMedia(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<MediaRow | undefined> {
  const [row] = await db
    .select()
    .from(mediaObjects)
    .where(and(eq(mediaObjects.tenantId, tenantId), eq(mediaObjects.id, id)))
    .limit(1);
  return row;
}

/** By id alone: for jobs and signed links, which carry no principal. */
export async function findMediaById(db: DbExecutor, id: string): Promise<MediaRow | undefined> {
  const [row] = await db.select().from(mediaObjects).where(eq(mediaObjects.id, id)).limit(1);
  return row;
}

export async function findMediaByMessage(
  db: DbExecutor,
  messageId: string,
): Promise<MediaRow | undefined> {
  const [row] = await db
    .select()
    .from(mediaObjects)
    .where(eq(mediaObjects.messageId, messageId))
    .limit(1);
  return row;
}

/** Ties an uploaded media object to the message that carried it (same tenant, unlinked only). */
export async function linkMediaToMessage(
  db: DbExecutor,
  tenantId: string,
  id: string,
  link: { messageId: string; channelId: string },
): Promise<boolean> {
  const rows = await db
    .update(mediaObjects)
    .set({ messageId: link.messageId, channelId: link.channelId, updatedAt: new Date() })
    .where(
      and(
        eq(mediaObjects.tenantId, tenantId),
        eq(mediaObjects.id, id),
        isNull(mediaObjects.messageId),
      ),
    )
    .returning({ id: mediaObjects.id });
  return rows.length > 0;
}

export async function countFetchAttempt(db: DbExecutor, id: string): Promise<number> {
  const [row] = await db
    .update(mediaObjects)
    .set({ attempts: sql`${mediaObjects.attempts} + 1` })
    .where(eq(mediaObjects.id, id))
    .returning({ attempts: mediaObjects.attempts });
  return row?.attempts ?? 0;
}

export async function recordMediaError(db: DbExecutor, id: string, error: string) {
  await db
    .update(mediaObjects)
    .set({ error: error.slice(0, 1000), updatedAt: new Date() })
    .where(eq(mediaObjects.id, id));
}

/** What was checked about the stored bytes (the claim's finish sets status `stored`). */
export async function recordStoredMedia(
  db: DbExecutor,
  id: string,
  stored: { storageKey: string; sha256: string; sizeBytes: number; mimeType: string },
) {
  await db
    .update(mediaObjects)
    .set({ ...stored, error: null, updatedAt: new Date() })
    .where(eq(mediaObjects.id, id));
}

/** Remembers the provider's id of an upload, so a retried send does not upload again. */
export async function cacheProviderMediaId(
  db: DbExecutor,
  id: string,
  channelId: string,
  providerMediaId: string,
) {
  await db
    .update(mediaObjects)
    .set({ providerMediaId, channelId, updatedAt: new Date() })
    .where(eq(mediaObjects.id, id));
}

/**
 * Adds the stored media's id and checked facts to its message's content (a JSON merge, so the
 * caption and the provider's fields stay). Returns the conversation, for the event.
 */
export async function attachMediaToMessageContent(
  db: DbExecutor,
  messageId: string,
  fields: { mediaId: string; sha256: string; sizeBytes: number; mimeType: string },
): Promise<{ conversationId: string } | undefined> {
  const [row] = await db
    .update(messages)
    .set({
      content: sql`${messages.content} || ${JSON.stringify(fields)}::jsonb`,
      updatedAt: new Date(),
    })
    .where(eq(messages.id, messageId))
    .returning({ conversationId: messages.conversationId });
  return row;
}
