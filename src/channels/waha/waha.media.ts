import {
  type DownloadedMedia,
  type MediaDownloadOptions,
  type MediaReference,
  type ProviderContext,
  ProviderError,
} from '../provider.port.js';
import { readLimitedBody } from '../read-limited-body.js';
import { callWaha } from './waha.client.js';
import { type WahaConfig, wahaApiBase } from './waha.config.js';
import { mapWahaNetworkError } from './waha.errors.js';

/** Bytes of a 100 MB document over a slow link; the lease of the fetch job is longer. */
const downloadTimeoutMs = 5 * 60_000;

function notOnWaha(reason: string): ProviderError {
  return new ProviderError({ code: 'MEDIA_NOT_FOUND', reason, retryable: false });
}

/**
 * The API path to fetch an inbound media URL from, on the configured WAHA server only (the API key
 * goes nowhere else). WAHA announces files under its own idea of its address (`WAHA_BASE_URL`,
 * often `http://localhost:3000`), so a `/api/files/...` URL on another host is fetched from the
 * configured server instead; any other host is refused.
 */
export function resolveWahaMediaPath(config: WahaConfig, mediaUrl: string | undefined): string {
  if (!mediaUrl) throw notOnWaha('The WAHA message carries no media URL');
  let url: URL;
  try {
    url = new URL(mediaUrl);
  } catch {
    throw notOnWaha('The WAHA media URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw notOnWaha('The WAHA media URL is not http(s)');
  }
  const base = new URL(wahaApiBase(config));
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin === base.origin && url.pathname.startsWith(`${basePath}/`)) {
    return `${url.pathname.slice(basePath.length)}${url.search}`;
  }
  const files = url.pathname.indexOf('/api/files/');
  if (files >= 0) return `${url.pathname.slice(files)}${url.search}`;
  throw notOnWaha(
    'The WAHA media URL is neither on the configured WAHA server nor one of its /api/files/ links; the API key is only sent to that server',
  );
}

/** `downloadMedia` of the WAHA adapter: the file WAHA kept, with the API key, size-limited. */
export async function downloadWahaMedia(
  context: ProviderContext<WahaConfig>,
  reference: MediaReference,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia> {
  const path = resolveWahaMediaPath(context.config, reference.url);
  const [pathname = '', search = ''] = path.split('?');
  const response = await callWaha(context, {
    method: 'GET',
    path: pathname,
    query: Object.fromEntries(new URLSearchParams(search)),
    accept: '*/*',
    timeoutMs: downloadTimeoutMs,
    signal: options.signal,
  });
  let bytes: Buffer;
  try {
    bytes = await readLimitedBody(response, options.maxBytes);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw mapWahaNetworkError(error);
  }
  return { bytes, mimeType: response.headers.get('content-type') ?? undefined };
}
