import { describe, expect, it } from 'vitest';
import { buildSampleReportModel } from '../src/modules/expenses/reports/testing/report-model-fixtures.js';
import {
  createCountingSink,
  preparePdfRows,
  prepareSpreadsheetRows,
  writePlainPdf,
  writePlainSpreadsheet,
} from './lib/report-baselines.js';
import {
  evaluateReports,
  measureReport,
  parseReceiptsBenchArgs,
  type ReportMeasurement,
} from './receipts.bench.js';

describe('parseReceiptsBenchArgs', () => {
  it('defaults to both parts, 1,000 and 10,000 receipts, five runs, wall time', () => {
    expect(parseReceiptsBenchArgs([])).toEqual({
      parts: ['qr', 'reports'],
      metric: 'wall',
      sizes: [1000, 10000],
      runs: 5,
      seed: 1,
      formats: ['xlsx', 'pdf'],
      isStrict: false,
      jsonPath: undefined,
      qrArgs: ['--seed=1'],
    });
  });

  it('reads options and hands the QR ones to receipts-qr', () => {
    const options = parseReceiptsBenchArgs([
      '--part=reports',
      '--sizes=500,50,500',
      '--runs=2',
      '--formats=pdf',
      '--metric=cpu',
      '--seed=4',
      '--per-grade=2',
      '--runs-12mp=0',
      '--kinds=blur',
      '--qr-json=qr.json',
      '--strict',
    ]);
    expect(options).toMatchObject({
      parts: ['reports'],
      sizes: [50, 500],
      runs: 2,
      formats: ['pdf'],
      metric: 'cpu',
      seed: 4,
      isStrict: true,
    });
    expect(options.qrArgs).toEqual([
      '--seed=4',
      '--per-grade=2',
      '--kinds=blur',
      '--runs-12mp=0',
      '--json=qr.json',
      '--strict',
    ]);
  });

  it('rejects nonsense', () => {
    expect(() => parseReceiptsBenchArgs(['--part=ocr'])).toThrow(/--part: unknown "ocr"/);
    expect(() => parseReceiptsBenchArgs(['--sizes=0'])).toThrow(/--sizes/);
    expect(() => parseReceiptsBenchArgs(['--runs=1.5'])).toThrow(/--runs/);
    expect(() => parseReceiptsBenchArgs(['--metric=gpu'])).toThrow(/--metric/);
    expect(() => parseReceiptsBenchArgs(['--fast'])).toThrow();
  });
});

describe('report baselines', () => {
  it('write documents of the same size as recado’s, from the same rows', async () => {
    const xlsx = await measureReport('xlsx', 200, { runs: 1, seed: 3 });
    // Same rows and formats; recado adds only styles, views, filters and page setup.
    expect(Math.abs(xlsx.recado.bytes - xlsx.baseline.bytes)).toBeLessThan(
      xlsx.baseline.bytes * 0.05,
    );
    const pdf = await measureReport('pdf', 300, { runs: 1, seed: 3 });
    expect(Math.abs(pdf.recado.bytes - pdf.baseline.bytes)).toBeLessThan(pdf.baseline.bytes * 0.05);
    expect(pdf.ratio).toBeGreaterThan(0);
    expect(pdf.cpuRatio).toBeGreaterThan(0);
  });

  it('draw the PDF table over the same pages', async () => {
    const model = buildSampleReportModel({ receiptCount: 120, seed: 3 });
    const prepared = preparePdfRows(model);
    expect(prepared.rows).toHaveLength(120);
    expect(prepared.rows[0]).toEqual([
      '1',
      expect.stringMatching(/^\d\d\/06\/2025$/),
      'PADARIA SÃO JOÃO LTDA',
      '11.222.333/0001-81',
      'NFC-e',
      'Confirmada',
      expect.stringMatching(/^R\$ \d+,\d\d$/),
    ]);
    const sink = createCountingSink();
    await writePlainPdf(prepared, sink);
    expect(sink.bytes).toBeGreaterThan(1000);
    const spreadsheet = prepareSpreadsheetRows(model);
    expect(spreadsheet.receipts).toHaveLength(12 + 120 + 2 + 2);
    const xlsx = createCountingSink();
    await writePlainSpreadsheet(spreadsheet, xlsx);
    expect(xlsx.bytes).toBeGreaterThan(1000);
  });
});

describe('evaluateReports', () => {
  const timing = (ms: number) => ({
    medianMs: ms,
    medianCpuMs: ms / 2,
    runsMs: [ms],
    runsCpuMs: [ms / 2],
    bytes: 1,
  });
  const measurement = (
    format: 'xlsx' | 'pdf',
    receipts: number,
    recado: number,
    baseline: number,
  ): ReportMeasurement => ({
    format,
    receipts,
    recado: timing(recado),
    baseline: timing(baseline),
    ratio: recado / baseline,
    cpuRatio: recado / baseline,
  });

  it('judges each ratio to its baseline and the growth from the smallest to the largest size', () => {
    const verdicts = evaluateReports([
      measurement('xlsx', 1000, 110, 100),
      measurement('xlsx', 10000, 1300, 1000),
      measurement('pdf', 1000, 100, 100),
      measurement('pdf', 10000, 1200, 1100),
    ]);
    expect(verdicts.map((verdict) => [verdict.name, verdict.isMet])).toEqual([
      ['XLSX 1,000 receipts: recado / baseline (wall)', true],
      ['XLSX 10,000 receipts: recado / baseline (wall)', false],
      ['PDF 1,000 receipts: recado / baseline (wall)', true],
      ['PDF 10,000 receipts: recado / baseline (wall)', true],
      ['XLSX t(10,000) / t(1,000) (wall)', false],
      ['PDF t(10,000) / t(1,000) (wall)', false],
    ]);
    expect(verdicts[4]).toMatchObject({ target: 11, value: 1300 / 110 });
  });

  it('judges on CPU time when asked', () => {
    const [verdict] = evaluateReports([measurement('pdf', 10, 30, 20)], 'cpu');
    expect(verdict).toMatchObject({ name: 'PDF 10 receipts: recado / baseline (cpu)', value: 1.5 });
  });
});
