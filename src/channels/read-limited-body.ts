import { formatBytes } from '../shared/media-limits.js';
import { mediaTooLargeErrorCode, ProviderError } from './provider.port.js';

/**
 * Reads a media download's body, refusing more than `maxBytes`: at once when Content-Length
 * announces more, else as soon as the bytes read pass the limit (the rest is never read). For
 * adapters' `downloadMedia`; the error is the port's `MEDIA_TOO_LARGE`, not retryable.
 */
export async function readLimitedBody(response: Response, maxBytes: number): Promise<Buffer> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw createMediaTooLargeError(maxBytes, announced);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw createMediaTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function createMediaTooLargeError(maxBytes: number, actualBytes?: number): ProviderError {
  const actual = actualBytes === undefined ? 'more than that' : formatBytes(actualBytes);
  return new ProviderError({
    code: mediaTooLargeErrorCode,
    reason: `The media is larger than the limit of ${formatBytes(maxBytes)} (${actual})`,
    retryable: false,
  });
}
