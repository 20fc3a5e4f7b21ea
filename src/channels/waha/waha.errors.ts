import { ProviderError } from '../provider.port.js';

/**
 * WAHA failures → `ProviderError`. WAHA is a NestJS server: errors come as
 * `{statusCode, message, error}` (`message` a string or a list of validation messages),
 * `{statusCode: 500, exception: {message}}`, or, when the session is not running,
 * HTTP 422 `{error, session, status, expected}`.
 */

/** A session that is starting or waiting for its QR scan: sends wait and try again. */
const sessionNotReadyRetryMs = 30_000;
const throttledRetryMs = 5_000;

type WahaErrorBody = {
  message?: string | undefined;
  error?: string | undefined;
  sessionStatus?: string | undefined;
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function readErrorBody(body: unknown): WahaErrorBody | undefined {
  if (typeof body === 'string') return { message: text(body)?.slice(0, 500) };
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const exception =
    typeof record.exception === 'object' && record.exception !== null
      ? (record.exception as Record<string, unknown>)
      : undefined;
  const messages = Array.isArray(record.message)
    ? record.message.filter((item): item is string => typeof item === 'string').join('; ')
    : text(record.message);
  return {
    message: messages || text(exception?.message),
    error: text(record.error),
    // Only the "session is not running" answer carries `session` and `status` together.
    sessionStatus: text(record.session) ? text(record.status) : undefined,
  };
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
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describe(status: number, detail: WahaErrorBody | undefined): string {
  const words = [detail?.error, detail?.message]
    .filter((part): part is string => part !== undefined)
    .filter((part, index, parts) => parts.indexOf(part) === index)
    .join(': ');
  return words ? `WAHA answered HTTP ${status}: ${words}` : `WAHA answered HTTP ${status}`;
}

/** Maps a failed WAHA response (status, parsed body, `Retry-After`) to a `ProviderError`. */
export function mapWahaError(input: {
  status: number;
  body: unknown;
  retryAfter?: string | null | undefined;
  now?: number | undefined;
}): ProviderError {
  const { status } = input;
  const detail = readErrorBody(input.body);
  const reason = describe(status, detail);
  const headerMs = parseRetryAfter(input.retryAfter, input.now);
  if (status === 401 || status === 403) {
    return new ProviderError({
      code: 'WAHA_UNAUTHORIZED',
      reason: `WAHA refused the API key: check the channel’s apiKey (${reason})`,
      retryable: false,
      cause: input.body,
    });
  }
  if (status === 422 && detail?.sessionStatus) {
    return new ProviderError({
      code: 'WAHA_SESSION_NOT_READY',
      reason: `The WAHA session is ${detail.sessionStatus}, not WORKING: pair or start it (${reason})`,
      retryable: true,
      retryAfterMs: headerMs ?? sessionNotReadyRetryMs,
      cause: input.body,
    });
  }
  if (status === 429) {
    return new ProviderError({
      code: 'WAHA_RATE_LIMITED',
      reason,
      retryable: true,
      retryAfterMs: headerMs ?? throttledRetryMs,
      cause: input.body,
    });
  }
  if (status === 501) {
    return new ProviderError({
      code: 'WAHA_NOT_IMPLEMENTED',
      reason: `This WAHA engine or edition cannot do that (a WAHA Plus feature, or another engine’s): ${reason}`,
      retryable: false,
      cause: input.body,
    });
  }
  const retryable = status >= 500 || status === 408;
  return new ProviderError({
    code: status === 404 ? 'WAHA_NOT_FOUND' : `WAHA_HTTP_${status}`,
    reason,
    retryable,
    retryAfterMs: retryable ? headerMs : undefined,
    cause: input.body,
  });
}

/** A request that never got an answer (refused, reset, timed out): try again later. */
export function mapWahaNetworkError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'WAHA_NETWORK_ERROR',
    reason: `Could not reach the WAHA server: ${message}`,
    retryable: true,
    cause: error,
  });
}

/** WAHA said yes but its answer lacks what we need (a message id, a code, an image). */
export function wahaInvalidResponse(
  reason: string,
  body: unknown,
  retryable = false,
): ProviderError {
  return new ProviderError({ code: 'WAHA_INVALID_RESPONSE', reason, retryable, cause: body });
}
