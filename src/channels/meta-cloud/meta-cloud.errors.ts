import { ProviderError } from '../provider.port.js';

/** The `error` object of a Graph API error response (and of webhook `errors[]` entries). */
export type MetaErrorDetail = {
  code?: number | undefined;
  title?: string | undefined;
  message?: string | undefined;
  details?: string | undefined;
};

type CodeRule = { reason: string; retryable: boolean; defaultRetryAfterMs?: number };

/** Per-recipient pair rate: Meta allows about one message every 6 s to the same user. */
const pairRateMinimumMs = 6_000;

/**
 * Meta's error codes we give a readable meaning to. Throttling codes are retryable with a
 * backoff hint; the rest fail the message with the code kept for the user.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
const codeRules: Record<number, CodeRule> = {
  1: { reason: 'Meta API unknown error (temporary)', retryable: true },
  2: { reason: 'Meta API service temporarily unavailable', retryable: true },
  4: { reason: 'App-level API call limit reached', retryable: true, defaultRetryAfterMs: 60_000 },
  10: { reason: 'Permission denied: the token lacks WhatsApp permissions', retryable: false },
  100: { reason: 'Invalid parameter in the request', retryable: false },
  190: {
    reason: 'Access token expired or invalid: update the channel’s access token',
    retryable: false,
  },
  200: { reason: 'Permission denied for this phone number or WABA', retryable: false },
  368: { reason: 'Temporarily blocked for policy violations', retryable: false },
  613: { reason: 'Rate limit reached', retryable: true, defaultRetryAfterMs: 60_000 },
  80004: {
    reason: 'Too many calls to this WhatsApp Business Account',
    retryable: true,
    defaultRetryAfterMs: 60_000,
  },
  80007: {
    reason: 'WhatsApp Business Account rate limit reached',
    retryable: true,
    defaultRetryAfterMs: 60_000,
  },
  130429: {
    reason: 'Throughput limit reached for this phone number',
    retryable: true,
    defaultRetryAfterMs: 1_000,
  },
  131000: { reason: 'Meta could not process the message', retryable: false },
  131005: { reason: 'Access denied', retryable: false },
  131008: { reason: 'A required parameter is missing', retryable: false },
  131009: { reason: 'A parameter value is invalid', retryable: false },
  131016: { reason: 'Meta service temporarily unavailable', retryable: true },
  131021: { reason: 'The recipient cannot be the sender', retryable: false },
  131026: {
    reason:
      'Message undeliverable: the number may not be on WhatsApp, or has not accepted the latest terms, or uses an old app',
    retryable: false,
  },
  131030: {
    reason: 'Recipient not in the allowed list: add the number to the test app’s recipients',
    retryable: false,
  },
  131031: { reason: 'The business account is locked', retryable: false },
  131042: { reason: 'Business eligibility problem with the payment method', retryable: false },
  131047: {
    reason:
      'Re-engagement required: more than 24 hours since the customer last replied; send an approved template',
    retryable: false,
  },
  131049: {
    reason: 'Meta chose not to deliver this marketing message to keep engagement healthy',
    retryable: false,
  },
  131051: { reason: 'Unsupported message type', retryable: false },
  131052: { reason: 'Media download failed', retryable: false },
  131053: { reason: 'Media upload failed', retryable: false },
  131056: {
    reason: 'Pair rate limit: too many messages to the same recipient in a short time',
    retryable: true,
    defaultRetryAfterMs: pairRateMinimumMs,
  },
  132000: { reason: 'Template parameter count does not match the template', retryable: false },
  132001: {
    reason: 'Template does not exist in this language or is not approved',
    retryable: false,
  },
  132005: { reason: 'Template text too long after filling the parameters', retryable: false },
  132007: { reason: 'Template content violates a WhatsApp policy', retryable: false },
  132012: { reason: 'Template parameter format does not match', retryable: false },
  132015: { reason: 'Template is paused for low quality', retryable: false },
  132016: { reason: 'Template is disabled', retryable: false },
  133004: { reason: 'Meta server temporarily unavailable', retryable: true },
  133010: { reason: 'Phone number not registered on the Cloud API', retryable: false },
};

/** A readable sentence for a Meta error: our meaning, then Meta's own title and details. */
export function describeMetaError(detail: MetaErrorDetail): string {
  const known = detail.code === undefined ? undefined : codeRules[detail.code]?.reason;
  const metaText = [detail.title ?? detail.message, detail.details]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .filter((part, index, parts) => parts.indexOf(part) === index)
    .join(' — ');
  const codeText = detail.code === undefined ? '' : ` (code ${detail.code})`;
  if (known && metaText) return `${known}${codeText}. Meta: ${metaText}`;
  if (known) return `${known}${codeText}`;
  if (metaText) return `Meta error${codeText}: ${metaText}`;
  return `Meta error${codeText}`;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function readErrorDetail(body: unknown): (MetaErrorDetail & { errorCode?: number }) | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const errorData = record.error_data;
  const details =
    typeof errorData === 'object' && errorData !== null && 'details' in errorData
      ? (errorData as { details: unknown }).details
      : undefined;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.length > 0 ? value : undefined;
  return {
    code: typeof record.code === 'number' ? record.code : undefined,
    title: text(record.error_user_title),
    message: text(record.message),
    details: text(details) ?? text(record.error_user_msg),
  };
}

/**
 * Maps a failed Graph API response to a `ProviderError`. Pure: the HTTP status, the parsed JSON
 * body (anything, possibly undefined) and the `Retry-After` header in, the mapped error out.
 */
export function mapMetaCloudError(input: {
  status: number;
  body: unknown;
  retryAfter?: string | null | undefined;
  now?: number | undefined;
}): ProviderError {
  const detail = readErrorDetail(input.body);
  const rule = detail?.code === undefined ? undefined : codeRules[detail.code];
  const headerMs = parseRetryAfter(input.retryAfter, input.now);
  const code = detail?.code === undefined ? `META_HTTP_${input.status}` : `META_${detail.code}`;
  const isThrottled = input.status === 429 || rule?.defaultRetryAfterMs !== undefined;
  const retryable = input.status >= 500 || isThrottled || rule?.retryable === true;

  let retryAfterMs = headerMs;
  if (isThrottled) retryAfterMs = headerMs ?? rule?.defaultRetryAfterMs ?? 1_000;
  if (detail?.code === 131056) retryAfterMs = Math.max(retryAfterMs ?? 0, pairRateMinimumMs);

  const reason = detail
    ? describeMetaError(detail)
    : `Meta answered HTTP ${input.status} without an error body`;
  return new ProviderError({
    code,
    reason,
    retryable,
    retryAfterMs: retryable ? retryAfterMs : undefined,
    cause: input.body,
  });
}

/** A request that never got an answer (connection refused, reset, timeout): try again later. */
export function mapMetaCloudNetworkError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'META_NETWORK_ERROR',
    reason: `Could not reach the Meta Graph API: ${message}`,
    retryable: true,
    cause: error,
  });
}
