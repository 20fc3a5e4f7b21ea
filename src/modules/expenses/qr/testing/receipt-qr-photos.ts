import QRCode from 'qrcode';
import sharp from 'sharp';

/**
 * Generated phone photos of fiscal receipts with their QR codes, for tests and the benchmark
 * (nothing large is kept in git). A receipt is drawn flat — paper, lines of text-like glyphs,
 * the QR code near its foot — then projected into the photo by a homography (position, scale,
 * in-plane rotation, perspective tilt), over a textured background, with uneven light, sensor
 * noise, optical blur, JPEG compression and, optionally, an EXIF orientation.
 *
 * Test-support code: it imports `qrcode` (a dev dependency) and is never imported by the app.
 */

/** One-channel 8-bit image, row-major. */
export type GrayImage = { data: Uint8Array; width: number; height: number };

export type Point = { x: number; y: number };

/** Corners in order top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/** A deterministic generator in [0, 1) (mulberry32): the same seed draws the same photos. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomDigits(random: () => number, length: number): string {
  let digits = '';
  for (let index = 0; index < length; index += 1) digits += Math.floor(random() * 10);
  return digits;
}

function randomHex(random: () => number, length: number): string {
  let hex = '';
  for (let index = 0; index < length; index += 1) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

/** Mod-11 check digit of the first 43 digits of an NF-e/NFC-e access key (weights 2–9). */
export function computeAccessKeyCheckDigit(first43: string): number {
  let sum = 0;
  let weight = 2;
  for (let index = first43.length - 1; index >= 0; index -= 1) {
    sum += Number(first43[index]) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

const portals = [
  { uf: '41', url: 'https://www.fazenda.pr.gov.br/nfce/qrcode' },
  {
    uf: '35',
    url: 'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx',
  },
  { uf: '31', url: 'https://portalsped.fazenda.mg.gov.br/portalnfce/sistema/qrcode.xhtml' },
  { uf: '32', url: 'http://app.sefaz.es.gov.br/ConsultaNFCe/qrcode.aspx' },
] as const;

/**
 * The content of a real-format NFC-e QR code: a consultation URL with a 44-digit access key
 * (valid check digit, model 65) and the v2 online (`key|2|env|cscId|hash`) or offline
 * (`key|2|env|day|total|digVal|cscId|hash`) parameter.
 */
export function buildNfceQrText(random: () => number, form: 'online' | 'offline' = 'online') {
  const portal = portals[Math.floor(random() * portals.length)] ?? portals[0];
  const yearMonth = `25${String(1 + Math.floor(random() * 12)).padStart(2, '0')}`;
  const first43 = `${portal.uf}${yearMonth}${randomDigits(random, 14)}65${randomDigits(random, 3)}${randomDigits(random, 9)}1${randomDigits(random, 8)}`;
  const key = `${first43}${computeAccessKeyCheckDigit(first43)}`;
  const cscId = String(1 + Math.floor(random() * 3));
  const hash = randomHex(random, 40).toUpperCase();
  if (form === 'online') return `${portal.url}?p=${key}|2|1|${cscId}|${hash}`;
  const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
  const total = (1 + random() * 400).toFixed(2);
  const digestValue = randomHex(random, 56);
  return `${portal.url}?p=${key}|2|1|${day}|${total}|${digestValue}|${cscId}|${hash}`;
}

/** The QR code of `text`, black modules on white with a quiet zone, `modulePx` pixels a module. */
export function renderQrCode(
  text: string,
  options: { modulePx: number; quietZoneModules?: number; ecLevel?: 'L' | 'M' | 'Q' | 'H' },
): GrayImage & { modules: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: options.ecLevel ?? 'M' });
  const quiet = options.quietZoneModules ?? 4;
  const modulePx = Math.max(1, Math.round(options.modulePx));
  const side = (modules.size + 2 * quiet) * modulePx;
  const data = new Uint8Array(side * side).fill(255);
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (!modules.get(row, column)) continue;
      const top = (row + quiet) * modulePx;
      const left = (column + quiet) * modulePx;
      for (let y = top; y < top + modulePx; y += 1) {
        data.fill(0, y * side + left, y * side + left + modulePx);
      }
    }
  }
  return { data, width: side, height: side, modules: modules.size };
}

