import { randomUUID } from 'node:crypto';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type Recipient,
  type SendResult,
} from '../provider.port.js';
import {
  callWppconnect,
  failFrom,
  readJson,
  type WppconnectTokenCache,
} from './wppconnect.client.js';
import type { WppconnectConfig } from './wppconnect.config.js';
import { invalidWppconnectResponse } from './wppconnect.errors.js';

/** One call to the server: the route below `/api/<session>/` and its JSON body. */
export type WppconnectSendRequest = { path: string; body: Record<string, unknown> };

/** Text answers at once; media waits for the server to fetch our file (below the send lease). */
const textTimeoutMs = 30_000;
const mediaTimeoutMs = 45_000;

function unsupportedContent(reason: string): ProviderError {
  return new ProviderError({ code: 'UNSUPPORTED_CONTENT', reason, retryable: false });
}

/**
 * The recipient as WPPConnect wants it: the number's digits (`5511987654321`, the server adds
 * `@c.us` and checks the number exists), or a LID's digits with `isLid`.
 */
export function formatWppconnectRecipient(to: Recipient): { phone: string; isLid?: true } {
  const waId = to.waId?.trim();
  if (waId?.endsWith('@lid')) {
    const digits = waId.slice(0, -'@lid'.length).replace(/\D/g, '');
    if (digits) return { phone: digits, isLid: true };
  }
  const fromWaId = waId && /^\d{6,20}(@c\.us)?$/.test(waId) ? waId.replace(/@c\.us$/, '') : '';
  const phone = fromWaId || to.phone.replace(/\D/g, '');
  if (!phone) {
    throw new ProviderError({
      code: 'INVALID_RECIPIENT',
      reason: `"${to.phone}" has no digits to send to`,
      retryable: false,
    });
  }
  return { phone };
}

function mediaPath(content: { url?: string | undefined }, type: string): string {
  if (content.url && /^https?:\/\//i.test(content.url)) return content.url;
  throw new ProviderError({
    code: 'MEDIA_NOT_UPLOADED',
    reason: `The ${type} has no http(s) URL the WPPConnect Server can fetch it from`,
    retryable: false,
  });
}

/** Removes undefined fields so the JSON body carries only what was set. */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/** WPPConnect 2.10 drops a list's title and footer: they travel inside the description. */
function listDescription(content: Extract<MessageContent, { type: 'list' }>): string {
  return [content.header ? `*${content.header}*` : undefined, content.body, content.footer]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n\n');
}

/**
 * The route and body for one message. Throws `ProviderError` for content WPPConnect cannot send
 * (buttons: its `send-buttons` is deprecated and sends plain text; templates; contact cards).
 */
export function buildWppconnectSendRequest(message: OutboundMessage): WppconnectSendRequest {
  const { content } = message;
  const to = { ...formatWppconnectRecipient(message.to), isGroup: false };
  const quoted = message.replyToProviderMessageId;
  switch (content.type) {
    case 'text':
      if (quoted) {
        return { path: 'send-reply', body: { ...to, message: content.text, messageId: quoted } };
      }
      return {
        path: 'send-message',
        body: compact({
          ...to,
          message: content.text,
          options:
            content.previewUrl === undefined ? undefined : { linkPreview: content.previewUrl },
        }),
      };
    case 'image':
      return {
        path: 'send-image',
        body: compact({
          ...to,
          path: mediaPath(content, 'image'),
          caption: content.caption,
          quotedMessageId: quoted,
        }),
      };
    case 'video':
      return {
        path: 'send-file',
        body: compact({
          ...to,
          path: mediaPath(content, 'video'),
          caption: content.caption,
          quotedMessageId: quoted,
        }),
      };
    case 'document':
      return {
        path: 'send-file',
        body: compact({
          ...to,
          path: mediaPath(content, 'document'),
          filename: content.filename ?? 'document',
          caption: content.caption,
          quotedMessageId: quoted,
        }),
      };
    case 'audio':
      return {
        path: content.isVoice ? 'send-voice' : 'send-file',
        body: compact({ ...to, path: mediaPath(content, 'audio'), quotedMessageId: quoted }),
      };
    case 'sticker':
      return { path: 'send-sticker', body: { ...to, path: mediaPath(content, 'sticker') } };
    case 'location':
      // The contract declares the coordinates as strings.
      return {
        path: 'send-location',
        body: compact({
          ...to,
          lat: String(content.latitude),
          lng: String(content.longitude),
          title: content.name,
          address: content.address,
        }),
      };
    case 'list':
      return {
        path: 'send-list-message',
        body: {
          ...to,
          description: listDescription(content),
          buttonText: content.buttonText,
          sections: content.sections.map((section) => ({
            title: section.title ?? '',
            rows: section.rows.map((row) => ({
              rowId: row.id,
              title: row.title,
              description: row.description ?? '',
            })),
          })),
        },
      };
    case 'reaction':
      return {
        path: 'react-message',
        body: { msgId: content.messageProviderId, reaction: content.emoji },
      };
    case 'buttons':
      throw unsupportedContent(
        'WPPConnect cannot send reply buttons (its send-buttons is deprecated): send numbered text',
      );
    case 'contacts':
      throw unsupportedContent('WPPConnect sends contact cards only by WhatsApp id, not as vCards');
    case 'template':
      throw unsupportedContent('WPPConnect has no message templates: send the text itself');
    case 'interactive-reply':
      throw unsupportedContent(
        'An interactive reply is what a user sends; a business cannot send one',
      );
    case 'unsupported':
      throw unsupportedContent(`Cannot send unsupported content (${content.providerType})`);
  }
}

/** A serialized WhatsApp message id, from `"true_55…@c.us_3EB0…"` or `{ _serialized }`. */
export function readSerializedId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'object' && value !== null && '_serialized' in value) {
    const serialized = (value as { _serialized: unknown })._serialized;
    if (typeof serialized === 'string' && serialized.trim() !== '') return serialized;
  }
  return undefined;
}

