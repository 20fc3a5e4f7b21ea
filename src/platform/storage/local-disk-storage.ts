import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidStorageKey,
  type StorageDriver,
  StorageObjectNotFoundError,
} from './storage.port.js';

/**
 * Objects as files under `rootDir` (DATA_DIR/media by default), one file per key. A write goes
 * to a temporary file beside the target, is flushed, then renamed over it: readers see the old
 * file or the new one, never half of one. Temporary names start with "." so they can never
 * collide with a key (key segments start with a letter or digit). Nothing is created on disk
 * until the first write.
 */
export function createLocalDiskStorage(options: { rootDir: string }): StorageDriver {
  const root = path.resolve(options.rootDir);

  function resolveKey(key: string): string {
    assertValidStorageKey(key);
    const file = path.resolve(root, ...key.split('/'));
    // Belt and braces: the key rules already make leaving the root impossible.
    if (!file.startsWith(`${root}${path.sep}`)) {
      throw new TypeError(`Invalid storage key ${JSON.stringify(key)}: outside the storage root`);
    }
    return file;
  }

  return {
    kind: 'local',

    async put(key, body) {
      const file = resolveKey(key);
      const directory = path.dirname(file);
      await mkdir(directory, { recursive: true });
      const temporary = path.join(directory, `.${path.basename(file)}.${randomUUID()}.tmp`);
      try {
        if (Buffer.isBuffer(body)) {
          await writeFile(temporary, body, { flag: 'wx', flush: true });
        } else {
          await pipeline(
            body as Readable,
            createWriteStream(temporary, { flags: 'wx', flush: true }),
          );
        }
        const { size } = await stat(temporary);
        await rename(temporary, file);
        return { sizeBytes: size };
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async get(key) {
      const file = resolveKey(key);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissingFileError(error)) throw new StorageObjectNotFoundError(key);
        throw error;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new StorageObjectNotFoundError(key);
        // The stream owns the handle from here and closes it when done or destroyed.
        return { body: handle.createReadStream(), sizeBytes: info.size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      await rm(resolveKey(key), { force: true });
    },

    async exists(key) {
      try {
        return (await stat(resolveKey(key))).isFile();
      } catch (error) {
        if (isMissingFileError(error)) return false;
        throw error;
      }
    },
  };
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
