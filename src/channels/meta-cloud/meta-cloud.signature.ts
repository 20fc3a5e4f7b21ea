import { createHmac, timingSafeEqual } from 'node:crypto';
import { isEqualConstantTime } from '../../platform/crypto/tokens.js';
import type { WebhookRequest } from '../provider.port.js';

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body keyed with
 * the app secret. A missing or malformed header is simply invalid.
 */
export function isValidMetaSignature(
  appSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (header === undefined) return false;
  const match = signaturePattern.exec(header.trim());
  const hex = match?.[1];
  if (hex === undefined) return false;
  const received = Buffer.from(hex.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Reads a header case-insensitively (adapters may receive raw or lower-cased names). */
export function findHeader(request: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`.
 * Returns the challenge to echo when the token matches, otherwise undefined.
 */
export function answerMetaChallenge(
  verifyToken: string,
  request: WebhookRequest,
): string | undefined {
  if (request.method.toUpperCase() !== 'GET') return undefined;
  const mode = request.query['hub.mode'];
  const token = request.query['hub.verify_token'];
  const challenge = request.query['hub.challenge'];
  if (mode !== 'subscribe' || token === undefined || challenge === undefined) return undefined;
  return isEqualConstantTime(token, verifyToken) ? challenge : undefined;
}
