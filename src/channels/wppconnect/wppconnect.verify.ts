import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WPPConnect does not sign its webhooks. The channel's webhook URL carries a random per-channel
 * secret (`?token=`), registered with the session at start; a request is genuine when it
 * carries the same token. Both sides are hashed first, so the comparison takes the same time
 * whatever the received token's length or content.
 */
export function isValidWppconnectWebhookToken(
  received: string | undefined,
  expected: string,
): boolean {
  if (received === undefined || received === '' || expected === '') return false;
  const left = createHash('sha256').update(received, 'utf8').digest();
  const right = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(left, right);
}
