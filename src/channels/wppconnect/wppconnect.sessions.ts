import {
  type ProviderContext,
  ProviderError,
  type SessionControl,
  type SessionState,
} from '../provider.port.js';
import { readLimitedBody } from '../read-limited-body.js';
import {
  callWppconnect,
  failFrom,
  readJson,
  type WppconnectTokenCache,
} from './wppconnect.client.js';
import type { WppconnectConfig } from './wppconnect.config.js';
import { invalidWppconnectResponse, mapWppconnectNetworkError } from './wppconnect.errors.js';
import { decodeBase64Media } from './wppconnect.media.js';
import { toSessionStatus } from './wppconnect.session-state.js';

/**
 * Session control on a WPPConnect Server: `start-session` (with Recado's webhook URL, which
 * carries the channel's `?token=`), `status-session` confirmed by `check-connection-session`,
 * `qrcode-session` (a PNG, or JSON with a base64 image or the raw code, depending on the
 * version), `close-session` and `logout-session`.
 */

const sessionTimeoutMs = 30_000;
const qrMaxBytes = 2 * 1024 * 1024;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Json = Record<string, unknown>;
type Context = ProviderContext<WppconnectConfig>;

const asRecord = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

function readStatusWord(body: Json): string | undefined {
  return typeof body.status === 'string' && body.status.trim() !== '' ? body.status : undefined;
}

async function post(context: Context, tokens: WppconnectTokenCache, path: string, body?: unknown) {
  const response = await callWppconnect(context, tokens, {
    method: 'POST',
    path,
    body,
    timeoutMs: sessionTimeoutMs,
  });
  if (!response.ok) return failFrom(response);
  return asRecord(await readJson(response));
}

async function get(context: Context, tokens: WppconnectTokenCache, path: string) {
  const response = await callWppconnect(context, tokens, {
    method: 'GET',
    path,
    timeoutMs: sessionTimeoutMs,
  });
  if (!response.ok) return failFrom(response);
  return asRecord(await readJson(response));
}

/** `{ status: false, message }` answers to close/logout: the server says it did not. */
function assertDone(body: Json, what: string) {
  if (body.status === false || body.status === 'error') {
    const said = typeof body.message === 'string' ? `: ${body.message}` : '';
    throw new ProviderError({
      code: 'WPPCONNECT_SESSION_ERROR',
      reason: `WPPConnect could not ${what}${said}`,
      retryable: true,
      cause: body,
    });
  }
}

async function readQr(response: Response): Promise<{ png: Buffer } | { value: string }> {
  const type = response.headers.get('content-type') ?? '';
  if (/^image\//i.test(type)) {
    try {
      return { png: await readLimitedBody(response, qrMaxBytes) };
    } catch (error) {
      throw error instanceof ProviderError
        ? invalidWppconnectResponse('The QR code image is larger than 2 MB', undefined, true)
        : mapWppconnectNetworkError(error);
    }
  }
  const body = asRecord(await readJson(response, qrMaxBytes * 2));
  for (const field of ['qrcode', 'base64', 'qr'] as const) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    const decoded = decodeBase64Media(value);
    if (decoded?.bytes.subarray(0, 8).equals(pngSignature)) return { png: decoded.bytes };
  }
  if (typeof body.urlcode === 'string' && body.urlcode.trim() !== '') {
    return { value: body.urlcode };
  }
  const status = readStatusWord(body);
  throw new ProviderError({
    code: 'WPPCONNECT_QR_NOT_AVAILABLE',
    reason: `WPPConnect has no QR code to show${status ? ` (session ${status})` : ''}${
      typeof body.message === 'string' ? `: ${body.message}` : ''
    }`,
    retryable: true,
    retryAfterMs: 2_000,
    cause: body,
  });
}

export function createWppconnectSessions(
  tokens: WppconnectTokenCache,
): SessionControl<WppconnectConfig> {
  return {
    async start(context, webhook): Promise<SessionState> {
      const body = await post(context, tokens, 'start-session', {
        webhook: webhook.url,
        waitQrCode: false,
      });
      const word = readStatusWord(body);
      // The server answers with the state it had before starting: CLOSED means "starting now".
      const status = toSessionStatus(word);
      return {
        status: status === 'stopped' ? 'starting' : status,
        detail: word?.slice(0, 100),
      };
    },

    async status(context): Promise<SessionState> {
      const body = await get(context, tokens, 'status-session');
      const word = readStatusWord(body);
      const status = toSessionStatus(word);
      if (status !== 'connected') return { status, detail: word?.slice(0, 100) ?? 'CLOSED' };
      // A browser that says CONNECTED may have lost WhatsApp's socket: ask the client itself.
      const check = await get(context, tokens, 'check-connection-session');
      if (check.status === true) return { status: 'connected', detail: word?.slice(0, 100) };
      const said = typeof check.message === 'string' ? check.message.slice(0, 80) : 'no answer';
      return { status: 'failed', detail: `${word} but check-connection-session: ${said}` };
    },

    async qr(context) {
      const response = await callWppconnect(context, tokens, {
        method: 'GET',
        path: 'qrcode-session',
        timeoutMs: sessionTimeoutMs,
        accept: 'image/png, application/json',
      });
      if (!response.ok) return failFrom(response);
      return readQr(response);
    },

    async stop(context) {
      assertDone(await post(context, tokens, 'close-session'), 'close the session');
    },

    async logout(context) {
      assertDone(await post(context, tokens, 'logout-session'), 'log the session out');
    },
  };
}
