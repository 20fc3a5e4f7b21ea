import { createHash } from 'node:crypto';
import {
  type DownloadedMedia,
  type MediaDownloadOptions,
  type MediaReference,
  type MediaUpload,
  type ProviderContext,
  ProviderError,
} from '../provider.port.js';
import { createMediaTooLargeError, readLimitedBody } from '../read-limited-body.js';
import type { MetaCloudConfig } from './meta-cloud.config.js';
import { mapMetaCloudError, mapMetaCloudNetworkError } from './meta-cloud.errors.js';
import { metaCloudUserAgent } from './meta-cloud.send.js';

/**
 * Media on the Cloud API. Download: `GET /{version}/{media-id}` with the channel's token gives a
 * short-lived URL (5 minutes) with the type, size and SHA-256; `GET url` with the same token
 * gives the bytes, checked against that hash. Upload: multipart `POST /{phone-number-id}/media`
 * gives a media id to send by (valid 30 days).
 */

const metadataTimeoutMs = 30_000;
/** Bytes of a 100 MB document over a slow link; the lease of the fetch job is longer. */
const downloadTimeoutMs = 5 * 60_000;
const uploadTimeoutMs = 5 * 60_000;

/** Hosts Meta serves media from; a bare URL elsewhere never receives the channel's token. */
const metaMediaHostSuffixes = ['.fbsbx.com', '.facebook.com', '.fbcdn.net', '.whatsapp.net'];

type MediaMetadata = { url: string; mimeType?: string; sha256?: string; fileSize?: number };

function graphBase(config: MetaCloudConfig): string {
  return `${config.graphApiBaseUrl.replace(/\/+$/, '')}/${config.apiVersion}`;
}

function authorization(config: MetaCloudConfig): Record<string, string> {
  return { authorization: `Bearer ${config.accessToken}`, 'user-agent': metaCloudUserAgent };
}

function withTimeout(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function request(
  context: ProviderContext<MetaCloudConfig>,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await context.http(url, init);
  } catch (error) {
    throw mapMetaCloudNetworkError(error);
  }
}

async function failFrom(response: Response): Promise<never> {
  throw mapMetaCloudError({
    status: response.status,
    body: await readJson(response),
    retryAfter: response.headers.get('retry-after'),
  });
}

function invalidResponse(reason: string, body: unknown): ProviderError {
  // A malformed answer from Meta is usually transient (an edge or proxy error page).
  return new ProviderError({ code: 'META_INVALID_RESPONSE', reason, retryable: true, cause: body });
}

function readMetadata(body: unknown): MediaMetadata {
  const record =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const url = record?.url;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw invalidResponse('Meta answered the media lookup without a download URL', body);
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const size = Number(record?.file_size);
  return {
    url,
    mimeType: text(record?.mime_type),
    sha256: text(record?.sha256),
    fileSize: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
  };
}

/** Meta gives the hash as hex (media lookup) or base64 (webhooks); either form is compared. */
export function matchesMetaSha256(bytes: Buffer, expected: string): boolean | undefined {
  const digest = createHash('sha256').update(bytes).digest();
  if (/^[0-9a-f]{64}$/i.test(expected)) return digest.toString('hex') === expected.toLowerCase();
  const decoded = Buffer.from(expected, 'base64');
  if (decoded.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(expected)) {
    return decoded.equals(digest);
  }
  return undefined; // Not a hash we can read: nothing to compare.
}

function isMetaMediaHost(url: string, config: MetaCloudConfig): boolean {
  try {
    const { host, hostname } = new URL(url);
    if (host === new URL(config.graphApiBaseUrl).host) return true;
    return metaMediaHostSuffixes.some((suffix) => hostname.endsWith(suffix));
  } catch {
    return false;
  }
}

/** `downloadMedia` of the Meta adapter: id → URL → bytes, size-limited and hash-checked. */
export async function downloadMetaCloudMedia(
  context: ProviderContext<MetaCloudConfig>,
  reference: MediaReference,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia> {
  const { config } = context;
  let metadata: MediaMetadata;
  if (reference.providerMediaId) {
    const lookupUrl = `${graphBase(config)}/${encodeURIComponent(reference.providerMediaId)}?phone_number_id=${encodeURIComponent(config.phoneNumberId)}`;
    const response = await request(context, lookupUrl, {
      method: 'GET',
      headers: authorization(config),
      signal: withTimeout(metadataTimeoutMs, options.signal),
    });
    if (!response.ok) return failFrom(response);
    metadata = readMetadata(await readJson(response));
    if (metadata.fileSize !== undefined && metadata.fileSize > options.maxBytes) {
      throw createMediaTooLargeError(options.maxBytes, metadata.fileSize);
    }
  } else if (reference.url && isMetaMediaHost(reference.url, config)) {
    metadata = { url: reference.url };
  } else {
    throw new ProviderError({
      code: 'MEDIA_NOT_FOUND',
      reason: reference.url
        ? 'The media URL is not on a Meta host; the channel token is only sent to Meta'
        : 'The media reference has neither a Meta media id nor a URL',
      retryable: false,
    });
  }

  const response = await request(context, metadata.url, {
    method: 'GET',
    headers: authorization(config),
    signal: withTimeout(downloadTimeoutMs, options.signal),
  });
  if (!response.ok) return failFrom(response);
  let bytes: Buffer;
  try {
    bytes = await readLimitedBody(response, options.maxBytes);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw mapMetaCloudNetworkError(error);
  }
  if (metadata.sha256 && matchesMetaSha256(bytes, metadata.sha256) === false) {
    // A cut or corrupted transfer: the next attempt fetches a fresh URL and tries again.
    throw new ProviderError({
      code: 'META_MEDIA_CHECKSUM_MISMATCH',
      reason: `The downloaded media does not match the SHA-256 Meta announced (${bytes.length} bytes read)`,
      retryable: true,
    });
  }
  return {
    bytes,
    mimeType: metadata.mimeType ?? response.headers.get('content-type') ?? undefined,
  };
}

/** `uploadMedia` of the Meta adapter: multipart `POST /{phone-number-id}/media` → media id. */
export async function uploadMetaCloudMedia(
  context: ProviderContext<MetaCloudConfig>,
  media: MediaUpload,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<{ providerMediaId: string }> {
  const { config } = context;
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', media.mimeType);
  form.set(
    'file',
    new Blob([new Uint8Array(media.bytes)], { type: media.mimeType }),
    media.filename ?? 'file',
  );
  const response = await request(context, `${graphBase(config)}/${config.phoneNumberId}/media`, {
    method: 'POST',
    headers: authorization(config),
    body: form,
    signal: withTimeout(uploadTimeoutMs, options.signal),
  });
  if (!response.ok) return failFrom(response);
  const body = await readJson(response);
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || id.length === 0) {
    throw invalidResponse('Meta accepted the upload but its answer carried no media id', body);
  }
  return { providerMediaId: id };
}
