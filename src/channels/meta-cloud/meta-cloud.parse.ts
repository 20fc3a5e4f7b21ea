import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MessageContent, MessageStatus } from '../../shared/messaging/message-content.js';
import type {
  InboundEvent,
  InboundMessageEvent,
  SenderIdentity,
  StatusEvent,
  SystemEvent,
} from '../provider.port.js';
import { describeMetaError, type MetaErrorDetail } from './meta-cloud.errors.js';

/*
 * Meta's webhook shapes, read loosely: every field we do not need may be absent or change, and
 * one odd message must not make the rest of the batch unreadable.
 */

const metaErrorSchema = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const mediaSchema = z.looseObject({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

const webhookContactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

const sharedContactSchema = z.looseObject({
  name: z
    .looseObject({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  phones: z
    .array(
      z.looseObject({
        phone: z.string().optional(),
        wa_id: z.string().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  emails: z.array(z.looseObject({ email: z.string().optional() })).optional(),
  org: z.looseObject({ company: z.string().optional() }).optional(),
});

/** A type-specific part that fails to read becomes absent (the message turns `unsupported`). */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

const coordinate = (limit: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().min(-limit).max(limit));

const messageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: z.string().optional(),
  type: z.string().optional(),
  context: lenient(z.looseObject({ id: z.string().optional() })),
  text: lenient(z.looseObject({ body: z.string().optional() })),
  image: lenient(mediaSchema),
  audio: lenient(mediaSchema),
  video: lenient(mediaSchema),
  document: lenient(mediaSchema),
  sticker: lenient(mediaSchema),
  location: lenient(
    z.looseObject({
      latitude: coordinate(90),
      longitude: coordinate(180),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  ),
  contacts: lenient(z.array(sharedContactSchema)),
  interactive: lenient(
    z.looseObject({
      type: z.string().optional(),
      button_reply: lenient(z.looseObject({ id: z.string(), title: z.string() })),
      list_reply: lenient(
        z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
      ),
    }),
  ),
  button: lenient(z.looseObject({ payload: z.string().optional(), text: z.string().optional() })),
  reaction: lenient(z.looseObject({ message_id: z.string(), emoji: z.string().optional() })),
  system: lenient(
    z.looseObject({
      body: z.string().optional(),
      type: z.string().optional(),
      wa_id: z.string().optional(),
    }),
  ),
  unsupported: lenient(z.looseObject({ type: z.string().optional() })),
  errors: lenient(z.array(metaErrorSchema)),
});

const statusSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: lenient(z.array(metaErrorSchema)),
});

const changeSchema = z.looseObject({
  field: z.string(),
  value: z.unknown(),
});

const messagesValueSchema = z.looseObject({
  contacts: z.array(webhookContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(metaErrorSchema).optional(),
});

const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      time: z.number().optional(),
      changes: z.array(changeSchema).default([]),
    }),
  ),
});

type MetaMessage = z.infer<typeof messageSchema>;
type MetaStatus = z.infer<typeof statusSchema>;
type WebhookContact = z.infer<typeof webhookContactSchema>;
type MetaError = z.infer<typeof metaErrorSchema>;

const statusByMeta: Record<string, MessageStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice message was listened to: it has been read.
  played: 'read',
  failed: 'failed',
};

