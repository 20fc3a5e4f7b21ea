import type {
  MediaContent,
  MessageContent,
  MessageStatus,
} from '../../shared/messaging/message-content.js';
import type {
  InboundEvent,
  InboundMessageEvent,
  SenderIdentity,
  StatusEvent,
  SystemEvent,
} from '../provider.port.js';
import { describeTwilioStatusError } from './twilio.errors.js';
import { readFormParams, type TwilioParams } from './twilio.signature.js';

/*
 * Twilio's webhooks are form-encoded, one event per request: an incoming message (the
 * messaging webhook: `SmsStatus=received`, `Body`, `NumMedia`, `MediaUrl0`…) or a status
 * callback (`MessageStatus=sent|delivered|read|failed|undelivered…`, `ErrorCode`). Neither
 * carries a timestamp, so events are dated when they are read. Parameters we do not know are
 * ignored: Twilio adds new ones without notice.
 */

/** Twilio's WhatsApp address prefix (`whatsapp:+5511987654321`). */
export const whatsappAddressPrefix = 'whatsapp:';

/** NumMedia of a WhatsApp message is 0 or 1; MMS allows 10, which bounds what we read. */
const maxMediaPerMessage = 10;

const statusByTwilioStatus: Record<string, MessageStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};

/** Message SIDs are `SM`/`MM` and 32 hex digits; anything id-like of a sane length is read. */
const sidPattern = /^[A-Za-z0-9]{2,64}$/;

