import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption for secrets at rest (channel tokens, provider keys): AES-256-GCM
 * with a random 96-bit nonce per value. Stored as `v1.<base64url(nonce | tag | ciphertext)>`,
 * so the format can change later without guessing.
 */
export type SecretBox = {
  encrypt(plaintext: string): string;
  /** Throws when the value was tampered with or sealed with another key. */
  decrypt(sealed: string): string;
};

const version = 'v1';
const nonceBytes = 12;
const tagBytes = 16;

/** Parses a 32-byte key given as 64 hex characters or base64/base64url. */
export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error(
      'The encryption key must be 32 bytes: 64 hex characters or 44 base64 characters.',
    );
  }
  return key;
}

export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key.');
  return {
    encrypt(plaintext) {
      const nonce = randomBytes(nonceBytes);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${version}.${Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    },
    decrypt(sealed) {
      const [prefix, body] = sealed.split('.');
      if (prefix !== version || !body)
        throw new Error('Not a sealed secret (expected "v1.<data>").');
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length < nonceBytes + tagBytes) throw new Error('The sealed secret is truncated.');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, nonceBytes));
      decipher.setAuthTag(bytes.subarray(nonceBytes, nonceBytes + tagBytes));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(nonceBytes + tagBytes)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new Error('The sealed secret cannot be opened: wrong key or tampered data.');
      }
    },
  };
}
