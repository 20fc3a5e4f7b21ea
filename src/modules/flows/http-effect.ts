import type { EffectResult, FlowValue } from '../../engine/index.js';

/**
 * `action.http` as the runtime performs it: the rendered request with its timeout and
 * retries (network errors and 5xx, with a short doubling pause), the response read up to a
 * limit and handed back to the flow as `{ status, body }` — the body parsed when it is JSON.
 * A failure is an error result the flow routes (its `error` port), never an exception.
 */

export type HttpEffectRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  retries: number;
};

export const maxResponseBytes = 1_000_000;

export async function performHttpEffect(
  fetchImpl: typeof fetch,
  request: HttpEffectRequest,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<EffectResult> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failure('INVALID_URL', `"${request.url.slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failure('INVALID_URL', `Only http and https URLs are called, not ${url.protocol}.`);
  }
  let last: EffectResult = failure('NOT_CALLED', 'The request was not made.');
  for (let attempt = 0; attempt <= request.retries; attempt++) {
    if (attempt > 0) await pause(Math.min(250 * 2 ** (attempt - 1), 4_000));
    try {
      const response = await fetchImpl(url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body } : {}),
        signal: AbortSignal.timeout(request.timeoutMs),
        redirect: 'follow',
      });
      const body = await readBody(response);
      const value: FlowValue = { status: response.status, body };
      if (response.status >= 500 && attempt < request.retries) {
        last = {
          ok: false,
          error: {
            code: `HTTP_${response.status}`,
            message: `The server answered ${response.status}.`,
          },
          value,
        };
        continue;
      }
      if (response.status >= 400) {
        return {
          ok: false,
          error: {
            code: `HTTP_${response.status}`,
            message: `The server answered ${response.status}.`,
          },
          value,
        };
      }
      return { ok: true, value };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      last = timedOut
        ? failure('TIMEOUT', `No answer within ${request.timeoutMs} ms.`)
        : error instanceof ResponseTooLargeError
          ? failure('RESPONSE_TOO_LARGE', error.message)
          : failure('NETWORK', error instanceof Error ? error.message : String(error));
      if (error instanceof ResponseTooLargeError) return last;
    }
  }
  return last;
}

class ResponseTooLargeError extends Error {}

async function readBody(response: Response): Promise<FlowValue> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxResponseBytes) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(
      `The response has ${declared} bytes; the limit is ${maxResponseBytes}.`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxResponseBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError(`The response is over ${maxResponseBytes} bytes.`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as FlowValue;
    } catch {
      return text;
    }
  }
  return text;
}

function failure(code: string, message: string): EffectResult {
  return { ok: false, error: { code, message } };
}
