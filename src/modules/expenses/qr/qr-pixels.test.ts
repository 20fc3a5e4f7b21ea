import { describe, expect, it } from 'vitest';
import {
  boxBlur,
  cropGray,
  type GrayPixels,
  grayFromRgba,
  planTiles,
  rgbaFromGray,
  sharpen,
  stretchContrast,
} from './qr-pixels.js';

function gray(width: number, height: number, values: number[]): GrayPixels {
  return { data: Uint8Array.from(values), width, height };
}

describe('grayFromRgba and rgbaFromGray', () => {
  it("convert with zxing's weights, and a gray image survives the round trip", () => {
    const rgba = {
      data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 0]),
      width: 2,
      height: 2,
    };
    // (306 R + 601 G + 117 B + 512) >> 10
    expect([...grayFromRgba(rgba).data]).toEqual([76, 150, 29, 18]);
    const levels = gray(4, 1, [0, 1, 128, 255]);
    const expanded = rgbaFromGray(levels);
    expect([...expanded.data.subarray(8, 12)]).toEqual([128, 128, 128, 255]);
    expect([...grayFromRgba(expanded).data]).toEqual([0, 1, 128, 255]);
  });
});

describe('stretchContrast', () => {
  it('spreads a washed-out range over 0–255, ignoring the extreme 1%', () => {
    const values = Array.from({ length: 1000 }, (_, index) => 100 + (index % 51)); // 100..150
    values[0] = 0; // one outlier each side, under 1%
    values[1] = 255;
    const stretched = stretchContrast(gray(1000, 1, values));
    expect(stretched.data[2]).toBe(Math.round(((102 - 100) * 255) / 50));
    expect(Math.min(...stretched.data.subarray(2))).toBe(0);
    expect(Math.max(...stretched.data.subarray(2))).toBe(255);
  });

  it('leaves a flat image alone', () => {
    const flat = gray(3, 1, [90, 90, 90]);
    expect(stretchContrast(flat)).toBe(flat);
  });
});

describe('boxBlur', () => {
  it('averages each neighbourhood, shrinking the window at the edges', () => {
    const image = gray(3, 3, [0, 0, 0, 0, 90, 0, 0, 0, 0]);
    // Corners see 4 pixels, edges 6, the centre 9: 90/4, 90/6, 90/9.
    expect([...boxBlur(image, 1).data]).toEqual([23, 15, 23, 15, 10, 15, 23, 15, 23]);
  });

  it('keeps a flat image flat at any radius, even wider than the image', () => {
    const image = gray(4, 2, Array(8).fill(77));
    expect([...boxBlur(image, 5).data]).toEqual(Array(8).fill(77));
  });
});

describe('sharpen', () => {
  it('steepens an edge: darker before it, lighter after it, clipped to 0–255', () => {
    const ramp = gray(6, 1, [100, 100, 100, 160, 160, 160]);
    const sharpened = sharpen(ramp, 1, 2);
    expect(sharpened.data[2]).toBeLessThan(100);
    expect(sharpened.data[3]).toBeGreaterThan(160);
    expect(sharpened.data[0]).toBe(100);
    const hard = sharpen(gray(4, 1, [0, 0, 255, 255]), 1, 10);
    expect([...hard.data]).toEqual([0, 0, 255, 255]);
  });
});

describe('cropGray', () => {
  it('copies the rectangle, clipped to the image', () => {
    const image = gray(4, 3, [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    expect(cropGray(image, { left: 1, top: 1, width: 2, height: 2 })).toEqual(
      gray(2, 2, [11, 12, 21, 22]),
    );
    expect(cropGray(image, { left: 3, top: 2, width: 5, height: 5 })).toEqual(gray(1, 1, [23]));
  });
});

describe('planTiles', () => {
  it('lays 3×3 half-size tiles from edge to edge', () => {
    const tiles = planTiles(1600, 1200, 3, 0.5);
    expect(tiles).toHaveLength(9);
    expect(tiles[0]).toEqual({ left: 0, top: 0, width: 800, height: 600 });
    expect(tiles[4]).toEqual({ left: 400, top: 300, width: 800, height: 600 });
    expect(tiles[8]).toEqual({ left: 800, top: 600, width: 800, height: 600 });
  });

  it('holds anything up to a quarter of the sides wholly inside some tile', () => {
    const tiles = planTiles(1600, 1200, 3, 0.5);
    const side = { width: 400, height: 300 };
    for (let left = 0; left + side.width <= 1600; left += 37) {
      for (let top = 0; top + side.height <= 1200; top += 29) {
        const isCovered = tiles.some(
          (tile) =>
            tile.left <= left &&
            tile.top <= top &&
            tile.left + tile.width >= left + side.width &&
            tile.top + tile.height >= top + side.height,
        );
        expect(isCovered, `${left},${top}`).toBe(true);
      }
    }
  });

  it('is the whole image for a 1×1 grid', () => {
    expect(planTiles(10, 20, 1, 1)).toEqual([{ left: 0, top: 0, width: 10, height: 20 }]);
  });
});
