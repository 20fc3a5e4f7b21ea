import type { Readable } from 'node:stream';

/**
 * The storage port: where media bytes live. The database keeps what was checked about an object
 * (type, size, hash); a driver only keeps bytes under a key. Drivers: local disk
 * (`local-disk-storage.ts`, the default, under DATA_DIR/media) and any S3-compatible service
 * (`s3-storage.ts`). `createStorage` in `create-storage.ts` picks one from the config.
 */

export type StorageDriverKind = 'local' | 's3';

export type StoredObject = {
  /** The bytes, streamed; the caller must consume or destroy it. */
  body: Readable;
  sizeBytes: number;
};

export interface StorageDriver {
  readonly kind: StorageDriverKind;
  /**
   * Writes the object, replacing any object under the same key. Readers see the old bytes or
   * the new ones, never a partial write. Resolves with the size written.
   */
  put(
    key: string,
    body: Buffer | Readable,
    options: { contentType: string },
  ): Promise<{ sizeBytes: number }>;
  /** The object's bytes; rejects with `StorageObjectNotFoundError` when there is none. */
  get(key: string): Promise<StoredObject>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class StorageObjectNotFoundError extends Error {
  readonly key: string;

  constructor(key: string) {
    super(`No stored object under key ${key}`);
    this.name = 'StorageObjectNotFoundError';
    this.key = key;
  }
}

export function isStorageObjectNotFound(error: unknown): error is StorageObjectNotFoundError {
  return error instanceof StorageObjectNotFoundError;
}

const maxKeyLength = 512;
/** A segment starts with a letter or digit: no `.`/`..`, no hidden names, no separators. */
const keySegmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Keys are relative, `/`-separated paths of plain ASCII segments (`tenant/2025/06/uuid`).
 * Anything else (absolute paths, `..`, empty segments, backslashes, control or non-ASCII
 * characters) is refused, so a key can never leave the driver's root or bucket prefix.
 * Throws `TypeError`: keys are built by code, never taken from a request.
 */
export function assertValidStorageKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > maxKeyLength) {
    throw new TypeError(`Invalid storage key: must be 1–${maxKeyLength} characters`);
  }
  for (const segment of key.split('/')) {
    if (!keySegmentPattern.test(segment)) {
      throw new TypeError(
        `Invalid storage key ${JSON.stringify(key)}: segments are letters, digits, ".", "_" and "-", starting with a letter or digit`,
      );
    }
  }
}