function toErrorDetail(error: MetaError): MetaErrorDetail {
  return {
    code: error.code,
    title: error.title,
    message: error.message,
    details: error.error_data?.details,
  };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

function readTimestamp(value: string | undefined, fallback: Date): Date {
  if (value === undefined || !/^\d+$/.test(value)) return fallback;
  return new Date(Number(value) * 1000);
}

/** A WhatsApp id made of digits is the phone number without its plus sign. */
function toPhone(waId: string | undefined): string | undefined {
  return waId !== undefined && /^\d+$/.test(waId) ? `+${waId}` : undefined;
}

function findSender(message: MetaMessage, contacts: WebhookContact[]): SenderIdentity {
  const contact =
    contacts.find((c) => message.from !== undefined && c.wa_id === message.from) ??
    contacts.find((c) => message.from_user_id !== undefined && c.user_id === message.from_user_id);
  const waId = message.from ?? contact?.wa_id;
  return {
    waId,
    phone: toPhone(waId),
    userId: contact?.user_id ?? message.from_user_id,
    name: contact?.profile?.name,
  };
}

function readMedia(
  media: z.infer<typeof mediaSchema>,
): Omit<Extract<MessageContent, { type: 'image' }>, 'type'> {
  return {
    providerMediaId: media.id,
    mimeType: media.mime_type,
    sha256: media.sha256,
    caption: media.caption,
  };
}

function describeErrors(errors: MetaError[] | undefined): string | undefined {
  const first = errors?.[0];
  return first ? describeMetaError(toErrorDetail(first)) : undefined;
}

/** The normalized content of one inbound message (anything unknown becomes `unsupported`). */
export function readMessageContent(message: MetaMessage): MessageContent {
  const type = message.type ?? 'unknown';
  const unsupported = (providerType: string): MessageContent => ({
    type: 'unsupported',
    providerType,
    description: describeErrors(message.errors),
  });
  switch (type) {
    case 'text':
      return message.text?.body ? { type: 'text', text: message.text.body } : unsupported('text');
    case 'image':
    case 'video':
      return message[type] ? { type, ...readMedia(message[type]) } : unsupported(type);
    case 'audio':
      return message.audio
        ? { type: 'audio', ...readMedia(message.audio), isVoice: message.audio.voice }
        : unsupported(type);
    case 'document':
      return message.document
        ? { type: 'document', ...readMedia(message.document), filename: message.document.filename }
        : unsupported(type);
    case 'sticker':
      return message.sticker
        ? { type: 'sticker', ...readMedia(message.sticker), isAnimated: message.sticker.animated }
        : unsupported(type);
    case 'location':
      return message.location
        ? {
            type: 'location',
            latitude: message.location.latitude,
            longitude: message.location.longitude,
            name: message.location.name,
            address: message.location.address,
          }
        : unsupported(type);
    case 'contacts': {
      const contacts = (message.contacts ?? []).map((contact) => ({
        name:
          contact.name?.formatted_name ??
          ([contact.name?.first_name, contact.name?.last_name].filter(Boolean).join(' ') ||
            'Unknown'),
        phones: (contact.phones ?? []).flatMap((phone) =>
          phone.phone === undefined
            ? []
            : [{ phone: phone.phone, waId: phone.wa_id, type: phone.type }],
        ),
        emails: contact.emails?.flatMap((email) => (email.email ? [email.email] : [])),
        organization: contact.org?.company,
      }));
      return contacts.length > 0 ? { type: 'contacts', contacts } : unsupported(type);
    }
    case 'interactive': {
      const interactive = message.interactive;
      if (interactive?.type === 'button_reply' && interactive.button_reply) {
        const { id, title } = interactive.button_reply;
        return { type: 'interactive-reply', kind: 'button', id, title };
      }
      if (interactive?.type === 'list_reply' && interactive.list_reply) {
        const { id, title, description } = interactive.list_reply;
        return { type: 'interactive-reply', kind: 'list', id, title, description };
      }
      return unsupported(interactive?.type ? `interactive.${interactive.type}` : 'interactive');
    }
    case 'button':
      // A quick-reply button of a template: the payload is what the template defined.
      return {
        type: 'interactive-reply',
        kind: 'button',
        id: message.button?.payload ?? message.button?.text ?? '',
        title: message.button?.text ?? message.button?.payload ?? '',
      };
    case 'reaction':
      return message.reaction
        ? {
            type: 'reaction',
            messageProviderId: message.reaction.message_id,
            emoji: message.reaction.emoji ?? '',
          }
        : unsupported(type);
    case 'unsupported':
      return unsupported(message.unsupported?.type ?? 'unsupported');
    default:
      return unsupported(type);
  }
}

/** Something inside a `messages` change we cannot read: kept visible rather than dropped. */
function describeUnreadable(what: string, raw: unknown, now: Date): SystemEvent {
  return {
    kind: 'system',
    eventKey: `meta-cloud:system:${hashOf(raw)}`,
    timestamp: now,
    description: describeChange(`messages (unreadable ${what})`, raw),
  };
}

function parseMessage(
  raw: unknown,
  contacts: WebhookContact[],
  now: Date,
): InboundMessageEvent | SystemEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return describeUnreadable('message', raw, now);
  const message = parsed.data;
  const timestamp = readTimestamp(message.timestamp, now);
  if (message.type === 'system') {
    const system = message.system;
    const summary = [system?.type, system?.body].filter(Boolean).join(': ');
    return {
      kind: 'system',
      eventKey: `meta-cloud:system:${hashOf(raw)}`,
      timestamp,
      description: summary || 'WhatsApp system message',
    };
  }
  return {
    kind: 'message',
    eventKey: `meta-cloud:msg:${message.id}`,
    providerMessageId: message.id,
    from: findSender(message, contacts),
    timestamp,
    content: readMessageContent(message),
    replyToProviderMessageId: message.context?.id,
  };
}

