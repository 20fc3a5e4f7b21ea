import type { z } from 'zod';
import type {
  MessageContent,
  MessageContentType,
  MessageStatus,
} from '../shared/messaging/message-content.js';

/**
 * The provider port (ARCHITECTURE.md §4). One adapter per WhatsApp provider; the messaging
 * module talks to providers only through this. Adapters are pure where they can be (parse,
 * verify, error mapping) and do I/O only in `send` and media/session calls, through the
 * `fetch`-like client they are given, so tests point them at loopback servers.
 */

export type ProviderId = 'meta-cloud' | 'twilio' | 'waha' | 'wppconnect' | 'sandbox';

export type ProviderCapabilities = {
  /** Outbound content kinds the provider renders natively (others are degraded or refused). */
  sends: readonly MessageContentType[];
  /** The 24-hour customer-service window applies (official APIs). */
  hasServiceWindow: boolean;
  /** Business-initiated messages outside the window must be approved templates. */
  requiresTemplatesOutsideWindow: boolean;
  /** Pairing by QR code / session control (unofficial providers). */
  hasQrSession: boolean;
  /** Default per-number throughput, messages per second. */
  defaultRatePerSecond: number;
};

/** Where a message goes. `waId` is the WhatsApp id when known (it may differ from the phone). */
export type Recipient = { phone: string; waId?: string | undefined };

export type OutboundMessage = {
  to: Recipient;
  content: MessageContent;
  /** Provider id of the message this one replies to (shows as a quote). */
  replyToProviderMessageId?: string | undefined;
};

export type SendResult = { providerMessageId: string };

/** The identities WhatsApp gives one person; several may arrive for the same contact. */
export type SenderIdentity = {
  waId?: string | undefined;
  phone?: string | undefined;
  /** WhatsApp's business-scoped user id (BSUID) or LID, when the provider sends one. */
  userId?: string | undefined;
  name?: string | undefined;
};

export type InboundMessageEvent = {
  kind: 'message';
  /** Unique per provider event: duplicates are dropped by it. */
  eventKey: string;
  providerMessageId: string;
  from: SenderIdentity;
  timestamp: Date;
  content: MessageContent;
  replyToProviderMessageId?: string | undefined;
};

export type StatusEvent = {
  kind: 'status';
  eventKey: string;
  providerMessageId: string;
  status: MessageStatus;
  timestamp: Date;
  recipient?: SenderIdentity | undefined;
  error?: { code: string; reason: string } | undefined;
};

/** Provider notices that are not messages (account updates, errors); logged and shown. */
export type SystemEvent = {
  kind: 'system';
  eventKey: string;
  timestamp: Date;
  description: string;
};

export type InboundEvent = InboundMessageEvent | StatusEvent | SystemEvent;

/** What an adapter sees of a webhook request: the raw body, for signatures. */
export type WebhookRequest = {
  method: string;
  /** The full URL as the provider called it (PUBLIC_URL + path + query), for Twilio's signature. */
  url: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
};

/**
 * A provider failure, mapped: `retryable` errors back off (honouring `retryAfterMs`), the
 * rest fail the message with the provider's `code` and a readable `reason`.
 */
export class ProviderError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(input: {
    code: string;
    reason: string;
    retryable: boolean;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super(input.reason, { cause: input.cause });
    this.name = 'ProviderError';
    this.code = input.code;
    this.retryable = input.retryable;
    this.retryAfterMs = input.retryAfterMs;
  }
}

/** Minimal HTTP client adapters use (undici/fetch-compatible); injected so tests can count calls. */
export type HttpClient = (url: string, init: RequestInit) => Promise<Response>;

export type ProviderContext<TConfig> = { config: TConfig; http: HttpClient };

export interface ChannelProvider<TConfig> {
  readonly id: ProviderId;
  readonly capabilities: ProviderCapabilities;
  /** Validates a channel's config; drives the setup form. */
  readonly configSchema: z.ZodType<TConfig>;
  /** Config fields encrypted at rest and never echoed by the API. */
  readonly secretFields: readonly (keyof TConfig & string)[];
  send(context: ProviderContext<TConfig>, message: OutboundMessage): Promise<SendResult>;
  /** True when the request carries a valid signature (or the provider does not sign). */
  verifyWebhook(config: TConfig, request: WebhookRequest): boolean;
  /** The answer to a subscription challenge (Meta's GET hub.challenge), or undefined. */
  answerChallenge?(config: TConfig, request: WebhookRequest): string | undefined;
  /** Normalizes a verified webhook body into events. Throws on a body it cannot read. */
  parseWebhook(config: TConfig, request: WebhookRequest): InboundEvent[];
}
