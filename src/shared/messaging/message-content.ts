import { z } from 'zod';

/**
 * The normalized content of a WhatsApp message, whatever provider carried it. Every provider
 * adapter parses into this union and sends from it; the flow engine, inbox and campaigns only
 * ever see these shapes.
 */

const mediaFields = {
  /** Our stored media id (after download), when we have the bytes. */
  mediaId: z.string().optional(),
  /** The provider's media id (Meta) or a URL the provider can fetch (outbound by URL). */
  providerMediaId: z.string().optional(),
  url: z.url().optional(),
  mimeType: z.string().max(255).optional(),
  sha256: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  caption: z.string().max(1024).optional(),
};

export const textContentSchema = z.object({
  type: z.literal('text'),
  text: z.string().min(1).max(4096),
  previewUrl: z.boolean().optional(),
});

export const imageContentSchema = z.object({ type: z.literal('image'), ...mediaFields });
export const audioContentSchema = z.object({
  type: z.literal('audio'),
  ...mediaFields,
  /** A push-to-talk voice note rather than an audio file. */
  isVoice: z.boolean().optional(),
});
export const videoContentSchema = z.object({ type: z.literal('video'), ...mediaFields });
export const documentContentSchema = z.object({
  type: z.literal('document'),
  ...mediaFields,
  filename: z.string().max(255).optional(),
});
export const stickerContentSchema = z.object({
  type: z.literal('sticker'),
  ...mediaFields,
  isAnimated: z.boolean().optional(),
});

export const locationContentSchema = z.object({
  type: z.literal('location'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

export const sharedContactSchema = z.object({
  name: z.string().max(512),
  phones: z.array(
    z.object({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() }),
  ),
  emails: z.array(z.string()).optional(),
  organization: z.string().optional(),
});

export const contactsContentSchema = z.object({
  type: z.literal('contacts'),
  contacts: z.array(sharedContactSchema).min(1).max(20),
});

/** A button offered to the user; `id` comes back in the reply. */
export const replyButtonSchema = z.object({
  id: z.string().min(1).max(256),
  title: z.string().min(1).max(20),
});

export const interactiveButtonsContentSchema = z.object({
  type: z.literal('buttons'),
  body: z.string().min(1).max(1024),
  header: z.string().max(60).optional(),
  footer: z.string().max(60).optional(),
  buttons: z.array(replyButtonSchema).min(1).max(3),
});

export const listRowSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(24),
  description: z.string().max(72).optional(),
});

export const interactiveListContentSchema = z.object({
  type: z.literal('list'),
  body: z.string().min(1).max(4096),
  header: z.string().max(60).optional(),
  footer: z.string().max(60).optional(),
  buttonText: z.string().min(1).max(20),
  sections: z
    .array(
      z.object({
        title: z.string().max(24).optional(),
        rows: z.array(listRowSchema).min(1).max(10),
      }),
    )
    .min(1)
    .max(10),
});

/** The user tapped a button or picked a list row. */
export const interactiveReplyContentSchema = z.object({
  type: z.literal('interactive-reply'),
  kind: z.enum(['button', 'list']),
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
});

export const templateParameterSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string(), name: z.string().optional() }),
  z.object({
    type: z.literal('currency'),
    fallback: z.string(),
    code: z.string().length(3),
    amount1000: z.number().int(),
  }),
  z.object({ type: z.literal('date_time'), fallback: z.string() }),
  z.object({ type: z.literal('image'), url: z.url() }),
  z.object({ type: z.literal('document'), url: z.url(), filename: z.string().optional() }),
  z.object({ type: z.literal('video'), url: z.url() }),
]);

export const templateContentSchema = z.object({
  type: z.literal('template'),
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  header: z.array(templateParameterSchema).optional(),
  body: z.array(templateParameterSchema).optional(),
  buttons: z
    .array(
      z.object({
        index: z.number().int().min(0).max(9),
        subType: z.enum(['quick_reply', 'url']),
        payload: z.string(),
      }),
    )
    .optional(),
  /** The rendered text, for history and the inbox (providers send by name and parameters). */
  renderedText: z.string().optional(),
  /** The provider's id of the template (Twilio's Content SID), filled from the library. */
  providerTemplateId: z.string().max(200).optional(),
});

export const reactionContentSchema = z.object({
  type: z.literal('reaction'),
  /** The provider id of the message reacted to. */
  messageProviderId: z.string(),
  /** Empty string removes the reaction. */
  emoji: z.string().max(16),
});

/** Something the provider delivered that Recado does not model; kept raw, shown as such. */
export const unsupportedContentSchema = z.object({
  type: z.literal('unsupported'),
  providerType: z.string(),
  description: z.string().optional(),
});

export const messageContentSchema = z.discriminatedUnion('type', [
  textContentSchema,
  imageContentSchema,
  audioContentSchema,
  videoContentSchema,
  documentContentSchema,
  stickerContentSchema,
  locationContentSchema,
  contactsContentSchema,
  interactiveButtonsContentSchema,
  interactiveListContentSchema,
  interactiveReplyContentSchema,
  templateContentSchema,
  reactionContentSchema,
  unsupportedContentSchema,
]);

export type MessageContent = z.infer<typeof messageContentSchema>;
export type MessageContentType = MessageContent['type'];
export type MediaContent = Extract<
  MessageContent,
  { type: 'image' | 'audio' | 'video' | 'document' | 'sticker' }
>;

export const mediaContentTypes = ['image', 'audio', 'video', 'document', 'sticker'] as const;

export function isMediaContent(content: MessageContent): content is MediaContent {
  return (mediaContentTypes as readonly string[]).includes(content.type);
}

/** Message statuses only move forward; `failed` is terminal. */
export const messageStatuses = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

const statusRank: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

/**
 * Whether a message in `current` may move to `next`. Forward only; `failed` is terminal, but a
 * failure report never overrides a message already delivered or read (providers send late
 * failures for the same id after a retry succeeded).
 */
export function canAdvanceStatus(current: MessageStatus, next: MessageStatus): boolean {
  if (current === 'failed') return false;
  if (next === 'failed') return statusRank[current] < statusRank.delivered;
  return statusRank[next] > statusRank[current];
}

/** A one-line, human-readable summary (inbox previews, logs without personal data beyond text). */
export function summarizeContent(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
    case 'document':
      return content.caption ?? `[${content.type}]`;
    case 'location':
      return (
        content.name ?? `[location ${content.latitude.toFixed(5)}, ${content.longitude.toFixed(5)}]`
      );
    case 'contacts':
      return `[contacts: ${content.contacts.map((c) => c.name).join(', ')}]`;
    case 'buttons':
    case 'list':
      return content.body;
    case 'interactive-reply':
      return content.title;
    case 'template':
      return content.renderedText ?? `[template ${content.name}]`;
    case 'reaction':
      return content.emoji || '[reaction removed]';
    case 'unsupported':
      return `[${content.providerType}]`;
  }
}
