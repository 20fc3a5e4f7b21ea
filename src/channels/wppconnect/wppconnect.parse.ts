import { createHash, randomUUID } from 'node:crypto';
import {
  type MessageContent,
  type MessageStatus,
  messageContentSchema,
} from '../../shared/messaging/message-content.js';
import type {
  InboundEvent,
  InboundMessageEvent,
  SenderIdentity,
  SessionEvent,
  SessionState,
  StatusEvent,
  SystemEvent,
} from '../provider.port.js';
import { readSerializedId } from './wppconnect.send.js';
import { toSessionStatus } from './wppconnect.session-state.js';
import { parseVcard } from './wppconnect.vcard.js';

/*
 * WPPConnect Server webhooks: `POST <webhook>` with `{ "event": "<name>", "session": "<name>",
 * ...data }`, where data is the browser client's own object (a WhatsApp Web message for
 * `onmessage`, an ack for `onack`, `{ status }` for `status-find`...). Read loosely: fields come
 * and go between versions, and one odd field must not lose the event.
 */

type Json = Record<string, unknown>;

/** Events nobody in Recado acts on, dropped without a trace (they are frequent). */
const ignoredEvents = new Set([
  'onpresencechanged',
  // Messages the business sent from the phone itself; Recado records only its own sends.
  'onselfmessage',
  // Live-location updates, several a minute while one is shared.
  'location',
  'onparticipantschanged',
  'onupdatelabel',
]);

/** WhatsApp Web message types that are notices, not something a person wrote. */
const noticeTypes = new Set([
  'notification',
  'notification_template',
  'group_notification',
  'gp2',
  'broadcast_notification',
  'e2e_notification',
  'call_log',
  'protocol',
]);

const ackStatuses: Record<number, MessageStatus> = {
  1: 'sent',
  2: 'delivered',
  3: 'read',
  4: 'read',
};
const failedAckNames: Record<number, string> = {
  [-1]: 'FAILED',
  [-2]: 'EXPIRED',
  [-3]: 'CONTENT_GONE',
  [-4]: 'CONTENT_TOO_BIG',
  [-5]: 'CONTENT_UNUPLOADABLE',
  [-6]: 'INACTIVE',
  [-7]: 'MD_DOWNGRADE',
};

const asRecord = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
const asText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value) ?? '')
    .digest('hex')
    .slice(0, 32);
}

/** A WhatsApp id (`5511…@c.us`, `…@lid`, `…@g.us`) from a string or a `{ _serialized }` Wid. */
function readJid(value: unknown): string | undefined {
  return readSerializedId(value);
}

/**
 * A message key: serialized, or `{ fromMe, remote, id }` put together the way WhatsApp Web
 * serializes it (`true_5511…@c.us_3EB0…`).
 */
function readMessageKey(value: unknown): string | undefined {
  const serialized = readSerializedId(value);
  if (serialized) return serialized;
  const key = asRecord(value);
  const remote = readJid(key?.remote);
  if (!key || typeof key.fromMe !== 'boolean' || !remote || !asText(key.id)) return undefined;
  return `${key.fromMe}_${remote}_${String(key.id)}`;
}

/** Seconds (or milliseconds, from some versions) since the epoch. */
function readTimestamp(value: unknown, fallback: Date): Date {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return fallback;
  return new Date(number > 1e12 ? number : number * 1000);
}

function isPersonJid(jid: string): boolean {
  return jid.endsWith('@c.us') || jid.endsWith('@s.whatsapp.net') || jid.endsWith('@lid');
}

/** Who a person is, from their chat id (`@c.us` is a phone, `@lid` a linked id). */
function identityOf(jid: string, name?: string | undefined, phoneHint?: unknown): SenderIdentity {
  const user = jid.split('@')[0] ?? '';
  if (jid.endsWith('@lid')) {
    const hinted = readJid(phoneHint)?.split('@')[0] ?? '';
    const phoneDigits = /^\d{6,15}$/.test(hinted) ? hinted : undefined;
    return {
      userId: jid,
      waId: phoneDigits,
      phone: phoneDigits ? `+${phoneDigits}` : undefined,
      name,
    };
  }
  const digits = /^\d{6,15}$/.test(user) ? user : undefined;
  return { waId: digits ?? user, phone: digits ? `+${digits}` : undefined, name };
}

