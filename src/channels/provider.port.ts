import type { z } from 'zod';
import type {
  MessageContent,
  MessageContentType,
  MessageStatus,
} from '../shared/messaging/message-content.js';
import type { TemplateComponents } from '../shared/messaging/template-components.js';

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

/** The state of a QR-paired session (WAHA, WPPConnect), as the provider reports it. */
export type SessionStatus = 'stopped' | 'starting' | 'qr' | 'connected' | 'failed';

export type SessionState = {
  status: SessionStatus;
  /** The paired WhatsApp number (E.164) and profile name, once connected. */
  phone?: string | undefined;
  name?: string | undefined;
  /** The provider's own words (e.g. WAHA's `SCAN_QR_CODE`), for operators. */
  detail?: string | undefined;
};

/** A session changed state (webhook `session.status`, `status-find`, ...). */
export type SessionEvent = {
  kind: 'session';
  eventKey: string;
  timestamp: Date;
  state: SessionState;
};

export type InboundEvent = InboundMessageEvent | StatusEvent | SystemEvent | SessionEvent;

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

/** Review state of a provider's message template (Meta: APPROVED, PENDING, REJECTED…). */
export type ProviderTemplateStatus = 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled';

/** A message template as the provider holds it, in the provider-neutral shape. */
export type ProviderTemplate = {
  providerTemplateId: string;
  name: string;
  language: string;
  category: 'marketing' | 'utility' | 'authentication';
  status: ProviderTemplateStatus;
  components: TemplateComponents;
  /** Why the provider rejected (or paused) it, when it says. */
  rejectedReason?: string | undefined;
};

/** Where a provider keeps an inbound media object: its media id (Meta) and/or a URL. */
export type MediaReference = {
  providerMediaId?: string | undefined;
  url?: string | undefined;
};

export type DownloadedMedia = {
  bytes: Buffer;
  /** What the provider says the bytes are (checked again by sniffing before storing). */
  mimeType?: string | undefined;
  filename?: string | undefined;
};

export type MediaUpload = { bytes: Buffer; mimeType: string; filename?: string | undefined };

/**
 * Limits of a media download. An adapter stops reading once `maxBytes` is passed (and refuses
 * before reading when the provider announces a larger size), throwing a `ProviderError` with
 * code `MEDIA_TOO_LARGE` (`mediaTooLargeErrorCode`), not retryable.
 */
export type MediaDownloadOptions = { maxBytes: number; signal?: AbortSignal | undefined };

export const mediaTooLargeErrorCode = 'MEDIA_TOO_LARGE';

/** Minimal HTTP client adapters use (undici/fetch-compatible); injected so tests can count calls. */
export type HttpClient = (url: string, init: RequestInit) => Promise<Response>;

export type ProviderContext<TConfig> = {
  config: TConfig;
  http: HttpClient;
  /** This channel's public webhook URL, for providers that take a callback per request (Twilio). */
  webhookUrl?: string | undefined;
  /**
   * Simulated providers only (the sandbox): schedules a webhook body to this same channel,
   * `delayMs` from now, through the durable inbound pipeline (e.g. a phone's delivery report).
   */
  scheduleWebhook?: (body: string, delayMs: number) => Promise<void>;
};

/** What the webhook check knows about the channel besides its config. */
export type WebhookChannel = {
  /** The random per-channel secret in the webhook URL (`?token=`), for providers that do not sign. */
  webhookToken: string;
};

/** Where a session should post its events (Recado's webhook URL for the channel). */
export type SessionWebhook = { url: string };

/**
 * Session control of QR-paired providers (ARCHITECTURE.md §4). Every method talks to the
 * provider's server through `context.http`; errors are `ProviderError`s.
 */
export interface SessionControl<TConfig> {
  /** Creates (if needed) and starts the session, registering Recado's webhook on it. */
  start(context: ProviderContext<TConfig>, webhook: SessionWebhook): Promise<SessionState>;
  status(context: ProviderContext<TConfig>): Promise<SessionState>;
  /** The QR code to scan, as a PNG; only while the status is `qr`. */
  qr(context: ProviderContext<TConfig>): Promise<{ png: Buffer } | { value: string }>;
  /** Pairing by code instead of QR, for the given phone (E.164), where supported. */
  pairingCode?(context: ProviderContext<TConfig>, phone: string): Promise<{ code: string }>;
  stop(context: ProviderContext<TConfig>): Promise<void>;
  /** Unpairs the phone: a new QR scan is needed afterwards. */
  logout(context: ProviderContext<TConfig>): Promise<void>;
}

export interface ChannelProvider<TConfig> {
  readonly id: ProviderId;
  readonly capabilities: ProviderCapabilities;
  /**
   * When what a channel can render depends on its settings (WAHA's engine, a sandbox set to
   * plain text): the capabilities for these non-secret settings. Default: `capabilities`.
   */
  capabilitiesFor?(config: Partial<TConfig>): ProviderCapabilities;
  /** Validates a channel's config; drives the setup form. */
  readonly configSchema: z.ZodType<TConfig>;
  /** Config fields encrypted at rest and never echoed by the API. */
  readonly secretFields: readonly (keyof TConfig & string)[];
  /** No public webhook: its events come from inside Recado (the sandbox). */
  readonly internalOnly?: boolean;
  /**
   * The provider does not sign webhooks (WPPConnect): the webhook URL carries the channel's
   * random `?token=`, which `verifyWebhook` compares in constant time.
   */
  readonly webhookUrlToken?: boolean;
  send(context: ProviderContext<TConfig>, message: OutboundMessage): Promise<SendResult>;
  /** True when the request carries a valid signature (or the provider does not sign). */
  verifyWebhook(config: TConfig, request: WebhookRequest, channel: WebhookChannel): boolean;
  /** The answer to a subscription challenge (Meta's GET hub.challenge), or undefined. */
  answerChallenge?(config: TConfig, request: WebhookRequest): string | undefined;
  /**
   * The key a delivery is deduplicated by (default: the SHA-256 of the body). Providers whose
   * bodies legitimately repeat — WPPConnect's session events carry no id or time — return a
   * fresh key for those, so a second identical report is not dropped as a redelivery.
   */
  deliveryKey?(request: WebhookRequest): string | undefined;
  /** Normalizes a verified webhook body into events. Throws on a body it cannot read. */
  parseWebhook(config: TConfig, request: WebhookRequest): InboundEvent[];
  /** Fetches the bytes of an inbound media object (with the channel's credentials). */
  downloadMedia?(
    context: ProviderContext<TConfig>,
    reference: MediaReference,
    options: MediaDownloadOptions,
  ): Promise<DownloadedMedia>;
  /** Uploads bytes to send later by the returned provider media id. */
  uploadMedia?(
    context: ProviderContext<TConfig>,
    media: MediaUpload,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<{ providerMediaId: string }>;
  /** Shows "typing…" to the recipient before a paced send (unofficial providers). */
  sendPresence?(
    context: ProviderContext<TConfig>,
    to: Recipient,
    state: 'typing' | 'paused',
  ): Promise<void>;
  /** QR-paired providers: session lifecycle. */
  readonly sessions?: SessionControl<TConfig>;
  /** Every message template of the account, all pages (providers that review templates). */
  listTemplates?(context: ProviderContext<TConfig>): Promise<ProviderTemplate[]>;
}