const inboundStatuses = new Set(['received', 'receiving']);
const mediaKinds = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function first(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

/** A parameter that is present and not blank. */
function text(params: TwilioParams, name: string): string | undefined {
  const value = first(params, name);
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** `whatsapp:+5511987654321` → `+5511987654321`; anything else is not a phone. */
export function readWhatsappPhone(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const bare = address.startsWith(whatsappAddressPrefix)
    ? address.slice(whatsappAddressPrefix.length)
    : address;
  return /^\+[1-9]\d{6,14}$/.test(bare) ? bare : undefined;
}

function readSender(params: TwilioParams): SenderIdentity {
  const from = text(params, 'From');
  const phone = readWhatsappPhone(from);
  const waId = text(params, 'WaId');
  const bare = from?.startsWith(whatsappAddressPrefix)
    ? from.slice(whatsappAddressPrefix.length)
    : from;
  return {
    waId: waId !== undefined && /^\d+$/.test(waId) ? waId : phone?.slice(1),
    phone: phone ?? (waId !== undefined && /^\d{7,15}$/.test(waId) ? `+${waId}` : undefined),
    // A sender without a number (a WhatsApp username's business-scoped id) keeps its address.
    userId: phone === undefined && waId === undefined ? bare : undefined,
    name: text(params, 'ProfileName'),
  };
}

function readCoordinate(value: string | undefined, limit: number): number | undefined {
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const number = Number(value);
  return Math.abs(number) <= limit ? number : undefined;
}

/** The Media SID (`ME…`) at the end of a Twilio media URL, when it is one. */
function readMediaSid(url: string): string | undefined {
  return /\/Media\/(ME[0-9a-fA-F]{32})(?:\.json)?(?:[?#].*)?$/.exec(url)?.[1];
}

function mediaKind(messageType: string | undefined, mimeType: string | undefined) {
  if (messageType !== undefined && mediaKinds.has(messageType)) {
    return messageType as MediaContent['type'];
  }
  const type = (mimeType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

function readMedia(params: TwilioParams): MediaContent[] {
  const announced = Number(first(params, 'NumMedia') ?? '0');
  const count = Math.min(
    Number.isSafeInteger(announced) && announced > 0 ? announced : 0,
    maxMediaPerMessage,
  );
  const messageType = text(params, 'MessageType')?.toLowerCase();
  const media: MediaContent[] = [];
  for (let index = 0; index < Math.max(count, 1); index++) {
    const url = text(params, `MediaUrl${index}`);
    if (url === undefined || !/^https?:\/\//i.test(url)) continue;
    const mimeType = text(params, `MediaContentType${index}`);
    const kind = mediaKind(messageType, mimeType);
    const fields = { url, providerMediaId: readMediaSid(url), mimeType };
    media.push({ type: kind, ...fields } as MediaContent);
  }
  return media;
}

function withCaption(content: MediaContent, caption: string | undefined): MediaContent {
  // WhatsApp shows no caption on voice notes and stickers; the text is kept anyway.
  return caption === undefined ? content : { ...content, caption };
}

/** The content of a message that is not media. */
function readContent(params: TwilioParams): MessageContent {
  const messageType = text(params, 'MessageType')?.toLowerCase();
  const body = text(params, 'Body');
  const latitude = readCoordinate(first(params, 'Latitude'), 90);
  const longitude = readCoordinate(first(params, 'Longitude'), 180);
  if (latitude !== undefined && longitude !== undefined) {
    const name = text(params, 'Label');
    const address = text(params, 'Address');
    return {
      type: 'location',
      latitude,
      longitude,
      ...(name === undefined ? {} : { name }),
      ...(address === undefined ? {} : { address }),
    };
  }
  if (messageType === 'location') {
    return {
      type: 'unsupported',
      providerType: 'location',
      description: 'A location without readable coordinates',
    };
  }
  const listId = text(params, 'ListId');
  if (listId !== undefined) {
    const description = text(params, 'ListDescription');
    return {
      type: 'interactive-reply',
      kind: 'list',
      id: listId,
      title: text(params, 'ListTitle') ?? body ?? listId,
      ...(description === undefined ? {} : { description }),
    };
  }
  const payload = text(params, 'ButtonPayload');
  const buttonText = text(params, 'ButtonText');
  if (payload !== undefined || (buttonText !== undefined && messageType === 'button')) {
    const title = buttonText ?? body ?? payload ?? '';
    return { type: 'interactive-reply', kind: 'button', id: payload ?? title, title };
  }
  if (body !== undefined && (messageType === undefined || messageType === 'text')) {
    return { type: 'text', text: body };
  }
  if (body !== undefined && messageType === 'interactive') return { type: 'text', text: body };
  return {
    type: 'unsupported',
    providerType: messageType ?? 'unknown',
    ...(body === undefined ? {} : { description: body }),
  };
}

function readMessage(params: TwilioParams, sid: string, now: Date): InboundMessageEvent[] {
  const from = readSender(params);
  const replyTo = text(params, 'OriginalRepliedMessageSid');
  const base = {
    kind: 'message' as const,
    from,
    timestamp: now,
    ...(replyTo === undefined ? {} : { replyToProviderMessageId: replyTo }),
  };
  const media = readMedia(params);
  if (media.length === 0) {
    return [
      {
        ...base,
        eventKey: `twilio:msg:${sid}`,
        providerMessageId: sid,
        content: readContent(params),
      },
    ];
  }
  // One WhatsApp message carries one media; should Twilio ever hand several, each becomes a
  // message of its own (the first keeps the Message SID and the caption).
  const caption = text(params, 'Body');
  return media.map((content, index) => {
    const providerMessageId = index === 0 ? sid : `${sid}:media:${index}`;
    return {
      ...base,
      eventKey: `twilio:msg:${providerMessageId}`,
      providerMessageId,
      content: index === 0 ? withCaption(content, caption) : content,
    };
  });
}

function readStatus(
  params: TwilioParams,
  sid: string,
  twilioStatus: string,
  now: Date,
): StatusEvent | SystemEvent {
  const status = statusByTwilioStatus[twilioStatus];
  if (status === undefined) {
    return {
      kind: 'system',
      eventKey: `twilio:system:${sid}:${twilioStatus}`,
      timestamp: now,
      description: `Twilio reported message ${sid} as “${twilioStatus}”, a status Recado does not track`,
    };
  }
  const recipientPhone = readWhatsappPhone(text(params, 'To'));
  const event: StatusEvent = {
    kind: 'status',
    eventKey: `twilio:status:${sid}:${twilioStatus}`,
    providerMessageId: sid,
    status,
    timestamp: now,
    recipient: recipientPhone
      ? { phone: recipientPhone, waId: recipientPhone.slice(1) }
      : undefined,
  };
  if (status === 'failed') {
    event.error = describeTwilioStatusError(
      text(params, 'ErrorCode'),
      text(params, 'ErrorMessage') ?? text(params, 'ChannelStatusMessage'),
    ) ?? {
      code: `TWILIO_${twilioStatus.toUpperCase()}`,
      reason: `Twilio reported the message ${twilioStatus} without an error code`,
    };
  }
  return event;
}

/**
 * Normalizes one Twilio webhook (form-encoded) into events. Throws on a body that is not a
 * Twilio messaging webhook (no Message SID): the delivery is kept, marked failed.
 */
export function parseTwilioWebhook(rawBody: Buffer, now: Date = new Date()): InboundEvent[] {
  const head = rawBody.subarray(0, 64).toString('utf8').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    throw new Error('Not a Twilio messaging webhook: the body is JSON, not form-encoded');
  }
  const params = readFormParams(rawBody);
  const sid = text(params, 'MessageSid') ?? text(params, 'SmsMessageSid') ?? text(params, 'SmsSid');
  if (sid === undefined) {
    throw new Error('Not a Twilio messaging webhook: the body has no MessageSid');
  }
  if (!sidPattern.test(sid)) {
    throw new Error('Not a Twilio messaging webhook: the MessageSid is malformed');
  }
  const twilioStatus = (
    text(params, 'MessageStatus') ??
    text(params, 'SmsStatus') ??
    ''
  ).toLowerCase();
  const isInbound =
    inboundStatuses.has(twilioStatus) ||
    (twilioStatus === '' &&
      (first(params, 'Body') !== undefined || first(params, 'NumMedia') !== undefined));
  if (isInbound) return readMessage(params, sid, now);
  if (twilioStatus === '') {
    throw new Error(`Twilio webhook for ${sid} is neither a message nor a status callback`);
  }
  return [readStatus(params, sid, twilioStatus, now)];
}
