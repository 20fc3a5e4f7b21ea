import { z } from 'zod';

/** A channel's Twilio settings (WhatsApp through Programmable Messaging); the token is secret. */
export const twilioConfigSchema = z.object({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio Account SID: "AC" and 32 hexadecimal characters'),
  /** The account's auth token: basic-auth password for the API and key of webhook signatures. */
  authToken: z.string().min(1),
  /** The WhatsApp sender, as Twilio addresses it: `whatsapp:+5511987654321`. */
  from: z
    .string()
    .trim()
    .regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'A WhatsApp sender like whatsapp:+5511987654321'),
  /** Twilio's REST API by default; overridable so tests and proxies can point elsewhere. */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
  /** Twilio's Content API (templates), likewise. */
  contentApiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://content.twilio.com'),
});

export type TwilioConfig = z.infer<typeof twilioConfigSchema>;

/** The base URL without its trailing slashes, ready for a path. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** HTTP basic auth with the Account SID and auth token, as every Twilio API takes it. */
export function twilioAuthorization(config: TwilioConfig): string {
  return `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
}