function senderName(message: Json): string | undefined {
  const sender = asRecord(message.sender);
  return (
    asText(sender?.pushname) ??
    asText(message.notifyName) ??
    asText(sender?.verifiedName) ??
    asText(sender?.name)
  )?.slice(0, 120);
}

function readCoordinate(value: unknown, limit: number): number | undefined {
  const number =
    typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && Math.abs(number) <= limit
    ? number
    : undefined;
}

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.slice(0, max);
}

function readContacts(message: Json): MessageContent | undefined {
  const cards: Array<{ vcard: string; displayName?: string | undefined }> = [];
  if (message.type === 'vcard') {
    const vcard = asText(message.body) ?? asText(message.content);
    if (vcard) cards.push({ vcard, displayName: asText(message.vcardFormattedName) });
  } else if (Array.isArray(message.vcardList)) {
    for (const item of message.vcardList) {
      const record = asRecord(item);
      const vcard = asText(record?.vcard);
      if (vcard) cards.push({ vcard, displayName: asText(record?.displayName) });
    }
  }
  const contacts = cards.slice(0, 20).map(({ vcard, displayName }) => {
    const card = parseVcard(vcard);
    return {
      name: clip(card.name ?? displayName ?? 'Unknown', 512) ?? 'Unknown',
      phones: card.phones,
      emails: card.emails.length > 0 ? card.emails : undefined,
      organization: card.organization,
    };
  });
  return contacts.length > 0 ? { type: 'contacts', contacts } : undefined;
}

/** The normalized content of one WhatsApp Web message (anything unknown is `unsupported`). */
export function readMessageContent(message: Json, messageId: string): MessageContent {
  const type = asText(message.type) ?? 'unknown';
  const unsupported = (description?: string): MessageContent => ({
    type: 'unsupported',
    providerType: type.slice(0, 100),
    description,
  });
  const media = () => ({
    // The bytes are fetched later: from `fileUrl` when the server uploads media to S3, else
    // through the server by message id. `body` holds only a thumbnail (or, with the server's
    // autoDownload, the whole file in base64) and is never read as text.
    providerMediaId: messageId,
    url:
      asText(message.fileUrl) && /^https?:\/\//i.test(String(message.fileUrl))
        ? String(message.fileUrl)
        : undefined,
    mimeType: clip(asText(message.mimetype), 255),
    caption: clip(asText(message.caption), 1024),
  });
  let content: MessageContent;
  switch (type) {
    case 'chat': {
      const text = asText(message.body);
      content = text ? { type: 'text', text: text.slice(0, 4096) } : unsupported();
      break;
    }
    case 'image':
    case 'video':
      content = { type, ...media() };
      break;
    case 'sticker':
      content = {
        type: 'sticker',
        ...media(),
        isAnimated: typeof message.isAnimated === 'boolean' ? message.isAnimated : undefined,
      };
      break;
    case 'audio':
    case 'ptt':
      content = { type: 'audio', ...media(), isVoice: type === 'ptt' };
      break;
    case 'document':
      content = { type: 'document', ...media(), filename: clip(asText(message.filename), 255) };
      break;
    case 'location': {
      const latitude = readCoordinate(message.lat, 90);
      const longitude = readCoordinate(message.lng, 180);
      // `loc` is the place's name and address on two lines, when the sender picked a place.
      const [name, ...address] = (asText(message.loc) ?? '').split('\n');
      content =
        latitude === undefined || longitude === undefined
          ? unsupported('A location without readable coordinates')
          : {
              type: 'location',
              latitude,
              longitude,
              name: clip(asText(name), 1000),
              address: clip(asText(address.join(', ')), 1000),
            };
      break;
    }
    case 'vcard':
    case 'multi_vcard':
      content = readContacts(message) ?? unsupported('A contact card that could not be read');
      break;
    case 'list_response': {
      const list = asRecord(message.listResponse);
      const id = asText(asRecord(list?.singleSelectReply)?.selectedRowId);
      const title = asText(list?.title) ?? asText(message.body) ?? id;
      content =
        id && title
          ? {
              type: 'interactive-reply',
              kind: 'list',
              id,
              title,
              description: asText(list?.description),
            }
          : unsupported('A list reply without the chosen row');
      break;
    }
    case 'buttons_response':
    case 'template_button_reply': {
      const id =
        asText(message.selectedButtonId) ?? asText(message.selectedId) ?? asText(message.body);
      const title = asText(message.selectedButtonText) ?? asText(message.body) ?? id;
      content =
        id && title
          ? { type: 'interactive-reply', kind: 'button', id, title }
          : unsupported('A button reply without the chosen button');
      break;
    }
    case 'ciphertext':
      content = unsupported(
        'WhatsApp could not decrypt this message yet (“waiting for this message”)',
      );
      break;
    case 'revoked':
      content = unsupported('The sender deleted this message');
      break;
    default:
      content = unsupported();
  }
  // What the rest of Recado reads must match the shared contract; anything else is kept as such.
  const checked = messageContentSchema.safeParse(content);
  return checked.success ? checked.data : unsupported('The message could not be read');
}

