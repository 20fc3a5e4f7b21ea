import type { HttpClient } from '../../../channels/provider.port.js';
import type { LocalizedText } from '../../../shared/validators/validation-result.js';
import { isTrustedPortalUrl } from './portal-url.js';

/**
 * Every consultation request goes through here. `resolveConsultationRequest` turns a portal URL
 * (from a QR code, or a redirect) into the request to make; with an override base URL
 * (`NFCE_PORTAL_OVERRIDE=http://host:port`, handed in by the caller) the request goes to that
 * base with the original path and query, and the original host travels in `X-Original-Host` —
 * so tests, and deployments behind a proxy, can serve the pages. `fetchConsultationPage` makes
 * the request(s) and answers the HTML or a typed failure that says whether a retry can help.
 */

export const originalHostHeader = 'X-Original-Host';

export type ConsultationRequest = {
  /** Where the request goes (the override's origin when one is set). */
  url: string;
  headers: Record<string, string>;
  /** The portal URL the request stands for. */
  portalUrl: string;
};

export type ResolveOptions = {
  /** Base URL every request is sent to instead (keeps path and query). */
  override?: string | undefined;
};

const requestHeaders = {
  accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
  'accept-language': 'pt-BR,pt;q=0.9',
  'user-agent': 'Mozilla/5.0 (compatible; Recado receipt reader)',
};

/**
 * The request for a portal URL. Throws a `TypeError` for a URL that is not an http(s) `.gov.br`
 * portal (parseNfceQr never gives one) and for an override that is not an http(s) base URL
 * without query or fragment (a configuration defect).
 */
export function resolveConsultationRequest(
  portalUrl: string,
  options: ResolveOptions = {},
): ConsultationRequest {
  const original = new URL(portalUrl);
  if (!isTrustedPortalUrl(original)) {
    throw new TypeError(`Not a tax authority portal URL: ${original.origin}`);
  }
  original.hash = '';
  const headers: Record<string, string> = { ...requestHeaders };
  if (options.override === undefined || options.override === '') {
    return { url: original.toString(), headers, portalUrl: original.toString() };
  }
  const base = parseOverride(options.override);
  const prefix = base.pathname.replace(/\/+$/, '');
  const target = `${base.origin}${prefix}${original.pathname}${original.search}`;
  headers[originalHostHeader] = original.host;
  return { url: target, headers, portalUrl: original.toString() };
}

function parseOverride(override: string): URL {
  let base: URL;
  try {
    base = new URL(override);
  } catch {
    throw new TypeError('NFCE_PORTAL_OVERRIDE is not a URL');
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.search || base.hash) {
    throw new TypeError('NFCE_PORTAL_OVERRIDE must be an http(s) base URL without query');
  }
  return base;
}

export type FetchPageOptions = {
  http: HttpClient;
  /** For the whole exchange: redirects, headers and body. */
  timeoutMs: number;
  override?: string | undefined;
  /** The body is refused past this many bytes (announced or read). */
  maxBytes: number;
  /** Redirects followed, each resolved and checked like the first URL. Default 5. */
  maxRedirects?: number;
  /** Cancels the exchange (shutdown). */
  signal?: AbortSignal | undefined;
};

export type FetchFailureReason =
  | 'untrusted-url'
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'http-status'
  | 'too-many-redirects'
  | 'too-large'
  | 'not-html';

export type FetchPageResult =
  | {
      ok: true;
      html: string;
      /** The portal URL the page came from (after redirects, in the portal's terms). */
      url: string;
      status: number;
    }
  | {
      ok: false;
      reason: FetchFailureReason;
      /** A later try may succeed (timeouts, network, 5xx, 429…); false: do not try again. */
      retryable: boolean;
      /** From Retry-After, when the portal sent one. */
      retryAfterMs?: number;
      status?: number;
      message: LocalizedText;
    };

type Failure = Extract<FetchPageResult, { ok: false }>;

/** Statuses worth another try later: timeouts, rate limits, server trouble, firewalls' 403. */
const retryableStatuses = new Set([403, 408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 524]);

export async function fetchConsultationPage(
  portalUrl: string,
  options: FetchPageOptions,
): Promise<FetchPageResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const failOnAbort = (): Failure | undefined => {
    if (options.signal?.aborted) return aborted();
    if (deadline.aborted) return timedOut(options.timeoutMs);
    return undefined;
  };
  const maxRedirects = options.maxRedirects ?? 5;

  let current: URL;
  try {
    current = new URL(portalUrl);
  } catch {
    return untrusted(portalUrl);
  }
  for (let hop = 0; ; hop += 1) {
    if (!isTrustedPortalUrl(current)) return untrusted(current.hostname);
    const request = resolveConsultationRequest(current.toString(), { override: options.override });
    let response: Response;
    try {
      response = await options.http(request.url, {
        method: 'GET',
        headers: request.headers,
        redirect: 'manual',
        signal,
      });
    } catch {
      return failOnAbort() ?? networkFailure();
    }

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await discardBody(response, signal);
      if (hop >= maxRedirects) {
        return {
          ok: false,
          reason: 'too-many-redirects',
          retryable: false,
          status: response.status,
          message: {
            'pt-BR': 'O site da Secretaria da Fazenda redirecionou a consulta vezes demais.',
            en: 'The tax authority site redirected the consultation too many times.',
          },
        };
      }
      const next = resolveRedirect(location, request, current, options.override);
      if (!next) return untrusted(location.slice(0, 80));
      current = next;
      continue;
    }

    if (response.status < 200 || response.status >= 300) {
      await discardBody(response, signal);
      return statusFailure(response);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (
      contentType !== '' &&
      !/^(?:text\/html|application\/xhtml\+xml|text\/plain)\b/i.test(contentType)
    ) {
      await discardBody(response, signal);
      return notHtml(contentType);
    }
    let bytes: Uint8Array;
    try {
      const read = await readBody(response, options.maxBytes, signal);
      if (read === 'too-large') return tooLarge(options.maxBytes);
      bytes = read;
    } catch {
      return failOnAbort() ?? networkFailure();
    }
    if (
      contentType === '' &&
      !/^\s*</.test(Buffer.from(bytes.subarray(0, 512)).toString('latin1'))
    ) {
      return notHtml('unknown');
    }
    return {
      ok: true,
      html: decodeHtml(bytes, contentType),
      url: current.toString(),
      status: response.status,
    };
  }
}

