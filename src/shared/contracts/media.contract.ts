import { z } from 'zod';
import { mediaKinds } from '../media-limits.js';

/** HTTP contract of stored media, shared by the server and the web. */

export const mediaKindSchema = z.enum(mediaKinds);

export const mediaSchema = z
  .object({
    id: z.uuid(),
    kind: mediaKindSchema,
    /** `inbound`: came with a customer's message; `upload`: uploaded through the API. */
    source: z.enum(['inbound', 'upload']),
    /** Inbound media is `pending` until downloaded from the provider, then `stored`; `rejected` when it broke a limit, `failed` when it could not be fetched. */
    status: z.enum(['pending', 'running', 'stored', 'failed', 'rejected']),
    /** What the bytes are (sniffed), not what the sender claimed. */
    mimeType: z.string().nullable(),
    declaredMimeType: z.string().nullable(),
    filename: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    /** Hex SHA-256 of the stored bytes. */
    sha256: z.string().nullable(),
    /** Why the media was rejected or could not be fetched. */
    error: z.string().nullable(),
    messageId: z.uuid().nullable(),
    channelId: z.uuid().nullable(),
    /** Where the bytes are served (with the same bearer token) once `stored`. */
    contentUrl: z.string(),
    createdAt: z.string(),
  })
  .describe('A stored media object');
export type Media = z.infer<typeof mediaSchema>;

export const uploadMediaQuerySchema = z.object({
  /** What the file will be sent as; inferred from its content when absent (WebP → sticker). */
  kind: mediaKindSchema.optional(),
});

/** A signed link (for providers that fetch media by URL) instead of a bearer token. */
export const mediaContentQuerySchema = z.object({
  expires: z.coerce.number().int().positive().optional(),
  signature: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'is not a link signature')
    .optional(),
});
