import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import { contacts, conversations } from './messaging.tables.js';

/**
 * What other modules (flows, inbox) may read and change about contacts and conversations
 * without reaching into messaging's tables: who is chatting, opting a person out, and the
 * conversation's status (a handoff makes it `pending` for a human).
 */
export type ContactSummary = {
  id: string;
  name: string | null;
  phone: string | null;
  optedOutAt: Date | null;
};

export function createContactsService(deps: { db: Database; events: EventBus }) {
  const { db } = deps;
  return {
    async getContact(tenantId: string, id: string): Promise<ContactSummary | undefined> {
      const [row] = await db
        .select({
          id: contacts.id,
          name: contacts.name,
          phone: contacts.phone,
          optedOutAt: contacts.optedOutAt,
        })
        .from(contacts)
        .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
      return row;
    },

    /** The person asked to receive nothing more; later sends are refused (CONTACT_OPTED_OUT). */
    async optOut(tenantId: string, contactId: string, reason: string): Promise<void> {
      const updated = await db
        .update(contacts)
        .set({ optedOutAt: new Date(), optOutReason: reason, updatedAt: new Date() })
        .where(
          and(
            eq(contacts.tenantId, tenantId),
            eq(contacts.id, contactId),
            isNull(contacts.optedOutAt),
          ),
        )
        .returning({ id: contacts.id });
      if (updated.length > 0) {
        await deps.events.publish({
          type: 'contact.opted-out',
          tenantId,
          payload: { contactId, reason },
        });
      }
    },

    async setConversationStatus(
      tenantId: string,
      conversationId: string,
      status: 'open' | 'pending' | 'resolved',
    ): Promise<void> {
      const updated = await db
        .update(conversations)
        .set({ status, updatedAt: new Date() })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)))
        .returning({ id: conversations.id });
      if (updated.length > 0) {
        await deps.events.publish({
          type: 'conversation.status',
          tenantId,
          payload: { conversationId, status },
        });
      }
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
