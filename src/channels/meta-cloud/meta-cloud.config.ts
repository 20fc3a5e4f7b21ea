import { z } from 'zod';

/** A channel's Meta WhatsApp Cloud API settings; secrets are encrypted at rest. */
export const metaCloudConfigSchema = z.object({
  phoneNumberId: z.string().regex(/^\d+$/, 'The phone number id is numeric'),
  wabaId: z.string().regex(/^\d+$/, 'The WhatsApp Business Account id is numeric'),
  accessToken: z.string().min(1),
  appSecret: z.string().min(1),
  verifyToken: z.string().min(1),
  /** Meta's Graph API by default; overridable so tests and proxies can point elsewhere. */
  graphApiBaseUrl: z.url().default('https://graph.facebook.com'),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'A Graph API version like v23.0')
    .default('v23.0'),
});

export type MetaCloudConfig = z.infer<typeof metaCloudConfigSchema>;
