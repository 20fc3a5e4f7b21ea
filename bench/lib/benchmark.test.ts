import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBenchmarkExportName, listBenchmarkNames, loadBenchmark } from './benchmark.js';

describe('benchmark discovery', () => {
  let directory = '';

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'recado-bench-list-'));
    await writeFile(
      path.join(directory, 'queue-send.bench.ts'),
      "export const queueSendBench = { description: 'd', usage: 'u', run: async () => 0 };\n",
    );
    await writeFile(path.join(directory, 'wrong.bench.ts'), 'export const other = 1;\n');
    await writeFile(path.join(directory, 'helper.ts'), 'export const helper = 1;\n');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lists bench/<name>.bench.ts files only, sorted', async () => {
    expect(await listBenchmarkNames(directory)).toEqual(['queue-send', 'wrong']);
  });

  it('names the export after the file', () => {
    expect(getBenchmarkExportName('http')).toBe('httpBench');
    expect(getBenchmarkExportName('queue-send')).toBe('queueSendBench');
  });

  it('loads a benchmark and refuses a file without the expected export', async () => {
    const benchmark = await loadBenchmark('queue-send', directory);
    expect(await benchmark.run([])).toBe(0);
    await expect(loadBenchmark('wrong', directory)).rejects.toThrow(/must export `wrongBench`/);
  });

  it('finds the http benchmark in bench/', async () => {
    expect(await listBenchmarkNames()).toContain('http');
    expect((await loadBenchmark('http')).description).toMatch(/health/);
  });
});
