import { existsSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  choosePreviewSize,
  chooseWorkingScale,
  type QrPosition,
  type ReadQrCodesResult,
  readQrCodes,
} from './read-qr-codes.js';
import {
  buildNfceQrText,
  composeReceiptPhoto,
  createRandom,
  type Quad,
  type ReceiptPhotoSpec,
  renderQrCode,
} from './testing/receipt-qr-photos.js';
import { loadZxing, resolveZxingWasmPath } from './zxing-module.js';

/**
 * Photos are generated here (nothing binary in git): receipts with real-format NFC-e QR codes,
 * composed with sharp into the situations a phone produces.
 */

const random = createRandom(20_250_801);
const nfce = buildNfceQrText(random, 'online');
const nfceOffline = buildNfceQrText(random, 'offline');

function photo(overrides: Partial<ReceiptPhotoSpec> & { text?: string } = {}) {
  const { text = nfce, ...spec } = overrides;
  return composeReceiptPhoto({
    width: 1600,
    height: 1200,
    seed: 7,
    receipts: [{ text, center: { x: 820, y: 640 }, modulePx: 4, rotationDegrees: 3 }],
    blurSigma: 0.6,
    jpegQuality: 85,
    ...spec,
  });
}

function expectCodes(result: ReadQrCodesResult, texts: string[]) {
  if (!result.ok) throw new Error(`expected codes, got ${result.reason}: ${result.message}`);
  expect(result.codes.map((code) => code.text).sort()).toEqual([...texts].sort());
  for (const code of result.codes) expect(code.format).toBe('QRCode');
  return result;
}

function centreOf(quad: Quad | QrPosition): { x: number; y: number } {
  const points: readonly { x: number; y: number }[] =
    'topLeft' in quad ? [quad.topLeft, quad.topRight, quad.bottomRight, quad.bottomLeft] : quad;
  return {
    x: points.reduce((sum, point) => sum + point.x, 0) / 4,
    y: points.reduce((sum, point) => sum + point.y, 0) / 4,
  };
}

/** The code's reported position lies where it was drawn, in upright coordinates. */
function expectPositionNear(position: QrPosition | undefined, corners: Quad, tolerance = 12) {
  expect(position).toBeDefined();
  const found = centreOf(position as QrPosition);
  const drawn = centreOf(corners);
  expect(Math.abs(found.x - drawn.x)).toBeLessThan(tolerance);
  expect(Math.abs(found.y - drawn.y)).toBeLessThan(tolerance);
}

