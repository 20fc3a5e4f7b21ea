import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Agent, type Dispatcher, interceptors, request } from 'undici';

/**
 * The outbound HTTP client provider adapters receive (`HttpClient` in
 * `src/channels/provider.port.ts`, repeated here because platform/ does not import channels/):
 * fetch's signature and results, on undici's `request` with one pooled keep-alive `Agent`.
 * Node 20's global fetch was 2.5× slower in a send loop (bench/http-client.bench.ts measures it).
 *
 * Like fetch: network failures reject with a `TypeError` (its `cause` is undici's error), an
 * aborted `init.signal` rejects with the signal's reason, HTTP error statuses resolve, redirects
 * are followed unless `redirect: 'manual'`, request and response bodies stream. Unlike fetch:
 * no cookies, no cache, no automatic decompression (nothing asks for it: no Accept-Encoding is
 * sent), and `response.url`/`redirected` are not set.
 */
export type FetchLikeClient = (url: string, init?: RequestInit) => Promise<Response>;

export type PooledHttpClient = FetchLikeClient & {
  /** Closes the pooled connections; requests in flight finish first. */
  close(): Promise<void>;
};

export type HttpClientOptions = {
  /** TCP (and TLS) connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Longest wait for the response headers once the request is sent. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest silence between two chunks of the response body. Default 30 s. */
  bodyTimeoutMs?: number;
  /** Idle keep-alive sockets close after this long, unless the server hints otherwise. Default 4 s. */
  keepAliveTimeoutMs?: number;
  /** Upper bound of a server's keep-alive hint. Default 60 s. */
  keepAliveMaxTimeoutMs?: number;
  /** Sockets per origin; further requests wait for a free one. Default 64. */
  connectionsPerOrigin?: number;
  /** Redirects followed (`redirect: 'follow'`, the default) before the 3xx is returned. Default 5. */
  maxRedirections?: number;
};

const defaults = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  keepAliveTimeoutMs: 4_000,
  keepAliveMaxTimeoutMs: 60_000,
  connectionsPerOrigin: 64,
  maxRedirections: 5,
} satisfies Required<HttpClientOptions>;

/** Statuses whose response has no body (the Response constructor refuses one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

type HttpMethod = Dispatcher.HttpMethod;
type RequestBody = string | Buffer | Readable | undefined;

/** The methods fetch upper-cases; any other (`patch` too, per the spec) goes as given. */
const normalizedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function normalizeMethod(method: string | undefined): HttpMethod {
  if (method === undefined) return 'GET';
  const upper = method.toUpperCase();
  return (normalizedMethods.has(upper) ? upper : method) as HttpMethod;
}

/** Request headers as a lower-cased record (repeated names joined like Headers does). */
function toHeaderRecord(init: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (init === undefined) return record;
  const entries =
    init instanceof Headers || Array.isArray(init)
      ? new Headers(init).entries()
      : Object.entries(init);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    const existing = record[key];
    record[key] = existing === undefined ? String(value) : `${existing}, ${value}`;
  }
  return record;
}

function setDefaultContentType(headers: Record<string, string>, contentType: string | null) {
  if (contentType && headers['content-type'] === undefined) headers['content-type'] = contentType;
}

/**
 * fetch's body types as undici's: strings and bytes as they are, forms and blobs read into
 * memory (so they go with a Content-Length, as fetch sends them), streams streamed (chunked).
 */
async function toRequestBody(
  body: BodyInit | null | undefined,
  headers: Record<string, string>,
): Promise<RequestBody> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') {
    setDefaultContentType(headers, 'text/plain;charset=UTF-8');
    return body;
  }
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) {
    setDefaultContentType(headers, 'application/x-www-form-urlencoded;charset=UTF-8');
    return body.toString();
  }
  if (body instanceof ReadableStream) {
    return Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>);
  }
  // Blob, File, FormData: let the platform serialize it (multipart boundary, blob type).
  const extracted = new Response(body);
  setDefaultContentType(headers, extracted.headers.get('content-type'));
  return Buffer.from(await extracted.arrayBuffer());
}

function toResponseHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  return headers;
}

/** Bodies up to this size with a known length are read before resolving (see toResponse). */
const bufferedBodyMaxBytes = 64 * 1024;

/**
 * The answer as a fetch `Response`. A small body of known length (a Graph API JSON answer) is
 * read first and handed over as bytes: that skips a stream bridge per response (~15 % of a send
 * loop in bench/http-client.bench.ts). Any other body streams.
 */
async function toResponse(data: Dispatcher.ResponseData, method: string): Promise<Response> {
  const init = {
    status: data.statusCode,
    statusText: data.statusText,
    headers: toResponseHeaders(data.headers),
  };
  if (method === 'HEAD' || nullBodyStatuses.has(data.statusCode)) {
    data.body.resume(); // Nothing to read; free the socket for the next request.
    return new Response(null, init);
  }
  const length = Number(data.headers['content-length']);
  if (Number.isInteger(length) && length <= bufferedBodyMaxBytes) {
    // Node buffers sit on plain ArrayBuffers (never shared ones), which is what BodyInit wants.
    return new Response((await data.body.bytes()) as Uint8Array<ArrayBuffer>, init);
  }
  return new Response(toWebStream(data.body), init);
}

/**
 * A pull-based web stream over undici's body. Node 20's `Readable.toWeb` throws an uncaught
 * "Controller is already closed" when the stream is cancelled before its first chunk (which
 * would take the process down); here cancel just destroys the body and frees the socket.
 */
function toWebStream(body: Dispatcher.ResponseData['body']): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value as Buffer));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel(reason) {
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}

/** A failure without an answer, shaped like fetch's: `TypeError`, undici's error as the cause. */
function toNetworkError(error: unknown, method: string, url: string): TypeError {
  let target = url;
  try {
    const parsed = new URL(url);
    target = `${parsed.origin}${parsed.pathname}`; // Query strings may carry tokens.
  } catch {
    // Not a URL: say so below, with what was given.
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TypeError(`${method} ${target} failed: ${reason}`, { cause: error });
}

export function createHttpClient(options: HttpClientOptions = {}): PooledHttpClient {
  const settings = { ...defaults, ...options };
  const agent = new Agent({
    connectTimeout: settings.connectTimeoutMs,
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    keepAliveMaxTimeout: settings.keepAliveMaxTimeoutMs,
    connections: settings.connectionsPerOrigin,
  });
  const following = agent.compose(
    interceptors.redirect({ maxRedirections: settings.maxRedirections }),
  );

  const client = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const method = normalizeMethod(init.method);
    const headers = toHeaderRecord(init.headers);
    if (headers.accept === undefined) headers.accept = '*/*';
    const body = await toRequestBody(init.body, headers);
    const shouldFollow = init.redirect !== 'manual' && init.redirect !== 'error';
    let data: Dispatcher.ResponseData;
    try {
      data = await request(url, {
        method,
        headers,
        body,
        signal,
        dispatcher: shouldFollow ? following : agent,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toNetworkError(error, method, url);
    }
    if (init.redirect === 'error' && data.statusCode >= 300 && data.statusCode < 400) {
      data.body.resume();
      throw toNetworkError(new Error('unexpected redirect'), method, url);
    }
    try {
      return await toResponse(data, method);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toNetworkError(error, method, url);
    }
  };
  return Object.assign(client, { close: () => agent.close() });
}
