import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../../src/shared/messaging/phone';
import {
  formatPhone,
  loadSimulatedUser,
  randomBrazilianMobile,
  randomSimulatedUser,
  simulatedUserStorageKey,
} from './simulated-user';

/** A deterministic stand-in for Math.random (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function memoryStorage(initial?: string) {
  const items = new Map<string, string>();
  if (initial !== undefined) items.set(simulatedUserStorageKey, initial);
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('randomBrazilianMobile', () => {
  it('gives numbers the server accepts as Brazilian mobiles, unchanged by normalisation', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 500; i += 1) {
      const phone = randomBrazilianMobile(random);
      const parsed = normalizePhone(phone);
      expect(parsed, phone).toMatchObject({ ok: true, e164: phone, country: 'BR', isMobile: true });
    }
  });

  it('covers the edges of the random range', () => {
    for (const value of [0, 0.999_999]) {
      const phone = randomBrazilianMobile(() => value);
      expect(normalizePhone(phone)).toMatchObject({ ok: true, isMobile: true });
    }
  });

  it('does not hand out the same number twice in a row', () => {
    const random = seededRandom(7);
    const phones = new Set(Array.from({ length: 200 }, () => randomBrazilianMobile(random)));
    expect(phones.size).toBe(200);
  });
});

describe('simulated user storage', () => {
  it('creates a user once and returns the same one afterwards', () => {
    const storage = memoryStorage();
    const first = loadSimulatedUser(storage, seededRandom(1));
    expect(first.name).toMatch(/^\p{L}+ \p{L}+$/u);
    expect(loadSimulatedUser(storage, seededRandom(2))).toEqual(first);
  });

  it('replaces a stored value that is not a user', () => {
    for (const stored of ['not json', '{"phone":"123","name":"x"}', 'null']) {
      const storage = memoryStorage(stored);
      const user = loadSimulatedUser(storage, seededRandom(3));
      expect(user).toEqual(randomSimulatedUser(seededRandom(3)));
      expect(JSON.parse(storage.items.get(simulatedUserStorageKey) ?? '')).toEqual(user);
    }
  });
});

describe('formatPhone', () => {
  it.each([
    ['+5511987654321', '+55 11 98765-4321'],
    ['+551133334444', '+55 11 3333-4444'],
    ['+351912345678', '+351912345678'],
  ])('%s → %s', (phone, formatted) => {
    expect(formatPhone(phone)).toBe(formatted);
  });
});
