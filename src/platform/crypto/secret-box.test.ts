import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateEncryptionKey, parseEncryptionKey } from './secret-box.js';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(parseEncryptionKey(generateEncryptionKey()));

  it('round-trips, with a fresh nonce each time', () => {
    const secret = 'EAAG-token-ç-€';
    const a = box.encrypt(secret);
    const b = box.encrypt(secret);
    expect(a).toMatch(/^v1\./);
    expect(a).not.toBe(b);
    expect(a).not.toContain('EAAG');
    expect(box.decrypt(a)).toBe(secret);
    expect(box.decrypt(box.encrypt(''))).toBe('');
  });

  it('refuses tampered data, another key and malformed input', () => {
    const sealed = box.encrypt('secret');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => box.decrypt(`v1.${bytes.toString('base64url')}`)).toThrow(/tampered/);
    const other = createSecretBox(randomBytes(32));
    expect(() => other.decrypt(sealed)).toThrow(/wrong key/);
    expect(() => box.decrypt('plain')).toThrow(/Not a sealed secret/);
    expect(() => box.decrypt('v1.AAAA')).toThrow(/truncated/);
  });

  it('parses hex and base64 keys and rejects other lengths', () => {
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => parseEncryptionKey('short')).toThrow(/32 bytes/);
  });
});