/** The id of the sent message in `{ status: "success", response: [message] }` (or one message). */
export function readSentMessageId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const response = (body as { response?: unknown }).response;
  const first: unknown = Array.isArray(response) ? response[response.length - 1] : response;
  if (typeof first !== 'object' || first === null) return undefined;
  const record = first as Record<string, unknown>;
  return readSerializedId(record.id) ?? readSerializedId(record.key);
}

/** Sends one message through the channel's WPPConnect session. */
export async function sendWppconnectMessage(
  context: ProviderContext<WppconnectConfig>,
  tokens: WppconnectTokenCache,
  message: OutboundMessage,
): Promise<SendResult> {
  const request = buildWppconnectSendRequest(message);
  const response = await callWppconnect(context, tokens, {
    method: 'POST',
    path: request.path,
    body: request.body,
    timeoutMs: message.content.type === 'text' ? textTimeoutMs : mediaTimeoutMs,
  });
  if (!response.ok) return failFrom(response);
  // Whatever happens from here, the server took the message: nothing below may be retried.
  const body = await readJson(response).catch(() => undefined);
  if (message.content.type === 'reaction') {
    // The server answers `{ message: "Reaction sended" }`: a reaction gets no id back.
    return { providerMessageId: `wppconnect-reaction:${randomUUID()}` };
  }
  const providerMessageId = readSentMessageId(body);
  if (providerMessageId === undefined) {
    // The server accepted the message; trying again could send it twice.
    throw invalidWppconnectResponse(
      'WPPConnect accepted the message but its answer carried no message id',
      body,
      false,
    );
  }
  return { providerMessageId };
}

/** "typing…" (or its end) in the recipient's chat, before a paced send. */
export async function sendWppconnectPresence(
  context: ProviderContext<WppconnectConfig>,
  tokens: WppconnectTokenCache,
  to: Recipient,
  state: 'typing' | 'paused',
): Promise<void> {
  const response = await callWppconnect(context, tokens, {
    method: 'POST',
    path: 'typing',
    body: { ...formatWppconnectRecipient(to), isGroup: false, value: state === 'typing' },
    timeoutMs: textTimeoutMs,
  });
  if (!response.ok) await failFrom(response);
}