/** A PNG whose header claims `width`×`height` pixels, with almost no data behind it. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))), // one row of a great many
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  await loadZxing();
});

describe('readQrCodes on receipt photos', () => {
  it('reads an NFC-e QR code in an ordinary photo on the first try, with its position', async () => {
    const shot = await photo();
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce]);
    expect(result.attempts.map((attempt) => attempt.step)).toEqual(['whole']);
    expect(result.image).toEqual({ format: 'jpeg', width: 1600, height: 1200 });
    expectPositionNear(result.codes[0]?.position, shot.codes[0]?.corners as Quad, 4);
    expect(result.ms).toBeGreaterThan(0);
  });

  it.each([3, 6, 8] as const)(
    'applies EXIF orientation %i: positions are in the upright photo',
    async (orientation) => {
      const shot = await photo({ orientation, text: nfceOffline });
      const stored = await sharp(shot.bytes).metadata();
      expect(stored.orientation).toBe(orientation);
      const result = expectCodes(await readQrCodes(shot.bytes), [nfceOffline]);
      expect(result.image).toMatchObject({ width: 1600, height: 1200 });
      expectPositionNear(result.codes[0]?.position, shot.codes[0]?.corners as Quad, 4);
    },
  );

  it('reads a photo turned a few degrees (sharp rotate, background filled)', async () => {
    const shot = await photo({ format: 'png' });
    const rotated = await sharp(shot.bytes)
      .rotate(7, { background: '#5a4636' })
      .jpeg({ quality: 85 })
      .toBuffer();
    expectCodes(await readQrCodes(rotated), [nfce]);
  });

  it('reads a receipt tilted away from the camera (perspective)', async () => {
    const shot = await photo({
      receipts: [
        { text: nfce, center: { x: 800, y: 650 }, modulePx: 4.5, rotationDegrees: -12, tilt: 0.45 },
      ],
    });
    expectCodes(await readQrCodes(shot.bytes), [nfce]);
  });

  it('reads a small code in a 12 MP frame (a receipt shot from afar) at full size', async () => {
    const shot = await composeReceiptPhoto({
      width: 4000,
      height: 3000,
      seed: 12,
      receipts: [
        { text: nfceOffline, center: { x: 2900, y: 900 }, modulePx: 2.2, rotationDegrees: 8 },
      ],
      blurSigma: 0.5,
      jpegQuality: 90,
      clutter: 0.3,
    });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfceOffline]);
    expect(result.image).toMatchObject({ width: 4000, height: 3000 });
    // Modules of 0.55 px in the preview and 1.1 px at the working size; 2.2 px at full size.
    expect(result.attempts.map((attempt) => attempt.step)).toEqual([
      'preview',
      'whole',
      'whole-sharpened',
      'detail',
    ]);
    expect(result.attempts.at(-1)).toMatchObject({ width: 4000, height: 3000, found: 1 });
    expectPositionNear(result.codes[0]?.position, shot.codes[0]?.corners as Quad);
  });

  it('reads a code of 1.55 px modules in sharpened tiles when the whole frame fails', async () => {
    const shot = await composeReceiptPhoto({
      width: 3000,
      height: 2250,
      seed: 10_341,
      receipts: [{ text: nfce, center: { x: 800, y: 1618 }, modulePx: 1.55, rotationDegrees: 1.4 }],
      blurSigma: 0.6,
      noise: 4,
      jpegQuality: 85,
      shading: 0.13,
      clutter: 0.42,
    });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce]);
    expect(result.attempts.map((attempt) => [attempt.step, attempt.found])).toEqual([
      ['whole', 0],
      ['whole-sharpened', 0],
      ['detail', 0],
      ['tiles-sharpened', 1],
    ]);
    expect(result.attempts.at(-1)).toMatchObject({ width: 1500, height: 1125 });
    expectPositionNear(result.codes[0]?.position, shot.codes[0]?.corners as Quad);
  });

  it('reads a close-up 12 MP portrait photo from its quarter-size preview', async () => {
    const shot = await composeReceiptPhoto({
      width: 3000,
      height: 4000,
      seed: 13,
      receipts: [{ text: nfce, center: { x: 1500, y: 2200 }, modulePx: 10, rotationDegrees: -4 }],
      blurSigma: 1,
      jpegQuality: 90,
      orientation: 6,
    });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce]);
    expect(result.attempts.map((attempt) => attempt.step)).toEqual(['preview']);
    expect(result.attempts[0]).toMatchObject({ width: 750, height: 1000 });
    expect(result.image).toMatchObject({ width: 3000, height: 4000 });
    expectPositionNear(result.codes[0]?.position, shot.codes[0]?.corners as Quad, 16);
  });

  it('reads a blurred photo once sharpened', async () => {
    const shot = await photo({ blurSigma: 2.4, seed: 21 });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce]);
    expect(result.attempts.map((attempt) => attempt.step)).toEqual(['whole', 'whole-sharpened']);
    expect(result.attempts[0]?.found).toBe(0);
  });

  it('reads a photo saved at JPEG quality 8', async () => {
    const shot = await photo({ jpegQuality: 8, noise: 8 });
    expectCodes(await readQrCodes(shot.bytes), [nfce]);
  });

  it('reads a code on a busy, noisy background under uneven light', async () => {
    const shot = await photo({ clutter: 1, noise: 14, shading: 0.45, seed: 33 });
    expectCodes(await readQrCodes(shot.bytes), [nfce]);
  });

  it('returns both codes when a photo holds two receipts, each where it was drawn', async () => {
    const shot = await composeReceiptPhoto({
      width: 1600,
      height: 1200,
      seed: 41,
      receipts: [
        { text: nfce, center: { x: 420, y: 700 }, modulePx: 3.6, rotationDegrees: -5 },
        { text: nfceOffline, center: { x: 1180, y: 660 }, modulePx: 3.6, rotationDegrees: 9 },
      ],
      blurSigma: 0.6,
    });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce, nfceOffline]);
    for (const drawn of shot.codes) {
      const code = result.codes.find((candidate) => candidate.text === drawn.text);
      expectPositionNear(code?.position, drawn.corners);
    }
  });

  it('returns a code printed twice once (deduplicated by text)', async () => {
    const shot = await composeReceiptPhoto({
      width: 1600,
      height: 1200,
      seed: 42,
      receipts: [
        { text: nfce, center: { x: 420, y: 700 }, modulePx: 3.6 },
        { text: nfce, center: { x: 1180, y: 660 }, modulePx: 3.6 },
      ],
    });
    const result = expectCodes(await readQrCodes(shot.bytes), [nfce]);
    expect(result.codes).toHaveLength(1);
  });

  it('reads a light-on-dark code (as a phone screen in dark mode shows it)', async () => {
    const qr = renderQrCode(nfce, { modulePx: 5 });
    const inverted = Buffer.from(qr.data.map((value) => 255 - value));
    const bytes = await sharp(inverted, {
      raw: { width: qr.width, height: qr.height, channels: 1 },
    })
      .extend({ top: 200, bottom: 200, left: 300, right: 300, background: '#000000' })
      .png()
      .toBuffer();
    const result = expectCodes(await readQrCodes(bytes), [nfce]);
    expect(result.attempts.at(-1)?.step).toBe('whole-sharpened');
  });

  it('reads a code drawn on a transparent PNG (transparency taken as white paper)', async () => {
    const qr = renderQrCode(nfce, { modulePx: 4 });
    const rgba = Buffer.alloc(qr.width * qr.height * 4);
    qr.data.forEach((value, pixel) => {
      rgba[pixel * 4 + 3] = value === 0 ? 255 : 0; // black modules, the rest fully transparent
    });
    const bytes = await sharp(rgba, { raw: { width: qr.width, height: qr.height, channels: 4 } })
      .png()
      .toBuffer();
    expectCodes(await readQrCodes(bytes), [nfce]);
  });

  it('enlarges a tiny image (a cropped code at 2 px a module) before reading it', async () => {
    const qr = renderQrCode(nfce, { modulePx: 2, quietZoneModules: 2 });
    const bytes = await sharp(qr.data, { raw: { width: qr.width, height: qr.height, channels: 1 } })
      .jpeg({ quality: 80 })
      .toBuffer();
    const result = expectCodes(await readQrCodes(bytes), [nfce]);
    expect(result.attempts[0]?.width).toBeGreaterThan(qr.width * 2);
    expect(result.image).toMatchObject({ width: qr.width, height: qr.height });
  });

  it.each(['webp', 'gif', 'tiff', 'avif'] as const)('reads %s photos', async (format) => {
    const shot = await photo({ format: 'png' });
    // AVIF at the encoder's fastest effort: the default takes many seconds on a busy machine.
    const bytes = await sharp(shot.bytes)
      .toFormat(format, format === 'avif' ? { effort: 0 } : {})
      .toBuffer();
    const result = expectCodes(await readQrCodes(bytes), [nfce]);
    expect(result.image?.format).toBe(format === 'avif' ? 'avif' : format);
  });

  it('reads several photos at once on one lazily loaded zxing module', async () => {
    expect(loadZxing()).toBe(loadZxing());
    expect(resolveZxingWasmPath()).toMatch(
      /node_modules\/zxing-wasm\/dist\/reader\/zxing_reader\.wasm$/,
    );
    expect(existsSync(resolveZxingWasmPath())).toBe(true);
    const shots = await Promise.all([
      photo({ seed: 1 }),
      photo({ seed: 2, text: nfceOffline }),
      photo({ seed: 3, orientation: 6 }),
    ]);
    const results = await Promise.all(shots.map((shot) => readQrCodes(shot.bytes)));
    expect(results.map((result) => result.ok && result.codes[0]?.text)).toEqual([
      nfce,
      nfceOffline,
      nfce,
    ]);
  });
});

describe('readQrCodes without a code', () => {
  it('tries every step on a photo without a QR code, then says none was found', async () => {
    const shot = await composeReceiptPhoto({
      width: 1600,
      height: 1200,
      seed: 5,
      receipts: [],
      clutter: 0.8,
    });
    const result = await readQrCodes(shot.bytes);
    expect(result).toMatchObject({ ok: false, reason: 'no-qr-found' });
    expect(result.attempts.map((attempt) => attempt.step)).toEqual([
      'whole',
      'whole-sharpened',
      'tiles-sharpened',
      'tiles',
    ]);
    expect(result.attempts.slice(2).map((attempt) => attempt.reads)).toEqual([9, 9]);
    expect(result.attempts.every((attempt) => attempt.found === 0 && !attempt.error)).toBe(true);
  });

  it('stops starting steps once the time budget is spent', async () => {
    const shot = await composeReceiptPhoto({ width: 1600, height: 1200, seed: 6, receipts: [] });
    const result = await readQrCodes(shot.bytes, { budgetMs: 0 });
    expect(result).toMatchObject({ ok: false, reason: 'no-qr-found' });
    expect(result.attempts.map((attempt) => attempt.step)).toEqual(['whole']);
  });

  it('keeps searching after a find when asked to be exhaustive', async () => {
    const shot = await photo();
    const result = expectCodes(await readQrCodes(shot.bytes, { isExhaustive: true }), [nfce]);
    expect(result.attempts.map((attempt) => attempt.step)).toEqual([
      'whole',
      'whole-sharpened',
      'tiles-sharpened',
      'tiles',
    ]);
    expect(result.attempts.map((attempt) => attempt.found)).toEqual([1, 0, 0, 0]);
  });

  it('answers a 1×1 image with no-qr-found, without reading it', async () => {
    const bytes = await sharp({
      create: { width: 1, height: 1, channels: 3, background: '#ffffff' },
    })
      .png()
      .toBuffer();
    const result = await readQrCodes(bytes);
    expect(result).toMatchObject({
      ok: false,
      reason: 'no-qr-found',
      image: { format: 'png', width: 1, height: 1 },
      attempts: [],
    });
  });
});

describe('readQrCodes on bad input', () => {
  it.each([
    [
      'a PDF',
      Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n'),
      'application/pdf',
    ],
    [
      'an HTML page',
      Buffer.from('<!DOCTYPE html><html><body><img src="qr.png"></body></html>'),
      undefined,
    ],
    [
      'an SVG drawing',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      undefined,
    ],
    [
      'a ZIP archive',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(60)]),
      'application/zip',
    ],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 131 + 7) % 251)),
      undefined,
    ],
    ['an empty file', Buffer.alloc(0), undefined],
  ])('refuses %s as not-an-image', async (_name, bytes, detectedType) => {
    const result = await readQrCodes(bytes);
    expect(result).toMatchObject({ ok: false, reason: 'not-an-image', attempts: [] });
    if (result.ok) return;
    expect(result.details?.detectedType).toBe(detectedType);
    expect(result.message).toMatch(/not a photo/);
  });

  it('refuses a JPEG cut off inside its header as not-an-image', async () => {
    const shot = await photo();
    const result = await readQrCodes(shot.bytes.subarray(0, 300));
    expect(result).toMatchObject({ ok: false, reason: 'not-an-image' });
  });

  it('reads what it can of a JPEG truncated in its pixel data, without throwing', async () => {
    const shot = await photo({
      receipts: [{ text: nfce, center: { x: 800, y: 330 }, modulePx: 4 }],
    });
    // The code sits in the upper part, which survives the cut (libjpeg greys out the rest).
    const result = await readQrCodes(shot.bytes.subarray(0, Math.floor(shot.bytes.length * 0.8)));
    expectCodes(result, [nfce]);
  });

  it('refuses a 30 MB file as image-too-large before decoding it', async () => {
    const shot = await photo();
    const huge = Buffer.concat([shot.bytes, Buffer.alloc(30 * 1024 * 1024 - shot.bytes.length)]);
    const result = await readQrCodes(huge);
    expect(result).toMatchObject({
      ok: false,
      reason: 'image-too-large',
      details: { limit: 'bytes', maxBytes: 20 * 1024 * 1024, bytes: huge.length },
      attempts: [],
    });
    expect(result.ms).toBeLessThan(1000);
  });

  it('refuses an image whose header claims 400 M pixels as image-too-large', async () => {
    const result = await readQrCodes(pngClaiming(20_000, 20_000));
    expect(result).toMatchObject({
      ok: false,
      reason: 'image-too-large',
      details: { limit: 'pixels', maxPixels: 64_000_000, width: 20_000, height: 20_000 },
    });
  });

  it('applies the pixel and byte limits it is given', async () => {
    const shot = await photo();
    expect(await readQrCodes(shot.bytes, { maxPixels: 1_000_000 })).toMatchObject({
      ok: false,
      reason: 'image-too-large',
      details: { limit: 'pixels', width: 1600, height: 1200 },
    });
    expect(await readQrCodes(shot.bytes, { maxBytes: 1000 })).toMatchObject({
      ok: false,
      reason: 'image-too-large',
      details: { limit: 'bytes', maxBytes: 1000 },
    });
  });

  it('decodes a damaged PNG leniently (broken checksum): a typed answer, no exception', async () => {
    const bytes = pngClaiming(100, 100);
    bytes[29] = (bytes[29] ?? 0) ^ 0xff; // inside the IHDR CRC
    const result = await readQrCodes(bytes);
    expect(result).toMatchObject({ ok: false, reason: 'no-qr-found', image: { width: 100 } });
  });
});

describe('chooseWorkingScale', () => {
  const settings = { workingSize: 2000, minWorkingSize: 800 };
  it.each([
    [4000, 3000, 0.5],
    [1600, 1200, 1],
    [2000, 100, 1],
    [400, 300, 2],
    [100, 100, 4],
    [50, 60, 4],
  ])('%i×%i → %f', (width, height, scale) => {
    expect(chooseWorkingScale(width, height, settings)).toBeCloseTo(scale);
  });
});

describe('choosePreviewSize', () => {
  const settings = { workingSize: 2000, minPreviewSize: 800 };
  it.each([
    [{ width: 4000, height: 3000 }, 1000],
    [{ width: 3024, height: 4032 }, 1008],
    [{ width: 3264, height: 2448 }, 816],
    [{ width: 3000, height: 2250 }, undefined],
    [{ width: 1600, height: 1200 }, undefined],
    [{ width: 8000, height: 6000 }, undefined],
    [undefined, undefined],
  ])('%j → %s', (size, expected) => {
    expect(choosePreviewSize(size, settings)).toBe(expected);
  });
});
