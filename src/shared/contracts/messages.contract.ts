import { z } from 'zod';
import { messageContentSchema } from '../messaging/message-content.js';

/** HTTP contract of messages, shared by the server and the web. */

export const sendMessageRequestSchema = z
  .object({
    channelId: z.uuid(),
    /** The recipient: a phone number (any common format; E.164 preferred) or a contact id. */
    to: z.union([
      z.object({ phone: z.string().min(3).max(40) }),
      z.object({ contactId: z.uuid() }),
    ]),
    content: messageContentSchema,
    /** Repeating a request with the same key returns the first message instead of sending twice. */
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .describe('A message to send');

export const messageSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  conversationId: z.uuid(),
  contactId: z.uuid(),
  direction: z.enum(['inbound', 'outbound']),
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']),
  content: messageContentSchema,
  providerMessageId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorReason: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});
export type Message = z.infer<typeof messageSchema>;
