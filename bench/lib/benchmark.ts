import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A benchmark is a file `bench/<name>.bench.ts` whose main export, named `<camelName>Bench`
 * (`http.bench.ts` → `httpBench`, `queue-send.bench.ts` → `queueSendBench`), is a Benchmark.
 * Importing it must do no work: `npm run bench` imports every one to list them.
 */
export type Benchmark = {
  /** One line, shown in the list of benchmarks. */
  description: string;
  /** Options the benchmark accepts, shown by `npm run bench -- <name> --help`. */
  usage: string;
  /** Runs the benchmark with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
};

export const benchDirectory = fileURLToPath(new URL('..', import.meta.url));

const benchFileSuffix = '.bench.ts';

/** Names of the benchmarks in `directory`, sorted. */
export async function listBenchmarkNames(directory = benchDirectory): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(benchFileSuffix))
    .map((entry) => entry.name.slice(0, -benchFileSuffix.length))
    .sort();
}

/** `http` → `httpBench`, `queue-send` → `queueSendBench`. */
export function getBenchmarkExportName(name: string): string {
  const camel = name.replace(/[-_.]+([a-z0-9])/gi, (_match, letter: string) =>
    letter.toUpperCase(),
  );
  return `${camel}Bench`;
}

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.description === 'string' &&
    typeof candidate.usage === 'string' &&
    typeof candidate.run === 'function'
  );
}

/** Imports `bench/<name>.bench.ts` and returns its benchmark; throws when it has none. */
export async function loadBenchmark(name: string, directory = benchDirectory): Promise<Benchmark> {
  const file = path.join(directory, `${name}${benchFileSuffix}`);
  const module: Record<string, unknown> = await import(pathToFileURL(file).href);
  const exportName = getBenchmarkExportName(name);
  const benchmark = module[exportName];
  if (!isBenchmark(benchmark)) {
    throw new Error(
      `${path.relative(process.cwd(), file)} must export \`${exportName}\` ({ description, usage, run })`,
    );
  }
  return benchmark;
}
