import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** `0-3,6,8-9` → [0, 1, 2, 3, 6, 8, 9]. Throws on anything else. */
export function parseCpuList(list: string): number[] {
  const cpus = new Set<number>();
  for (const part of list.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match?.[1]) throw new Error(`invalid CPU list "${list}"`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new Error(`invalid CPU range "${part}"`);
    for (let cpu = first; cpu <= last; cpu += 1) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** CPUs this process may run on (its affinity mask), lowest first. */
export function getAllowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status);
    if (match?.[1]) return parseCpuList(match[1]);
  } catch {
    // Not Linux: fall through.
  }
  return Array.from({ length: availableParallelism() }, (_, index) => index);
}

export type CpuPlan = {
  /** CPU for the server under test; undefined = not pinned. */
  serverCpu?: number;
  /** CPU for the load generator; undefined = not pinned. */
  loadCpu?: number;
  description: string;
};

/** Server on the first allowed CPU, load generator on the second, when taskset can do it. */
export function planCpuPinning(
  allowedCpus = getAllowedCpus(),
  isTasksetAvailable = hasTaskset(),
): CpuPlan {
  const [serverCpu, loadCpu] = allowedCpus;
  if (!isTasksetAvailable) {
    return { description: 'not pinned: `taskset` not found (Debian package util-linux)' };
  }
  if (serverCpu === undefined || loadCpu === undefined) {
    return {
      description: `not pinned: only ${allowedCpus.length} CPU available, server and load share it`,
    };
  }
  return { serverCpu, loadCpu, description: `server on CPU ${serverCpu}, load on CPU ${loadCpu}` };
}

export function hasTaskset(): boolean {
  const result = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}
