import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { MessageContent, MessageStatus } from '../../shared/messaging/message-content.js';
import type {
  InboundEvent,
  InboundMessageEvent,
  StatusEvent,
  SystemEvent,
} from '../provider.port.js';
import { chatOfMessageId, identityOf, isPersonJid, toCusJid } from './waha.ids.js';
import { isKnownWahaSessionStatus, toSessionState } from './waha.session-state.js';

/*
 * WAHA webhooks: `{event, session, engine, payload, me, environment, metadata}` (newer servers
 * add `id` and `timestamp`). Read loosely: engines fill different fields (WEBJS, NOWEB and GOWS
 * put their raw message in `_data`), many are `null`, and one odd field must not make the event
 * unreadable.
 */

/** A part that fails to read becomes absent. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

const optionalText = lenient(z.string());

const coordinate = (limit: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\s*-?\d+(\.\d+)?\s*$/)
        .transform(Number),
    ])
    .pipe(z.number().min(-limit).max(limit));

const meSchema = z.looseObject({ id: optionalText, pushName: optionalText });

const envelopeSchema = z.looseObject({
  id: optionalText,
  timestamp: lenient(z.number()),
  event: z.string().min(1),
  session: z.string(),
  engine: optionalText,
  me: lenient(meSchema),
  payload: z.unknown().optional(),
});

const messageSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: lenient(z.number()),
  from: optionalText,
  fromMe: lenient(z.boolean()),
  to: optionalText,
  participant: optionalText,
  body: optionalText,
  hasMedia: lenient(z.boolean()),
  media: lenient(
    z.looseObject({
      url: optionalText,
      mimetype: optionalText,
      filename: optionalText,
      error: z.unknown().optional(),
    }),
  ),
  mediaUrl: optionalText,
  location: lenient(
    z.looseObject({
      latitude: coordinate(90),
      longitude: coordinate(180),
      description: optionalText,
    }),
  ),
  vCards: lenient(z.array(z.string())),
  replyTo: lenient(
    z.looseObject({ id: z.string().min(1), participant: optionalText, body: optionalText }),
  ),
  _data: z.unknown().optional(),
});

const ackSchema = z.looseObject({
  id: z.string().min(1),
  from: optionalText,
  to: optionalText,
  fromMe: lenient(z.boolean()),
  ack: lenient(z.number()),
  ackName: optionalText,
});

const sessionStatusSchema = z.looseObject({ name: optionalText, status: z.string() });

type Envelope = z.infer<typeof envelopeSchema>;
type WahaMessage = z.infer<typeof messageSchema>;

/** WAHA's ack levels (`WAMessageAck`): ERROR -1, PENDING 0, SERVER 1, DEVICE 2, READ 3, PLAYED 4. */
const ackNames: Record<number, string> = {
  [-1]: 'ERROR',
  0: 'PENDING',
  1: 'SERVER',
  2: 'DEVICE',
  3: 'READ',
  4: 'PLAYED',
};

/** PENDING (queued on the phone) says nothing new: no status. A played voice note was read. */
const statusByAck: Record<string, MessageStatus | undefined> = {
  ERROR: 'failed',
  PENDING: undefined,
  SERVER: 'sent',
  DEVICE: 'delivered',
  READ: 'read',
  PLAYED: 'read',
};

