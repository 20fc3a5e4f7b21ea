import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import {
  computeCurrencyTotals,
  getReportTimeZone,
  type ReportReceipt,
  type TripReportModel,
} from './report-model.js';
import {
  describeIssuer,
  formatMoney,
  formatReportDate,
  formatReportTime,
  formatTaxId,
  type ReportLabels,
  reportLabels,
} from './report-text.js';

/**
 * The PDF report, drawn with pdfkit on A4: title, traveller, company, trip, the receipts table
 * (its header drawn again at the top of every page), the totals per currency and when it was
 * generated. Pages are written out as they are finished (pdfkit's default), so thousands of
 * receipts stream instead of building one document in memory.
 *
 * Fonts are PDF's standard Helvetica, which every reader has and which covers Latin-1 and
 * Windows-1252 (ã, ç, é, º, €, –, …): Portuguese renders and stays extractable. Anything outside
 * that set (an emoji or a Greek letter in an issuer's name) is mapped to its base letter or "?"
 * by `toWinAnsiText`, never written as bytes a reader would show as garbage.
 */

const pageSize = { width: 595.28, height: 841.89 }; // A4 in points
const margin = 40;
const contentWidth = pageSize.width - 2 * margin;
const footerY = pageSize.height - margin + 12;
const tableBottom = pageSize.height - margin - 10;

const fonts = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const colors = { text: '#1f2933', muted: '#52606d', headerFill: '#e8eef4', rule: '#9aa5b1' };

const rowFontSize = 8.5;
const rowHeight = 14;
const cellPadding = 3;

type Column = {
  key: 'number' | 'date' | 'issuer' | 'taxId' | 'source' | 'status' | 'total';
  width: number;
  align: 'left' | 'right';
  /** Amounts are never cut: a value too wide for its column is drawn smaller instead. */
  isCuttable: boolean;
};

const columns: readonly Column[] = [
  { key: 'number', width: 30, align: 'right', isCuttable: false },
  { key: 'date', width: 52, align: 'left', isCuttable: false },
  { key: 'issuer', width: 137, align: 'left', isCuttable: true },
  { key: 'taxId', width: 86, align: 'left', isCuttable: true },
  { key: 'source', width: 50, align: 'left', isCuttable: true },
  { key: 'status', width: 88, align: 'left', isCuttable: true },
  {
    key: 'total',
    width: contentWidth - (30 + 52 + 137 + 86 + 50 + 88),
    align: 'right',
    isCuttable: false,
  },
];

/** Characters Windows-1252 has above Latin-1 (pdfkit maps them for the standard fonts). */
const winAnsiExtras = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018,
  0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a,
  0x20ac, 0x2122,
]);
const replacements: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '⇒': '=>',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '≤': '<=',
  '≥': '>=',
  '\u00ad': '',
};

function isWinAnsi(code: number): boolean {
  return (
    (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(code)
  );
}

/** Text the standard fonts can draw: tabs and line breaks become spaces, the rest is mapped. */
export function toWinAnsiText(text: string): string {
  if (/^[\x20-\x7e\xa0-\xff]*$/.test(text)) return text;
  let result = '';
  for (const character of text.normalize('NFC')) {
    const code = character.codePointAt(0) ?? 0x3f;
    if (isWinAnsi(code)) {
      result += character;
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      result += ' ';
    } else if (character in replacements) {
      result += replacements[character];
    } else {
      const base = character.normalize('NFD').replace(/\p{M}/gu, '');
      result +=
        base.length > 0 && [...base].every((part) => isWinAnsi(part.codePointAt(0) ?? 0))
          ? base
          : '?';
    }
  }
  return result;
}

/**
 * The page and table geometry, for code that must draw the same table (the `receipts`
 * benchmark's plain-pdfkit baseline).
 */
export const pdfReportLayout = {
  pageSize,
  margin,
  contentWidth,
  footerY,
  tableBottom,
  fonts,
  colors,
  rowFontSize,
  rowHeight,
  cellPadding,
  columns,
} as const;

type Drawing = {
  doc: PDFKit.PDFDocument;
  labels: ReportLabels;
  timeZone: string;
  footer: string;
  pageNumber: number;
  y: number;
  headerCells: CellCache;
  rowCells: CellCache;
};

/** Writes the PDF to `output` (ended when done); resolves once the output has finished. */
export async function writePdfReport(model: TripReportModel, output: Writable): Promise<void> {
  const labels = reportLabels[model.locale];
  const timeZone = getReportTimeZone(model);
  const doc = new PDFDocument({
    size: 'A4',
    margin,
    autoFirstPage: false,
    bufferPages: false,
    lang: model.locale,
    displayTitle: true,
    info: {
      Title: `${labels.title} — ${model.traveller.name}`,
      Author: model.traveller.name,
      Subject: `${model.trip.destination} (${model.trip.costCentre})`,
      Creator: 'Recado',
      Producer: 'Recado',
      CreationDate: model.generatedAt,
      ModDate: model.generatedAt,
    },
  });
  const done = pipeline(doc, output);
  try {
    drawReport(doc, model, labels, timeZone);
  } catch (error) {
    // Destroying the document fails the pipeline and `output`: no truncated PDF passes as whole.
    doc.destroy(error instanceof Error ? error : new Error(String(error)));
    await done.catch(() => undefined);
    throw error;
  }
  doc.end();
  await done;
}

/** The PDF as one buffer (to hand to the media service or a test). */
export async function renderPdfReport(model: TripReportModel): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writePdfReport(model, sink);
  return Buffer.concat(chunks);
}

