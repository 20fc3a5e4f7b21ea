import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  applyHomography,
  buildNfceQrText,
  composeReceiptPhoto,
  computeAccessKeyCheckDigit,
  createRandom,
  type Quad,
  renderQrCode,
  solveHomography,
  warpInto,
} from './receipt-qr-photos.js';

describe('computeAccessKeyCheckDigit', () => {
  it.each([
    // Real NFC-e keys (Amazonas), from the shared fixtures' QR codes.
    '13201103483863000155651040001328551106523742',
    '13201161365284014830650510000473181178596609',
    '13201103483863000155651180001265181527951347',
  ])('matches the last digit of %s', (key) => {
    expect(computeAccessKeyCheckDigit(key.slice(0, 43))).toBe(Number(key[43]));
  });
});

describe('buildNfceQrText', () => {
  it('draws v2 online and offline contents with valid model-65 keys, the same per seed', () => {
    const online = buildNfceQrText(createRandom(1), 'online');
    expect(online).toBe(buildNfceQrText(createRandom(1), 'online'));
    const match = /\?p=(\d{44})\|2\|1\|[1-3]\|[0-9A-F]{40}$/.exec(online);
    expect(match).not.toBeNull();
    const key = match?.[1] ?? '';
    expect(key.slice(20, 22)).toBe('65');
    expect(computeAccessKeyCheckDigit(key.slice(0, 43))).toBe(Number(key[43]));
    const offline = buildNfceQrText(createRandom(2), 'offline');
    expect(offline).toMatch(
      /\?p=\d{44}\|2\|1\|\d{2}\|\d+\.\d{2}\|[0-9a-f]{56}\|[1-3]\|[0-9A-F]{40}$/,
    );
  });
});

describe('renderQrCode', () => {
  it('draws modules with a quiet zone at the given size', () => {
    const qr = renderQrCode('hello', { modulePx: 3 });
    expect(qr.modules).toBe(21);
    expect(qr.width).toBe((21 + 8) * 3);
    expect(qr.data[0]).toBe(255); // quiet zone
    expect(qr.data[4 * 3 * qr.width + 4 * 3]).toBe(0); // top-left finder pattern
  });
});

describe('solveHomography', () => {
  const square: Quad = [
    { x: 0, y: 0 },
    { x: 100, y: 0 },
    { x: 100, y: 100 },
    { x: 0, y: 100 },
  ];

  it('maps each corner onto its target, for a keystone too', () => {
    const keystone: Quad = [
      { x: 30, y: 10 },
      { x: 70, y: 10 },
      { x: 100, y: 90 },
      { x: 0, y: 90 },
    ];
    const h = solveHomography(square, keystone);
    square.forEach((corner, index) => {
      const mapped = applyHomography(h, corner);
      expect(mapped.x).toBeCloseTo(keystone[index]?.x ?? Number.NaN, 6);
      expect(mapped.y).toBeCloseTo(keystone[index]?.y ?? Number.NaN, 6);
    });
    // Straight lines stay straight: the top edge's middle lands on the keystone's top edge.
    expect(applyHomography(h, { x: 50, y: 0 }).y).toBeCloseTo(10, 6);
  });

  it('refuses degenerate corners', () => {
    const line: Quad = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ];
    expect(() => solveHomography(square, line)).toThrow(/degenerate/);
  });
});

describe('warpInto', () => {
  it('copies a source onto its own rectangle unchanged and marks the pixels covered', () => {
    const source = { data: Uint8Array.from([10, 20, 30, 40]), width: 2, height: 2 };
    const target = { data: new Uint8Array(16).fill(200), width: 4, height: 4 };
    const mask = new Uint8Array(16);
    warpInto(
      target,
      source,
      [
        { x: 1, y: 1 },
        { x: 3, y: 1 },
        { x: 3, y: 3 },
        { x: 1, y: 3 },
      ],
      { supersample: 1, mask },
    );
    expect([...target.data]).toEqual([
      200, 200, 200, 200, 200, 10, 20, 200, 200, 30, 40, 200, 200, 200, 200, 200,
    ]);
    expect([...mask]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });
});

describe('composeReceiptPhoto', () => {
  it('renders a JPEG of the asked size with the code where it says, and EXIF when asked', async () => {
    const photo = await composeReceiptPhoto({
      width: 640,
      height: 480,
      seed: 3,
      receipts: [{ text: 'hello', center: { x: 320, y: 260 }, modulePx: 4, tilt: 0.3 }],
      orientation: 6,
    });
    const metadata = await sharp(photo.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 480, height: 640, orientation: 6 });
    expect(photo.codes).toHaveLength(1);
    const corners = photo.codes[0]?.corners ?? [];
    for (const corner of corners) {
      expect(corner.x).toBeGreaterThan(0);
      expect(corner.x).toBeLessThan(640);
      expect(corner.y).toBeGreaterThan(0);
      expect(corner.y).toBeLessThan(480);
    }
    // Tilted away: the code's top edge is shorter than its bottom edge.
    const [topLeft, topRight, bottomRight, bottomLeft] = corners;
    const top = Math.hypot(
      (topRight?.x ?? 0) - (topLeft?.x ?? 0),
      (topRight?.y ?? 0) - (topLeft?.y ?? 0),
    );
    const bottom = Math.hypot(
      (bottomRight?.x ?? 0) - (bottomLeft?.x ?? 0),
      (bottomRight?.y ?? 0) - (bottomLeft?.y ?? 0),
    );
    expect(top).toBeLessThan(bottom * 0.95);
  });

  it('draws the same photo for the same seed', async () => {
    const spec = {
      width: 200,
      height: 150,
      seed: 9,
      receipts: [{ text: 'x', center: { x: 100, y: 80 }, modulePx: 2 }],
      format: 'png' as const,
    };
    const [first, second] = await Promise.all([
      composeReceiptPhoto(spec),
      composeReceiptPhoto(spec),
    ]);
    expect(first.bytes.equals(second.bytes)).toBe(true);
  });
});
