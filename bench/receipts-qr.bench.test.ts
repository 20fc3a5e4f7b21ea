import { describe, expect, it } from 'vitest';
import { parseReceiptsQrBenchArgs } from './receipts-qr.bench.js';

describe('parseReceiptsQrBenchArgs', () => {
  it('defaults to 8 photos a grade over every kind and 25 reads of the 12 MP photo', () => {
    expect(parseReceiptsQrBenchArgs([], {})).toEqual({
      perGrade: 8,
      seed: 1,
      kinds: ['rotation', 'blur', 'scale', 'jpeg', 'perspective', 'combined'],
      twelveMegapixelRuns: 25,
      isStrict: false,
      jsonPath: undefined,
      saveDirectory: undefined,
      isVerbose: false,
    });
  });

  it('reads options and BENCH_VERBOSE', () => {
    const options = parseReceiptsQrBenchArgs(
      ['--per-grade=2', '--seed=7', '--kinds=blur,jpeg,blur', '--runs-12mp=0', '--strict'],
      { BENCH_VERBOSE: '1' },
    );
    expect(options).toMatchObject({
      perGrade: 2,
      seed: 7,
      kinds: ['blur', 'jpeg'],
      twelveMegapixelRuns: 0,
      isStrict: true,
      isVerbose: true,
    });
  });

  it('rejects unknown kinds, bad counts and unknown options', () => {
    expect(() => parseReceiptsQrBenchArgs(['--kinds=blur,fog'], {})).toThrow(/unknown kind "fog"/);
    expect(() => parseReceiptsQrBenchArgs(['--per-grade=0'], {})).toThrow(/--per-grade/);
    expect(() => parseReceiptsQrBenchArgs(['--runs-12mp=1.5'], {})).toThrow(/--runs-12mp/);
    expect(() => parseReceiptsQrBenchArgs(['--fast'], {})).toThrow();
  });
});
