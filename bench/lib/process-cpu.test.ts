import { describe, expect, it } from 'vitest';
import { parseProcStatCpuTicks, readProcessCpuMs } from './process-cpu.js';

describe('parseProcStatCpuTicks', () => {
  it('adds utime and stime, even when the command name has spaces and parentheses', () => {
    const stat =
      '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 11 0 100 0 0';
    expect(parseProcStatCpuTicks(stat)).toBe(1234 + 567);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStatCpuTicks('nonsense')).toThrow(/CPU times/);
  });
});

describe('readProcessCpuMs', () => {
  it('sees this process use CPU', async () => {
    const before = await readProcessCpuMs(process.pid);
    // Spin until this process has used 50 ms more CPU (by its own count), however busy the machine.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user + process.cpuUsage(start).system < 50_000) {
      // Burn CPU.
    }
    expect(await readProcessCpuMs(process.pid)).toBeGreaterThanOrEqual(before + 30);
  });
});
