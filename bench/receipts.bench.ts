import { writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { writePdfReport } from '../src/modules/expenses/reports/pdf-report.js';
import type { TripReportModel } from '../src/modules/expenses/reports/report-model.js';
import { buildSampleReportModel } from '../src/modules/expenses/reports/testing/report-model-fixtures.js';
import { writeXlsxReport } from '../src/modules/expenses/reports/xlsx-report.js';
import type { Benchmark } from './lib/benchmark.js';
import { type BoundVerdict, divide, evaluateBound, median } from './lib/receipt-qr-scoring.js';
import { formatNumber, formatTable } from './lib/report.js';
import {
  createCountingSink,
  preparePdfRows,
  prepareSpreadsheetRows,
  writePlainPdf,
  writePlainSpreadsheet,
} from './lib/report-baselines.js';
import { receiptsQrBench } from './receipts-qr.bench.js';

/**
 * The `receipts` benchmark of issue 6: both halves.
 * - QR: runs the `receipts-qr` benchmark as it is (photos read by recado, zxing-wasm, jsQR).
 * - Reports: a trip's PDF and XLSX for 1,000 and 10,000 receipts (generated, 1–4 items each),
 *   recado's writers against the libraries alone writing the same rows in the same run
 *   (`lib/report-baselines.ts`), alternating who goes first, median of `--runs`.
 *   Targets: recado ≤ 1.2 × the baseline for each format and size; t(10,000) / t(1,000) ≤ 11
 *   for each format (with other sizes: ≤ 1.1 × their ratio).
 */

const targets = { versusBaseline: 1.2, scalingSlack: 1.1 } as const;
const busyLoadAverage = 1;

export const reportFormats = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];
export const benchParts = ['qr', 'reports'] as const;
export type BenchPart = (typeof benchParts)[number];

export const timeMetrics = ['wall', 'cpu'] as const;
export type TimeMetric = (typeof timeMetrics)[number];

export type ReceiptsBenchOptions = {
  parts: BenchPart[];
  /** Which time the targets are judged on (both are printed). */
  metric: TimeMetric;
  sizes: number[];
  runs: number;
  seed: number;
  formats: ReportFormat[];
  isStrict: boolean;
  jsonPath?: string;
  /** Arguments handed to the receipts-qr benchmark. */
  qrArgs: string[];
};

const usage = `Options:
  --part=<list>       qr, reports (default: both)
  --sizes=<list>      receipts per report (default 1000,10000)
  --runs=<n>          timed runs per writer and size, after one warm-up (default 5)
  --formats=<list>    xlsx, pdf (default: both)
  --metric=<m>        wall or cpu: the time the targets are judged on (default wall; both are
                      printed; cpu is steadier on a machine shared with other work)
  --seed=<n>          seed of the generated trips and photos (default 1)
  --strict            exit 1 when a target is missed
  --json=<file>       also write the reports results as JSON
QR options (handed to \`npm run bench -- receipts-qr\`, see its --help):
  --per-grade=<n>  --kinds=<list>  --runs-12mp=<n>  --save=<dir>  --verbose  --qr-json=<file>`;

function parseInteger(name: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new Error(`--${name} must be an integer >= ${min}`);
  }
  return number;
}

function parseList<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items: T[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`--${name}: unknown "${item}" (use ${allowed.join(', ')})`);
    }
    if (!items.includes(item as T)) items.push(item as T);
  }
  return items;
}

function parseMetric(value: string | undefined): TimeMetric {
  if (value === undefined) return 'wall';
  if (!(timeMetrics as readonly string[]).includes(value)) {
    throw new Error(`--metric must be ${timeMetrics.join(' or ')}`);
  }
  return value as TimeMetric;
}

export function parseReceiptsBenchArgs(args: readonly string[]): ReceiptsBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      part: { type: 'string' },
      sizes: { type: 'string' },
      runs: { type: 'string' },
      formats: { type: 'string' },
      metric: { type: 'string' },
      seed: { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      'per-grade': { type: 'string' },
      kinds: { type: 'string' },
      'runs-12mp': { type: 'string' },
      save: { type: 'string' },
      verbose: { type: 'boolean' },
      'qr-json': { type: 'string' },
    },
  });
  const sizes: number[] = [];
  for (const raw of (values.sizes ?? '1000,10000').split(',')) {
    const size = parseInteger('sizes', raw.trim(), 0, 1);
    if (!sizes.includes(size)) sizes.push(size);
  }
  sizes.sort((a, b) => a - b);
  const seed = parseInteger('seed', values.seed, 1, 0);
  const qrArgs = [`--seed=${seed}`];
  for (const name of ['per-grade', 'kinds', 'runs-12mp', 'save'] as const) {
    const value = values[name];
    if (value !== undefined) qrArgs.push(`--${name}=${value}`);
  }
  if (values['qr-json'] !== undefined) qrArgs.push(`--json=${values['qr-json']}`);
  if (values.verbose) qrArgs.push('--verbose');
  if (values.strict) qrArgs.push('--strict');
  return {
    parts: parseList('part', values.part ?? benchParts.join(','), benchParts),
    metric: parseMetric(values.metric),
    sizes,
    runs: parseInteger('runs', values.runs, 5, 1),
    seed,
    formats: parseList('formats', values.formats ?? reportFormats.join(','), reportFormats),
    isStrict: values.strict ?? false,
    jsonPath: values.json,
    qrArgs,
  };
}