function systemEvent(event: string, payload: unknown, description: string, now: Date): SystemEvent {
  return {
    kind: 'system',
    eventKey: `wppconnect:system:${event}:${hashOf(payload)}`,
    timestamp: now,
    description,
  };
}

function parseMessage(event: string, payload: Json, now: Date): InboundEvent[] {
  const id = readMessageKey(payload.id);
  const chat = readJid(payload.from) ?? readJid(payload.chatId);
  if (!id || !chat) {
    return [
      systemEvent(event, payload, `WPPConnect "${event}" without a message id or sender`, now),
    ];
  }
  // Own messages, groups, status updates, channels and notices are not conversations here.
  if (payload.fromMe === true || id.startsWith('true_')) return [];
  if (payload.isGroupMsg === true || !isPersonJid(chat)) return [];
  if (noticeTypes.has(String(payload.type))) return [];
  const quoted =
    readMessageKey(payload.quotedMsgId) ?? readMessageKey(asRecord(payload.quotedMsg)?.id);
  const message: InboundMessageEvent = {
    kind: 'message',
    eventKey: `wppconnect:msg:${id}`,
    providerMessageId: id,
    from: identityOf(chat, senderName(payload), asRecord(payload.sender)?.phoneNumber),
    timestamp: readTimestamp(payload.t ?? payload.timestamp, now),
    content: readMessageContent(payload, id),
    replyToProviderMessageId: quoted,
  };
  return [message];
}

function parseAck(payload: Json, now: Date): InboundEvent[] {
  const id = readMessageKey(payload.id);
  const ack = typeof payload.ack === 'string' ? Number(payload.ack) : payload.ack;
  if (!id || typeof ack !== 'number' || !Number.isInteger(ack)) {
    return [systemEvent('onack', payload, 'WPPConnect ack without a message id or level', now)];
  }
  // Acks of messages the contact sent (we read them) and the phone's "clock" (not sent yet).
  if (!id.startsWith('true_') || ack === 0) return [];
  const recipientJid = readJid(payload.to) ?? readJid(asRecord(payload.id)?.remote);
  const status: MessageStatus = ack < 0 ? 'failed' : (ackStatuses[ack] ?? 'read');
  const failure = ack < 0 ? (failedAckNames[ack] ?? `ACK_${ack}`) : undefined;
  const event: StatusEvent = {
    kind: 'status',
    eventKey: `wppconnect:ack:${id}:${ack}`,
    providerMessageId: id,
    status,
    // An ack carries only the message's own time; when it happened is when it arrived.
    timestamp: now,
    recipient: recipientJid && isPersonJid(recipientJid) ? identityOf(recipientJid) : undefined,
    error: failure
      ? {
          code: `WPPCONNECT_ACK_${failure}`,
          reason: `WhatsApp reported the message as not delivered (ack ${ack}, ${failure})`,
        }
      : undefined,
  };
  return [event];
}

function parseReaction(payload: Json, now: Date): InboundEvent[] {
  const key = asRecord(payload.id);
  const id = readMessageKey(payload.id);
  const target = readMessageKey(payload.msgId);
  const sender = readJid(payload.sender) ?? readJid(key?.participant) ?? readJid(key?.remote);
  if (!id || !target || !sender) {
    return [
      systemEvent('onreactionmessage', payload, 'WPPConnect reaction that could not be read', now),
    ];
  }
  if (key?.fromMe === true || id.startsWith('true_') || !isPersonJid(sender)) return [];
  return [
    {
      kind: 'message',
      eventKey: `wppconnect:msg:${id}`,
      providerMessageId: id,
      from: identityOf(sender),
      timestamp: readTimestamp(payload.timestamp, now),
      content: {
        type: 'reaction',
        messageProviderId: target,
        emoji: (asText(payload.reactionText) ?? '').slice(0, 16),
      },
    },
  ];
}

