import { z } from 'zod';
import {
  templateComponentsInputSchema,
  templateComponentsSchema,
} from '../messaging/template-components.js';

/** HTTP contract of a channel's template library, shared by the server and the web. */

export const templateStatusSchema = z.enum([
  'draft',
  'pending',
  'approved',
  'rejected',
  'paused',
  'disabled',
]);
export const templateCategorySchema = z.enum(['marketing', 'utility', 'authentication']);

/** WhatsApp's rule for template names: lowercase letters, digits and underscores. */
const templateNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9_]+$/, 'must use only lowercase letters, digits and underscores');

/** A WhatsApp language code: `pt_BR`, `en_US`, `en`, `fil`. */
const templateLanguageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code like pt_BR, en_US or es');

export const templateParamsSchema = z.object({ id: z.uuid(), templateId: z.uuid() });

export const createTemplateRequestSchema = z.object({
  name: templateNameSchema,
  language: templateLanguageSchema,
  category: templateCategorySchema,
  components: templateComponentsInputSchema,
});

export const updateTemplateRequestSchema = z
  .object({
    name: templateNameSchema.optional(),
    language: templateLanguageSchema.optional(),
    category: templateCategorySchema.optional(),
    components: templateComponentsInputSchema.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'give at least one field to change');

export const listTemplatesQuerySchema = z.object({
  status: templateStatusSchema.optional(),
  /** Part of the name, case-insensitive. */
  search: z.string().trim().min(1).max(512).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const templateSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  name: z.string(),
  language: z.string(),
  category: templateCategorySchema,
  status: templateStatusSchema,
  /** `local`: written in Recado; `provider`: synced from the provider (read-only here). */
  source: z.enum(['local', 'provider']),
  providerTemplateId: z.string().nullable(),
  components: templateComponentsSchema,
  /** The variables a message must fill, per part (`['1', '2']` or `['first_name']`). */
  variables: z.object({ header: z.array(z.string()), body: z.array(z.string()) }),
  rejectedReason: z.string().nullable(),
  syncedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof templateSchema>;

export const syncTemplatesResponseSchema = z.object({
  /** Provider templates new to the library. */
  created: z.number().int(),
  /** Known provider templates whose status, category, content or reason changed. */
  updated: z.number().int(),
  /** Provider templates the provider no longer lists, now `disabled`. */
  disabled: z.number().int(),
  /** Provider templates left alone because a local template has the same name and language. */
  skipped: z.number().int(),
  /** Templates the provider listed. */
  total: z.number().int(),
});
export type SyncTemplatesResult = z.infer<typeof syncTemplatesResponseSchema>;
