import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import {
  cropGray,
  type GrayPixels,
  grayFromRgba,
  planTiles,
  type RgbaPixels,
  rgbaFromGray,
  sharpen,
  stretchContrast,
} from './qr-pixels.js';
import { type PhotoFormat, readJpegSize, sniffImageFormat } from './sniff-image-format.js';
import { loadZxing, qrReaderOptions, readZxing, type ZxingResult } from './zxing-module.js';

/**
 * Reads every QR code in a photo (a receipt shot with a phone). The cheap path is one sharp
 * pipeline (EXIF orientation applied, big photos shrunk while the JPEG is decoded, tiny ones
 * enlarged) and one zxing read. Only when that finds nothing: a sharpened copy, the frame at a
 * finer scale, then overlapping tiles, sharpened and plain, until something decodes or the
 * time budget is spent. Bad input never throws: it comes back as a typed failure. README.md
 * has the strategy and the measured numbers.
 */

export type QrPoint = { x: number; y: number };

/** Corners of a code in pixels of the upright image (after the EXIF orientation). */
export type QrPosition = {
  topLeft: QrPoint;
  topRight: QrPoint;
  bottomRight: QrPoint;
  bottomLeft: QrPoint;
};

export type QrCode = { text: string; format: string; position?: QrPosition };

/**
 * The steps of the search, in the order tried (each only if the ones before found nothing):
 * - `preview`: big JPEGs only (≥ 4× the least preview size, e.g. 12 MP), at a quarter of
 *   their size — libjpeg decodes that for a fraction of the cost, and a code photographed from
 *   close by reads there already;
 * - `whole`: the frame at the working size;
 * - `whole-sharpened`: the same, contrast stretched and sharpened (blur, low contrast);
 * - `detail`: photos bigger than the working size only, the frame at up to twice that size
 *   (small codes in big photos);
 * - `tiles-sharpened`, `tiles`: overlapping tiles of the finest frame, sharpened and plain.
 */
export const qrReadSteps = [
  'preview',
  'whole',
  'whole-sharpened',
  'detail',
  'tiles-sharpened',
  'tiles',
] as const;
export type QrReadStep = (typeof qrReadSteps)[number];

export type QrReadAttempt = {
  step: QrReadStep;
  /** Size of the image zxing read (of the first tile, for tile steps). */
  width: number;
  height: number;
  /** Images zxing read in this step: 1, or the tiles read before a find. */
  reads: number;
  /** New codes this step found. */
  found: number;
  ms: number;
  /** Why the step could not run (the search then goes on with the next). */
  error?: string;
};

export type QrImageInfo = { format: PhotoFormat; width: number; height: number };

export type ReadQrCodesSuccess = {
  ok: true;
  codes: QrCode[];
  attempts: QrReadAttempt[];
  image: QrImageInfo;
  ms: number;
};

export type ReadQrCodesFailureReason = 'not-an-image' | 'image-too-large' | 'no-qr-found';

export type ReadQrCodesFailure = {
  ok: false;
  reason: ReadQrCodesFailureReason;
  /** For logs (English); what users read comes from `reason`, through i18n. */
  message: string;
  details?: Record<string, string | number>;
  attempts: QrReadAttempt[];
  image?: QrImageInfo;
  ms: number;
};

export type ReadQrCodesResult = ReadQrCodesSuccess | ReadQrCodesFailure;

export type ReadQrCodesOptions = {
  /** Larger files are refused before anything is decoded. Default 20 MiB. */
  maxBytes?: number;
  /** Images with more pixels (per their header) are refused. Default 64 M (8000 × 8000). */
  maxPixels?: number;
  /** Long side the whole frame is read at: bigger photos shrink to it. Default 2000. */
  workingSize?: number;
  /** Least long side of the quarter-size preview of big JPEGs. Default 800. */
  minPreviewSize?: number;
  /** Images whose long side is below this are enlarged (up to 4×) to reach it. Default 800. */
  minWorkingSize?: number;
  /** No step starts after this much time; the answer is then what was found. Default 4000 ms. */
  budgetMs?: number;
  /** Go through every step even after a find (collects codes only a later step reads). */
  isExhaustive?: boolean;
  /** Steps to try, in order. Default: all of `qrReadSteps`. */
  steps?: readonly QrReadStep[];
};

type Settings = Required<ReadQrCodesOptions>;

const defaultSettings: Settings = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 64_000_000,
  workingSize: 2000,
  minPreviewSize: 800,
  minWorkingSize: 800,
  budgetMs: 4000,
  isExhaustive: false,
  steps: qrReadSteps,
};

/** The smallest QR code (version 1) is 21 modules a side: a smaller image holds none. */
const minReadableSide = 21;

