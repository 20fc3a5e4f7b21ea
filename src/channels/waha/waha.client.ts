import type { ProviderContext } from '../provider.port.js';
import { type WahaConfig, wahaApiBase } from './waha.config.js';
import { mapWahaError, mapWahaNetworkError } from './waha.errors.js';

/**
 * The one way the adapter talks to a WAHA server: `X-Api-Key` on every call, only ever to the
 * configured base URL, JSON in and out, a timeout, and failures mapped to `ProviderError`.
 */

export const wahaRequestTimeoutMs = 30_000;

export function withTimeout(timeoutMs: number, signal?: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

export function wahaHeaders(config: WahaConfig, extra: Record<string, string> = {}) {
  return { 'x-api-key': config.apiKey, accept: 'application/json', ...extra };
}

/** The URL of an API path (its segments already encoded) with a query. */
export function wahaUrl(
  config: WahaConfig,
  path: string,
  query: Record<string, string> = {},
): string {
  const search = new URLSearchParams(query).toString();
  return `${wahaApiBase(config)}${path}${search ? `?${search}` : ''}`;
}

export async function readJson(response: Response): Promise<unknown> {
  const body = await response.text().catch(() => '');
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 1_000);
  }
}

/** Sends a request; a network failure or a non-2xx answer becomes a mapped `ProviderError`. */
export async function callWaha(
  context: ProviderContext<WahaConfig>,
  input: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    accept?: string;
    timeoutMs?: number;
    signal?: AbortSignal | undefined;
  },
): Promise<Response> {
  const headers = wahaHeaders(
    context.config,
    input.body === undefined ? {} : { 'content-type': 'application/json' },
  );
  if (input.accept) headers.accept = input.accept;
  let response: Response;
  try {
    response = await context.http(wahaUrl(context.config, input.path, input.query), {
      method: input.method,
      headers,
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
      signal: withTimeout(input.timeoutMs ?? wahaRequestTimeoutMs, input.signal),
    });
  } catch (error) {
    throw mapWahaNetworkError(error);
  }
  if (!response.ok) {
    throw mapWahaError({
      status: response.status,
      body: await readJson(response),
      retryAfter: response.headers.get('retry-after'),
    });
  }
  return response;
}

/** `callWaha` and the answer's JSON (undefined when the body is empty). */
export async function callWahaJson(
  context: ProviderContext<WahaConfig>,
  input: Parameters<typeof callWaha>[1],
): Promise<unknown> {
  const response = await callWaha(context, input);
  try {
    return await readJson(response);
  } catch (error) {
    throw mapWahaNetworkError(error);
  }
}
