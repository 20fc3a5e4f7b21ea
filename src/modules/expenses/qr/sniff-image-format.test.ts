import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegSize, sniffImageFormat } from './sniff-image-format.js';

function image(format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif') {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: '#c0ffee' } })
    .toFormat(format)
    .toBuffer();
}

describe('sniffImageFormat', () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const)(
    'recognises %s made by sharp',
    async (format) => {
      expect(sniffImageFormat(await image(format))).toBe(format);
    },
  );

  it('recognises HEIF brands (iPhone photos) by their ftyp box', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic0000mif1heic')]);
    expect(sniffImageFormat(heic)).toBe('heif');
  });

  it.each([
    ['PDF', Buffer.from('%PDF-1.4\n')],
    ['HTML', Buffer.from('<!doctype html><html></html>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['MP4', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom0000isomiso2')])],
    ['empty', Buffer.alloc(0)],
    ['two bytes of a JPEG', Buffer.from([0xff, 0xd8])],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffImageFormat(bytes)).toBeUndefined();
  });
});

describe('readJpegSize', () => {
  it('reads the frame size past EXIF and other segments, before any rotation', async () => {
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#808080' },
    })
      .jpeg({ progressive: true })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(readJpegSize(jpeg)).toEqual({ width: 640, height: 480 });
  });

  it('answers undefined for a cut header or another format', async () => {
    const jpeg = await image('jpeg');
    expect(readJpegSize(jpeg.subarray(0, 20))).toBeUndefined();
    expect(readJpegSize(await image('png'))).toBeUndefined();
    expect(readJpegSize(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00]))).toBeUndefined();
  });
});