/** Tiles cut from the finest frame: 3×3, each half of a side, so codes up to a quarter fit. */
const tileGrid = 3;
const tileFraction = 0.5;

/**
 * The whole step reads as zxing does by default but without the rotated and inverted passes:
 * a QR finder pattern reads at any angle, and those passes cost time even after a find.
 * `whole-sharpened` brings the inverted pass back (light-on-dark codes, e.g. on a screen).
 */
const wholeReaderOptions = { ...qrReaderOptions, tryRotate: false, tryInvert: false };
const sharpenedReaderOptions = { ...qrReaderOptions, tryRotate: false, tryInvert: true };
const tileReaderOptions = wholeReaderOptions;

/** Where the pixels of a read image are in the upright image: upright = offset + p / scale. */
type Placement = { scaleX: number; scaleY: number; left: number; top: number };

type Frame = { rgba: RgbaPixels; gray?: GrayPixels; placement: Placement };

type SearchState = {
  bytes: Buffer;
  format: PhotoFormat;
  settings: Settings;
  /** Long side of the quarter-size preview, when the photo gets one. */
  previewSize?: number;
  /** Upright size of the photo, known after the first decode. */
  size?: { width: number; height: number };
  /** Decoded frames by their long-side limit (the preview's, the working size). */
  frames: Map<number, Frame>;
  attempts: QrReadAttempt[];
  codes: Map<string, QrCode>;
};

class ImageRefused extends Error {
  constructor(
    readonly reason: 'not-an-image' | 'image-too-large',
    message: string,
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function openImage(bytes: Buffer, settings: Settings) {
  return sharp(bytes, {
    failOn: 'none',
    limitInputPixels: settings.maxPixels,
    autoOrient: true,
  });
}

/** Raw opaque RGBA out of a sharp pipeline; transparency (if any) becomes white. */
async function toRgba(pipeline: Sharp, mayHaveAlpha: boolean): Promise<RgbaPixels> {
  const flattened = mayHaveAlpha ? pipeline.flatten({ background: '#ffffff' }) : pipeline;
  const { data, info } = await flattened
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);
  // Node's Buffers sit on plain ArrayBuffers, never shared ones.
  const rgba = new Uint8ClampedArray(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return { data: rgba, width: info.width, height: info.height };
}

/** Why sharp could not decode `bytes`: too many pixels (per the header) or unreadable. */
async function explainDecodeFailure(
  bytes: Buffer,
  format: PhotoFormat,
  settings: Settings,
  error: unknown,
): Promise<ImageRefused> {
  try {
    const metadata = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
    const width = metadata.autoOrient?.width ?? metadata.width;
    const height = metadata.autoOrient?.height ?? metadata.height;
    if (width && height && width * height > settings.maxPixels) {
      return new ImageRefused(
        'image-too-large',
        `the image has ${width}×${height} pixels; the limit is ${settings.maxPixels}`,
        { limit: 'pixels', maxPixels: settings.maxPixels, width, height },
      );
    }
  } catch {
    // The header itself is unreadable: not an image, as below.
  }
  const message = `the ${format} image cannot be decoded: ${describeError(error)}`;
  return new ImageRefused('not-an-image', message, { format });
}

/**
 * Working-size scale: big photos shrink to `workingSize`, tiny ones grow (up to 4×) towards
 * `minWorkingSize`.
 */
export function chooseWorkingScale(
  width: number,
  height: number,
  settings: Pick<Settings, 'workingSize' | 'minWorkingSize'>,
): number {
  const longSide = Math.max(width, height);
  if (longSide > settings.workingSize) return settings.workingSize / longSide;
  if (longSide < settings.minWorkingSize) return Math.min(4, settings.minWorkingSize / longSide);
  return 1;
}

/**
 * The photo oriented and shrunk to `longSide` (never enlarged) in one pipeline: libjpeg decodes
 * at a fraction of the size when the shrink allows. Tiny photos are then enlarged towards the
 * least working size. The photo's own size is read from its header only when it was shrunk.
 */
async function getFrame(state: SearchState, longSide: number): Promise<Frame> {
  const cached = state.frames.get(longSide);
  if (cached) return cached;
  const { bytes, format, settings } = state;
  let rgba: RgbaPixels;
  try {
    rgba = await toRgba(
      openImage(bytes, settings).resize({
        width: longSide,
        height: longSide,
        fit: 'inside',
        withoutEnlargement: true,
      }),
      format !== 'jpeg', // JPEG has no alpha channel: no flatten needed.
    );
  } catch (error) {
    if (state.size) throw error;
    throw await explainDecodeFailure(bytes, format, settings, error);
  }
  const wasShrunk = Math.max(rgba.width, rgba.height) >= longSide;
  if (!state.size) {
    if (wasShrunk) {
      const metadata = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
      state.size = {
        width: metadata.autoOrient?.width ?? metadata.width,
        height: metadata.autoOrient?.height ?? metadata.height,
      };
    } else {
      state.size = { width: rgba.width, height: rgba.height };
    }
  }
  const { width, height } = state.size;
  const enlarge = wasShrunk ? 1 : chooseWorkingScale(width, height, settings);
  if (enlarge > 1 && Math.min(width, height) >= minReadableSide) {
    rgba = await toRgba(
      sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } }).resize(
        Math.round(rgba.width * enlarge),
        Math.round(rgba.height * enlarge),
        { fit: 'fill', kernel: 'cubic' },
      ),
      false,
    );
  }
  const frame: Frame = {
    rgba,
    placement: { scaleX: rgba.width / width, scaleY: rgba.height / height, left: 0, top: 0 },
  };
  state.frames.set(longSide, frame);
  return frame;
}

