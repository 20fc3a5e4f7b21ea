import { ProviderError } from '../provider.port.js';

/**
 * Twilio's error codes (https://www.twilio.com/docs/api/errors), as they come in an API error
 * body (`{code, message, more_info, status}`) or in a status callback's `ErrorCode`.
 */

type CodeRule = { reason: string; retryable: boolean; defaultRetryAfterMs?: number };

/**
 * The codes we give a readable meaning to. Throttling codes are retryable with a backoff hint;
 * the rest fail the message with the code kept for the user.
 */
const codeRules: Record<number, CodeRule> = {
  20003: {
    reason: 'Twilio refused the credentials: check the channel’s Account SID and auth token',
    retryable: false,
  },
  20404: {
    reason: 'Twilio does not know this resource: check the channel’s Account SID',
    retryable: false,
  },
  20429: {
    reason: 'Too many concurrent requests to Twilio',
    retryable: true,
    defaultRetryAfterMs: 1_000,
  },
  20500: { reason: 'Twilio internal error (temporary)', retryable: true },
  20503: { reason: 'Twilio service temporarily unavailable', retryable: true },
  21211: {
    reason: 'Invalid recipient: the “To” number is not a valid phone number',
    retryable: false,
  },
  21212: { reason: 'Invalid sender: the “From” number is not valid', retryable: false },
  21408: {
    reason: 'Sending to this region is not enabled in the Twilio account’s geo permissions',
    retryable: false,
  },
  21606: {
    reason: 'The “From” number cannot send this kind of message (is it a WhatsApp sender?)',
    retryable: false,
  },
  21610: {
    reason: 'The recipient unsubscribed (replied STOP): Twilio will not send to them',
    retryable: false,
  },
  21614: { reason: 'The recipient is not a mobile number', retryable: false },
  21617: { reason: 'The message body is too long', retryable: false },
  21619: { reason: 'The message needs a body, a media URL or a Content SID', retryable: false },
  21620: { reason: 'Invalid media URL', retryable: false },
  21654: { reason: 'The Content SID is not valid', retryable: false },
  21655: { reason: 'The Content SID is not valid', retryable: false },
  21656: {
    reason: 'The ContentVariables are invalid for this content template',
    retryable: false,
  },
  30001: { reason: 'Twilio’s queue for this sender overflowed', retryable: true },
  30003: { reason: 'The recipient’s phone is unreachable', retryable: false },
  30005: { reason: 'Unknown destination: the number may not exist', retryable: false },
  30006: { reason: 'The destination cannot receive this message', retryable: false },
  30007: { reason: 'The message was filtered as spam or against policy', retryable: false },
  30008: { reason: 'Unknown delivery error', retryable: false },
  63001: { reason: 'WhatsApp refused the sender’s credentials', retryable: false },
  63003: {
    reason: 'WhatsApp cannot reach this number: it may not be on WhatsApp',
    retryable: false,
  },
  63005: { reason: 'WhatsApp did not accept the message content', retryable: false },
  63007: {
    reason: 'No WhatsApp sender matches the “From” address in this Twilio account',
    retryable: false,
  },
  63009: { reason: 'WhatsApp answered with an internal error (temporary)', retryable: true },
  63012: { reason: 'WhatsApp answered with an internal error (temporary)', retryable: true },
  63013: { reason: 'The message violates a WhatsApp policy', retryable: false },
  63015: {
    reason: 'Sandbox: the recipient has not joined the Twilio WhatsApp sandbox',
    retryable: false,
  },
  63016: {
    reason:
      'Outside the 24-hour window: more than 24 hours since the customer last wrote; send an approved template (Content SID)',
    retryable: false,
  },
  63018: {
    reason: 'WhatsApp rate limit reached for this sender',
    retryable: true,
    defaultRetryAfterMs: 10_000,
  },
  63019: { reason: 'WhatsApp could not download the media', retryable: false },
  63020: { reason: 'The business has not accepted WhatsApp’s invitation', retryable: false },
  63021: { reason: 'The message content is invalid for WhatsApp', retryable: false },
  63024: { reason: 'Invalid message recipient for WhatsApp', retryable: false },
  63027: {
    reason: 'The template does not exist in this language, or is not approved',
    retryable: false,
  },
  63028: {
    reason: 'The number of template parameters does not match the template',
    retryable: false,
  },
  63030: { reason: 'A template parameter is not supported for this template', retryable: false },
  63032: {
    reason: 'WhatsApp did not deliver: the user is part of a Meta experiment',
    retryable: false,
  },
  63038: { reason: 'The account reached its daily WhatsApp message limit', retryable: false },
  63049: {
    reason: 'Meta chose not to deliver this marketing message to keep engagement healthy',
    retryable: false,
  },
};