export type WriterTiming = {
  /** Median wall time. */
  medianMs: number;
  /** Median CPU time of the process (user + system) over the same runs. */
  medianCpuMs: number;
  runsMs: number[];
  runsCpuMs: number[];
  bytes: number;
};

export type ReportMeasurement = {
  format: ReportFormat;
  receipts: number;
  recado: WriterTiming;
  baseline: WriterTiming;
  /** recado / baseline, by wall time and by CPU time. */
  ratio: number | undefined;
  cpuRatio: number | undefined;
};

type Writer = () => Promise<number>;

async function timeOnce(write: Writer): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await write();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes };
}

/** Recado's writer and the baseline's for one format, from one model. */
function createWriters(format: ReportFormat, model: TripReportModel) {
  if (format === 'xlsx') {
    const rows = prepareSpreadsheetRows(model);
    return {
      recado: async () => {
        const sink = createCountingSink();
        await writeXlsxReport(model, sink);
        return sink.bytes;
      },
      baseline: async () => {
        const sink = createCountingSink();
        await writePlainSpreadsheet(rows, sink);
        return sink.bytes;
      },
    };
  }
  const rows = preparePdfRows(model);
  return {
    recado: async () => {
      const sink = createCountingSink();
      await writePdfReport(model, sink);
      return sink.bytes;
    },
    baseline: async () => {
      const sink = createCountingSink();
      await writePlainPdf(rows, sink);
      return sink.bytes;
    },
  };
}

/**
 * Times both writers of `format` on `receipts` generated receipts: one warm-up each, then
 * `runs` rounds, alternating who goes first so neither gets the warmer caches.
 */
export async function measureReport(
  format: ReportFormat,
  receipts: number,
  options: { runs: number; seed: number },
): Promise<ReportMeasurement> {
  const model = buildSampleReportModel({ receiptCount: receipts, seed: options.seed });
  const writers = createWriters(format, model);
  await writers.recado();
  await writers.baseline();
  const runs = {
    recado: { ms: [] as number[], cpuMs: [] as number[], bytes: 0 },
    baseline: { ms: [] as number[], cpuMs: [] as number[], bytes: 0 },
  };
  for (let run = 0; run < options.runs; run += 1) {
    const order =
      run % 2 === 0 ? (['recado', 'baseline'] as const) : (['baseline', 'recado'] as const);
    for (const side of order) {
      const result = await timeOnce(writers[side]);
      runs[side].ms.push(result.ms);
      runs[side].cpuMs.push(result.cpuMs);
      runs[side].bytes = result.bytes;
    }
  }
  const summarize = (side: keyof typeof runs): WriterTiming => ({
    medianMs: median(runs[side].ms),
    medianCpuMs: median(runs[side].cpuMs),
    runsMs: runs[side].ms,
    runsCpuMs: runs[side].cpuMs,
    bytes: runs[side].bytes,
  });
  const recado = summarize('recado');
  const baseline = summarize('baseline');
  return {
    format,
    receipts,
    recado,
    baseline,
    ratio: divide(recado.medianMs, baseline.medianMs),
    cpuRatio: divide(recado.medianCpuMs, baseline.medianCpuMs),
  };
}

/** The verdicts: each ratio to its baseline, and how each format's time grows with size. */
export function evaluateReports(
  measurements: readonly ReportMeasurement[],
  metric: TimeMetric = 'wall',
): BoundVerdict[] {
  const verdicts: BoundVerdict[] = [];
  const timeOf = (timing: WriterTiming) =>
    metric === 'cpu' ? timing.medianCpuMs : timing.medianMs;
  for (const measurement of measurements) {
    verdicts.push(
      evaluateBound(
        `${measurement.format.toUpperCase()} ${formatNumber(measurement.receipts)} receipts: recado / baseline (${metric})`,
        divide(timeOf(measurement.recado), timeOf(measurement.baseline)),
        'max',
        targets.versusBaseline,
      ),
    );
  }
  for (const format of reportFormats) {
    const ofFormat = measurements.filter((measurement) => measurement.format === format);
    const smallest = ofFormat[0];
    const largest = ofFormat.at(-1);
    if (!smallest || !largest || smallest === largest) continue;
    const growth = largest.receipts / smallest.receipts;
    verdicts.push(
      evaluateBound(
        `${format.toUpperCase()} t(${formatNumber(largest.receipts)}) / t(${formatNumber(smallest.receipts)}) (${metric})`,
        divide(timeOf(largest.recado), timeOf(smallest.recado)),
        'max',
        Number((growth * targets.scalingSlack).toFixed(2)),
      ),
    );
  }
  return verdicts;
}

