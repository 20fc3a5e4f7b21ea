import { and, eq, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import { contacts, conversations, messages } from './messaging.tables.js';

/** Last activity, for ordering (a new conversation has none yet: its creation time). */
const activityAt = sql<Date>`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`;

export async function listConversations(
  db: DbExecutor,
  tenantId: string,
  filter: {
    channelId?: string | undefined;
    status?: 'open' | 'pending' | 'resolved' | undefined;
    phone?: string | undefined;
    cursor: PageCursor | undefined;
    limit: number;
  },
) {
  const { cursor } = filter;
  return db
    .select({
      conversation: conversations,
      contact: { id: contacts.id, phone: contacts.phone, name: contacts.name },
      activityAt: sql<string>`${activityAt}`.mapWith((value: string | Date) => new Date(value)),
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        filter.channelId ? eq(conversations.channelId, filter.channelId) : undefined,
        filter.status ? eq(conversations.status, filter.status) : undefined,
        filter.phone ? eq(contacts.phone, filter.phone) : undefined,
        keysetAfter(activityAt, conversations.id, cursor),
      ),
    )
    .orderBy(...keysetOrder(activityAt, conversations.id))
    .limit(filter.limit + 1);
}

export async function findConversation(db: DbExecutor, tenantId: string, id: string) {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
    .limit(1);
  return row;
}

/** A conversation's messages, newest first. */
export async function listConversationMessages(
  db: DbExecutor,
  tenantId: string,
  conversationId: string,
  page: { cursor: PageCursor | undefined; limit: number },
) {
  const { cursor } = page;
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        keysetAfter(messages.createdAt, messages.id, cursor),
      ),
    )
    .orderBy(...keysetOrder(messages.createdAt, messages.id))
    .limit(page.limit + 1);
}
