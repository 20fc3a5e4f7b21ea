import { z } from 'zod';
import { messageContentSchema } from '../../shared/messaging/message-content.js';

/**
 * The sandbox's own "webhook" format. Nothing outside Recado sends it: the sandbox API writes
 * these events for simulated users, and the sandbox adapter writes status events for the
 * messages it "delivers". They enter the same inbound pipeline as a real provider's webhooks.
 */
export const sandboxMessageEventSchema = z.object({
  kind: z.literal('message'),
  id: z.string().min(1).max(200),
  from: z.object({ phone: z.string().min(3).max(40), name: z.string().max(120).optional() }),
  timestamp: z.iso.datetime(),
  content: messageContentSchema,
});

export const sandboxStatusEventSchema = z.object({
  kind: z.literal('status'),
  id: z.string().min(1).max(200),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.iso.datetime(),
  recipient: z.string().min(3).max(40),
});

export const sandboxEventSchema = z.discriminatedUnion('kind', [
  sandboxMessageEventSchema,
  sandboxStatusEventSchema,
]);

export type SandboxEvent = z.infer<typeof sandboxEventSchema>;
