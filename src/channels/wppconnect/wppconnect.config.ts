import { z } from 'zod';

/**
 * A channel's WPPConnect Server settings. The secret key is the server's `SECRET_KEY`, used
 * only to generate the session's bearer token; it is encrypted at rest.
 */
export const wppconnectConfigSchema = z.object({
  /** Where the WPPConnect Server listens, e.g. `http://wppconnect:21465`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'An http(s) URL of the WPPConnect Server' }),
  /**
   * The session name on that server (one WhatsApp number). It is a path segment of every call
   * and the server splits it on `:` (session:token), so only letters, digits, `-` and `_`.
   */
  session: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Letters, digits, "-" and "_" only (at most 64)'),
  secretKey: z.string().min(1).max(512),
});

export type WppconnectConfig = z.infer<typeof wppconnectConfigSchema>;

/** The server's API root for the channel's session, without a trailing slash. */
export function buildSessionApiUrl(config: WppconnectConfig): string {
  return `${config.baseUrl.replace(/\/+$/, '')}/api/${encodeURIComponent(config.session)}`;
}
