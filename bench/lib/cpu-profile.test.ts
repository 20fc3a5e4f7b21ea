import { describe, expect, it } from 'vitest';
import {
  type CpuProfile,
  classifyFrame,
  isMainThreadProfile,
  summarizeCpuProfile,
} from './cpu-profile.js';

describe('isMainThreadProfile', () => {
  it('keeps thread 0 of node --cpu-prof files', () => {
    expect(isMainThreadProfile('CPU.20261123.164739.17281.0.001.cpuprofile')).toBe(true);
    expect(isMainThreadProfile('CPU.20261123.164739.17281.1.002.cpuprofile')).toBe(false);
    expect(isMainThreadProfile('notes.txt')).toBe(false);
  });
});

describe('classifyFrame', () => {
  it('names Recado folders, npm packages, Node internals and markers', () => {
    expect(classifyFrame('file:///work/main/src/modules/messaging/inbound.service.ts', 'x')).toBe(
      'src/modules/messaging',
    );
    expect(classifyFrame('file:///work/main/src/main.ts', 'x')).toBe('src/main.ts');
    expect(
      classifyFrame('file:///work/main/node_modules/@electric-sql/pglite/dist/index.js', 'x'),
    ).toBe('@electric-sql/pglite');
    expect(classifyFrame('file:///work/main/node_modules/fastify/lib/route.js', 'x')).toBe(
      'fastify',
    );
    expect(classifyFrame('node:internal/streams/readable', 'read')).toBe('node: internals');
    expect(classifyFrame('', '(garbage collector)')).toBe('(garbage collector)');
    expect(classifyFrame('', '(idle)')).toBe('(idle)');
    expect(classifyFrame('', 'writev')).toBe('(native)');
  });
});

describe('summarizeCpuProfile', () => {
  it('adds self time per area and function, shares taken of the busy time', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('query', 'file:///r/node_modules/pg/lib/client.js') },
        {
          id: 3,
          callFrame: frame('acceptWebhook', 'file:///r/src/modules/messaging/inbound.service.ts'),
        },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [1, 2, 2, 3, 1],
      timeDeltas: [4000, 1000, 1000, 2000, 2000],
    };
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.busyMs).toBe(4);
    expect(summary.areas).toEqual([
      { name: 'pg', selfMs: 2, share: 0.5 },
      { name: 'src/modules/messaging', selfMs: 2, share: 0.5 },
    ]);
    expect(summary.functions[0]?.name).toBe('query client.js:1 [pg]');
  });

  it('leaves out the first milliseconds when asked (boot before the load)', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('migrate', 'file:///r/src/platform/db/database.ts') },
        { id: 2, callFrame: frame('query', 'file:///r/node_modules/pg/lib/client.js') },
      ],
      startTime: 1_000_000,
      endTime: 1_010_000,
      samples: [1, 1, 2, 2],
      timeDeltas: [2000, 2000, 3000, 3000],
    };
    // Samples end at 2, 4, 7 and 10 ms: skipping 5 ms keeps the two pg ones.
    const summary = summarizeCpuProfile(profile, { skipFirstMs: 5 });
    expect(summary.areas).toEqual([{ name: 'pg', selfMs: 6, share: 1 }]);
  });
});
