import { describe, expect, it } from 'vitest';
import {
  type CaseOutcome,
  comparePairedTimes,
  divide,
  evaluateBound,
  median,
  percentile,
  summarizeRates,
} from './receipt-qr-scoring.js';

function outcome(
  kind: CaseOutcome['kind'],
  grade: number,
  found: [boolean, boolean, boolean],
  ms: [number, number, number] = [10, 20, 30],
): CaseOutcome {
  return {
    id: `${kind}-${grade}`,
    kind,
    grade,
    label: `${kind} grade ${grade}`,
    readers: {
      recado: { isFound: found[0], ms: ms[0], cpuMs: ms[0] / 2 },
      zxing: { isFound: found[1], ms: ms[1], cpuMs: ms[1] / 2 },
      jsqr: { isFound: found[2], ms: ms[2], cpuMs: ms[2] / 2 },
    },
  };
}

describe('median and percentile', () => {
  it('take the middle (mean of the middle two when even) and the nearest rank', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarizeRates', () => {
  it('counts each reader per grade, per kind and over everything', () => {
    const rows = summarizeRates([
      outcome('blur', 1, [true, true, true]),
      outcome('blur', 1, [true, false, true]),
      outcome('blur', 2, [true, false, false]),
      outcome('jpeg', 1, [false, true, false]),
    ]);
    expect(rows.map((row) => [row.kind, row.grade, row.count, row.found])).toEqual([
      ['blur', 1, 2, { recado: 2, zxing: 1, jsqr: 2 }],
      ['blur', 2, 1, { recado: 1, zxing: 0, jsqr: 0 }],
      ['blur', undefined, 3, { recado: 3, zxing: 1, jsqr: 2 }],
      ['jpeg', 1, 1, { recado: 0, zxing: 1, jsqr: 0 }],
      ['jpeg', undefined, 1, { recado: 0, zxing: 1, jsqr: 0 }],
      ['all', undefined, 4, { recado: 3, zxing: 2, jsqr: 2 }],
    ]);
    expect(rows[0]?.label).toBe('blur grade 1');
  });
});

describe('comparePairedTimes', () => {
  it('takes medians over the photos both readers read, and only those', () => {
    const paired = comparePairedTimes(
      [
        outcome('blur', 1, [true, true, false], [10, 20, 0]),
        outcome('blur', 1, [true, true, false], [30, 40, 0]),
        outcome('blur', 1, [true, false, false], [1000, 1, 0]),
        outcome('blur', 1, [false, true, false], [1, 1000, 0]),
      ],
      'recado',
      'zxing',
    );
    expect(paired).toEqual({
      count: 2,
      medianMs: { first: 20, second: 30 },
      medianCpuMs: { first: 10, second: 15 },
    });
  });
});

describe('evaluateBound and divide', () => {
  it('meets a minimum from above and a maximum from below; no verdict without a value', () => {
    expect(evaluateBound('a', 1.2, 'min', 1.2)).toMatchObject({ isMet: true });
    expect(evaluateBound('a', 1.19, 'min', 1.2)).toMatchObject({ isMet: false });
    expect(evaluateBound('b', 1.1, 'max', 1.1)).toMatchObject({ isMet: true });
    expect(evaluateBound('b', 1.2, 'max', 1.1)).toMatchObject({ isMet: false });
    expect(evaluateBound('c', undefined, 'max', 1)).toEqual({ name: 'c', bound: 'max', target: 1 });
    expect(evaluateBound('c', Number.NaN, 'min', 1).isMet).toBeUndefined();
    expect(divide(3, 2)).toBe(1.5);
    expect(divide(3, 0)).toBeUndefined();
  });
});
