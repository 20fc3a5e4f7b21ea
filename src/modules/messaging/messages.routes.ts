import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import { idParamsSchema, pageQuerySchema } from '../../shared/contracts/accounts.contract.js';
import {
  conversationSchema,
  listConversationsQuerySchema,
  messageSchema,
  sendMessageRequestSchema,
} from '../../shared/contracts/messages.contract.js';
import type { ConversationsService } from './conversations.service.js';
import type { OutboundService } from './outbound.service.js';

export function messagesRoutes(
  outbound: OutboundService,
  conversations: ConversationsService,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/conversations',
      {
        schema: {
          tags: ['messages'],
          summary: 'Conversations, most recent activity first',
          security: bearerSecurity,
          querystring: listConversationsQuerySchema,
          response: { 200: pageOf(conversationSchema) },
        },
      },
      async (request) => conversations.listConversations(requirePrincipal(request), request.query),
    );

    app.get(
      '/api/v1/conversations/:id/messages',
      {
        schema: {
          tags: ['messages'],
          summary: "A conversation's messages, newest first",
          security: bearerSecurity,
          params: idParamsSchema,
          querystring: pageQuerySchema,
          response: { 200: pageOf(messageSchema) },
        },
      },
      async (request) =>
        conversations.listMessages(requirePrincipal(request), request.params.id, request.query),
    );

    app.post(
      '/api/v1/messages',
      {
        schema: {
          tags: ['messages'],
          summary: 'Send a message (operators and admins)',
          description:
            'Queues the message and answers 202 with it (`status: queued`); follow it with GET /api/v1/messages/:id or the `message.status` WebSocket events. On the official API, free-form content outside the 24-hour window is refused with OUTSIDE_SERVICE_WINDOW: send a template. The same `idempotencyKey` never sends twice.',
          security: bearerSecurity,
          body: sendMessageRequestSchema,
          response: { 202: messageSchema },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await outbound.sendMessage(requirePrincipal(request), request.body)),
    );

    app.get(
      '/api/v1/messages/:id',
      {
        schema: {
          tags: ['messages'],
          summary: 'One message, with its status and provider error if any',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: messageSchema },
        },
      },
      async (request) => outbound.getMessage(requirePrincipal(request), request.params.id),
    );
  };
}