function hashOf(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined';
  return createHash('sha256').update(json).digest('hex').slice(0, 32);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** Seconds (WAHA payloads) or milliseconds (newer envelopes) since the epoch. */
function readTime(seconds: number | null | undefined, envelope: Envelope, now: Date): Date {
  if (typeof seconds === 'number' && seconds > 0) return new Date(seconds * 1000);
  if (typeof envelope.timestamp === 'number' && envelope.timestamp > 0) {
    return new Date(envelope.timestamp);
  }
  return now;
}

/** A notice for the log, never carrying message text or numbers. */
function system(eventKey: string, timestamp: Date, description: string): SystemEvent {
  return { kind: 'system', eventKey, timestamp, description };
}

/** NOWEB's raw message kinds (Baileys `message.*Message` keys) in WEBJS's words. */
const nowebTypes: Record<string, string> = {
  conversation: 'chat',
  extendedTextMessage: 'chat',
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  documentWithCaptionMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'vcard',
  contactsArrayMessage: 'multi_vcard',
  pollCreationMessage: 'poll_creation',
  reactionMessage: 'reaction',
  protocolMessage: 'protocol',
};

/** The engine's own message type (WEBJS `type`, NOWEB `message.*`, GOWS `Info.Type`). */
function rawTypeOf(data: unknown): string | undefined {
  const raw = record(data);
  if (!raw) return undefined;
  if (typeof raw.type === 'string') return raw.type;
  const noweb = record(raw.message);
  if (noweb) {
    const audio = record(noweb.audioMessage);
    if (audio?.ptt === true) return 'ptt';
    for (const key of Object.keys(noweb)) {
      const type = nowebTypes[key];
      if (type) return type;
    }
  }
  const info = record(raw.Info);
  return firstText(info?.MediaType, info?.Type)?.toLowerCase();
}

/** The sender's profile name, wherever the engine keeps it. */
function pushNameOf(data: unknown): string | undefined {
  const raw = record(data);
  return firstText(raw?.notifyName, raw?.pushName, record(raw?.Info)?.PushName);
}

/** NOWEB (Baileys) may give the phone-number id next to a LID sender. */
function phoneJidNextToLid(data: unknown): string | undefined {
  const key = record(record(data)?.key);
  return firstText(key?.senderPn, key?.remoteJidAlt);
}

function unfoldVcard(vcard: string): string[] {
  return vcard
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

function unescapeVcard(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_match, character: string) =>
    character.toLowerCase() === 'n' ? '\n' : character,
  );
}

/** A shared contact from one vCard (name, phones with their WhatsApp ids, e-mails, company). */
export function parseVcard(vcard: string) {
  let name: string | undefined;
  let organization: string | undefined;
  const phones: Array<{ phone: string; waId?: string; type?: string }> = [];
  const emails: string[] = [];
  for (const line of unfoldVcard(vcard)) {
    const separator = line.indexOf(':');
    if (separator <= 0) continue;
    const [property = '', ...parameters] = line.slice(0, separator).split(';');
    const value = line.slice(separator + 1).trim();
    const key = property.replace(/^item\d+\./i, '').toUpperCase();
    if (key === 'FN' && value) name = unescapeVcard(value);
    if (key === 'N' && !name && value) {
      name = value.split(';').filter(Boolean).reverse().join(' ').trim() || undefined;
    }
    if (key === 'ORG' && value) organization = unescapeVcard(value.replace(/;+$/, '')) || undefined;
    if (key === 'EMAIL' && value) emails.push(unescapeVcard(value));
    if (key === 'TEL' && value) {
      const waId = parameters
        .map((parameter) => /^waid=(\d+)$/i.exec(parameter.trim())?.[1])
        .find(Boolean);
      const type = parameters
        .map((parameter) => /^type=(.+)$/i.exec(parameter.trim())?.[1])
        .find(Boolean);
      phones.push({ phone: value, waId, type });
    }
  }
  return {
    name: (name ?? 'Unknown').slice(0, 512),
    phones,
    emails: emails.length > 0 ? emails : undefined,
    organization,
  };
}

const mediaKinds = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);

/** Engine message types whose `body` is not something the person wrote. */
const nonTextTypes = new Set([
  'revoked',
  'ciphertext',
  'e2e_notification',
  'notification',
  'notification_template',
  'broadcast_notification',
  'gp2',
  'call_log',
  'protocol',
  'poll_creation',
  'reaction',
]);

function mediaKindOf(
  rawType: string | undefined,
  mimeType: string | undefined,
): 'image' | 'video' | 'audio' | 'document' | 'sticker' {
  if (rawType === 'ptt') return 'audio';
  if (rawType && mediaKinds.has(rawType)) {
    return rawType as 'image' | 'video' | 'audio' | 'document' | 'sticker';
  }
  const family = mimeType?.split('/')[0]?.toLowerCase();
  if (family === 'image') return 'image';
  if (family === 'video') return 'video';
  if (family === 'audio') return 'audio';
  return 'document';
}

function httpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The normalized content of one WAHA message (anything unknown becomes `unsupported`). */
export function readWahaContent(message: WahaMessage): MessageContent {
  const rawType = rawTypeOf(message._data);
  const body = message.body ?? undefined;
  const hasText = body !== undefined && body.trim() !== '';
  if (message.hasMedia || message.media || (rawType && mediaKinds.has(rawType))) {
    const mimeType = message.media?.mimetype ?? undefined;
    const kind = mediaKindOf(rawType, mimeType);
    const fields = {
      url: httpUrl(message.media?.url ?? message.mediaUrl),
      mimeType,
      caption: hasText && kind !== 'audio' && kind !== 'sticker' ? body : undefined,
    };
    if (kind === 'audio') {
      const isVoice = rawType === 'ptt' || (rawType === undefined && /opus/i.test(mimeType ?? ''));
      return { type: 'audio', ...fields, isVoice };
    }
    if (kind === 'document') {
      return { type: 'document', ...fields, filename: message.media?.filename ?? undefined };
    }
    return { type: kind, ...fields };
  }
  if (message.location) {
    const [name, ...address] = (message.location.description ?? '').split('\n');
    return {
      type: 'location',
      latitude: message.location.latitude,
      longitude: message.location.longitude,
      name: name?.trim() || undefined,
      address: address.join(', ').trim() || undefined,
    };
  }
  if (message.vCards && message.vCards.length > 0) {
    return { type: 'contacts', contacts: message.vCards.slice(0, 20).map(parseVcard) };
  }
  if (hasText && !(rawType && nonTextTypes.has(rawType))) return { type: 'text', text: body };
  return {
    type: 'unsupported',
    providerType: rawType ?? 'unknown',
    description: hasText ? body.slice(0, 1_000) : undefined,
  };
}

/**
 * The quoted message's id. WAHA gives the bare key (`replyTo.id`) and who wrote it; our ids are
 * serialized (`<fromMe>_<chat>_<key>`), so the serialized form is rebuilt.
 */
function quotedMessageId(message: WahaMessage, chat: string, me: string | undefined) {
  const quoted = message.replyTo?.id;
  if (!quoted) return undefined;
  if (/^(true|false)_/.test(quoted)) return quoted;
  const author = message.replyTo?.participant ?? undefined;
  const isMine = author !== undefined && me !== undefined && toCusJid(author) === toCusJid(me);
  return `${isMine ? 'true' : 'false'}_${chat}_${quoted}`;
}

function parseMessage(envelope: Envelope, now: Date): InboundMessageEvent | SystemEvent {
  const parsed = messageSchema.safeParse(envelope.payload);
  const eventKey = `waha:msg:${parsed.success ? parsed.data.id : hashOf(envelope)}`;
  if (!parsed.success) {
    return system(eventKey, now, `WAHA "${envelope.event}" event with an unreadable message`);
  }
  const message = parsed.data;
  const timestamp = readTime(message.timestamp, envelope, now);
  if (message.fromMe) {
    // Sent from the paired phone (`message.any`): the port carries no outbound-from-phone event.
    return system(eventKey, timestamp, 'A message sent from the paired phone was not recorded');
  }
  const chat = message.from ? toCusJid(message.from) : undefined;
  if (!chat || !isPersonJid(chat)) {
    const where = chat?.endsWith('@g.us') ? 'a group' : 'a status, broadcast or channel';
    return system(
      eventKey,
      timestamp,
      `A message in ${where} was ignored (WAHA "${envelope.event}")`,
    );
  }
  return {
    kind: 'message',
    eventKey,
    providerMessageId: message.id,
    from: identityOf(chat, {
      phoneJid: phoneJidNextToLid(message._data),
      name: pushNameOf(message._data),
    }),
    timestamp,
    content: readWahaContent(message),
    replyToProviderMessageId: quotedMessageId(message, chat, envelope.me?.id ?? undefined),
  };
}

