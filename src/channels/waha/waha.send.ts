import { randomUUID } from 'node:crypto';
import type { MediaContent, MessageContent } from '../../shared/messaging/message-content.js';
import {
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type Recipient,
  type SendResult,
} from '../provider.port.js';
import { callWahaJson } from './waha.client.js';
import type { WahaConfig } from './waha.config.js';
import { wahaInvalidResponse } from './waha.errors.js';
import { isPersonJid, needsChatIdLookup, toChatId, toCusJid } from './waha.ids.js';

/** One WAHA send call: the endpoint and its JSON body. */
export type WahaSendRequest = {
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
};

type SharedContact = Extract<MessageContent, { type: 'contacts' }>['contacts'][number];

/** What WAHA is told a file is when our content does not say. */
const fallbackMimeTypes: Record<MediaContent['type'], string> = {
  image: 'image/jpeg',
  sticker: 'image/webp',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
};

function unsupportedContent(reason: string): ProviderError {
  return new ProviderError({ code: 'UNSUPPORTED_CONTENT', reason, retryable: false });
}

/** Removes undefined fields so the JSON body carries only what was set. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * WAHA fetches outbound media by URL (`file.url`): the messaging module hands it a signed link to
 * our stored bytes. It has no media ids of its own.
 */
function remoteFile(content: MediaContent, filename?: string): Record<string, unknown> {
  if (!content.url) {
    throw new ProviderError({
      code: 'MEDIA_NOT_UPLOADED',
      reason: `The ${content.type} has no URL the WAHA server can fetch (WAHA takes media by URL)`,
      retryable: false,
    });
  }
  return compact({
    mimetype: content.mimeType ?? fallbackMimeTypes[content.type],
    url: content.url,
    filename,
  });
}

/** WhatsApp voice notes are OGG/Opus; any other audio goes as a file. */
function isOggOpus(mimeType: string | undefined): boolean {
  return mimeType === undefined || /^audio\/ogg\b/i.test(mimeType);
}

function extensionOf(mimeType: string | undefined): string {
  const subtype = /^[a-z]+\/([a-z0-9.+-]+)/i.exec(mimeType ?? '')?.[1] ?? 'bin';
  return subtype.replace(/^x-/, '').replace(/^mpeg$/, 'mp3');
}

/** vCard 3.0 text value escaping (RFC 2426 §5). */
function vcardText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\r?\n/g, '\\n')
    .replace(/[,;]/g, (character) => `\\${character}`);
}

