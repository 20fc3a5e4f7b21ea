import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrImageSource } from './qr-image';

/** The dark modules an SVG from `qrcode` draws (rows of `M{x} {y}h{n}` runs, offset by the margin). */
function darkModulesOf(svg: string, margin: number): Set<string> {
  const dark = new Set<string>();
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(
    /([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?/g,
  )) {
    const first = Number(a);
    if (command === 'M') {
      x = first;
      y = Math.floor(Number(b));
    } else if (command === 'm') {
      x += first;
      y += Math.floor(Number(b));
    } else {
      for (let i = 0; i < first; i++) dark.add(`${x + i - margin},${y - margin}`);
      x += first;
    }
  }
  return dark;
}

describe('qrImageSource', () => {
  it('shows a PNG from the provider as it came', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const source = await qrImageSource({ kind: 'image', type: 'image/png', bytes: png });
    expect(source).toBe(`data:image/png;base64,${Buffer.from(png).toString('base64')}`);
  });

  it('draws QR text as an SVG that encodes exactly that text', async () => {
    const value = '2@fakeQrCodeRef,fakeNoiseKey,fakeIdentityKey,fakeAdvSecret';
    const source = await qrImageSource({ kind: 'text', value });
    expect(source.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(source.slice(source.indexOf(',') + 1));
    const expected = create(value, { errorCorrectionLevel: 'L' }).modules;
    const wanted = new Set<string>();
    for (let row = 0; row < expected.size; row++) {
      for (let col = 0; col < expected.size; col++) {
        if (expected.get(row, col)) wanted.add(`${col},${row}`);
      }
    }
    expect(wanted.size).toBeGreaterThan(100);
    expect(darkModulesOf(svg, 2)).toEqual(wanted);
    const other = await qrImageSource({ kind: 'text', value: `${value}x` });
    expect(other).not.toBe(source);
  });

  it('refuses what cannot be shown: another content type, no bytes, no text, too much text', async () => {
    const bytes = new Uint8Array([1]);
    await expect(qrImageSource({ kind: 'image', type: 'text/html', bytes })).rejects.toThrow(
      /not as an image/,
    );
    await expect(
      qrImageSource({ kind: 'image', type: 'image/png', bytes: new Uint8Array() }),
    ).rejects.toThrow(/empty/);
    await expect(qrImageSource({ kind: 'text', value: '' })).rejects.toThrow(/no QR code text/);
    await expect(qrImageSource({ kind: 'text', value: 42 })).rejects.toThrow(/no QR code text/);
    await expect(qrImageSource({ kind: 'text', value: 'x'.repeat(3000) })).rejects.toThrow(
      /too long/,
    );
  });
});
