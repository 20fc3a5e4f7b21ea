import { createHmac, timingSafeEqual } from 'node:crypto';
import { isEqualConstantTime } from '../../platform/crypto/tokens.js';
import type { WebhookChannel, WebhookRequest } from '../provider.port.js';
import type { WahaConfig } from './waha.config.js';

const hmacPattern = /^[0-9a-f]{128}$/i;

/** Reads a header case-insensitively (adapters may receive raw or lower-cased names). */
export function findHeader(request: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * WAHA's `X-Webhook-Hmac`: the hex HMAC-SHA512 of the raw body keyed with the session's HMAC key,
 * announced by `X-Webhook-Hmac-Algorithm: sha512`. A missing or malformed header, or another
 * algorithm, is simply invalid.
 */
export function isValidWahaHmac(
  key: string,
  rawBody: Buffer,
  header: string | undefined,
  algorithm: string | undefined,
): boolean {
  if (header === undefined || !hmacPattern.test(header.trim())) return false;
  if (algorithm !== undefined && algorithm.trim().toLowerCase() !== 'sha512') return false;
  const received = Buffer.from(header.trim().toLowerCase(), 'hex');
  const expected = createHmac('sha512', key).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * A WAHA webhook is genuine when it carries a valid HMAC (with an HMAC key configured), else when
 * it was posted to the channel's secret URL (`?token=`, compared in constant time).
 */
export function verifyWahaWebhook(
  config: WahaConfig,
  request: WebhookRequest,
  channel: WebhookChannel,
): boolean {
  if (config.hmacKey) {
    return isValidWahaHmac(
      config.hmacKey,
      request.rawBody,
      findHeader(request, 'x-webhook-hmac'),
      findHeader(request, 'x-webhook-hmac-algorithm'),
    );
  }
  const token = request.query.token;
  return token !== undefined && isEqualConstantTime(token, channel.webhookToken);
}