function getGray(frame: Frame): GrayPixels {
  frame.gray ??= grayFromRgba(frame.rgba);
  return frame.gray;
}

/**
 * The finest frame, read whole by `detail` and cut into tiles by the tile steps: a photo bigger
 * than the working size at up to twice that (its own resolution when smaller), so each tile is
 * about a working-size image with finer modules than the whole frame had; a smaller photo at
 * the working scale (enlarging its tiles added nothing zxing could use in the benchmark).
 */
function getDetail(state: SearchState): Promise<Frame> {
  return getFrame(state, getDetailSize(state));
}

/** Long side of the finest frame: the working size, or up to twice that for bigger photos. */
function getDetailSize(state: SearchState): number {
  const { width, height } = state.size ?? { width: 0, height: 0 };
  const { workingSize } = state.settings;
  return Math.max(workingSize, Math.min(Math.max(width, height), 2 * workingSize));
}

/**
 * Contrast stretched, then an unsharp mask strong enough to pull blurred modules apart: wide
 * for the whole frame (blur spans several pixels there), narrower for tiles (whose point is
 * codes with modules of one or two pixels). Both settings won the most codes in the benchmark.
 */
function sharpenForQr(image: GrayPixels, kind: 'whole' | 'tile'): GrayPixels {
  return kind === 'whole'
    ? sharpen(stretchContrast(image), 3, 5)
    : sharpen(stretchContrast(image), 2, 3);
}

function toUpright(point: QrPoint, placement: Placement): QrPoint {
  return {
    x: Math.round((placement.left + point.x / placement.scaleX) * 10) / 10,
    y: Math.round((placement.top + point.y / placement.scaleY) * 10) / 10,
  };
}

/** Adds the codes not seen yet (by text); answers how many were new. */
function collect(state: SearchState, results: ZxingResult[], placement: Placement): number {
  let added = 0;
  for (const result of results) {
    if (state.codes.has(result.text)) continue;
    const { position } = result;
    state.codes.set(result.text, {
      text: result.text,
      format: result.format,
      position: {
        topLeft: toUpright(position.topLeft, placement),
        topRight: toUpright(position.topRight, placement),
        bottomRight: toUpright(position.bottomRight, placement),
        bottomLeft: toUpright(position.bottomLeft, placement),
      },
    });
    added += 1;
  }
  return added;
}

async function runStep(state: SearchState, step: QrReadStep): Promise<Omit<QrReadAttempt, 'ms'>> {
  if (step === 'preview' || step === 'whole') {
    const longSide = step === 'preview' ? (state.previewSize ?? 0) : state.settings.workingSize;
    const frame = await getFrame(state, longSide);
    const found = collect(state, await readZxing(frame.rgba, wholeReaderOptions), frame.placement);
    return { step, width: frame.rgba.width, height: frame.rgba.height, reads: 1, found };
  }
  if (step === 'whole-sharpened') {
    const frame = await getFrame(state, state.settings.workingSize);
    const image = rgbaFromGray(sharpenForQr(getGray(frame), 'whole'));
    const found = collect(state, await readZxing(image, sharpenedReaderOptions), frame.placement);
    return { step, width: image.width, height: image.height, reads: 1, found };
  }
  const detail = await getDetail(state);
  if (step === 'detail') {
    const found = collect(
      state,
      await readZxing(detail.rgba, wholeReaderOptions),
      detail.placement,
    );
    return { step, width: detail.rgba.width, height: detail.rgba.height, reads: 1, found };
  }
  const detailGray = getGray(detail);
  const tiles = planTiles(detailGray.width, detailGray.height, tileGrid, tileFraction);
  let found = 0;
  let reads = 0;
  for (const tile of tiles) {
    const cropped = cropGray(detailGray, tile);
    const gray = step === 'tiles-sharpened' ? sharpenForQr(cropped, 'tile') : cropped;
    const placement: Placement = {
      ...detail.placement,
      left: tile.left / detail.placement.scaleX,
      top: tile.top / detail.placement.scaleY,
    };
    reads += 1;
    found += collect(state, await readZxing(rgbaFromGray(gray), tileReaderOptions), placement);
    if (found > 0 && !state.settings.isExhaustive) break;
  }
  const first = tiles[0];
  return { step, width: first?.width ?? 0, height: first?.height ?? 0, reads, found };
}

