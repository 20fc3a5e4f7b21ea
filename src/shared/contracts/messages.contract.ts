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
    /**
     * `reply`: an answer to someone who just wrote, never delayed. `bulk`: a broadcast, paced
     * on unofficial providers (random gaps, hourly ceiling). Default: `reply` when the contact
     * wrote in the last 30 minutes, else `bulk`.
     */
    purpose: z.enum(['reply', 'bulk']).optional(),
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

export const conversationSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  contact: z.object({ id: z.uuid(), phone: z.string().nullable(), name: z.string().nullable() }),
  status: z.enum(['open', 'pending', 'resolved']),
  lastInboundAt: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
  /** When free-form messages stop being allowed on official APIs (null: window closed). */
  serviceWindowEndsAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const listConversationsQuerySchema = z.object({
  channelId: z.uuid().optional(),
  status: z.enum(['open', 'pending', 'resolved']).optional(),
  /** Any common phone format; matched as E.164. */
  phone: z.string().max(40).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