function parseStatus(raw: unknown, contacts: WebhookContact[], now: Date): InboundEvent {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return describeUnreadable('status', raw, now);
  const status: MetaStatus = parsed.data;
  const timestamp = readTimestamp(status.timestamp, now);
  const mapped = statusByMeta[status.status];
  const eventKey = `meta-cloud:status:${status.id}:${status.status}`;
  if (mapped === undefined) {
    return {
      kind: 'system',
      eventKey,
      timestamp,
      description: `Status "${status.status}" for message ${status.id}`,
    };
  }
  const contact = contacts.find((c) => c.wa_id === status.recipient_id);
  const firstError = status.errors?.[0];
  const event: StatusEvent = {
    kind: 'status',
    eventKey,
    providerMessageId: status.id,
    status: mapped,
    timestamp,
    recipient: {
      waId: status.recipient_id,
      phone: toPhone(status.recipient_id),
      userId: status.recipient_user_id ?? contact?.user_id,
      name: contact?.profile?.name,
    },
    error: firstError
      ? {
          code: firstError.code === undefined ? 'META_UNKNOWN' : `META_${firstError.code}`,
          reason: describeMetaError(toErrorDetail(firstError)),
        }
      : undefined,
  };
  return event;
}

function describeChange(field: string, value: unknown): string {
  const event =
    typeof value === 'object' && value !== null && 'event' in value
      ? String((value as { event: unknown }).event)
      : undefined;
  const json = JSON.stringify(value) ?? '';
  const excerpt = json.length > 300 ? `${json.slice(0, 300)}…` : json;
  return `Meta webhook "${field}"${event ? ` (${event})` : ''}: ${excerpt}`;
}

function readBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new Error('Meta Cloud webhook body is not JSON');
  }
}

/**
 * Normalizes a Meta Cloud API webhook body into events: every change of every entry; messages,
 * statuses, and anything else as system events. Throws when the body is not JSON or not a
 * WhatsApp Business Account payload.
 */
export function parseMetaCloudWebhook(rawBody: Buffer, now: Date = new Date()): InboundEvent[] {
  const envelope = envelopeSchema.safeParse(readBody(rawBody));
  if (!envelope.success) {
    throw new Error(
      'Not a WhatsApp Business Account webhook: expected {"object":"whatsapp_business_account","entry":[...]}',
    );
  }
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    const entryTime = entry.time === undefined ? now : new Date(entry.time * 1000);
    for (const change of entry.changes) {
      const value = messagesValueSchema.safeParse(change.value);
      if (change.field !== 'messages' || !value.success) {
        events.push({
          kind: 'system',
          eventKey: `meta-cloud:system:${hashOf({ entry: entry.id, change })}`,
          timestamp: entryTime,
          description: describeChange(change.field, change.value),
        });
        continue;
      }
      const contacts = value.data.contacts ?? [];
      for (const message of value.data.messages ?? []) {
        events.push(parseMessage(message, contacts, entryTime));
      }
      for (const status of value.data.statuses ?? []) {
        events.push(parseStatus(status, contacts, entryTime));
      }
      for (const error of value.data.errors ?? []) {
        events.push({
          kind: 'system',
          eventKey: `meta-cloud:system:${hashOf({ entry: entry.id, error })}`,
          timestamp: entryTime,
          description: describeMetaError(toErrorDetail(error)),
        });
      }
    }
  }
  return events;
}