function describeVerdict(verdict: BoundVerdict): string {
  const sign = verdict.bound === 'min' ? '≥' : '≤';
  const value = verdict.value === undefined ? 'not measured' : `${formatNumber(verdict.value, 2)}×`;
  const status =
    verdict.isMet === undefined ? '' : verdict.isMet ? '  meets target' : '  ABOVE TARGET';
  return `${verdict.name.padEnd(44)} ${value.padStart(12)}  (target ${sign} ${verdict.target}×)${status}`;
}

async function runReportsPart(options: ReceiptsBenchOptions): Promise<{
  measurements: ReportMeasurement[];
  verdicts: BoundVerdict[];
}> {
  console.log('Trip reports benchmark (XLSX with exceljs, PDF with pdfkit)');
  const measurements: ReportMeasurement[] = [];
  for (const format of options.formats) {
    for (const receipts of options.sizes) {
      console.log(`  ${format} with ${formatNumber(receipts)} receipts…`);
      measurements.push(await measureReport(format, receipts, options));
    }
  }
  console.log('');
  console.log(
    formatTable(
      [
        { title: 'format' },
        { title: 'receipts', align: 'right' },
        { title: 'recado ms', align: 'right' },
        { title: 'baseline ms', align: 'right' },
        { title: 'ratio', align: 'right' },
        { title: 'recado CPU ms', align: 'right' },
        { title: 'baseline CPU ms', align: 'right' },
        { title: 'CPU ratio', align: 'right' },
        { title: 'recado KiB', align: 'right' },
        { title: 'baseline KiB', align: 'right' },
      ],
      measurements.map((measurement) => [
        measurement.format,
        formatNumber(measurement.receipts),
        formatNumber(measurement.recado.medianMs, 1),
        formatNumber(measurement.baseline.medianMs, 1),
        measurement.ratio === undefined ? '-' : `${formatNumber(measurement.ratio, 2)}×`,
        formatNumber(measurement.recado.medianCpuMs, 1),
        formatNumber(measurement.baseline.medianCpuMs, 1),
        measurement.cpuRatio === undefined ? '-' : `${formatNumber(measurement.cpuRatio, 2)}×`,
        formatNumber(measurement.recado.bytes / 1024),
        formatNumber(measurement.baseline.bytes / 1024),
      ]),
    ),
  );
  const verdicts = evaluateReports(measurements, options.metric);
  console.log('');
  console.log('Targets');
  for (const verdict of verdicts) console.log(`  ${describeVerdict(verdict)}`);
  return { measurements, verdicts };
}

async function runReceiptsBench(args: readonly string[]): Promise<number> {
  const options = parseReceiptsBenchArgs(args);
  const [loadAverage = 0] = loadavg();
  console.log(
    `Receipts benchmark — Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${arch()}), ${cpus().length} CPUs`,
  );
  let exitCode = 0;
  if (options.parts.includes('qr')) {
    console.log('');
    exitCode = Math.max(exitCode, await receiptsQrBench.run(options.qrArgs));
  }
  if (options.parts.includes('reports')) {
    console.log('');
    const { measurements, verdicts } = await runReportsPart(options);
    if (loadAverage > busyLoadAverage) {
      console.log(
        `\nWarning: the machine was busy (load average ${loadAverage.toFixed(1)}): both sides of each ratio ran under the same load, but the times are inflated.`,
      );
    }
    if (options.jsonPath) {
      const report = {
        benchmark: 'receipts',
        part: 'reports',
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model,
        loadAverage,
        options,
        measurements,
        verdicts,
      };
      await writeFile(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nJSON written to ${options.jsonPath}`);
    }
    if (options.isStrict && verdicts.some((verdict) => verdict.isMet === false)) exitCode = 1;
  }
  return exitCode;
}

export const receiptsBench: Benchmark = {
  description:
    'Issue 6 receipts: QR photos (the receipts-qr benchmark) and trip reports (XLSX, PDF) for 1,000 and 10,000 receipts vs exceljs / pdfkit alone',
  usage,
  run: runReceiptsBench,
};
