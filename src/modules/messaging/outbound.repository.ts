import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import type { DueRowsTable } from '../../platform/queue/due-rows-sql.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import { contactIdentities, contacts, conversations, messages } from './messaging.tables.js';

export type MessageRow = typeof messages.$inferSelect;

/** Outbound messages as due work: queued → sending (claimed) → sent | failed. */
export const outboundTable: DueRowsTable = {
  table: 'messages',
  pendingStatus: 'queued',
  runningStatus: 'sending',
  doneStatus: 'sent',
};

export async function findContact(db: DbExecutor, tenantId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, contactId)))
    .limit(1);
  return row;
}

/**
 * A contact to send to, with the WhatsApp id they wrote from (when known), in one query. The
 * outer column is spelled out: in a one-table select Drizzle leaves columns unqualified, which
 * inside the subquery would mean `contact_identities.id`.
 */
export async function findRecipient(db: DbExecutor, tenantId: string, contactId: string) {
  const [row] = await db
    .select({
      id: contacts.id,
      phone: contacts.phone,
      waId: sql<
        string | null
      >`(select ${contactIdentities.value} from ${contactIdentities} where ${contactIdentities.contactId} = "contacts"."id" and ${contactIdentities.kind} = 'wa_id' order by ${contactIdentities.createdAt} limit 1)`,
    })
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, contactId)))
    .limit(1);
  return row;
}

/** The conversation of (channel, contact), created when the business writes first. */
export async function ensureConversation(
  db: DbExecutor,
  values: { tenantId: string; channelId: string; contactId: string },
) {
  await db.insert(conversations).values(values).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.channelId, values.channelId),
        eq(conversations.contactId, values.contactId),
      ),
    )
    .limit(1);
  if (!row) throw new Error('The conversation was not stored.');
  return row;
}

export async function findMessageByIdempotencyKey(db: DbExecutor, tenantId: string, key: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.idempotencyKey, key)))
    .limit(1);
  return row;
}

/** Inserts a queued message; undefined when its idempotency key was used already. */
export async function insertQueuedMessage(
  db: DbExecutor,
  values: {
    tenantId: string;
    conversationId: string;
    channelId: string;
    contactId: string;
    content: MessageContent;
    idempotencyKey: string | undefined;
    bulk: boolean;
  },
) {
  const [row] = await db
    .insert(messages)
    .values({
      ...values,
      idempotencyKey: values.idempotencyKey ?? null,
      direction: 'outbound',
      status: 'queued',
      dueAt: new Date(),
    })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await db
      .update(conversations)
      .set({ lastMessageAt: new Date(), updatedAt: new Date() })
      .where(eq(conversations.id, values.conversationId));
  }
  return row;
}

export async function findMessage(db: DbExecutor, tenantId: string, id: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)))
    .limit(1);
  return row;
}

export async function findMessageById(db: DbExecutor, id: string) {
  const [row] = await db.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

export async function countSendAttempt(db: DbExecutor, id: string): Promise<number> {
  const [row] = await db
    .update(messages)
    .set({ attempts: sql`${messages.attempts} + 1` })
    .where(eq(messages.id, id))
    .returning({ attempts: messages.attempts });
  return row?.attempts ?? 0;
}

/** Records the provider's id of a sent message (the claim's finish sets status `sent`). */
export async function recordProviderMessageId(
  db: DbExecutor,
  id: string,
  providerMessageId: string,
) {
  await db
    .update(messages)
    .set({
      providerMessageId,
      sentAt: new Date(),
      errorCode: null,
      errorReason: null,
      updatedAt: new Date(),
    })
    .where(eq(messages.id, id));
}

export async function recordSendFailure(
  db: DbExecutor,
  id: string,
  error: { code: string; reason: string },
) {
  await db
    .update(messages)
    .set({ errorCode: error.code, errorReason: error.reason.slice(0, 1000), updatedAt: new Date() })
    .where(eq(messages.id, id));
}

export async function markFailedAt(db: DbExecutor, id: string) {
  await db
    .update(messages)
    .set({ failedAt: new Date(), lockedUntil: null })
    .where(eq(messages.id, id));
}

/** The contents of the latest outbound messages that reached the phone, newest first. */
export async function listRecentOutboundContents(
  db: DbExecutor,
  tenantId: string,
  conversationId: string,
  limit: number,
) {
  return db
    .select({ content: messages.content })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        eq(messages.direction, 'outbound'),
        inArray(messages.status, ['sent', 'delivered', 'read']),
      ),
    )
    .orderBy(desc(messages.occurredAt), desc(messages.id))
    .limit(limit);
}

/**
 * Whether an earlier message of the same kind (reply or bulk) to the same conversation has not
 * left yet: messages of a conversation go out in the order they were created, so a bot's
 * "Olá!" never arrives after the question that follows it.
 */
export async function hasEarlierUnsent(
  db: DbExecutor,
  message: Pick<MessageRow, 'id' | 'conversationId' | 'createdAt' | 'bulk'>,
): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, message.conversationId),
        eq(messages.direction, 'outbound'),
        inArray(messages.status, ['queued', 'sending']),
        eq(messages.bulk, message.bulk),
        sql`${messages.createdAt} < ${message.createdAt.toISOString()}::timestamptz`,
      ),
    )
    .limit(1);
  return row !== undefined;
}
