/**
 * Benchmark runner: `npm run bench -- <name> [options]` runs `bench/<name>.bench.ts`.
 * Without a name (or with an unknown one) it lists the benchmarks there.
 */
import { listBenchmarkNames, loadBenchmark } from './lib/benchmark.js';

async function printBenchmarkList(names: readonly string[]): Promise<void> {
  console.log('Usage: npm run bench -- <name> [options]   (--help after a name for its options)');
  console.log('');
  console.log('Benchmarks:');
  if (names.length === 0) console.log('  (none: add bench/<name>.bench.ts)');
  const width = Math.max(0, ...names.map((name) => name.length));
  for (const name of names) {
    const benchmark = await loadBenchmark(name);
    console.log(`  ${name.padEnd(width)}  ${benchmark.description}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const names = await listBenchmarkNames();

  if (name === undefined || name === '--help' || name === '-h') {
    await printBenchmarkList(names);
    return name === undefined ? 1 : 0;
  }
  if (!names.includes(name)) {
    console.error(`Unknown benchmark "${name}".`);
    console.error('');
    await printBenchmarkList(names);
    return 1;
  }

  const benchmark = await loadBenchmark(name);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`npm run bench -- ${name} [options]`);
    console.log('');
    console.log(benchmark.description);
    console.log('');
    console.log(benchmark.usage);
    return 0;
  }
  return benchmark.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