export type TwilioErrorDetail = { code?: number | undefined; message?: string | undefined };

/** A readable sentence for a Twilio error: our meaning, then Twilio's own words. */
export function describeTwilioError(detail: TwilioErrorDetail): string {
  const known = detail.code === undefined ? undefined : codeRules[detail.code]?.reason;
  const twilioText = detail.message?.trim() || undefined;
  const codeText = detail.code === undefined ? '' : ` (code ${detail.code})`;
  if (known && twilioText) return `${known}${codeText}. Twilio: ${twilioText}`;
  if (known) return `${known}${codeText}`;
  if (twilioText) return `Twilio error${codeText}: ${twilioText}`;
  return `Twilio error${codeText}`;
}

/** Our code for a Twilio error code (`TWILIO_63016`). */
export function twilioErrorCode(code: number | string): string {
  return `TWILIO_${code}`;
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

function readErrorDetail(body: unknown): TwilioErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const rawCode = record.code;
  const code =
    typeof rawCode === 'number' && Number.isInteger(rawCode)
      ? rawCode
      : typeof rawCode === 'string' && /^\d+$/.test(rawCode)
        ? Number(rawCode)
        : undefined;
  const message =
    typeof record.message === 'string' && record.message.length > 0 ? record.message : undefined;
  if (code === undefined && message === undefined) return undefined;
  return { code, message };
}

/**
 * Maps a failed Twilio API response to a `ProviderError`. Pure: the HTTP status, the parsed
 * JSON body (anything, possibly undefined) and the `Retry-After` header in, the error out.
 */
export function mapTwilioError(input: {
  status: number;
  body: unknown;
  retryAfter?: string | null | undefined;
  now?: number | undefined;
}): ProviderError {
  const detail = readErrorDetail(input.body);
  const rule = detail?.code === undefined ? undefined : codeRules[detail.code];
  const headerMs = parseRetryAfter(input.retryAfter, input.now);
  const code =
    detail?.code === undefined ? `TWILIO_HTTP_${input.status}` : twilioErrorCode(detail.code);
  const isThrottled = input.status === 429 || rule?.defaultRetryAfterMs !== undefined;
  const retryable = rule ? rule.retryable || isThrottled : input.status >= 500 || isThrottled;

  let retryAfterMs = headerMs;
  if (isThrottled) retryAfterMs = headerMs ?? rule?.defaultRetryAfterMs ?? 1_000;

  const reason = detail
    ? describeTwilioError(detail)
    : `Twilio answered HTTP ${input.status} without an error body`;
  return new ProviderError({
    code,
    reason,
    retryable,
    retryAfterMs: retryable ? retryAfterMs : undefined,
    cause: input.body,
  });
}

/** A request that never got an answer (connection refused, reset, timeout): try again later. */
export function mapTwilioNetworkError(error: unknown, what = 'the Twilio API'): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'TWILIO_NETWORK_ERROR',
    reason: `Could not reach ${what}: ${message}`,
    retryable: true,
    cause: error,
  });
}

/** A status callback's `ErrorCode` (and `ErrorMessage`, when sent) as a stored error. */
export function describeTwilioStatusError(
  code: string | undefined,
  message: string | undefined,
): { code: string; reason: string } | undefined {
  const trimmed = code?.trim();
  if (trimmed === undefined || trimmed === '' || trimmed === '0') return undefined;
  const numeric = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
  return {
    code: twilioErrorCode(numeric ?? 'UNKNOWN'),
    reason: describeTwilioError({ code: numeric, message }),
  };
}