/**
 * A Location header in the portal's terms. Relative locations resolve against the URL the
 * request went to; under an override, a location on the override's own origin stands for the
 * portal's origin (the override base path taken off again).
 */
function resolveRedirect(
  location: string,
  request: ConsultationRequest,
  current: URL,
  override: string | undefined,
): URL | undefined {
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return undefined;
  }
  if (override) {
    const base = new URL(override);
    if (target.origin === base.origin) {
      const prefix = base.pathname.replace(/\/+$/, '');
      const path = target.pathname.startsWith(prefix)
        ? target.pathname.slice(prefix.length) || '/'
        : target.pathname;
      return new URL(`${path}${target.search}`, current.origin);
    }
  }
  return target;
}

async function readBody(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array | 'too-large'> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await discardBody(response, signal);
    return 'too-large';
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      signal.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      chunks.push(value);
    }
    signal.throwIfAborted();
    return Buffer.concat(chunks, total);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/**
 * Frees the connection of a body nobody will read. It reads one chunk before cancelling: the
 * platform HTTP client bridges bodies with Node 20's `Readable.toWeb`, which throws an uncaught
 * "Controller is already closed" when a stream is cancelled before its first chunk flowed.
 */
async function discardBody(response: Response, signal: AbortSignal): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const first = await reader.read();
    if (!first.done) await reader.cancel();
  } catch {
    // Broken or aborted: nothing left to free.
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/**
 * The page's text: the charset from Content-Type, else from a `<meta>` in the first bytes,
 * else UTF-8 — falling back to windows-1252 when the bytes are not UTF-8 (older portals send
 * Latin-1 without saying so).
 */
export function decodeHtml(bytes: Uint8Array, contentType: string): string {
  const declared =
    /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(
      Buffer.from(bytes.subarray(0, 4096)).toString('latin1'),
    )?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared.toLowerCase()).decode(bytes);
    } catch {
      // Unknown label: decode as below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function statusFailure(response: Response): Failure {
  const retryable = retryableStatuses.has(response.status) || response.status >= 500;
  const failure: Failure = {
    ok: false,
    reason: 'http-status',
    retryable,
    status: response.status,
    message: retryable
      ? {
          'pt-BR': `O site da Secretaria da Fazenda está com problemas (HTTP ${response.status}); vou tentar de novo mais tarde.`,
          en: `The tax authority site is having trouble (HTTP ${response.status}); it will be tried again later.`,
        }
      : {
          'pt-BR': `O site da Secretaria da Fazenda recusou a consulta (HTTP ${response.status}).`,
          en: `The tax authority site refused the consultation (HTTP ${response.status}).`,
        },
  };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (retryable && retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/** Retry-After in seconds or as an HTTP date; capped at a day. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const milliseconds = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(milliseconds)) return undefined;
  return Math.min(Math.max(milliseconds, 0), 24 * 60 * 60 * 1000);
}

function untrusted(where: string): Failure {
  return {
    ok: false,
    reason: 'untrusted-url',
    retryable: false,
    message: {
      'pt-BR': `A consulta levaria a ${where}, que não é um site de Secretaria da Fazenda (.gov.br).`,
      en: `The consultation would go to ${where}, which is not a tax authority site (.gov.br).`,
    },
  };
}

function timedOut(timeoutMs: number): Failure {
  return {
    ok: false,
    reason: 'timeout',
    retryable: true,
    message: {
      'pt-BR': `O site da Secretaria da Fazenda não respondeu em ${Math.round(timeoutMs / 1000)} s; vou tentar de novo mais tarde.`,
      en: `The tax authority site did not answer within ${Math.round(timeoutMs / 1000)} s; it will be tried again later.`,
    },
  };
}

function aborted(): Failure {
  return {
    ok: false,
    reason: 'aborted',
    retryable: true,
    message: {
      'pt-BR': 'A consulta foi interrompida; vou tentar de novo.',
      en: 'The consultation was interrupted; it will be tried again.',
    },
  };
}

function networkFailure(): Failure {
  return {
    ok: false,
    reason: 'network',
    retryable: true,
    message: {
      'pt-BR':
        'Não consegui falar com o site da Secretaria da Fazenda; vou tentar de novo mais tarde.',
      en: 'The tax authority site could not be reached; it will be tried again later.',
    },
  };
}

function tooLarge(maxBytes: number): Failure {
  return {
    ok: false,
    reason: 'too-large',
    retryable: false,
    message: {
      'pt-BR': `A página de consulta passa de ${Math.round(maxBytes / 1024)} KB; não é a página de uma nota.`,
      en: `The consultation page is over ${Math.round(maxBytes / 1024)} KB; it is not an invoice page.`,
    },
  };
}

function notHtml(contentType: string): Failure {
  return {
    ok: false,
    reason: 'not-html',
    retryable: false,
    message: {
      'pt-BR': `O site da Secretaria da Fazenda respondeu algo que não é uma página (${contentType.slice(0, 40)}).`,
      en: `The tax authority site answered with something that is not a page (${contentType.slice(0, 40)}).`,
    },
  };
}
