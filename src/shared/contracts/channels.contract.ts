import { z } from 'zod';

/** HTTP contract of channels (WhatsApp numbers), shared by the server and the web. */

export const channelStatusSchema = z.enum(['active', 'connecting', 'disconnected', 'disabled']);

/**
 * Human-like pacing of bulk sends, for unofficial providers where WhatsApp bans numbers that
 * blast: a random gap between recipients, a ceiling per hour, and "typing…" before each send.
 * Replies to someone who just wrote are never delayed.
 */
export const channelPacingSchema = z
  .object({
    minGapSeconds: z.number().int().min(0).max(3600),
    maxGapSeconds: z.number().int().min(0).max(3600),
    maxPerHour: z.number().int().min(1).max(100_000),
    typing: z.boolean(),
  })
  .refine((pacing) => pacing.maxGapSeconds >= pacing.minGapSeconds, {
    message: 'maxGapSeconds must be at least minGapSeconds',
    path: ['maxGapSeconds'],
  });
export type ChannelPacing = z.infer<typeof channelPacingSchema>;

export const createChannelRequestSchema = z.object({
  provider: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(120),
  /** Validated by the provider's own config schema; secrets included, never echoed back. */
  config: z.record(z.string(), z.unknown()),
  ratePerSecond: z.number().int().min(1).max(1000).optional(),
  /** Omitted: the provider's default (30–60 s, 60/h, typing on WAHA and WPPConnect; none elsewhere). */
  pacing: channelPacingSchema.optional(),
});

export const updateChannelRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    /** Fields to change; secret fields left out keep their stored values. */
    config: z.record(z.string(), z.unknown()).optional(),
    ratePerSecond: z.number().int().min(1).max(1000).nullable().optional(),
    /** null: back to the provider's default. */
    pacing: channelPacingSchema.nullable().optional(),
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
  /** The pacing of bulk sends in force (the stored one or the provider's default); null: none. */
  pacing: channelPacingSchema.nullable(),
  /** Non-secret settings. */
  config: z.record(z.string(), z.unknown()),
  /** Names of the secret settings that are stored (their values are never returned). */
  secretsSet: z.array(z.string()),
  /** Where the provider must post webhooks (paste it into its console); null: none needed. */
  webhookUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof channelSchema>;

export const channelProviderSchema = z.object({
  id: z.string(),
  capabilities: z.object({
    sends: z.array(z.string()),
    hasServiceWindow: z.boolean(),
    requiresTemplatesOutsideWindow: z.boolean(),
    hasQrSession: z.boolean(),
    defaultRatePerSecond: z.number(),
  }),
  /** Config fields that are encrypted at rest and never returned. */
  secretFields: z.array(z.string()),
  /** JSON Schema of the provider's config object, for generated setup forms. */
  configSchema: z.record(z.string(), z.unknown()),
  /** False for the sandbox, whose events come from inside Recado. */
  hasWebhook: z.boolean(),
});
export type ChannelProvider = z.infer<typeof channelProviderSchema>;
