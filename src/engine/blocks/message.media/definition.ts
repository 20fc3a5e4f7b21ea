import { z } from 'zod';
import type { BlockDefinition, TemplateField } from '../../types.js';

export const mediaKinds = ['image', 'video', 'audio', 'document', 'sticker'] as const;

/** Kinds WhatsApp shows a caption on. */
const captionKinds = new Set(['image', 'video', 'document']);

/**
 * Sends a photo, video, audio, document or sticker, from a URL the provider fetches or a stored
 * media id. `mediaId` is usually a file variable the flow received (`{{receipt}}` or
 * `{{receipt.mediaId}}`); sending a file back takes its type and name along.
 */
export const optionsSchema = z
  .strictObject({
    kind: z.enum(mediaKinds),
    /** A public http(s) URL; a template. */
    url: z.string().min(1).max(2048).optional(),
    /** A stored media id, or a template reading a file variable. */
    mediaId: z.string().min(1).max(256).optional(),
    /** Text under an image, video or document; a template, cut to 1,024 characters. */
    caption: z.string().min(1).max(1024).optional(),
    /** The name a document shows (`recibo-{{trip.id}}.pdf`); a template. */
    fileName: z.string().min(1).max(255).optional(),
  })
  .superRefine((options, context) => {
    if ((options.url === undefined) === (options.mediaId === undefined)) {
      context.addIssue({
        code: 'custom',
        path: options.url === undefined ? ['url'] : ['mediaId'],
        message: 'give exactly one of url and mediaId',
      });
    }
    if (options.url !== undefined && !options.url.includes('{{') && !isHttpUrl(options.url)) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'is not an http(s) URL',
      });
    }
    if (options.caption !== undefined && !captionKinds.has(options.kind)) {
      context.addIssue({
        code: 'custom',
        path: ['caption'],
        message: `WhatsApp shows no caption on ${options.kind === 'audio' ? 'an audio' : 'a sticker'}`,
      });
    }
    if (options.fileName !== undefined && options.kind !== 'document') {
      context.addIssue({
        code: 'custom',
        path: ['fileName'],
        message: 'only a document has a file name',
      });
    }
  });
export type MessageMediaOptions = z.infer<typeof optionsSchema>;

export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol, hostname } = new URL(text);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}

export const definition: BlockDefinition<MessageMediaOptions> = {
  type: 'message.media',
  category: 'message',
  title: { 'pt-BR': 'Mensagem com mídia', en: 'Media message' },
  optionsSchema,
  /** `error`: the URL or media id rendered empty or invalid (nothing sent). */
  ports: () => ['error'],
  templates: (options) => {
    const fields: TemplateField[] = [];
    for (const key of ['url', 'mediaId', 'caption', 'fileName'] as const) {
      const template = options[key];
      if (template !== undefined) fields.push({ path: [key], template });
    }
    return fields;
  },
};