function sessionEvent(event: string, payload: Json, state: SessionState, now: Date): SessionEvent {
  return {
    kind: 'session',
    eventKey: `wppconnect:session:${event}:${hashOf(payload)}`,
    timestamp: now,
    state,
  };
}

function readBody(rawBody: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new Error('WPPConnect webhook body is not JSON');
  }
  const record = asRecord(parsed);
  if (!record || !asText(record.event)) {
    throw new Error('Not a WPPConnect webhook: expected {"event": "...", "session": "...", ...}');
  }
  return record;
}

/**
 * Normalizes a WPPConnect Server webhook into events. Throws when the body is not JSON or has
 * no `event`. Events of another session than the channel's are kept as a system notice only.
 */
export function parseWppconnectWebhook(
  rawBody: Buffer,
  session: string,
  now: Date = new Date(),
): InboundEvent[] {
  const payload = readBody(rawBody);
  const event = String(payload.event).toLowerCase();
  const bodySession = asText(payload.session);
  if (bodySession !== undefined && bodySession !== session) {
    return [
      systemEvent(
        event,
        payload,
        `WPPConnect "${event}" for session "${bodySession.slice(0, 64)}" reached the channel of session "${session}": ignored`,
        now,
      ),
    ];
  }
  if (ignoredEvents.has(event)) return [];
  switch (event) {
    case 'onmessage':
    case 'unreadmessages':
      return parseMessage(event, payload, now);
    case 'onack':
      return parseAck(payload, now);
    case 'onreactionmessage':
      return parseReaction(payload, now);
    case 'status-find': {
      const word = asText(payload.status) ?? 'unknown';
      return [
        sessionEvent(
          event,
          payload,
          { status: toSessionStatus(word), detail: word.slice(0, 100) },
          now,
        ),
      ];
    }
    case 'qrcode':
      return [sessionEvent(event, payload, { status: 'qr', detail: 'QRCODE' }, now)];
    case 'session-logged':
      return [sessionEvent(event, payload, { status: 'connected', detail: 'session-logged' }, now)];
    case 'closesession':
      return [sessionEvent(event, payload, { status: 'stopped', detail: 'closesession' }, now)];
    case 'logoutsession':
      return [sessionEvent(event, payload, { status: 'stopped', detail: 'logoutsession' }, now)];
    case 'onrevokedmessage': {
      const revoked = readMessageKey(payload.refId) ?? readMessageKey(payload.id) ?? 'unknown';
      return [systemEvent(event, payload, `The contact deleted message ${revoked}`, now)];
    }
    case 'incomingcall': {
      const caller = readJid(payload.peerJid) ?? readJid(payload.sender) ?? 'unknown';
      const kind = payload.isVideo === true ? 'video call' : 'call';
      return [systemEvent(event, payload, `Incoming WhatsApp ${kind} from ${caller}`, now)];
    }
    default: {
      const json = JSON.stringify(payload);
      const excerpt = json.length > 300 ? `${json.slice(0, 300)}…` : json;
      return [systemEvent(event, payload, `WPPConnect webhook "${event}": ${excerpt}`, now)];
    }
  }
}

/** Session events: their bodies repeat exactly (no id, no time) each time the state recurs. */
const sessionEventNames = new Set([
  'status-find',
  'qrcode',
  'session-logged',
  'closesession',
  'logoutsession',
]);

/**
 * The delivery key of a WPPConnect webhook: a fresh one for session events (a second `inChat`
 * after a reconnect is news, not a redelivery), the body hash (undefined) for the rest.
 */
export function wppconnectDeliveryKey(rawBody: Buffer): string | undefined {
  let event: unknown;
  try {
    event = (JSON.parse(rawBody.toString('utf8')) as { event?: unknown } | null)?.event;
  } catch {
    return undefined;
  }
  if (typeof event !== 'string' || !sessionEventNames.has(event.toLowerCase())) return undefined;
  return `session:${randomUUID()}`;
}
