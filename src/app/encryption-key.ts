import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.schema.js';
import { generateEncryptionKey, parseEncryptionKey } from '../platform/crypto/secret-box.js';

/**
 * The key that seals channel secrets. ENCRYPTION_KEY when set; in embedded mode a key generated
 * into DATA_DIR on first boot (file mode 0600); in scaled mode it must be configured, because
 * every process needs the same key and a key in the database would sit beside what it protects.
 */
export async function loadEncryptionKey(
  config: Pick<Config, 'ENCRYPTION_KEY' | 'DATABASE_URL' | 'DATA_DIR'>,
): Promise<Buffer> {
  if (config.ENCRYPTION_KEY) return parseEncryptionKey(config.ENCRYPTION_KEY);
  if (config.DATABASE_URL) {
    throw new Error(
      'ENCRYPTION_KEY is required when DATABASE_URL is set (every process must share it). Generate one with: openssl rand -base64 32',
    );
  }
  const file = path.join(config.DATA_DIR, 'encryption.key');
  await mkdir(config.DATA_DIR, { recursive: true });
  try {
    await writeFile(file, `${generateEncryptionKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await chmod(file, 0o600).catch(() => {});
  return parseEncryptionKey(await readFile(file, 'utf8'));
}
