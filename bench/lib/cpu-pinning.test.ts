import { describe, expect, it } from 'vitest';
import { parseCpuList, planCpuPinning } from './cpu-pinning.js';

describe('parseCpuList', () => {
  it('expands ranges and single CPUs in order', () => {
    expect(parseCpuList('0-3,6,8-9')).toEqual([0, 1, 2, 3, 6, 8, 9]);
    expect(parseCpuList('5')).toEqual([5]);
  });

  it('rejects what is not a CPU list', () => {
    expect(() => parseCpuList('a-b')).toThrow(/invalid CPU list/);
    expect(() => parseCpuList('3-1')).toThrow(/invalid CPU range/);
  });
});

describe('planCpuPinning', () => {
  it('puts the server on the first allowed CPU and the load on the second', () => {
    expect(planCpuPinning([2, 5, 7], true)).toMatchObject({ serverCpu: 2, loadCpu: 5 });
  });

  it('does not pin with one CPU or without taskset', () => {
    expect(planCpuPinning([0], true).serverCpu).toBeUndefined();
    expect(planCpuPinning([0, 1], false).loadCpu).toBeUndefined();
  });
});
