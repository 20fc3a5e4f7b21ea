import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../provider.port.js';

/**
 * Twilio's `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the account's auth token, over
 * the full URL Twilio called followed by every POST parameter as `name` + `value`, names sorted.
 * https://www.twilio.com/docs/usage/security#validating-requests
 *
 * Twilio's own validators accept a few spellings of the same URL because its signing side is
 * not consistent about them, and so do we:
 * - with and without the scheme's default port (`https://host:443/...` and `https://host/...`);
 * - as given and as a WHATWG URL serialises it (`'` in the query becomes `%27`);
 * - a repeated parameter contributes each distinct value once, values sorted.
 * Webhooks with a JSON body are signed over the URL only, which then carries `bodySHA256`, the
 * hex SHA-256 of the raw body.
 */

export type TwilioParams = Record<string, string | readonly string[]>;

/** 20 bytes of HMAC-SHA1 in base64: 28 characters ending in one `=`. */
const signaturePattern = /^[A-Za-z0-9+/]{27}=$/;
const sha256HexPattern = /^[0-9a-fA-F]{64}$/;

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The string Twilio signs: the URL, then `name + value` of each parameter, names sorted. */
export function buildTwilioSignedString(url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort(compareCodeUnits)) {
    const value = params[name];
    if (typeof value === 'string') {
      data += name + value;
      continue;
    }
    for (const item of [...new Set(value)].sort(compareCodeUnits)) data += name + item;
  }
  return data;
}

/** The signature Twilio would send for this exact URL and these parameters. */
export function computeTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
): string {
  return createHmac('sha1', authToken)
    .update(buildTwilioSignedString(url, params), 'utf8')
    .digest('base64');
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** `scheme://user@host:port/path?query` from a parsed URL, with the port given explicitly. */
function withExplicitPort(url: URL): string | undefined {
  const port = url.port || defaultPorts[url.protocol];
  if (port === undefined) return undefined;
  const credentials = url.username
    ? `${url.username}${url.password ? `:${url.password}` : ''}@`
    : '';
  return `${url.protocol}//${credentials}${url.hostname}:${port}${url.pathname}${url.search}${url.hash}`;
}

/**
 * The spellings of one URL Twilio may have signed: as given, WHATWG-serialised (default port
 * dropped, `'` percent-encoded), and serialised with the default port written out.
 */
export function listTwilioUrlVariants(url: string): string[] {
  const variants = new Set([url]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [...variants];
  }
  variants.add(parsed.href);
  const explicit = withExplicitPort(parsed);
  if (explicit !== undefined) variants.add(explicit);
  return [...variants];
}

/** Form-encoded POST parameters, repeated names kept as lists. */
export function readFormParams(rawBody: Buffer): TwilioParams {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (typeof existing === 'string') params[name] = [existing, value];
    else existing.push(value);
  }
  return params;
}

function readBodySha256(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('bodySHA256') ?? undefined;
  } catch {
    return undefined;
  }
}

function isSameBase64(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'base64');
  const b = Buffer.from(expected, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks `X-Twilio-Signature` for a raw body (form-encoded, or JSON with `bodySHA256` in the
 * URL) and the URL Twilio called. A missing or malformed header is simply invalid.
 */
export function isValidTwilioSignature(
  authToken: string,
  input: { url: string; rawBody: Buffer; signature: string | undefined },
): boolean {
  const signature = input.signature?.trim();
  if (signature === undefined || !signaturePattern.test(signature)) return false;
  const bodySha256 = readBodySha256(input.url);
  let params: TwilioParams;
  if (bodySha256 !== undefined) {
    if (!sha256HexPattern.test(bodySha256)) return false;
    const digest = createHash('sha256').update(input.rawBody).digest();
    if (!timingSafeEqual(digest, Buffer.from(bodySha256, 'hex'))) return false;
    params = {};
  } else {
    params = readFormParams(input.rawBody);
  }
  // Every variant is computed and compared, so the time taken does not tell which one matched.
  let isValid = false;
  for (const url of listTwilioUrlVariants(input.url)) {
    if (isSameBase64(signature, computeTwilioSignature(authToken, url, params))) isValid = true;
  }
  return isValid;
}

/** Reads a header case-insensitively (adapters may receive raw or lower-cased names). */
export function findHeader(request: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
