import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalDiskStorage } from '../../../platform/storage/local-disk-storage.js';
import type { StorageDriver } from '../../../platform/storage/storage.port.js';
import type { TripReportModel } from './report-model.js';
import { generateTripReports, renderTripReports } from './reports.service.js';
import { buildSmallReportModel } from './testing/report-model-fixtures.js';

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

let rootDir: string;
let storage: StorageDriver;

beforeEach(async () => {
  rootDir = await mkdtemp(path.join(tmpdir(), 'recado-reports-'));
  storage = createLocalDiskStorage({ rootDir });
});

afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});

describe('generateTripReports', () => {
  it('streams the PDF and the XLSX into storage and says where they are', async () => {
    const stored = await generateTripReports(buildSmallReportModel(), {
      storage,
      keyPrefix: 'tenant-1/reports/report-9',
    });
    expect(stored).toEqual({
      pdf: {
        kind: 'pdf',
        fileName: 'relatorio-despesas-sao-paulo-lisboa-2025-06-02.pdf',
        contentType: 'application/pdf',
        storageKey: 'tenant-1/reports/report-9.pdf',
        sizeBytes: expect.any(Number),
      },
      xlsx: {
        kind: 'xlsx',
        fileName: 'relatorio-despesas-sao-paulo-lisboa-2025-06-02.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        storageKey: 'tenant-1/reports/report-9.xlsx',
        sizeBytes: expect.any(Number),
      },
    });

    const pdf = await storage.get(stored.pdf.storageKey);
    const pdfBytes = await readAll(pdf.body);
    expect(pdf.sizeBytes).toBe(stored.pdf.sizeBytes);
    expect((await fileTypeFromBuffer(pdfBytes))?.mime).toBe('application/pdf');

    const xlsx = await storage.get(stored.xlsx.storageKey);
    const xlsxBytes = await readAll(xlsx.body);
    expect(xlsxBytes.length).toBe(stored.xlsx.sizeBytes);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxBytes as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Despesas')?.getCell('G13').value).toBe(65.05);
  });

  it('keeps nothing when the rendering fails half-way', async () => {
    const model = buildSmallReportModel();
    const broken = {
      ...model,
      // A receipt the renderers cannot read (a defect upstream): drawing it throws.
      receipts: [...model.receipts, null],
    } as unknown as TripReportModel;
    await expect(
      generateTripReports(broken, { storage, keyPrefix: 'tenant-1/reports/broken' }),
    ).rejects.toThrow();
    expect(await storage.exists('tenant-1/reports/broken.pdf')).toBe(false);
    expect(await storage.exists('tenant-1/reports/broken.xlsx')).toBe(false);
    expect(await listFiles(rootDir)).toEqual([]);
  });

  it('refuses a key prefix that is not a storage key (a defect, not input)', async () => {
    await expect(
      generateTripReports(buildSmallReportModel(), { storage, keyPrefix: '../outside' }),
    ).rejects.toThrow(TypeError);
  });

  it('fails, without hanging, when the storage refuses the write', async () => {
    const failing: StorageDriver = {
      ...storage,
      put: async (_key, body) => {
        (body as Readable).resume();
        throw new Error('disk full');
      },
    };
    await expect(
      generateTripReports(buildSmallReportModel(), { storage: failing, keyPrefix: 'a/b' }),
    ).rejects.toThrow('disk full');
  });
});

describe('renderTripReports', () => {
  it('gives both files as buffers with their names and types', async () => {
    const { pdf, xlsx } = await renderTripReports(buildSmallReportModel());
    expect(pdf).toMatchObject({
      kind: 'pdf',
      fileName: 'relatorio-despesas-sao-paulo-lisboa-2025-06-02.pdf',
      contentType: 'application/pdf',
    });
    expect((await fileTypeFromBuffer(pdf.bytes))?.mime).toBe(pdf.contentType);
    expect(xlsx.fileName).toBe('relatorio-despesas-sao-paulo-lisboa-2025-06-02.xlsx');
    expect((await fileTypeFromBuffer(xlsx.bytes))?.mime).toBe(xlsx.contentType);
  });
});
