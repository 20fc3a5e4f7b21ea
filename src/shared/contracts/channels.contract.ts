import { z } from 'zod';

/** HTTP contract of channels (WhatsApp numbers), shared by the server and the web. */

export const channelStatusSchema = z.enum(['active', 'connecting', 'disconnected', 'disabled']);

export const createChannelRequestSchema = z.object({
  provider: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(120),
  /** Validated by the provider's own config schema; secrets included, never echoed back. */
  config: z.record(z.string(), z.unknown()),
  ratePerSecond: z.number().int().min(1).max(1000).optional(),
});

export const updateChannelRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    /** Fields to change; secret fields left out keep their stored values. */
    config: z.record(z.string(), z.unknown()).optional(),
    ratePerSecond: z.number().int().min(1).max(1000).nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'give at least one field to change');

export const channelSchema = z.object({
  id: z.uuid(),
  provider: z.string(),
  name: z.string(),
  displayNumber: z.string().nullable(),
  status: channelStatusSchema,
  ratePerSecond: z.number().int().nullable(),
  /** Non-secret settings. */
  config: z.record(z.string(), z.unknown()),
  /** Names of the secret settings that are stored (their values are never returned). */
  secretsSet: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof channelSchema>;
