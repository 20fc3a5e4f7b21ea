import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import type { RgbaPixels } from './qr-pixels.js';

/**
 * zxing-wasm's reader, loaded once per process on first use. Its default is to fetch the
 * `.wasm` from a CDN (even in Node); here the bytes come from node_modules, so reading needs no
 * network. Concurrent first calls share one load; a failed load is retried by the next call.
 */

let loading: Promise<void> | undefined;

export function resolveZxingWasmPath(): string {
  return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
}

export function loadZxing(): Promise<void> {
  loading ??= (async () => {
    const file = await readFile(resolveZxingWasmPath());
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** QR codes only (model 1 and 2, micro and rMQR): the other formats cost time and false finds. */
export const qrReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
} as const satisfies ReaderOptions;

export type ZxingResult = Awaited<ReturnType<typeof readBarcodes>>[number];

/** Every valid QR code zxing finds in `image` (loads the module first when needed). */
export async function readZxing(
  image: RgbaPixels,
  options: ReaderOptions = qrReaderOptions,
): Promise<ZxingResult[]> {
  await loadZxing();
  const results = await readBarcodes({ ...image, colorSpace: 'srgb' }, options);
  return results.filter((result) => result.isValid);
}
