import { PassThrough, type Readable, type Writable } from 'node:stream';
import {
  assertValidStorageKey,
  type StorageDriver,
} from '../../../platform/storage/storage.port.js';
import { renderPdfReport, writePdfReport } from './pdf-report.js';
import { type ReportKind, reportContentTypes, type TripReportModel } from './report-model.js';
import { buildReportFileName } from './report-text.js';
import { renderXlsxReport, writeXlsxReport } from './xlsx-report.js';

/**
 * The reports of a trip, for the expenses service: it builds a `TripReportModel` from its
 * tables and calls one of these. Nothing here reads a table or knows a tenant.
 *
 * - `generateTripReports(model, { storage, keyPrefix })` streams both files into the storage
 *   driver (`<keyPrefix>.pdf`, `<keyPrefix>.xlsx`) and says what it stored: the service keeps
 *   that in its reports table and serves it through `expenseReportsRoutes`.
 * - `renderTripReports(model)` gives both files as buffers, for callers that store them through
 *   the media service (to send them as WhatsApp documents).
 */

export const reportKinds: readonly ReportKind[] = ['pdf', 'xlsx'];

export type RenderedReport = {
  kind: ReportKind;
  /** ASCII, e.g. `relatorio-despesas-lisboa-2025-06-02.pdf`. */
  fileName: string;
  contentType: string;
  bytes: Buffer;
};

export type StoredReport = {
  kind: ReportKind;
  fileName: string;
  contentType: string;
  storageKey: string;
  sizeBytes: number;
};

export type TripReports<Report> = { pdf: Report; xlsx: Report };

export type ReportStorageTarget = {
  storage: StorageDriver;
  /** A storage key without extension, e.g. `<tenant id>/reports/<report id>`. */
  keyPrefix: string;
};

const writers: Record<ReportKind, (model: TripReportModel, output: Writable) => Promise<void>> = {
  pdf: writePdfReport,
  xlsx: writeXlsxReport,
};

/** Writes one report (`kind`) of `model` to `output`, which is ended when done. */
export function writeTripReport(
  kind: ReportKind,
  model: TripReportModel,
  output: Writable,
): Promise<void> {
  return writers[kind](model, output);
}

/** Both files of a trip in memory. */
export async function renderTripReports(
  model: TripReportModel,
): Promise<TripReports<RenderedReport>> {
  const pdf = await renderPdfReport(model);
  const xlsx = await renderXlsxReport(model);
  return {
    pdf: describeRendered(model, 'pdf', pdf),
    xlsx: describeRendered(model, 'xlsx', xlsx),
  };
}

function describeRendered(model: TripReportModel, kind: ReportKind, bytes: Buffer): RenderedReport {
  return {
    kind,
    fileName: buildReportFileName(model, kind),
    contentType: reportContentTypes[kind],
    bytes,
  };
}

/**
 * Streams both files into `storage`, one after the other (each is CPU work; in parallel they
 * would only hold more in memory). A rendering or storage failure rejects, and the driver keeps
 * no partial object under that key (its writes are atomic).
 */
export async function generateTripReports(
  model: TripReportModel,
  target: ReportStorageTarget,
): Promise<TripReports<StoredReport>> {
  const pdf = await storeTripReport('pdf', model, target);
  const xlsx = await storeTripReport('xlsx', model, target);
  return { pdf, xlsx };
}

async function storeTripReport(
  kind: ReportKind,
  model: TripReportModel,
  { storage, keyPrefix }: ReportStorageTarget,
): Promise<StoredReport> {
  const storageKey = `${keyPrefix}.${kind}`;
  assertValidStorageKey(storageKey);
  const contentType = reportContentTypes[kind];
  const body = new PassThrough();
  const fail = (error: unknown) => {
    body.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  };
  // Each side stops the other when it fails: a failed rendering fails the write (the driver
  // keeps nothing), a failed write stops the rendering (nobody would read the rest).
  const [storing, rendering] = await Promise.allSettled([
    storage.put(storageKey, body as Readable, { contentType }).catch(fail),
    writeTripReport(kind, model, body).catch(fail),
  ]);
  // Both have settled, so the driver has cleaned up after a failed write by now.
  if (rendering.status === 'rejected') throw rendering.reason;
  if (storing.status === 'rejected') throw storing.reason;
  const stored = storing.value;
  return {
    kind,
    fileName: buildReportFileName(model, kind),
    contentType,
    storageKey,
    sizeBytes: stored.sizeBytes,
  };
}
