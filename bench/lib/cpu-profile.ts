import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatNumber, formatTable } from './report.js';

/**
 * Where a process spent its CPU, from the `.cpuprofile` files `node --cpu-prof` writes: self
 * time per function and per area (Recado's own source by folder, each npm package, Node's
 * internals, garbage collection, idle). Used by the benchmarks' `--profile` option.
 */

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({
        functionName: z.string(),
        url: z.string(),
        lineNumber: z.number(),
      }),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
export type CpuProfile = z.infer<typeof profileSchema>;

export type ProfileEntry = { name: string; selfMs: number; share: number };

export type ProfileSummary = {
  totalMs: number;
  /** Time not idle (what the share of each area is taken of). */
  busyMs: number;
  areas: ProfileEntry[];
  functions: ProfileEntry[];
};

/** The area a frame belongs to: `src/<folder>`, an npm package, `node:internal`, or a marker. */
export function classifyFrame(url: string, functionName: string): string {
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(program)') return '(program)';
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch?.[1]) return packageMatch[1];
  const sourceMatch = /\/src\/(.+)$/.exec(url);
  if (sourceMatch?.[1]) {
    // Folders up to two deep (src/modules/messaging, src/platform/db); a top-level file itself.
    const segments = sourceMatch[1].split('/');
    const folders = segments.slice(0, -1).slice(0, 2);
    return `src/${folders.length > 0 ? folders.join('/') : segments.join('/')}`;
  }
  if (url.includes('/dist/')) return 'dist (bundled Recado)';
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per area and function. `skipFirstMs` leaves out the start of the profile (boot,
 * migrations, compiling) so the summary shows the load being measured.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  options: { top?: number; skipFirstMs?: number } = {},
): ProfileSummary {
  const top = options.top ?? 15;
  const fromUs = profile.startTime + (options.skipFirstMs ?? 0) * 1000;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let sampleAtUs = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    sampleAtUs += delta;
    if (sampleAtUs < fromUs) return;
    const frame = nodes.get(nodeId);
    if (!frame) return;
    totalUs += delta;
    const area = classifyFrame(frame.url, frame.functionName);
    if (area === '(idle)') idleUs += delta;
    byArea.set(area, (byArea.get(area) ?? 0) + delta);
    const file = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}` : ''} [${area}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  });
  const busyUs = Math.max(1, totalUs - idleUs);
  const rank = (map: Map<string, number>, withIdle: boolean) =>
    [...map]
      .filter(([name]) => withIdle || !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    areas: rank(byArea, false),
    functions: rank(byFunction, false),
  };
}

/**
 * Reads the main-thread `.cpuprofile`s in `directory`, oldest first. Node names them
 * `CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile`; thread 0 is the main thread (others
 * are workers, e.g. tsx's module loader).
 */
export async function readCpuProfiles(
  directory: string,
): Promise<Array<{ file: string; profile: CpuProfile }>> {
  const names = (await readdir(directory)).filter((name) => isMainThreadProfile(name)).sort();
  const profiles: Array<{ file: string; profile: CpuProfile }> = [];
  for (const name of names) {
    const file = path.join(directory, name);
    profiles.push({ file, profile: profileSchema.parse(JSON.parse(await readFile(file, 'utf8'))) });
  }
  return profiles;
}

export function isMainThreadProfile(name: string): boolean {
  return /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name);
}

/** Node arguments that make the process write a `.cpuprofile` into `directory` when it exits. */
export function cpuProfileArgs(directory: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`];
}

/** The summary as two plain-text tables (areas, then functions). */
export function formatProfileSummary(summary: ProfileSummary): string {
  const format = (entries: ProfileEntry[], title: string) =>
    formatTable(
      [{ title }, { title: 'self ms', align: 'right' }, { title: 'share', align: 'right' }],
      entries.map((entry) => [
        entry.name,
        formatNumber(entry.selfMs),
        `${formatNumber(entry.share * 100, 1)} %`,
      ]),
    );
  return [
    `CPU busy ${formatNumber(summary.busyMs)} ms of ${formatNumber(summary.totalMs)} ms profiled`,
    format(summary.areas, 'area (self time)'),
    '',
    format(summary.functions, 'function (self time)'),
  ].join('\n');
}
