import { z } from 'zod';
import type { BlockDefinition, VariableUse } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  invalidPort,
} from '../input-common.js';

/** How WhatsApp sends a file; `image` also takes a photo sent as a document (same for video, audio). */
export const fileKinds = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type FileKind = (typeof fileKinds)[number];

/** `image/*`, `application/pdf`: a MIME type or a whole family. */
export const mimePatternSchema = z
  .string()
  .regex(
    /^[a-z]+\/(\*|[a-z0-9][a-z0-9.+-]*)$/,
    'is a kind (image, video, audio, document, sticker) or a MIME type like "application/pdf" or "image/*"',
  );

export const optionsSchema = z
  .strictObject({
    ...inputBaseOptions,
    /** What is accepted: kinds and MIME types, e.g. ["image", "application/pdf"]. */
    accept: z
      .array(z.union([z.enum(fileKinds), mimePatternSchema]))
      .min(1)
      .max(20)
      .default(['image', 'document']),
    /** The largest file accepted, in MB (1 MB = 1,048,576 bytes). */
    maxSizeMb: z.number().positive().max(100).default(10),
    /** Stores the file's caption (empty text when it has none). */
    captionVariable: z.string().min(1).max(64).optional(),
  })
  .refine((options) => options.captionVariable !== options.variable, {
    message: 'captionVariable must differ from variable',
    path: ['captionVariable'],
  });
export type InputFileOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputFileOptions> = {
  type: 'input.file',
  category: 'input',
  title: { 'pt-BR': 'Pedir um arquivo (foto, PDF…)', en: 'Ask for a file (photo, PDF…)' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => {
    const uses: VariableUse[] = [{ path: ['variable'], name: options.variable, types: ['file'] }];
    if (options.captionVariable) {
      uses.push({ path: ['captionVariable'], name: options.captionVariable, types: ['string'] });
    }
    return uses;
  },
};