/**
 * The 3×3 homography (row-major, h[8] = 1) taking each `from` corner to the matching `to`
 * corner. Throws when the corners are degenerate (three in a line).
 */
export function solveHomography(from: Quad, to: Quad): number[] {
  const rows: number[][] = [];
  for (let index = 0; index < 4; index += 1) {
    const { x, y } = from[index] as Point;
    const { x: u, y: v } = to[index] as Point;
    rows.push([x, y, 1, 0, 0, 0, -x * u, -y * u, u]);
    rows.push([0, 0, 0, x, y, 1, -x * v, -y * v, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let column = 0; column < 8; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < 8; row += 1) {
      if (Math.abs(rows[row]?.[column] ?? 0) > Math.abs(rows[pivot]?.[column] ?? 0)) pivot = row;
    }
    const pivotRow = rows[pivot] as number[];
    const pivotValue = pivotRow[column] ?? 0;
    if (Math.abs(pivotValue) < 1e-12) throw new Error('degenerate corners: no homography');
    rows[pivot] = rows[column] as number[];
    rows[column] = pivotRow;
    for (let row = 0; row < 8; row += 1) {
      if (row === column) continue;
      const current = rows[row] as number[];
      const factor = (current[column] ?? 0) / pivotValue;
      if (factor === 0) continue;
      for (let k = column; k < 9; k += 1)
        current[k] = (current[k] ?? 0) - factor * (pivotRow[k] ?? 0);
    }
  }
  const h = rows.map((row, index) => (row[8] ?? 0) / (row[index] ?? 1));
  return [...h, 1];
}

export function applyHomography(h: readonly number[], point: Point): Point {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, l = 1] = h;
  const w = g * point.x + k * point.y + l;
  return { x: (a * point.x + b * point.y + c) / w, y: (d * point.x + e * point.y + f) / w };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function sampleBilinear(image: GrayImage, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const lastX = image.width - 1;
  const lastY = image.height - 1;
  const left = clamp(x0, 0, lastX);
  const right = clamp(x0 + 1, 0, lastX);
  const top = clamp(y0, 0, lastY) * image.width;
  const bottom = clamp(y0 + 1, 0, lastY) * image.width;
  const { data } = image;
  const upper = (data[top + left] ?? 0) * (1 - fx) + (data[top + right] ?? 0) * fx;
  const lower = (data[bottom + left] ?? 0) * (1 - fx) + (data[bottom + right] ?? 0) * fx;
  return upper * (1 - fy) + lower * fy;
}

/**
 * Draws `source` into `target` so that its corners land on `corners` (a perspective warp,
 * inverse-mapped, `supersample`² bilinear samples a pixel so shrinking does not alias).
 * Marks the covered pixels in `mask` when given.
 */
export function warpInto(
  target: GrayImage,
  source: GrayImage,
  corners: Quad,
  options: { supersample?: number; mask?: Uint8Array } = {},
): void {
  const sourceCorners: Quad = [
    { x: 0, y: 0 },
    { x: source.width, y: 0 },
    { x: source.width, y: source.height },
    { x: 0, y: source.height },
  ];
  const inverse = solveHomography(corners, sourceCorners);
  const samples = Math.max(1, Math.round(options.supersample ?? 2));
  const minX = Math.max(0, Math.floor(Math.min(...corners.map((corner) => corner.x))));
  const maxX = Math.min(
    target.width - 1,
    Math.ceil(Math.max(...corners.map((corner) => corner.x))),
  );
  const minY = Math.max(0, Math.floor(Math.min(...corners.map((corner) => corner.y))));
  const maxY = Math.min(
    target.height - 1,
    Math.ceil(Math.max(...corners.map((corner) => corner.y))),
  );
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, l = 1] = inverse;
  const step = 1 / samples;
  for (let y = minY; y <= maxY; y += 1) {
    for (let x = minX; x <= maxX; x += 1) {
      let sum = 0;
      let inside = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        const py = y + (sy + 0.5) * step;
        for (let sx = 0; sx < samples; sx += 1) {
          const px = x + (sx + 0.5) * step;
          const w = g * px + k * py + l;
          const u = (a * px + b * py + c) / w;
          const v = (d * px + e * py + f) / w;
          if (u < 0 || v < 0 || u >= source.width || v >= source.height) continue;
          sum += sampleBilinear(source, u - 0.5, v - 0.5);
          inside += 1;
        }
      }
      if (inside === 0) continue;
      const index = y * target.width + x;
      const coverage = inside / (samples * samples);
      const value = sum / inside;
      target.data[index] = Math.round(
        value * coverage + (target.data[index] ?? 0) * (1 - coverage),
      );
      if (options.mask && coverage >= 0.5) options.mask[index] = 1;
    }
  }
}

