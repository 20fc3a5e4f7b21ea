import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEncryptionKey } from './encryption-key.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'recado-key-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('loadEncryptionKey', () => {
  it('generates a private key file in embedded mode once, and reuses it', async () => {
    const first = await loadEncryptionKey({
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      ENCRYPTION_KEY: undefined,
    });
    const second = await loadEncryptionKey({
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      ENCRYPTION_KEY: undefined,
    });
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    const file = path.join(dataDir, 'encryption.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.toString('base64'));
  });

  it('uses ENCRYPTION_KEY when set, and requires it in scaled mode', async () => {
    const key = await loadEncryptionKey({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://x@db/recado',
      ENCRYPTION_KEY: 'ab'.repeat(32),
    });
    expect(key.toString('hex')).toBe('ab'.repeat(32));
    await expect(
      loadEncryptionKey({
        DATA_DIR: dataDir,
        DATABASE_URL: 'postgres://x@db/recado',
        ENCRYPTION_KEY: undefined,
      }),
    ).rejects.toThrow(/ENCRYPTION_KEY is required/);
  });
});