function drawReport(
  doc: PDFKit.PDFDocument,
  model: TripReportModel,
  labels: ReportLabels,
  timeZone: string,
): void {
  const generatedAt = labels.describeGeneratedAt(
    formatReportDate(model.generatedAt, timeZone),
    formatReportTime(model.generatedAt, timeZone),
  );
  const drawing: Drawing = {
    doc,
    labels,
    timeZone,
    footer: toWinAnsiText(`${labels.title} · ${model.traveller.name} · ${generatedAt}`),
    pageNumber: 0,
    y: margin,
    headerCells: createCellCache(),
    rowCells: createCellCache(),
  };
  startPage(drawing);
  drawTitleBlock(drawing, model);

  if (model.receipts.length === 0) {
    writeLine(drawing, labels.noReceipts, { font: fonts.italic, size: 10, gap: 8 });
  } else {
    drawing.y += 4;
    drawTableHeader(drawing);
    for (const [index, receipt] of model.receipts.entries()) {
      if (drawing.y + rowHeight > tableBottom) {
        startPage(drawing);
        drawContinuationTitle(drawing, model);
        drawTableHeader(drawing);
      }
      drawReceiptRow(drawing, receipt, index);
    }
    drawing.y += 10;
    drawTotals(drawing, model);
  }
  writeLine(drawing, generatedAt, { font: fonts.regular, size: 8.5, color: colors.muted, gap: 10 });
}

function startPage(drawing: Drawing): void {
  drawing.doc.addPage({ size: 'A4', margin });
  drawing.pageNumber += 1;
  drawing.y = margin;
  const { doc } = drawing;
  doc.font(fonts.regular).fontSize(7.5).fillColor(colors.muted);
  doc.text(drawing.footer, margin, footerY, { lineBreak: false });
  const page = `${drawing.labels.page} ${drawing.pageNumber}`;
  doc.text(page, pageSize.width - margin - doc.widthOfString(page), footerY, { lineBreak: false });
  doc.fillColor(colors.text);
}

type LineOptions = { font: string; size: number; color?: string; gap?: number };

/** One line of text at the current height (cut with "…" if it would overflow the width). */
function writeLine(drawing: Drawing, text: string, options: LineOptions): void {
  const { doc } = drawing;
  const lineHeight = options.size * 1.35;
  if (drawing.y + lineHeight > tableBottom) startPage(drawing);
  doc
    .font(options.font)
    .fontSize(options.size)
    .fillColor(options.color ?? colors.text);
  doc.text(fitText(doc, toWinAnsiText(text), contentWidth), margin, drawing.y, {
    lineBreak: false,
  });
  drawing.y += lineHeight + (options.gap ?? 0);
  doc.fillColor(colors.text);
}

function writeField(drawing: Drawing, label: string, value: string): void {
  const { doc } = drawing;
  const size = 10;
  doc.font(fonts.bold).fontSize(size).fillColor(colors.text);
  const labelText = toWinAnsiText(`${label}: `);
  doc.text(labelText, margin, drawing.y, { lineBreak: false });
  const labelWidth = doc.widthOfString(labelText);
  doc.font(fonts.regular);
  doc.text(
    fitText(doc, toWinAnsiText(value), contentWidth - labelWidth),
    margin + labelWidth,
    drawing.y,
    { lineBreak: false },
  );
  drawing.y += size * 1.45;
}

function drawTitleBlock(drawing: Drawing, model: TripReportModel): void {
  const { labels, timeZone } = drawing;
  const { trip, traveller } = model;
  writeLine(drawing, labels.title, { font: fonts.bold, size: 18, gap: 6 });
  writeField(drawing, labels.traveller, traveller.name);
  writeField(drawing, labels.company, traveller.company);
  writeField(drawing, labels.email, traveller.email);
  writeField(drawing, labels.destination, trip.destination);
  writeField(drawing, labels.costCentre, trip.costCentre);
  const started = formatReportDate(trip.startedAt, timeZone);
  const closed = trip.closedAt ? formatReportDate(trip.closedAt, timeZone) : labels.tripStillOpen;
  writeField(
    drawing,
    labels.startedAt,
    `${started} (${labels.describeDays(trip.days)}) · ${labels.closedAt}: ${closed}`,
  );
  drawing.y += 8;
}

