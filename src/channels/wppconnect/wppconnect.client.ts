import { createHash } from 'node:crypto';
import { type ProviderContext, ProviderError } from '../provider.port.js';
import { readLimitedBody } from '../read-limited-body.js';
import { buildSessionApiUrl, type WppconnectConfig } from './wppconnect.config.js';
import {
  fileMandatoryPattern,
  invalidWppconnectResponse,
  mapWppconnectError,
  mapWppconnectNetworkError,
} from './wppconnect.errors.js';

/**
 * Calls to a WPPConnect Server. Every session route wants `Authorization: Bearer <token>`, where
 * the token comes from `POST /api/:session/:secretkey/generate-token` (a bcrypt hash of session
 * and secret key: it does not expire, but a server with another secret key, or a restarted one
 * with a new key, refuses it). Tokens are cached per process and per (server, session, key);
 * a 401 gets one fresh token and the call once more.
 */

/** Largest JSON answer read from the server's API (a sent message echoes its thumbnail). */
export const apiAnswerMaxBytes = 2 * 1024 * 1024;
const tokenTimeoutMs = 30_000;

export type WppconnectTokenCache = {
  /** The cached token, or a new one from `generate` (one generation at a time per key). */
  obtain(key: string, generate: () => Promise<string>): Promise<string>;
  /** Forgets `token` if it is still the cached one (another call may have renewed it already). */
  invalidate(key: string, token: string): void;
};

export function createWppconnectTokenCache(): WppconnectTokenCache {
  const tokens = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  return {
    async obtain(key, generate) {
      const cached = tokens.get(key);
      if (cached !== undefined) return cached;
      let running = pending.get(key);
      if (!running) {
        running = generate()
          .then((token) => {
            tokens.set(key, token);
            return token;
          })
          .finally(() => pending.delete(key));
        pending.set(key, running);
      }
      return running;
    },
    invalidate(key, token) {
      if (tokens.get(key) === token) tokens.delete(key);
    },
  };
}

/** The cache key: the secret key only as part of a hash. */
export function buildTokenCacheKey(config: WppconnectConfig): string {
  return createHash('sha256')
    .update(`${config.baseUrl.replace(/\/+$/, '')}\0${config.session}\0${config.secretKey}`)
    .digest('hex');
}

export function withTimeout(timeoutMs: number, signal?: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Reads a JSON answer of at most `maxBytes`; undefined when it is not JSON. */
export async function readJson(response: Response, maxBytes = apiAnswerMaxBytes) {
  let bytes: Buffer;
  try {
    bytes = await readLimitedBody(response, maxBytes);
  } catch (error) {
    if (error instanceof ProviderError) {
      throw invalidWppconnectResponse(
        `WPPConnect answered more than ${maxBytes} bytes where a short JSON answer was expected`,
        undefined,
        true,
      );
    }
    throw mapWppconnectNetworkError(error);
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    const text = bytes.toString('utf8').trim();
    return text === '' ? undefined : text;
  }
}

/** Throws the mapped error of a failed answer. */
export async function failFrom(response: Response): Promise<never> {
  throw mapWppconnectError({
    status: response.status,
    body: await readJson(response, 64 * 1024).catch(() => undefined),
    retryAfter: response.headers.get('retry-after'),
  });
}

async function generateToken(context: ProviderContext<WppconnectConfig>): Promise<string> {
  const { config } = context;
  const url = `${buildSessionApiUrl(config)}/${encodeURIComponent(config.secretKey)}/generate-token`;
  let response: Response;
  try {
    response = await context.http(url, {
      method: 'POST',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(tokenTimeoutMs),
    });
  } catch (error) {
    throw mapWppconnectNetworkError(error);
  }
  if (response.status === 400) {
    const body = await readJson(response, 64 * 1024).catch(() => undefined);
    throw new ProviderError({
      code: 'WPPCONNECT_SECRET_KEY_REJECTED',
      reason:
        'The WPPConnect Server refused the secret key: it must be the server’s SECRET_KEY setting',
      retryable: false,
      cause: body,
    });
  }
  if (!response.ok) return failFrom(response);
  const body = await readJson(response, 64 * 1024);
  const token = (body as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw invalidWppconnectResponse('WPPConnect generated no token', body, true);
  }
  return token.trim();
}

export type WppconnectCall = {
  method: 'GET' | 'POST';
  /** Below `/api/<session>/`, e.g. `send-message` or `get-media-by-message/<id>`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  accept?: string;
};

/**
 * An authorized call to the channel's session. Answers are returned as they are (callers map
 * failures with `failFrom`), except a 401: one fresh token, then the call once more.
 */
export async function callWppconnect(
  context: ProviderContext<WppconnectConfig>,
  tokens: WppconnectTokenCache,
  call: WppconnectCall,
): Promise<Response> {
  const key = buildTokenCacheKey(context.config);
  const url = `${buildSessionApiUrl(context.config)}/${call.path}`;
  const attempt = async (token: string) => {
    try {
      return await context.http(url, {
        method: call.method,
        headers: {
          accept: call.accept ?? 'application/json',
          authorization: `Bearer ${token}`,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: withTimeout(call.timeoutMs, call.signal),
      });
    } catch (error) {
      throw mapWppconnectNetworkError(error);
    }
  };
  const generate = () => generateToken(context);
  const token = await tokens.obtain(key, generate);
  const first = await attempt(token);
  if (first.status !== 401) return first;
  const refusal = await readJson(first, 64 * 1024).catch(() => undefined);
  const said = (refusal as { message?: unknown } | undefined)?.message;
  if (typeof said === 'string' && fileMandatoryPattern.test(said)) {
    throw mapWppconnectError({ status: 401, body: refusal });
  }
  tokens.invalidate(key, token);
  return attempt(await tokens.obtain(key, generate));
}
