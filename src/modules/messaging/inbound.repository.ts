import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import type { DueRowsTable } from '../../platform/queue/due-rows-sql.js';
import {
  canAdvanceStatus,
  type MessageContent,
  type MessageStatus,
  messageStatuses,
} from '../../shared/messaging/message-content.js';
import {
  conversations,
  messageStatusEvents,
  messages,
  webhookDeliveries,
} from './messaging.tables.js';

/** webhook_deliveries as a table of due work (pending → running → processed | failed). */
export const deliveriesTable: DueRowsTable = {
  table: 'webhook_deliveries',
  doneStatus: 'processed',
};

/** Stores a raw delivery; undefined when the same delivery was stored before. */
export async function insertDelivery(
  db: DbExecutor,
  values: typeof webhookDeliveries.$inferInsert,
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .insert(webhookDeliveries)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  return row;
}

export async function findDelivery(db: DbExecutor, id: string) {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, id))
    .limit(1);
  return row;
}

export async function recordDeliveryError(db: DbExecutor, id: string, error: string) {
  await db
    .update(webhookDeliveries)
    .set({
      error: error.slice(0, 2000),
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(webhookDeliveries.id, id));
}

/** Opens (or reopens) the conversation and moves its inbound and activity times forward. */
export async function upsertInboundConversation(
  db: DbExecutor,
  values: { tenantId: string; channelId: string; contactId: string; at: Date },
) {
  const [row] = await db
    .insert(conversations)
    .values({
      tenantId: values.tenantId,
      channelId: values.channelId,
      contactId: values.contactId,
      lastInboundAt: values.at,
      lastMessageAt: values.at,
    })
    .onConflictDoUpdate({
      target: [conversations.channelId, conversations.contactId],
      set: {
        lastInboundAt: sql`greatest(${conversations.lastInboundAt}, excluded.last_inbound_at)`,
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, excluded.last_message_at)`,
        status: sql`case when ${conversations.status} = 'resolved' then 'open' else ${conversations.status} end`,
        updatedAt: new Date(),
      },
    })
    .returning();
  if (!row) throw new Error('The conversation was not stored.');
  return row;
}

/** Stores an inbound message; undefined when this provider message id was stored before. */
export async function insertInboundMessage(
  db: DbExecutor,
  values: {
    tenantId: string;
    conversationId: string;
    channelId: string;
    contactId: string;
    providerMessageId: string;
    content: MessageContent;
    occurredAt: Date;
  },
) {
  const [row] = await db
    .insert(messages)
    .values({ ...values, direction: 'inbound', status: 'delivered' })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Records a status report; undefined when this (message, status) was reported before. */
export async function insertStatusEvent(
  db: DbExecutor,
  values: typeof messageStatusEvents.$inferInsert,
) {
  const [row] = await db
    .insert(messageStatusEvents)
    .values(values)
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function findMessageByProviderId(
  db: DbExecutor,
  channelId: string,
  providerMessageId: string,
) {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(eq(messages.channelId, channelId), eq(messages.providerMessageId, providerMessageId)),
    )
    .limit(1);
  return row;
}

const timestampColumnByStatus: Partial<
  Record<MessageStatus, 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'>
> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  failed: 'failedAt',
};

/**
 * Moves a message to `status` only if that is forward from where it is (one atomic update, so
 * concurrent reports cannot move it backwards). Returns whether it moved.
 */
export async function advanceMessageStatus(
  db: DbExecutor,
  messageId: string,
  change: {
    status: MessageStatus;
    at: Date;
    errorCode?: string | null;
    errorReason?: string | null;
  },
): Promise<boolean> {
  const from = messageStatuses.filter((current) => canAdvanceStatus(current, change.status));
  if (from.length === 0) return false;
  const column = timestampColumnByStatus[change.status];
  const rows = await db
    .update(messages)
    .set({
      status: change.status,
      ...(column ? { [column]: change.at } : {}),
      ...(change.status === 'failed'
        ? { errorCode: change.errorCode ?? null, errorReason: change.errorReason ?? null }
        : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(messages.id, messageId), inArray(messages.status, from)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

/** Status reports that arrived before their message, oldest first. */
export async function listPendingStatusEvents(
  db: DbExecutor,
  channelId: string,
  providerMessageId: string,
) {
  return db
    .select()
    .from(messageStatusEvents)
    .where(
      and(
        eq(messageStatusEvents.channelId, channelId),
        eq(messageStatusEvents.providerMessageId, providerMessageId),
        isNull(messageStatusEvents.appliedAt),
      ),
    )
    .orderBy(messageStatusEvents.occurredAt);
}

export async function markStatusEventApplied(db: DbExecutor, id: string, messageId: string) {
  await db
    .update(messageStatusEvents)
    .set({ appliedAt: new Date(), messageId, updatedAt: new Date() })
    .where(eq(messageStatusEvents.id, id));
}
