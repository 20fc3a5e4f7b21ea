import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockTypes } from './index.js';

/* The block reference in README.md lists every registered block type, and nothing else. */

describe('blocks README', () => {
  it('has a row for every registered block type', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const listed = [...readme.matchAll(/^\| `([a-z]+\.[a-z-]+)`/gm)].map((match) => match[1]);
    expect([...listed].sort()).toEqual([...blockTypes].sort());
  });
});
