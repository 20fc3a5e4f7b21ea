import { ProviderError } from '../provider.port.js';

/**
 * WPPConnect Server failures → `ProviderError`. The server has no error catalogue: what it says
 * is an HTTP status and a loose JSON body (`message`, `response`, `error`, `status`), so the
 * mapping reads the status first and the body's words second.
 *
 * - 400 "O número X não existe." (its connection check) → the number is not on WhatsApp;
 *   any other 400 → a request the server refused. Both permanent.
 * - 401 (after one fresh token) → the secret key or session is wrong. Permanent.
 * - 404 `status: "Disconnected"` → the session is not connected: retryable after a while (the
 *   session may come back, and the session health check restarts it).
 * - 429 → rate limited, retryable honouring `Retry-After`. 501 → not supported by this server.
 * - 5xx and network failures → retryable.
 */

/** How long to wait before trying a send again on a disconnected session. */
const disconnectedRetryMs = 30_000;
const rateLimitedRetryMs = 5_000;

type Body = Record<string, unknown> | undefined;

function asRecord(body: unknown): Body {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

/** The server's own words, shortened: `message`, else a string `response`/`error`. */
export function describeWppconnectBody(body: unknown): string | undefined {
  if (typeof body === 'string' && body.trim() !== '') return clip(body.trim());
  const record = asRecord(body);
  if (!record) return undefined;
  for (const key of ['message', 'response', 'error'] as const) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return clip(value.trim());
  }
  const nested = asRecord(record.error);
  if (nested && typeof nested.message === 'string' && nested.message.trim() !== '') {
    return clip(nested.message.trim());
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date); undefined when absent or bad. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()) {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const numberMissingPattern = /n[úu]mero .* n[ãa]o existe|number .*(does not|doesn't|not) exist/i;
/** WPPConnect's send-file answers 401 (sic) when neither a path nor base64 was given. */
export const fileMandatoryPattern = /sending the file is mandatory/i;

/** Maps a failed WPPConnect answer to a `ProviderError`. Pure. */
export function mapWppconnectError(input: {
  status: number;
  body: unknown;
  retryAfter?: string | null | undefined;
  now?: number | undefined;
}): ProviderError {
  const { status, body } = input;
  const said = describeWppconnectBody(body);
  const suffix = said ? `: ${said}` : '';
  const record = asRecord(body);
  const fail = (code: string, reason: string, retryable: boolean, retryAfterMs?: number) =>
    new ProviderError({ code, reason, retryable, retryAfterMs, cause: body });

  if (status === 400 && said !== undefined && numberMissingPattern.test(said)) {
    return fail('WPPCONNECT_NUMBER_NOT_FOUND', `The number is not on WhatsApp${suffix}`, false);
  }
  if (status === 401 && said !== undefined && fileMandatoryPattern.test(said)) {
    return fail('WPPCONNECT_BAD_REQUEST', `WPPConnect refused the request${suffix}`, false);
  }
  if (status === 400) {
    return fail('WPPCONNECT_BAD_REQUEST', `WPPConnect refused the request${suffix}`, false);
  }
  if (status === 401 || status === 403) {
    return fail(
      'WPPCONNECT_UNAUTHORIZED',
      `WPPConnect did not accept the session token: check the session name and the secret key${suffix}`,
      false,
    );
  }
  if (status === 404 && String(record?.status ?? '').toLowerCase() === 'disconnected') {
    return fail(
      'WPPCONNECT_SESSION_DISCONNECTED',
      `The WhatsApp session is not connected on the WPPConnect Server${suffix}`,
      true,
      parseRetryAfter(input.retryAfter, input.now) ?? disconnectedRetryMs,
    );
  }
  if (status === 404) {
    return fail(
      'WPPCONNECT_NOT_FOUND',
      `WPPConnect has no such route: check the base URL and the server version${suffix}`,
      false,
    );
  }
  if (status === 429) {
    return fail(
      'WPPCONNECT_RATE_LIMITED',
      `WPPConnect is rate limiting this session${suffix}`,
      true,
      parseRetryAfter(input.retryAfter, input.now) ?? rateLimitedRetryMs,
    );
  }
  if (status === 501) {
    return fail(
      'WPPCONNECT_NOT_SUPPORTED',
      `This WPPConnect Server cannot do that${suffix}`,
      false,
    );
  }
  if (status >= 500) {
    return fail(
      'WPPCONNECT_SERVER_ERROR',
      `WPPConnect failed with HTTP ${status}${suffix}`,
      true,
      parseRetryAfter(input.retryAfter, input.now),
    );
  }
  return fail(`WPPCONNECT_HTTP_${status}`, `WPPConnect answered HTTP ${status}${suffix}`, false);
}

/** A request that never got an answer (refused, reset, timed out): try again later. */
export function mapWppconnectNetworkError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'WPPCONNECT_NETWORK_ERROR',
    reason: `Could not reach the WPPConnect Server: ${message}`,
    retryable: true,
    cause: error,
  });
}

/** The server answered 2xx with something that is not what its routes return. */
export function invalidWppconnectResponse(
  reason: string,
  body: unknown,
  retryable: boolean,
): ProviderError {
  return new ProviderError({ code: 'WPPCONNECT_INVALID_RESPONSE', reason, retryable, cause: body });
}