function parseAck(envelope: Envelope, now: Date): StatusEvent | SystemEvent | undefined {
  const parsed = ackSchema.safeParse(envelope.payload);
  if (!parsed.success) {
    return system(`waha:system:${hashOf(envelope)}`, now, 'WAHA "message.ack" event unreadable');
  }
  const ack = parsed.data;
  // Acks of messages we received (read by us) are not ours to track.
  if (ack.fromMe === false) return undefined;
  // The level number is authoritative; the name is WAHA's label for it.
  const level = typeof ack.ack === 'number' ? ackNames[ack.ack] : undefined;
  const name = (level ?? ack.ackName ?? '').toUpperCase();
  const eventKey = `waha:ack:${ack.id}:${name || 'UNKNOWN'}`;
  if (!(name in statusByAck)) {
    return system(eventKey, now, `WAHA reported ack "${name || ack.ack}" for message ${ack.id}`);
  }
  const status = statusByAck[name];
  if (status === undefined) return undefined;
  const chat = chatOfMessageId(ack.id) ?? ack.to ?? undefined;
  const timestamp = readTime(undefined, envelope, now);
  return {
    kind: 'status',
    eventKey,
    providerMessageId: ack.id,
    status,
    timestamp,
    recipient: chat && isPersonJid(toCusJid(chat)) ? identityOf(toCusJid(chat)) : undefined,
    error:
      status === 'failed'
        ? { code: 'WAHA_ACK_ERROR', reason: 'WhatsApp reported the message as failed (ack ERROR)' }
        : undefined,
  };
}

function parseSessionStatus(envelope: Envelope, rawEvent: unknown, now: Date): InboundEvent {
  const eventKey = `waha:session:${envelope.id ?? hashOf(rawEvent)}`;
  const parsed = sessionStatusSchema.safeParse(envelope.payload);
  const timestamp = readTime(undefined, envelope, now);
  if (!parsed.success || !isKnownWahaSessionStatus(parsed.data.status)) {
    const status = parsed.success ? parsed.data.status.slice(0, 40) : 'unreadable';
    return system(eventKey, timestamp, `WAHA session status "${status}"`);
  }
  return {
    kind: 'session',
    eventKey,
    timestamp,
    state: toSessionState(parsed.data.status, envelope.me),
  };
}

function readBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new Error('WAHA webhook body is not JSON');
  }
}

/**
 * Normalizes one WAHA webhook into events: `message` (and `message.any`, whose own-phone messages
 * are only noted), `message.ack`, `session.status`; any other event, or one for another session,
 * becomes a system notice. Throws when the body is not JSON or not a WAHA event.
 */
export function parseWahaWebhook(
  rawBody: Buffer,
  session: string,
  now: Date = new Date(),
): InboundEvent[] {
  const raw = readBody(rawBody);
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error('Not a WAHA webhook: expected {"event":"…","session":"…","payload":{…}}');
  }
  const envelope = parsed.data;
  if (envelope.session !== session) {
    return [
      system(
        `waha:system:${hashOf(raw)}`,
        now,
        `A WAHA "${envelope.event}" event of session "${envelope.session.slice(0, 54)}" reached the channel of session "${session}"; ignored`,
      ),
    ];
  }
  let event: InboundEvent | undefined;
  switch (envelope.event) {
    case 'message':
    case 'message.any':
      event = parseMessage(envelope, now);
      break;
    case 'message.ack':
      event = parseAck(envelope, now);
      break;
    case 'session.status':
      event = parseSessionStatus(envelope, raw, now);
      break;
    default:
      event = system(
        `waha:system:${envelope.id ?? hashOf(raw)}`,
        readTime(undefined, envelope, now),
        `WAHA event "${envelope.event.slice(0, 60)}" is not handled`,
      );
  }
  return event ? [event] : [];
}

/**
 * The delivery key of a webhook (`ChannelProvider.deliveryKey`). WAHA 2024.9's `session.status`
 * bodies carry no id or time, so the same status reported again (WORKING after a restart) repeats
 * an earlier body byte for byte: it gets a fresh key instead of being dropped as a redelivery
 * (applying a session state twice changes nothing). Events with an id (newer servers) and all
 * other events keep the default, the hash of the body.
 */
export function wahaDeliveryKey(rawBody: Buffer): string | undefined {
  let event: unknown;
  try {
    event = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  const record =
    typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  if (record.event !== 'session.status' || typeof record.id === 'string') return undefined;
  return `session:${randomUUID()}`;
}
