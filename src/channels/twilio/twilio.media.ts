import {
  type DownloadedMedia,
  type MediaDownloadOptions,
  type MediaReference,
  type ProviderContext,
  ProviderError,
} from '../provider.port.js';
import { readLimitedBody } from '../read-limited-body.js';
import { type TwilioConfig, twilioAuthorization } from './twilio.config.js';
import { mapTwilioError, mapTwilioNetworkError } from './twilio.errors.js';

/**
 * Inbound media: the webhook's `MediaUrl0` is a Media resource of the REST API
 * (`/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{MediaSid}`). Fetched with the
 * account's basic auth, Twilio answers with a redirect to its media host (a short-lived,
 * pre-signed URL), which is followed without the credentials. The size limit holds on the final
 * answer, while reading.
 */

/** Bytes of a 100 MB document over a slow link; the lease of the fetch job is longer. */
const downloadTimeoutMs = 5 * 60_000;
const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Where Twilio's own media URLs point, whatever API base URL the channel uses. */
const twilioApiOrigin = 'https://api.twilio.com';

function withTimeout(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The credentials go only to the channel's API base URL and to Twilio's own API host. */
export function isTwilioApiUrl(url: string, config: TwilioConfig): boolean {
  const origin = originOf(url);
  return (
    origin !== undefined && (origin === originOf(config.apiBaseUrl) || origin === twilioApiOrigin)
  );
}

function notFound(reason: string): ProviderError {
  return new ProviderError({ code: 'MEDIA_NOT_FOUND', reason, retryable: false });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function get(
  context: ProviderContext<TwilioConfig>,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Response> {
  try {
    return await context.http(url, { method: 'GET', headers, redirect: 'manual', signal });
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw mapTwilioNetworkError(error, 'Twilio’s media host');
  }
}

/** `downloadMedia` of the Twilio adapter: the Media URL with credentials, then its redirect. */
export async function downloadTwilioMedia(
  context: ProviderContext<TwilioConfig>,
  reference: MediaReference,
  options: MediaDownloadOptions,
): Promise<DownloadedMedia> {
  const { config } = context;
  const start = reference.url;
  if (start === undefined) throw notFound('The media reference has no Twilio media URL');
  if (!isTwilioApiUrl(start, config)) {
    throw notFound(
      'The media URL is not on the Twilio API; the account credentials are only sent to Twilio',
    );
  }
  const signal = withTimeout(downloadTimeoutMs, options.signal);
  let url = start;
  let response = await get(context, url, { authorization: twilioAuthorization(config) }, signal);
  for (let hop = 0; redirectStatuses.has(response.status); hop++) {
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (location === null || hop >= maxRedirects) {
      throw new ProviderError({
        code: 'TWILIO_INVALID_RESPONSE',
        reason:
          location === null
            ? 'Twilio redirected the media download without a Location'
            : `Twilio redirected the media download more than ${maxRedirects} times`,
        retryable: true,
      });
    }
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw notFound(`Twilio redirected the media download to a ${next.protocol} URL`);
    }
    url = next.href;
    // A pre-signed media URL needs no credentials, and must never receive them.
    const headers: Record<string, string> = isTwilioApiUrl(url, config)
      ? { authorization: twilioAuthorization(config) }
      : {};
    response = await get(context, url, headers, signal);
  }
  if (!response.ok) {
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      throw notFound('Twilio no longer has this media (deleted, or the URL is wrong)');
    }
    throw mapTwilioError({
      status: response.status,
      body: await readJson(response),
      retryAfter: response.headers.get('retry-after'),
    });
  }
  let bytes: Buffer;
  try {
    bytes = await readLimitedBody(response, options.maxBytes);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw mapTwilioNetworkError(error, 'Twilio’s media host');
  }
  return { bytes, mimeType: response.headers.get('content-type') ?? undefined };
}
