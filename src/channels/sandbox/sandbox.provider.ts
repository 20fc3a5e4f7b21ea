import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type ChannelProvider, ProviderError } from '../provider.port.js';
import { type SandboxEvent, sandboxEventSchema } from './sandbox.events.js';

/** A sandbox channel's settings: how its simulated users' phones behave. */
export const sandboxConfigSchema = z.object({
  /** After a send, the simulated phone reports `delivered` this much later. */
  deliveredAfterMs: z.number().int().min(0).max(600_000).default(300),
  /** …and `read` this much after sending (0 = the user never reads). */
  readAfterMs: z.number().int().min(0).max(3_600_000).default(1_500),
  /** Numbers whose sends fail as undeliverable, to try failure paths (E.164). */
  undeliverableNumbers: z.array(z.string().min(3).max(40)).max(100).default([]),
  /**
   * Render buttons and lists. Off, the channel behaves like one that cannot (most unofficial
   * providers): they arrive as numbered text and the user answers with the number.
   */
  interactive: z.boolean().default(true),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

/** Prefix of the provider ids the sandbox gives the messages it sends. */
const outboundIdPrefix = 'sandbox.out.';

/**
 * The sandbox: simulated WhatsApp users, so every bot and flow can be tried without a WhatsApp
 * account. Sending "delivers" to the simulated phone (the dashboard's sandbox page reads the
 * thread) and schedules the status reports a real phone would cause, as webhooks of its own.
 * It has no public webhook: inbound messages come from the authenticated sandbox API.
 */
const capabilities: ChannelProvider<SandboxConfig>['capabilities'] = {
  sends: [
    'text',
    'image',
    'audio',
    'video',
    'document',
    'sticker',
    'location',
    'contacts',
    'buttons',
    'list',
    'template',
    'reaction',
  ],
  hasServiceWindow: false,
  requiresTemplatesOutsideWindow: false,
  hasQrSession: false,
  defaultRatePerSecond: 80,
};

const plainTextCapabilities = {
  ...capabilities,
  sends: capabilities.sends.filter((kind) => kind !== 'buttons' && kind !== 'list'),
};

export const sandboxProvider: ChannelProvider<SandboxConfig> = {
  id: 'sandbox',
  capabilities,
  capabilitiesFor: (config) =>
    config.interactive === false ? plainTextCapabilities : capabilities,
  configSchema: sandboxConfigSchema,
  secretFields: [],
  internalOnly: true,

  async send(context, message) {
    const recipient = message.to.phone;
    if (context.config.undeliverableNumbers.includes(recipient)) {
      throw new ProviderError({
        code: 'SANDBOX_UNDELIVERABLE',
        reason: `The sandbox is set to treat ${recipient} as undeliverable.`,
        retryable: false,
      });
    }
    const providerMessageId = `${outboundIdPrefix}${randomUUID()}`;
    const { deliveredAfterMs, readAfterMs } = context.config;
    const sentAt = Date.now();
    const report = (status: 'delivered' | 'read', afterMs: number) =>
      context.scheduleWebhook?.(
        JSON.stringify({
          kind: 'status',
          id: providerMessageId,
          status,
          timestamp: new Date(sentAt + afterMs).toISOString(),
          recipient,
        } satisfies SandboxEvent),
        afterMs,
      );
    await report('delivered', deliveredAfterMs);
    if (readAfterMs > 0) await report('read', Math.max(readAfterMs, deliveredAfterMs));
    return { providerMessageId };
  },

  // Nobody outside Recado may post sandbox events: the public webhook refuses every request.
  verifyWebhook: () => false,

  parseWebhook(_config, request) {
    const event = sandboxEventSchema.parse(JSON.parse(request.rawBody.toString('utf8')));
    if (event.kind === 'message') {
      return [
        {
          kind: 'message',
          eventKey: `message:${event.id}`,
          providerMessageId: event.id,
          from: { phone: event.from.phone, name: event.from.name },
          timestamp: new Date(event.timestamp),
          content: event.content,
        },
      ];
    }
    return [
      {
        kind: 'status',
        eventKey: `status:${event.id}:${event.status}`,
        providerMessageId: event.id,
        status: event.status,
        timestamp: new Date(event.timestamp),
        recipient: { phone: event.recipient },
      },
    ];
  },
};
