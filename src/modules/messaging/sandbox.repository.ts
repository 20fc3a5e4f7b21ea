import { and, desc, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { contacts, conversations, messages } from './messaging.tables.js';

/** The simulated user's contact and conversation on a sandbox channel, when they exist. */
export async function findSandboxConversation(
  db: DbExecutor,
  input: { tenantId: string; channelId: string; phone: string },
) {
  const [row] = await db
    .select({
      contactId: contacts.id,
      contactName: contacts.name,
      conversationId: conversations.id,
    })
    .from(contacts)
    .leftJoin(
      conversations,
      and(eq(conversations.contactId, contacts.id), eq(conversations.channelId, input.channelId)),
    )
    .where(and(eq(contacts.tenantId, input.tenantId), eq(contacts.phone, input.phone)))
    .limit(1);
  return row;
}

/** The most recent `limit` messages of a conversation, newest first. */
export async function listRecentMessages(
  db: DbExecutor,
  tenantId: string,
  conversationId: string,
  limit: number,
) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)))
    .orderBy(desc(messages.occurredAt), desc(messages.id))
    .limit(limit);
}
