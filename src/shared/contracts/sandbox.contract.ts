import { z } from 'zod';
import { messageContentSchema } from '../messaging/message-content.js';
import { messageSchema } from './messages.contract.js';

/**
 * HTTP contract of the sandbox phone: simulated WhatsApp users talking to a `sandbox` channel,
 * so every bot and flow can be tried without a WhatsApp account. Inbound messages enter the
 * same pipeline as a provider's webhook.
 */

export const sandboxParamsSchema = z.object({ channelId: z.uuid() });
export const sandboxThreadParamsSchema = z.object({
  channelId: z.uuid(),
  /** The simulated user's phone, any common format (E.164 preferred). */
  phone: z.string().min(3).max(40),
});

/** JSON body of `POST /api/v1/sandbox/:channelId/inbound` (media goes as multipart). */
export const sandboxInboundRequestSchema = z
  .object({
    from: z.string().trim().min(3).max(40),
    name: z.string().trim().min(1).max(120).optional(),
    text: z.string().trim().min(1).max(4096).optional(),
    /** The id of a button or list row the user tapped, from the last message that offered it. */
    reply: z.object({ id: z.string().min(1).max(256) }).optional(),
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        name: z.string().max(1000).optional(),
      })
      .optional(),
  })
  .refine(
    (body) =>
      [body.text, body.reply, body.location].filter((part) => part !== undefined).length === 1,
    { message: 'give exactly one of text, reply or location' },
  );

export const sandboxInboundResponseSchema = z.object({
  /** The simulated provider message id; the message appears once the pipeline has run. */
  providerMessageId: z.string(),
  from: z.string(),
});

export const sandboxThreadMessageSchema = messageSchema
  .pick({ id: true, status: true, createdAt: true })
  .extend({
    /** As the simulated user sees it: `inbound` = sent by the user, `outbound` = by the business. */
    direction: z.enum(['inbound', 'outbound']),
    content: messageContentSchema,
  });

export const sandboxThreadSchema = z.object({
  channelId: z.uuid(),
  phone: z.string(),
  contactName: z.string().nullable(),
  conversationId: z.uuid().nullable(),
  /** Oldest first; the most recent `limit` messages. */
  messages: z.array(sandboxThreadMessageSchema),
});
export type SandboxThread = z.infer<typeof sandboxThreadSchema>;

export const sandboxThreadQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
