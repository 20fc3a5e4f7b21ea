import { describe, expect, it } from 'vitest';
import { evaluateRatio, formatTable, formatVerdict } from './report.js';

describe('evaluateRatio', () => {
  it('compares the ratio with a minimum target', () => {
    const met = evaluateRatio('health/raw', 6_500, 10_000, 0.6);
    expect(met.ratio).toBeCloseTo(0.65);
    expect(formatVerdict(met)).toBe('meets target');
    expect(formatVerdict(evaluateRatio('me/raw', 2_000, 10_000, 0.25))).toBe('BELOW TARGET');
  });

  it('gives no verdict when a side was not measured', () => {
    expect(evaluateRatio('me/raw', undefined, 10_000, 0.25).isMet).toBeUndefined();
    expect(evaluateRatio('me/raw', 1_000, 0, 0.25).ratio).toBeUndefined();
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell and aligns numbers right', () => {
    const table = formatTable(
      [{ title: 'endpoint' }, { title: 'req/s', align: 'right' }],
      [
        ['raw', '45,000'],
        ['GET /health/live', '900'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'endpoint           req/s',
      '----------------  ------',
      'raw               45,000',
      'GET /health/live     900',
    ]);
  });
});
