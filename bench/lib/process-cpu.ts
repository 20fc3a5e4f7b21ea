import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * CPU time a process has used (user + system, Linux /proc), to put a price on each request
 * that does not depend on how busy the machine is: a server that needs 2 ms of CPU per request
 * does ~500 requests/s on a core of its own, however many other processes shared it during
 * the run.
 */

let ticksPerSecond: number | undefined;

function getTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** utime + stime (clock ticks) from the text of /proc/<pid>/stat. */
export function parseProcStatCpuTicks(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: fields restart after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`cannot read CPU times from /proc stat: ${stat.slice(0, 120)}`);
  }
  return utime + stime;
}

/** Milliseconds of CPU the process has used since it started (10 ms resolution at 100 Hz). */
export async function readProcessCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return (parseProcStatCpuTicks(stat) * 1000) / getTicksPerSecond();
}

/** CPU the process uses while `work` runs, in ms (undefined when /proc cannot be read). */
export async function measureProcessCpu<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs?: number }> {
  const before = pid === undefined ? undefined : await readProcessCpuMs(pid).catch(() => undefined);
  const result = await work();
  const after = pid === undefined ? undefined : await readProcessCpuMs(pid).catch(() => undefined);
  return {
    result,
    cpuMs: before === undefined || after === undefined ? undefined : after - before,
  };
}