function drawContinuationTitle(drawing: Drawing, model: TripReportModel): void {
  writeLine(drawing, `${drawing.labels.title} — ${model.traveller.name}`, {
    font: fonts.bold,
    size: 10,
    gap: 4,
  });
}

function drawTableHeader(drawing: Drawing): void {
  const { doc, labels } = drawing;
  const top = drawing.y;
  doc.rect(margin, top, contentWidth, rowHeight + 2).fill(colors.headerFill);
  doc.fillColor(colors.text).font(fonts.bold).fontSize(rowFontSize);
  drawCells(
    drawing,
    top + 1,
    drawing.headerCells,
    columns.map((column) => labels.columns[column.key]),
  );
  doc
    .moveTo(margin, top + rowHeight + 2)
    .lineTo(margin + contentWidth, top + rowHeight + 2)
    .lineWidth(0.6)
    .strokeColor(colors.rule)
    .stroke();
  drawing.y = top + rowHeight + 4;
  doc.font(fonts.regular);
}

function drawReceiptRow(drawing: Drawing, receipt: ReportReceipt, index: number): void {
  const { labels, timeZone } = drawing;
  // In the order of `columns`.
  const values = [
    String(index + 1),
    receipt.issuedAt ? formatReportDate(receipt.issuedAt, timeZone) : labels.missingValue,
    describeIssuer(receipt, labels),
    formatTaxId(receipt.issuerTaxId, receipt.source),
    labels.sources[receipt.source],
    labels.statuses[receipt.status],
    receipt.totalCents === null
      ? labels.missingValue
      : formatMoney(receipt.totalCents, receipt.currency),
  ];
  drawCells(drawing, drawing.y, drawing.rowCells, values);
  drawing.y += rowHeight;
}

/** A cell's text as drawn: mapped to WinAnsi, cut or shrunk to its column, and its width. */
type FittedCell = { text: string; width: number; fontSize: number };

/**
 * Fitted cells by column and value. Rows repeat issuers, tax ids, labels and dates, and pdfkit
 * measures a string glyph by glyph with kerning (its costliest step): measuring each distinct
 * value once keeps the table's cost close to drawing alone.
 */
type CellCache = Map<string, FittedCell>[];
const maxCachedCells = 4096;

function createCellCache(): CellCache {
  return columns.map(() => new Map());
}

function fitCell(doc: PDFKit.PDFDocument, column: Column, value: string): FittedCell {
  const available = column.width - 2 * cellPadding;
  let text = toWinAnsiText(value);
  let width = doc.widthOfString(text);
  let fontSize = rowFontSize;
  if (width > available && column.isCuttable) {
    text = fitText(doc, text, available);
    width = doc.widthOfString(text);
  } else if (width > available) {
    fontSize = (rowFontSize * available) / width;
    width = available;
  }
  return { text, width, fontSize };
}

/** Draws one row of cells (`values` in the order of `columns`) at `top`, in the current font. */
function drawCells(
  drawing: Drawing,
  top: number,
  cache: CellCache,
  values: readonly string[],
): void {
  const { doc } = drawing;
  const baseline = top + (rowHeight - rowFontSize) / 2;
  let x = margin;
  for (let index = 0; index < columns.length; index += 1) {
    const column = columns[index] as Column;
    const value = values[index] ?? '';
    const cells = cache[index] as Map<string, FittedCell>;
    let cell = cells.get(value);
    if (!cell) {
      cell = fitCell(doc, column, value);
      if (cells.size >= maxCachedCells) cells.clear();
      cells.set(value, cell);
    }
    if (cell.text.length > 0) {
      const left =
        column.align === 'right' ? x + column.width - cellPadding - cell.width : x + cellPadding;
      if (cell.fontSize !== rowFontSize) doc.fontSize(cell.fontSize);
      doc.text(cell.text, left, baseline, { lineBreak: false });
      if (cell.fontSize !== rowFontSize) doc.fontSize(rowFontSize);
    }
    x += column.width;
  }
}

/** `text`, or as much of it as fits in `width` followed by "…". */
function fitText(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${text.slice(0, middle).trimEnd()}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${text.slice(0, low).trimEnd()}…`;
}

function drawTotals(drawing: Drawing, model: TripReportModel): void {
  const { labels } = drawing;
  const totals = computeCurrencyTotals(model.receipts);
  const needed = (totals.length + 2) * 14 + 20;
  if (drawing.y + needed > tableBottom) startPage(drawing);
  writeLine(drawing, labels.totalsTitle, { font: fonts.bold, size: 11, gap: 2 });
  let withoutAmount = 0;
  for (const total of totals) {
    withoutAmount += total.withoutAmountCount;
    writeField(
      drawing,
      labels.totalIn[total.currency],
      `${formatMoney(total.totalCents, total.currency)} (${labels.describeReceiptCount(total.receiptCount)})`,
    );
  }
  if (withoutAmount > 0) {
    writeLine(drawing, labels.describeWithoutAmount(withoutAmount), {
      font: fonts.italic,
      size: 9,
      color: colors.muted,
    });
  }
  drawing.y += 4;
}