/**
 * A strip of receipt paper ending in the QR code: lines of small glyphs (like printed text,
 * much finer than the QR's modules are coarse) above it. Returns where the QR sits on it.
 */
export function renderReceipt(
  random: () => number,
  qr: GrayImage & { modules: number },
): GrayImage & { qrAt: Point } {
  const modulePx = qr.width / (qr.modules + 8);
  const width = Math.round(qr.width * 1.6);
  const height = Math.round(qr.height * 2.3);
  const data = new Uint8Array(width * height);
  for (let index = 0; index < data.length; index += 1)
    data[index] = 232 + Math.floor(random() * 16);
  const qrAt = {
    x: Math.round((width - qr.width) / 2),
    y: height - qr.height - Math.round(qr.height * 0.12),
  };
  for (let row = 0; row < qr.height; row += 1) {
    data.set(
      qr.data.subarray(row * qr.width, (row + 1) * qr.width),
      (qrAt.y + row) * width + qrAt.x,
    );
  }
  // Text: glyphs of 3×5 dots, 4 modules tall, in lines with words of random length.
  const dot = Math.max(1, modulePx * 0.8);
  const glyphWidth = dot * 4;
  const lineHeight = dot * 8;
  const margin = Math.round(width * 0.06);
  for (let top = margin; top + lineHeight < qrAt.y - lineHeight; top += lineHeight) {
    let x = margin;
    while (x + glyphWidth < width - margin) {
      const letters = 1 + Math.floor(random() * 9);
      for (let letter = 0; letter < letters && x + glyphWidth < width - margin; letter += 1) {
        for (let gy = 0; gy < 5; gy += 1) {
          for (let gx = 0; gx < 3; gx += 1) {
            if (random() < 0.45) continue;
            const x0 = Math.round(x + gx * dot);
            const y0 = Math.round(top + gy * dot);
            for (let y = y0; y < Math.round(y0 + dot); y += 1) {
              data.fill(40, y * width + x0, y * width + Math.round(x0 + dot));
            }
          }
        }
        x += glyphWidth;
      }
      x += glyphWidth * (1 + Math.floor(random() * 2));
    }
  }
  return { data, width, height, qrAt };
}