/**
 * Long side of the quarter-size preview of a JPEG big enough to have one (a quarter is a
 * shrink libjpeg does while decoding), or undefined.
 */
export function choosePreviewSize(
  jpegSize: { width: number; height: number } | undefined,
  settings: Pick<Settings, 'workingSize' | 'minPreviewSize'>,
): number | undefined {
  if (!jpegSize) return undefined;
  const quarter = Math.floor(Math.max(jpegSize.width, jpegSize.height) / 4);
  return quarter >= settings.minPreviewSize && quarter < settings.workingSize ? quarter : undefined;
}

async function describeRefusedBytes(bytes: Buffer): Promise<Record<string, string>> {
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  return detected ? { detectedType: detected.mime } : {};
}

/**
 * Every QR code in the photo `bytes`, or why there is none. Never throws on bad input (wrong
 * type, truncated, huge, tiny); it throws only when zxing-wasm itself cannot be loaded.
 */
export async function readQrCodes(
  bytes: Buffer,
  options: ReadQrCodesOptions = {},
): Promise<ReadQrCodesResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const settings: Settings = { ...defaultSettings };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  const refuse = (
    reason: ReadQrCodesFailureReason,
    message: string,
    details?: Record<string, string | number>,
    image?: QrImageInfo,
  ): ReadQrCodesFailure => ({
    ok: false,
    reason,
    message,
    ...(details && Object.keys(details).length > 0 ? { details } : {}),
    attempts: [],
    ...(image ? { image } : {}),
    ms: elapsed(),
  });

  await loadZxing(); // A missing .wasm is the server's fault, not the photo's: that one throws.

  if (bytes.byteLength > settings.maxBytes) {
    return refuse(
      'image-too-large',
      `the file has ${bytes.byteLength} bytes; the limit is ${settings.maxBytes}`,
      { limit: 'bytes', maxBytes: settings.maxBytes, bytes: bytes.byteLength },
    );
  }
  const format = sniffImageFormat(bytes);
  if (!format) {
    const details = await describeRefusedBytes(bytes);
    const what =
      details.detectedType ?? (bytes.byteLength === 0 ? 'an empty file' : 'unknown bytes');
    return refuse('not-an-image', `${what} is not a photo`, details);
  }

  const state: SearchState = {
    bytes,
    format,
    settings,
    previewSize: format === 'jpeg' ? choosePreviewSize(readJpegSize(bytes), settings) : undefined,
    frames: new Map(),
    attempts: [],
    codes: new Map(),
  };
  const steps = settings.steps.filter((step) => step !== 'preview' || state.previewSize);
  // The first decode tells a photo from bytes that only start like one.
  try {
    const first = steps[0] === 'preview' ? state.previewSize : undefined;
    await getFrame(state, first ?? settings.workingSize);
  } catch (error) {
    if (error instanceof ImageRefused) return refuse(error.reason, error.message, error.details);
    return refuse('not-an-image', `the ${format} image cannot be decoded: ${describeError(error)}`);
  }
  const { width, height } = state.size ?? { width: 0, height: 0 };
  const image: QrImageInfo = { format, width, height };
  if (Math.min(width, height) < minReadableSide) {
    return refuse(
      'no-qr-found',
      `the image (${width}×${height}) is smaller than any QR code`,
      { width, height },
      image,
    );
  }

  for (const step of steps) {
    if (step === 'detail' && getDetailSize(state) === settings.workingSize) continue; // = whole
    if (state.attempts.length > 0 && elapsed() > settings.budgetMs) break;
    const stepStarted = performance.now();
    try {
      const attempt = await runStep(state, step);
      state.attempts.push({ ...attempt, ms: Math.round(performance.now() - stepStarted) });
    } catch (error) {
      state.attempts.push({
        step,
        width: 0,
        height: 0,
        reads: 0,
        found: 0,
        ms: Math.round(performance.now() - stepStarted),
        error: describeError(error),
      });
    }
    if (state.codes.size > 0 && !settings.isExhaustive) break;
  }

  if (state.codes.size === 0) {
    return {
      ...refuse('no-qr-found', 'no QR code could be read in the image', undefined, image),
      attempts: state.attempts,
    };
  }
  return {
    ok: true,
    codes: [...state.codes.values()],
    attempts: state.attempts,
    image,
    ms: elapsed(),
  };
}
