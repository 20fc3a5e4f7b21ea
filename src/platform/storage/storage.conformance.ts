import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StorageDriver, StorageObjectNotFoundError } from './storage.port.js';

/**
 * The behaviour every storage driver must show. `storage.test.ts` runs it on the local-disk
 * driver and on the S3 driver against a loopback S3 stand-in (path-style and virtual-host).
 */

export type StorageUnderTest = { driver: StorageDriver; cleanup?: () => Promise<void> };

export async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const invalidStorageKeys = [
  '',
  '/absolute/path',
  '../outside',
  'tenant/../../outside',
  'tenant/./file',
  'tenant//file',
  'tenant/',
  'tenant\\..\\file',
  '.hidden',
  'tenant/.hidden',
  'nul\u0000byte',
  'line\nbreak',
  'acentuação',
  'space in key',
  'x'.repeat(513),
];

export function describeStorageConformance(
  name: string,
  open: () => Promise<StorageUnderTest>,
): void {
  describe(`storage conformance: ${name}`, () => {
    let underTest: StorageUnderTest;
    let storage: StorageDriver;
    beforeAll(async () => {
      underTest = await open();
      storage = underTest.driver;
    });
    afterAll(async () => {
      await underTest.cleanup?.();
    });

    it('stores bytes and gives back the same bytes and size', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 * 40 }, (_, index) => index % 256));
      const written = await storage.put('tenant-a/2025/06/object-1', bytes, {
        contentType: 'application/octet-stream',
      });
      expect(written.sizeBytes).toBe(bytes.length);
      expect(await storage.exists('tenant-a/2025/06/object-1')).toBe(true);
      const stored = await storage.get('tenant-a/2025/06/object-1');
      expect(stored.sizeBytes).toBe(bytes.length);
      expect((await readStream(stored.body)).equals(bytes)).toBe(true);
    });

    it('stores a stream', async () => {
      const parts = [randomBytes(70_000), randomBytes(1), randomBytes(33_000)];
      const written = await storage.put('tenant-a/streamed', Readable.from(parts), {
        contentType: 'image/png',
      });
      expect(written.sizeBytes).toBe(103_001);
      const stored = await storage.get('tenant-a/streamed');
      expect((await readStream(stored.body)).equals(Buffer.concat(parts))).toBe(true);
    });

    it('stores an empty object', async () => {
      await storage.put('tenant-a/empty', Buffer.alloc(0), { contentType: 'text/plain' });
      const stored = await storage.get('tenant-a/empty');
      expect(stored.sizeBytes).toBe(0);
      expect((await readStream(stored.body)).length).toBe(0);
    });

    it('replaces an object written twice under one key', async () => {
      await storage.put('tenant-a/replaced', Buffer.from('first version, longer'), {
        contentType: 'text/plain',
      });
      await storage.put('tenant-a/replaced', Buffer.from('second'), { contentType: 'text/plain' });
      const stored = await storage.get('tenant-a/replaced');
      expect((await readStream(stored.body)).toString()).toBe('second');
      expect(stored.sizeBytes).toBe(6);
    });

    it('keeps one whole version when writes to one key race', async () => {
      const versions = Array.from({ length: 6 }, (_, index) =>
        Buffer.alloc(50_000 + index * 1000, index + 1),
      );
      await Promise.all(
        versions.map((bytes) =>
          storage.put('tenant-a/raced', bytes, { contentType: 'application/octet-stream' }),
        ),
      );
      const read = await readStream((await storage.get('tenant-a/raced')).body);
      expect(versions.some((bytes) => bytes.equals(read))).toBe(true);
    });

    it('reports a missing object as not found', async () => {
      expect(await storage.exists('tenant-a/never-written')).toBe(false);
      await expect(storage.get('tenant-a/never-written')).rejects.toBeInstanceOf(
        StorageObjectNotFoundError,
      );
    });

    it('deletes, and deleting a missing object is not an error', async () => {
      await storage.put('tenant-a/deleted', Buffer.from('bye'), { contentType: 'text/plain' });
      await storage.delete('tenant-a/deleted');
      expect(await storage.exists('tenant-a/deleted')).toBe(false);
      await expect(storage.get('tenant-a/deleted')).rejects.toBeInstanceOf(
        StorageObjectNotFoundError,
      );
      await expect(storage.delete('tenant-a/deleted')).resolves.toBeUndefined();
    });

    it('refuses keys that could escape the root or are not plain ASCII segments', async () => {
      for (const key of invalidStorageKeys) {
        await expect(
          storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }),
          JSON.stringify(key),
        ).rejects.toBeInstanceOf(TypeError);
        await expect(storage.get(key), JSON.stringify(key)).rejects.toBeInstanceOf(TypeError);
        await expect(storage.exists(key), JSON.stringify(key)).rejects.toBeInstanceOf(TypeError);
        await expect(storage.delete(key), JSON.stringify(key)).rejects.toBeInstanceOf(TypeError);
      }
    });
  });
}