/** A table or desk: smooth blotches in `tone` ± 50 plus fine grain, optionally busy clutter. */
export async function renderBackground(
  random: () => number,
  width: number,
  height: number,
  options: { tone?: number; clutter?: number } = {},
): Promise<GrayImage> {
  const tone = options.tone ?? 110;
  const coarse = Buffer.alloc(16 * 12);
  for (let index = 0; index < coarse.length; index += 1) {
    coarse[index] = Math.max(0, Math.min(255, tone - 50 + Math.floor(random() * 100)));
  }
  const smooth = await sharp(coarse, { raw: { width: 16, height: 12, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  const data = new Uint8Array(smooth.buffer, smooth.byteOffset, width * height);
  const grain = new Int8Array(65_536);
  for (let index = 0; index < grain.length; index += 1)
    grain[index] = Math.floor(random() * 24) - 12;
  for (let y = 0; y < height; y += 1) {
    let grainIndex = Math.floor(random() * grain.length);
    for (let index = y * width; index < (y + 1) * width; index += 1) {
      grainIndex = (grainIndex + 7919) & 0xffff;
      const value = (data[index] ?? 0) + (grain[grainIndex] ?? 0);
      data[index] = clamp(value, 0, 255);
    }
  }
  // Clutter: dark and light squares and bars of many sizes (things on the desk, other print).
  const pieces = Math.round(((options.clutter ?? 0) * (width * height)) / 20_000);
  for (let piece = 0; piece < pieces; piece += 1) {
    const size = 3 + Math.floor(random() * 40);
    const x0 = Math.floor(random() * (width - size));
    const y0 = Math.floor(random() * (height - size));
    const value = random() < 0.5 ? 20 + Math.floor(random() * 40) : 200 + Math.floor(random() * 55);
    const long = random() < 0.5 ? size : Math.ceil(size / 4);
    for (let y = y0; y < Math.min(height, y0 + long); y += 1)
      data.fill(value, y * width + x0, y * width + x0 + size);
  }
  return { data, width, height };
}

export type ReceiptPlacement = {
  text: string;
  /** Centre of the QR code in the upright photo. */
  center: Point;
  /** Pixels a module at the QR's foot (its top shrinks when tilted). */
  modulePx: number;
  /** In-plane rotation, degrees clockwise. */
  rotationDegrees?: number;
  /** Perspective: 0 flat; 0.5 the top edge half as wide as the bottom and foreshortened. */
  tilt?: number;
  ecLevel?: 'L' | 'M' | 'Q' | 'H';
};

export type ReceiptPhotoSpec = {
  /** Upright size (after the EXIF orientation is applied). */
  width: number;
  height: number;
  receipts: readonly ReceiptPlacement[];
  seed: number;
  /** Gaussian blur sigma in pixels (optics, focus); 0 = none. */
  blurSigma?: number;
  /** Amplitude of sensor noise, 0–255 (uniform ±). */
  noise?: number;
  /** Light falling off across the frame: 0 even, 0.5 the dark corner at half brightness. */
  shading?: number;
  /** Busy background pieces (0 none, 1 plenty). */
  clutter?: number;
  format?: 'jpeg' | 'png';
  jpegQuality?: number;
  /** EXIF orientation written to the file; the pixels are stored rotated to match. */
  orientation?: 1 | 3 | 6 | 8;
};

export type ReceiptPhoto = {
  bytes: Buffer;
  width: number;
  height: number;
  /** Every QR code in the photo with its corners in upright photo coordinates. */
  codes: Array<{ text: string; corners: Quad }>;
};

function placeReceipt(
  frame: GrayImage,
  mask: Uint8Array,
  random: () => number,
  placement: ReceiptPlacement,
): Quad {
  const sourceModulePx = Math.max(2, Math.ceil(placement.modulePx * 1.5));
  const qr = renderQrCode(placement.text, {
    modulePx: sourceModulePx,
    ecLevel: placement.ecLevel ?? 'M',
  });
  const receipt = renderReceipt(random, qr);
  const scale = placement.modulePx / sourceModulePx;
  const tilt = Math.max(0, Math.min(0.9, placement.tilt ?? 0));
  const angle = ((placement.rotationDegrees ?? 0) * Math.PI) / 180;
  // The receipt's corners in photo pixels around the QR's centre: a perspective tilt narrows
  // and foreshortens the top edge; then the in-plane rotation and the placement.
  const halfWidth = (receipt.width / 2) * scale;
  const above = (receipt.qrAt.y + qr.height / 2) * scale;
  const below = receipt.height * scale - above;
  const rotate = ({ x, y }: Point): Point => ({
    x: placement.center.x + x * Math.cos(angle) - y * Math.sin(angle),
    y: placement.center.y + x * Math.sin(angle) + y * Math.cos(angle),
  });
  const corners: Quad = [
    rotate({ x: -halfWidth * (1 - tilt), y: -above * (1 - tilt / 2) }),
    rotate({ x: halfWidth * (1 - tilt), y: -above * (1 - tilt / 2) }),
    rotate({ x: halfWidth, y: below }),
    rotate({ x: -halfWidth, y: below }),
  ];
  warpInto(frame, receipt, corners, { mask });
  // Where the QR's own corners land (the same homography, not the non-linear helper above).
  const h = solveHomography(
    [
      { x: 0, y: 0 },
      { x: receipt.width, y: 0 },
      { x: receipt.width, y: receipt.height },
      { x: 0, y: receipt.height },
    ],
    corners,
  );
  const quiet = (qr.width / (qr.modules + 8)) * 4;
  const { x, y } = receipt.qrAt;
  return [
    applyHomography(h, { x: x + quiet, y: y + quiet }),
    applyHomography(h, { x: x + qr.width - quiet, y: y + quiet }),
    applyHomography(h, { x: x + qr.width - quiet, y: y + qr.height - quiet }),
    applyHomography(h, { x: x + quiet, y: y + qr.height - quiet }),
  ];
}

/** Renders a receipt photo as described by `spec`. */
export async function composeReceiptPhoto(spec: ReceiptPhotoSpec): Promise<ReceiptPhoto> {
  const random = createRandom(spec.seed);
  const { width, height } = spec;
  const frame = await renderBackground(random, width, height, { clutter: spec.clutter ?? 0 });
  const mask = new Uint8Array(width * height);
  const codes = spec.receipts.map((placement) => ({
    text: placement.text,
    corners: placeReceipt(frame, mask, random, placement),
  }));

  // Colour: warm paper, a brown desk; light falling off from one corner; sensor noise.
  const shading = spec.shading ?? 0.15;
  const noise = spec.noise ?? 4;
  const rgb = Buffer.alloc(width * height * 3);
  const paper = [1, 0.97, 0.9] as const;
  const desk = [1.05, 0.8, 0.6] as const;
  // A table of noise values drawn once, read from a random start: per-pixel draws were slow.
  const noiseTable = new Float32Array(65_536);
  for (let index = 0; index < noiseTable.length; index += 1) {
    noiseTable[index] = (random() * 2 - 1) * noise;
  }
  for (let y = 0; y < height; y += 1) {
    let noiseIndex = Math.floor(random() * noiseTable.length);
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      const light = 1 - shading * ((x / width + y / height) / 2);
      const tint = mask[index] ? paper : desk;
      const value = (frame.data[index] ?? 0) * light;
      for (let channel = 0; channel < 3; channel += 1) {
        noiseIndex = (noiseIndex + 7919) & 0xffff;
        const noisy = value * (tint[channel] ?? 1) + (noiseTable[noiseIndex] ?? 0);
        rgb[index * 3 + channel] = noisy < 0 ? 0 : noisy > 255 ? 255 : Math.round(noisy);
      }
    }
  }

  let image = sharp(rgb, { raw: { width, height, channels: 3 } });
  if ((spec.blurSigma ?? 0) >= 0.3) image = image.blur(spec.blurSigma);
  const orientation = spec.orientation ?? 1;
  if (orientation !== 1) {
    // Store the pixels so that a viewer applying the orientation shows them upright.
    const stored = await image.raw().toBuffer({ resolveWithObject: true });
    const storedAngle = { 3: 180, 6: 270, 8: 90 }[orientation];
    image = sharp(stored.data, { raw: stored.info })
      .rotate(storedAngle)
      .withMetadata({ orientation });
  }
  const bytes =
    spec.format === 'png'
      ? await image.png({ compressionLevel: 1 }).toBuffer()
      : await image.jpeg({ quality: spec.jpegQuality ?? 85 }).toBuffer();
  return { bytes, width, height, codes };
}