/** A contact as the vCard WhatsApp shows (with `waid`, so "Message" opens the chat). */
export function buildVcard(contact: SharedContact): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${vcardText(contact.name)}`];
  if (contact.organization) lines.push(`ORG:${vcardText(contact.organization)};`);
  for (const phone of contact.phones) {
    const waId = (phone.waId ?? phone.phone).replace(/\D/g, '');
    const value = phone.phone.replace(/[\r\n]/g, '');
    lines.push(`TEL;type=CELL;type=VOICE${waId ? `;waid=${waId}` : ''}:${value}`);
  }
  for (const email of contact.emails ?? []) lines.push(`EMAIL:${vcardText(email)}`);
  lines.push('END:VCARD');
  return lines.join('\n');
}

function contentRequest(content: Exclude<MessageContent, { type: 'reaction' }>): {
  path: string;
  fields: Record<string, unknown>;
  canReply: boolean;
} {
  switch (content.type) {
    case 'text':
      return { path: '/api/sendText', fields: { text: content.text }, canReply: true };
    case 'image':
    case 'sticker':
      // WAHA 2024.9 has no sticker endpoint: a sticker arrives as its image.
      return {
        path: '/api/sendImage',
        fields: compact({ file: remoteFile(content), caption: content.caption }),
        canReply: true,
      };
    case 'video':
      return {
        path: '/api/sendVideo',
        fields: compact({
          file: remoteFile(content, `video.${extensionOf(content.mimeType ?? 'video/mp4')}`),
          caption: content.caption,
        }),
        canReply: true,
      };
    case 'document':
      return {
        path: '/api/sendFile',
        fields: compact({
          file: remoteFile(content, content.filename ?? 'file'),
          caption: content.caption,
        }),
        canReply: true,
      };
    case 'audio':
      if (isOggOpus(content.mimeType)) {
        return {
          path: '/api/sendVoice',
          fields: { file: remoteFile({ ...content, mimeType: 'audio/ogg; codecs=opus' }) },
          canReply: true,
        };
      }
      return {
        path: '/api/sendFile',
        fields: { file: remoteFile(content, `audio.${extensionOf(content.mimeType)}`) },
        canReply: true,
      };
    case 'location':
      return {
        path: '/api/sendLocation',
        fields: {
          latitude: content.latitude,
          longitude: content.longitude,
          // WAHA requires a title; WhatsApp shows its first line as the name, then the address.
          title: [content.name, content.address].filter(Boolean).join('\n'),
        },
        canReply: true,
      };
    case 'contacts':
      return {
        path: '/api/sendContactVcard',
        fields: { contacts: content.contacts.map((contact) => ({ vcard: buildVcard(contact) })) },
        canReply: false,
      };
    case 'buttons':
    case 'list':
      throw unsupportedContent(
        `WAHA 2024.9 cannot send ${content.type === 'list' ? 'lists' : 'reply buttons'}; they go as numbered text`,
      );
    case 'template':
      throw unsupportedContent('WAHA has no message templates (they are a Cloud API feature)');
    case 'interactive-reply':
      throw unsupportedContent(
        'An interactive reply is what a user sends; a business cannot send one',
      );
    case 'unsupported':
      throw unsupportedContent(`Cannot send unsupported content (${content.providerType})`);
  }
}

/**
 * The WAHA call for one message, to `chatId`. Pure; throws `ProviderError` for content WAHA
 * cannot send.
 */
export function buildWahaSendRequest(
  config: Pick<WahaConfig, 'session'>,
  message: OutboundMessage,
  chatId: string,
): WahaSendRequest {
  const { content } = message;
  if (content.type === 'reaction') {
    return {
      method: 'PUT',
      path: '/api/reaction',
      body: {
        session: config.session,
        messageId: content.messageProviderId,
        reaction: content.emoji,
      },
    };
  }
  const { path, fields, canReply } = contentRequest(content);
  return {
    method: 'POST',
    path,
    body: compact({
      session: config.session,
      chatId,
      ...fields,
      reply_to: canReply ? message.replyToProviderMessageId : undefined,
    }),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The sent message's id in the answer, whatever the engine: a serialized string (`id`), WEBJS's
 * `id._serialized`, or NOWEB's `key` (rebuilt as `<fromMe>_<chat>_<key id>`, the form its
 * `message.ack` webhooks carry).
 */
export function readSentMessageId(body: unknown): string | undefined {
  const answer = record(body);
  const id = answer?.id;
  if (nonEmpty(id)) return id as string;
  const serialized =
    nonEmpty(record(id)?._serialized) ?? nonEmpty(record(record(answer?._data)?.id)?._serialized);
  if (serialized) return serialized;
  const key = record(answer?.key);
  const keyId = nonEmpty(key?.id);
  const remote = nonEmpty(key?.remoteJid);
  if (keyId && remote)
    return `${key?.fromMe === false ? 'false' : 'true'}_${toCusJid(remote)}_${keyId}`;
  return undefined;
}

/** The chat id WhatsApp knows a Brazilian mobile by (it may lack the ninth digit). */
async function lookupChatId(
  context: ProviderContext<WahaConfig>,
  digits: string,
): Promise<string | undefined> {
  const answer = record(
    await callWahaJson(context, {
      method: 'GET',
      path: '/api/contacts/check-exists',
      query: { phone: digits, session: context.config.session },
    }),
  );
  if (answer?.numberExists === false) {
    throw new ProviderError({
      code: 'WAHA_NOT_ON_WHATSAPP',
      reason: `WhatsApp has no account for +${digits}`,
      retryable: false,
    });
  }
  const chatId = nonEmpty(answer?.chatId);
  return chatId && isPersonJid(toCusJid(chatId)) ? toCusJid(chatId) : undefined;
}

/** The chat id to send to, looked up for Brazilian mobiles (see `needsChatIdLookup`). */
export async function resolveChatId(
  context: ProviderContext<WahaConfig>,
  to: Recipient,
): Promise<string> {
  const chatId = toChatId(to);
  if (!needsChatIdLookup(to)) return chatId;
  return (await lookupChatId(context, to.phone.replace(/\D/g, ''))) ?? chatId;
}

/** "typing…" (`startTyping`) or its end (`stopTyping`) in the recipient's chat. */
export async function sendWahaPresence(
  context: ProviderContext<WahaConfig>,
  to: Recipient,
  state: 'typing' | 'paused',
): Promise<void> {
  const chatId = await resolveChatId(context, to);
  await callWahaJson(context, {
    method: 'POST',
    path: state === 'typing' ? '/api/startTyping' : '/api/stopTyping',
    body: { session: context.config.session, chatId },
  });
}

/** Sends one message through WAHA; failures become mapped `ProviderError`s. */
export async function sendWahaMessage(
  context: ProviderContext<WahaConfig>,
  message: OutboundMessage,
): Promise<SendResult> {
  const request = buildWahaSendRequest(context.config, message, toChatId(message.to));
  if ('chatId' in request.body) request.body.chatId = await resolveChatId(context, message.to);
  const answer = await callWahaJson(context, request);
  const providerMessageId = readSentMessageId(answer);
  if (providerMessageId) return { providerMessageId };
  if (message.content.type === 'reaction') {
    // Engines answer a reaction without an id; nothing reports on it later.
    return { providerMessageId: `waha-reaction:${randomUUID()}` };
  }
  // WAHA accepted the message: retrying could send it twice, so this is not retryable.
  throw wahaInvalidResponse(
    'WAHA accepted the message but its answer carried no message id',
    answer,
  );
}
