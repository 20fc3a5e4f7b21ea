/**
 * Pixel work on one-channel images for the QR reader's fallbacks: what sharp does not do
 * cheaply on raw grayscale (its colour-managed `grayscale()` cost more than the decode of a
 * downscaled 12 MP JPEG here) or what has to match zxing's own conversion exactly.
 */

/** One-channel 8-bit image, row-major. */
export type GrayPixels = { data: Uint8Array; width: number; height: number };

/** Four-channel 8-bit image as zxing-wasm takes it. */
export type RgbaPixels = { data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number };

/**
 * RGBA to gray with zxing-wasm's own weights ((306 R + 601 G + 117 B + 512) >> 10), so a gray
 * image expanded back with `rgbaFromGray` decodes exactly as the colour one did.
 */
export function grayFromRgba(image: RgbaPixels): GrayPixels {
  const { width, height } = image;
  const source = image.data;
  const data = new Uint8Array(width * height);
  for (let pixel = 0, offset = 0; pixel < data.length; pixel += 1, offset += 4) {
    data[pixel] =
      (306 * (source[offset] ?? 0) +
        601 * (source[offset + 1] ?? 0) +
        117 * (source[offset + 2] ?? 0) +
        512) >>
      10;
  }
  return { data, width, height };
}

/** Gray to opaque RGBA with R = G = B (the weights above sum to 1024: the gray survives). */
export function rgbaFromGray(image: GrayPixels): RgbaPixels {
  const { width, height } = image;
  const data = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(data.buffer);
  const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (let pixel = 0; pixel < words.length; pixel += 1) {
    const value = image.data[pixel] ?? 0;
    words[pixel] = isLittleEndian
      ? (0xff000000 | (value << 16) | (value << 8) | value) >>> 0
      : ((value << 24) | (value << 16) | (value << 8) | 0xff) >>> 0;
  }
  return { data, width, height };
}

/**
 * Spreads the levels between the `fraction` darkest and brightest pixels over 0–255: a grey,
 * washed-out or underexposed code gets its full contrast back. An image with one level stays.
 */
export function stretchContrast(image: GrayPixels, fraction = 0.01): GrayPixels {
  const histogram = new Uint32Array(256);
  const source = image.data;
  for (let pixel = 0; pixel < source.length; pixel += 1) {
    const value = source[pixel] ?? 0;
    histogram[value] = (histogram[value] ?? 0) + 1;
  }
  const cut = Math.floor(image.data.length * fraction);
  let low = 0;
  for (let seen = 0; low < 255; low += 1) {
    seen += histogram[low] ?? 0;
    if (seen > cut) break;
  }
  let high = 255;
  for (let seen = 0; high > 0; high -= 1) {
    seen += histogram[high] ?? 0;
    if (seen > cut) break;
  }
  if (high <= low) return image;
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value += 1) {
    table[value] = Math.max(0, Math.min(255, Math.round(((value - low) * 255) / (high - low))));
  }
  const data = new Uint8Array(source.length);
  for (let pixel = 0; pixel < data.length; pixel += 1) data[pixel] = table[source[pixel] ?? 0] ?? 0;
  return { data, width: image.width, height: image.height };
}

/**
 * Mean of each pixel's (2r+1)² neighbourhood, edges clamped (the window shrinks there):
 * separable running sums, linear in the pixels whatever the radius.
 */
export function boxBlur(image: GrayPixels, radius: number): GrayPixels {
  const { width, height } = image;
  const source = image.data;
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const start = y * width;
    let sum = 0;
    let count = 0;
    for (let x = 0; x < Math.min(radius, width); x += 1) {
      sum += source[start + x] ?? 0;
      count += 1;
    }
    for (let x = 0; x < width; x += 1) {
      const entering = x + radius;
      if (entering < width) {
        sum += source[start + entering] ?? 0;
        count += 1;
      }
      const leaving = x - radius - 1;
      if (leaving >= 0) {
        sum -= source[start + leaving] ?? 0;
        count -= 1;
      }
      rows[start + x] = (sum + (count >> 1)) / count;
    }
  }
  const data = new Uint8Array(width * height);
  const sums = new Uint32Array(width);
  let count = 0;
  for (let y = 0; y < Math.min(radius, height); y += 1) {
    for (let x = 0; x < width; x += 1) sums[x] = (sums[x] ?? 0) + (rows[y * width + x] ?? 0);
    count += 1;
  }
  for (let y = 0; y < height; y += 1) {
    const entering = y + radius;
    if (entering < height) {
      for (let x = 0; x < width; x += 1)
        sums[x] = (sums[x] ?? 0) + (rows[entering * width + x] ?? 0);
      count += 1;
    }
    const leaving = y - radius - 1;
    if (leaving >= 0) {
      for (let x = 0; x < width; x += 1)
        sums[x] = (sums[x] ?? 0) - (rows[leaving * width + x] ?? 0);
      count -= 1;
    }
    const start = y * width;
    for (let x = 0; x < width; x += 1) data[start + x] = ((sums[x] ?? 0) + (count >> 1)) / count;
  }
  return { data, width, height };
}

/** Unsharp mask: each pixel pushed away from its neighbourhood mean by `amount`. */
export function sharpen(image: GrayPixels, radius: number, amount: number): GrayPixels {
  const blurred = boxBlur(image, radius);
  const data = new Uint8Array(image.data.length);
  for (let pixel = 0; pixel < data.length; pixel += 1) {
    const value = image.data[pixel] ?? 0;
    const sharpened = value + amount * (value - (blurred.data[pixel] ?? 0));
    data[pixel] = Math.max(0, Math.min(255, Math.round(sharpened)));
  }
  return { data, width: image.width, height: image.height };
}

export type Rectangle = { left: number; top: number; width: number; height: number };

/** The part of `image` inside `area` (clipped to the image). */
export function cropGray(image: GrayPixels, area: Rectangle): GrayPixels {
  const left = Math.max(0, Math.min(image.width, Math.round(area.left)));
  const top = Math.max(0, Math.min(image.height, Math.round(area.top)));
  const width = Math.max(0, Math.min(image.width - left, Math.round(area.width)));
  const height = Math.max(0, Math.min(image.height - top, Math.round(area.height)));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const start = (top + y) * image.width + left;
    data.set(image.data.subarray(start, start + width), y * width);
  }
  return { data, width, height };
}

/**
 * Overlapping tiles over a `width`×`height` image: `grid`×`grid` tiles, each `fraction` of the
 * image's sides, evenly spaced. Anything no larger than the overlap of two neighbours
 * (a quarter of a side for 3×3 halves) lies wholly inside at least one tile.
 */
export function planTiles(width: number, height: number, grid = 3, fraction = 0.5): Rectangle[] {
  const tileWidth = Math.round(width * fraction);
  const tileHeight = Math.round(height * fraction);
  const tiles: Rectangle[] = [];
  for (let row = 0; row < grid; row += 1) {
    for (let column = 0; column < grid; column += 1) {
      const left = grid === 1 ? 0 : Math.round(((width - tileWidth) * column) / (grid - 1));
      const top = grid === 1 ? 0 : Math.round(((height - tileHeight) * row) / (grid - 1));
      tiles.push({ left, top, width: tileWidth, height: tileHeight });
    }
  }
  return tiles;
}
