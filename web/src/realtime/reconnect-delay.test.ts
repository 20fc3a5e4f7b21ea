import { describe, expect, it } from 'vitest';
import { computeReconnectDelay } from './reconnect-delay';

describe('computeReconnectDelay', () => {
  it('doubles from one second and stops growing at thirty', () => {
    const withoutJitter = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => computeReconnectDelay(n, withoutJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('spreads reconnects over the upper half of the interval', () => {
    expect(computeReconnectDelay(3, () => 0)).toBe(4000);
    expect(computeReconnectDelay(3, () => 0.5)).toBe(6000);
  });
});
