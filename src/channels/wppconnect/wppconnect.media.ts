import {
  type DownloadedMedia,
  type MediaDownloadOptions,
  type MediaReference,
  type ProviderContext,
  ProviderError,
} from '../provider.port.js';
import { createMediaTooLargeError, readLimitedBody } from '../read-limited-body.js';
import {
  callWppconnect,
  failFrom,
  readJson,
  type WppconnectTokenCache,
  withTimeout,
} from './wppconnect.client.js';
import type { WppconnectConfig } from './wppconnect.config.js';
import {
  describeWppconnectBody,
  invalidWppconnectResponse,
  mapWppconnectNetworkError,
} from './wppconnect.errors.js';

/**
 * Inbound media. An `onmessage` names its media by message id; the bytes come from
 * `GET /api/:session/get-media-by-message/:messageId` as `{ base64, mimetype }` (the server
 * decrypts them from WhatsApp). When the server uploads media to S3 (`WEBHOOK_UPLOAD_S3`), the
 * message also carries a public `fileUrl`, fetched directly and without the session token.
 * Either way the bytes stop at `maxBytes`: the base64 answer is read up to the size its encoding
 * of `maxBytes` would take, and the decoded bytes are checked again.
 */

/** A 100 MB document through a busy server; the fetch job's lease is longer. */
const downloadTimeoutMs = 5 * 60_000;
/** Room for the JSON around the base64 (`{"base64":"…","mimetype":"…"}`). */
const jsonOverheadBytes = 64 * 1024;

function isHttpUrl(value: string | undefined): value is string {
  return value !== undefined && /^https?:\/\//i.test(value);
}

async function downloadFromUrl(
  context: ProviderContext<WppconnectConfig>,
  url: string,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia | ProviderError> {
  let response: Response;
  try {
    // A public (S3) link: the session token stays with the WPPConnect Server.
    response = await context.http(url, {
      method: 'GET',
      signal: withTimeout(downloadTimeoutMs, options.signal),
    });
  } catch (error) {
    return mapWppconnectNetworkError(error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return new ProviderError({
      code: 'WPPCONNECT_MEDIA_URL_FAILED',
      reason: `The media link answered HTTP ${response.status}`,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  try {
    const bytes = await readLimitedBody(response, options.maxBytes);
    return { bytes, mimeType: response.headers.get('content-type') ?? undefined };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    return mapWppconnectNetworkError(error);
  }
}

/** The decoded bytes of a `base64` field (plain or a `data:` URL); undefined when not base64. */
export function decodeBase64Media(value: string): { bytes: Buffer; mimeType?: string } | undefined {
  const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,/i.exec(value);
  const encoded = (dataUrl ? value.slice(dataUrl[0].length) : value).replace(/\s+/g, '');
  if (encoded === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) return undefined;
  return { bytes: Buffer.from(encoded, 'base64'), mimeType: dataUrl?.[1] };
}

async function downloadThroughServer(
  context: ProviderContext<WppconnectConfig>,
  tokens: WppconnectTokenCache,
  messageId: string,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia> {
  const response = await callWppconnect(context, tokens, {
    method: 'GET',
    path: `get-media-by-message/${encodeURIComponent(messageId)}`,
    timeoutMs: downloadTimeoutMs,
    signal: options.signal,
  });
  if (response.status === 400) {
    // "Message not found" / "Message does not contain media": asking again will not help.
    const body = await readJson(response, 64 * 1024).catch(() => undefined);
    const said = describeWppconnectBody(body);
    throw new ProviderError({
      code: 'WPPCONNECT_MEDIA_UNAVAILABLE',
      reason: `WPPConnect cannot give this message’s media${said ? `: ${said}` : ''}`,
      retryable: false,
      cause: body,
    });
  }
  if (!response.ok) return failFrom(response);
  const limit = Math.ceil(options.maxBytes / 3) * 4 + jsonOverheadBytes;
  let raw: Buffer;
  try {
    raw = await readLimitedBody(response, limit);
  } catch (error) {
    if (error instanceof ProviderError) throw createMediaTooLargeError(options.maxBytes);
    throw mapWppconnectNetworkError(error);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidWppconnectResponse(
      'WPPConnect answered the media request without JSON',
      undefined,
      true,
    );
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const decoded = typeof record.base64 === 'string' ? decodeBase64Media(record.base64) : undefined;
  if (!decoded) {
    throw invalidWppconnectResponse(
      'WPPConnect answered the media request without base64',
      {
        keys: Object.keys(record),
      },
      true,
    );
  }
  if (decoded.bytes.length > options.maxBytes) {
    throw createMediaTooLargeError(options.maxBytes, decoded.bytes.length);
  }
  const mimeType = typeof record.mimetype === 'string' ? record.mimetype : decoded.mimeType;
  return { bytes: decoded.bytes, mimeType };
}

/** `downloadMedia` of the WPPConnect adapter: the public link if any, else through the server. */
export async function downloadWppconnectMedia(
  context: ProviderContext<WppconnectConfig>,
  tokens: WppconnectTokenCache,
  reference: MediaReference,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia> {
  let linkFailure: ProviderError | undefined;
  if (isHttpUrl(reference.url)) {
    const result = await downloadFromUrl(context, reference.url, options);
    if (!(result instanceof ProviderError)) return result;
    linkFailure = result;
  }
  if (reference.providerMediaId) {
    return downloadThroughServer(context, tokens, reference.providerMediaId, options);
  }
  throw (
    linkFailure ??
    new ProviderError({
      code: 'MEDIA_NOT_FOUND',
      reason: 'The media reference has neither a WPPConnect message id nor a link',
      retryable: false,
    })
  );
}
