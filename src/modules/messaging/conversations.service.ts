import type { z } from 'zod';
import type { Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError } from '../../platform/errors/app-error.js';
import type {
  Conversation,
  listConversationsQuerySchema,
  Message,
} from '../../shared/contracts/messages.contract.js';
import { normalizePhone } from '../../shared/messaging/phone.js';
import * as repository from './conversations.repository.js';
import { serviceWindowMs, toMessage } from './outbound.service.js';

export type ConversationsService = ReturnType<typeof createConversationsService>;

/** Reading conversations and their messages (the full inbox comes with its own issue). */
export function createConversationsService(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async listConversations(
      principal: Principal,
      query: z.infer<typeof listConversationsQuerySchema>,
    ): Promise<Page<Conversation>> {
      let phone: string | undefined;
      if (query.phone !== undefined) {
        const parsed = normalizePhone(query.phone);
        if (!parsed.ok) {
          throw new AppError('VALIDATION_FAILED', `"${query.phone}" is not a valid phone number.`, [
            {
              path: 'querystring.phone',
              message: `is not a valid phone number (${parsed.reason})`,
            },
          ]);
        }
        phone = parsed.e164;
      }
      const rows = await repository.listConversations(db, principal.tenantId, {
        channelId: query.channelId,
        status: query.status,
        phone,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(
        rows,
        query.limit,
        ({ conversation, contact }) => {
          const windowEnd = conversation.lastInboundAt
            ? new Date(conversation.lastInboundAt.getTime() + serviceWindowMs)
            : undefined;
          return {
            id: conversation.id,
            channelId: conversation.channelId,
            contact,
            status: conversation.status,
            lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null,
            lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
            serviceWindowEndsAt: windowEnd && windowEnd > now() ? windowEnd.toISOString() : null,
            createdAt: conversation.createdAt.toISOString(),
          };
        },
        (row) => ({ createdAt: row.activityAt, id: row.conversation.id }),
      );
    },

    async listMessages(
      principal: Principal,
      conversationId: string,
      query: { cursor?: string | undefined; limit: number },
    ): Promise<Page<Message>> {
      if (!(await repository.findConversation(db, principal.tenantId, conversationId))) {
        throw new AppError(
          'NOT_FOUND',
          `Conversation ${conversationId} does not exist in this tenant.`,
        );
      }
      const rows = await repository.listConversationMessages(
        db,
        principal.tenantId,
        conversationId,
        {
          cursor: decodeCursor(query.cursor),
          limit: query.limit,
        },
      );
      return toPage(rows, query.limit, toMessage);
    },
  };
}
