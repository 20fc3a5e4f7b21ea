import { z } from 'zod';
import type { MessageContentType } from '../../shared/messaging/message-content.js';
import type { ProviderCapabilities } from '../provider.port.js';

/** The WhatsApp engines a WAHA server can run (`WHATSAPP_DEFAULT_ENGINE`). */
export const wahaEngines = ['WEBJS', 'NOWEB', 'GOWS'] as const;
export type WahaEngine = (typeof wahaEngines)[number];

/** A channel's WAHA settings; `apiKey` and `hmacKey` are secret (encrypted at rest). */
export const wahaConfigSchema = z.object({
  /** Where the WAHA server answers, e.g. `http://waha:3000` (its `/api/...` lives below). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'An http(s) URL like http://waha:3000' }).max(2048),
  /** WAHA's `X-Api-Key` (`WHATSAPP_API_KEY` on the server). */
  apiKey: z.string().min(1).max(512),
  /** The WAHA session (one WhatsApp number); WAHA Core runs only `default`. */
  session: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,54}$/, 'Letters, digits, "-" and "_", at most 54')
    .default('default'),
  /**
   * Key of the `X-Webhook-Hmac` (HMAC-SHA512) WAHA adds to its webhooks; Recado registers it on
   * the session. Without it, webhooks are only as safe as the channel's secret webhook URL.
   */
  hmacKey: z.string().min(16, 'At least 16 characters').max(512).optional(),
  /** The engine the WAHA server runs: decides what can be sent natively. WEBJS when unset. */
  engine: z.enum(wahaEngines).optional(),
});

export type WahaConfig = z.infer<typeof wahaConfigSchema>;

/** WAHA's own default engine. */
export const defaultWahaEngine: WahaEngine = 'WEBJS';

/**
 * What each engine sends natively, per WAHA 2024.9 (the contract Recado is tested against): text,
 * image, file, voice, video and reactions everywhere; locations and vCards not on GOWS. WAHA
 * 2024.9 has no endpoint for reply buttons or lists on any engine, so they are never declared:
 * the messaging layer sends them as numbered text and maps the typed number back. Stickers are
 * sent as images (not declared), templates do not exist.
 */
const engineSends: Record<WahaEngine, readonly MessageContentType[]> = {
  WEBJS: ['text', 'image', 'audio', 'video', 'document', 'location', 'contacts', 'reaction'],
  NOWEB: ['text', 'image', 'audio', 'video', 'document', 'location', 'contacts', 'reaction'],
  GOWS: ['text', 'image', 'audio', 'video', 'document', 'reaction'],
};

export function wahaCapabilitiesFor(engine: WahaEngine | undefined): ProviderCapabilities {
  return {
    sends: engineSends[engine ?? defaultWahaEngine],
    hasServiceWindow: false,
    requiresTemplatesOutsideWindow: false,
    hasQrSession: true,
    // An unofficial client: keep it slow (bulk pacing is a separate, stricter policy).
    defaultRatePerSecond: 1,
  };
}

/** The API root of a WAHA server, without a trailing slash. */
export function wahaApiBase(config: Pick<WahaConfig, 'baseUrl'>): string {
  return config.baseUrl.replace(/\/+$/, '');
}
