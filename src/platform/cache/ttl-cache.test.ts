import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.js';

describe('createTtlCache', () => {
  it('expires entries after their ttl', () => {
    let time = 1000;
    const cache = createTtlCache<string, number>({ ttlMs: 100, maxEntries: 10, now: () => time });
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    time += 99;
    expect(cache.get('a')).toBe(1);
    time += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry when full and honours per-entry ttl', () => {
    let time = 0;
    const cache = createTtlCache<string, number>({ ttlMs: 100, maxEntries: 2, now: () => time });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    cache.set('short', 4, 10);
    time = 10;
    expect(cache.get('short')).toBeUndefined();
    cache.set('never', 5, 0);
    expect(cache.get('never')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
