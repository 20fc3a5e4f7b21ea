import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { pdfReportLayout, toWinAnsiText } from '../../src/modules/expenses/reports/pdf-report.js';
import {
  computeCurrencyTotals,
  getReportTimeZone,
  type TripReportModel,
} from '../../src/modules/expenses/reports/report-model.js';
import {
  describeIssuer,
  formatMoney,
  formatReportDate,
  formatReportTime,
  formatTaxId,
  reportLabels,
  toSpreadsheetDate,
  toSpreadsheetDateTime,
} from '../../src/modules/expenses/reports/report-text.js';
import {
  spreadsheetDateFormat,
  spreadsheetDateTimeFormat,
  spreadsheetMoneyFormats,
} from '../../src/modules/expenses/reports/xlsx-report.js';

/**
 * The baselines of the `receipts` benchmark's report half: the same documents written with the
 * libraries alone, from rows prepared beforehand (untimed). What is timed is only what any
 * program writing that table must do:
 * - XLSX: exceljs's streaming writer (`stream.xlsx.WorkbookWriter`) adding the same rows, with
 *   the same number formats on the same cells, to the same two sheets;
 * - PDF: pdfkit drawing the same strings at the same places — title block, table header on
 *   every page, rows, totals, footers — with the same fonts.
 * Recado's writers (`writeXlsxReport`, `writePdfReport`) start from the model instead, so the
 * ratio between the two is the cost of everything Recado adds: formatting, layout, checks.
 */

/** A Writable that keeps nothing and counts the bytes (both sides write to one of these). */
export function createCountingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

type SpreadsheetRow = { values: ExcelJS.CellValue[]; numFmts: Array<string | undefined> };

export type SpreadsheetBaselineRows = { receipts: SpreadsheetRow[]; items: SpreadsheetRow[] };

/** The rows `writeXlsxReport` writes for `model`, as plain values and number formats. */
export function prepareSpreadsheetRows(model: TripReportModel): SpreadsheetBaselineRows {
  const labels = reportLabels[model.locale];
  const timeZone = getReportTimeZone(model);
  const { columns, itemColumns } = labels;
  const plain = (values: ExcelJS.CellValue[]): SpreadsheetRow => ({ values, numFmts: [] });
  const receipts: SpreadsheetRow[] = [
    plain([labels.title]),
    plain([labels.traveller, model.traveller.name]),
    plain([labels.company, model.traveller.company]),
    plain([labels.email, model.traveller.email]),
    plain([labels.destination, model.trip.destination]),
    plain([labels.costCentre, model.trip.costCentre]),
    plain([labels.days, model.trip.days]),
    {
      values: [labels.startedAt, toSpreadsheetDate(model.trip.startedAt, timeZone)],
      numFmts: [undefined, spreadsheetDateFormat],
    },
    model.trip.closedAt
      ? {
          values: [labels.closedAt, toSpreadsheetDate(model.trip.closedAt, timeZone)],
          numFmts: [undefined, spreadsheetDateFormat],
        }
      : plain([labels.closedAt, labels.tripStillOpen]),
    {
      values: [labels.generatedAt, toSpreadsheetDateTime(model.generatedAt, timeZone)],
      numFmts: [undefined, spreadsheetDateTimeFormat],
    },
    plain([]),
    plain([
      columns.date,
      columns.issuer,
      columns.taxId,
      columns.source,
      columns.status,
      columns.currency,
      columns.total,
      columns.number,
    ]),
  ];
  const items: SpreadsheetRow[] = [
    plain([
      itemColumns.receipt,
      columns.date,
      columns.issuer,
      itemColumns.description,
      itemColumns.quantity,
      itemColumns.unit,
      itemColumns.unitPrice,
      itemColumns.total,
      columns.currency,
    ]),
  ];
  for (const [index, receipt] of model.receipts.entries()) {
    const date = receipt.issuedAt ? toSpreadsheetDate(receipt.issuedAt, timeZone) : null;
    const issuer = describeIssuer(receipt, labels);
    const money = spreadsheetMoneyFormats[receipt.currency];
    receipts.push({
      values: [
        date ?? labels.missingValue,
        issuer,
        formatTaxId(receipt.issuerTaxId, receipt.source) || null,
        labels.sources[receipt.source],
        labels.statuses[receipt.status],
        receipt.currency,
        receipt.totalCents === null ? labels.missingValue : receipt.totalCents / 100,
        index + 1,
      ],
      numFmts: [
        date ? spreadsheetDateFormat : undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        receipt.totalCents === null ? undefined : money,
      ],
    });
    for (const item of receipt.items) {
      items.push({
        values: [
          index + 1,
          date ?? labels.missingValue,
          issuer,
          item.description,
          item.quantity,
          item.unit,
          item.unitPriceCents === null ? labels.missingValue : item.unitPriceCents / 100,
          item.totalCents / 100,
          receipt.currency,
        ],
        numFmts: [
          undefined,
          date ? spreadsheetDateFormat : undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          item.unitPriceCents === null ? undefined : money,
          money,
        ],
      });
    }
  }
  const totals = computeCurrencyTotals(model.receipts);
  if (totals.length > 0) {
    receipts.push(plain([]), plain([labels.totalsTitle]));
    for (const total of totals) {
      receipts.push({
        values: [
          labels.totalIn[total.currency],
          labels.describeReceiptCount(total.receiptCount),
          null,
          null,
          null,
          total.currency,
          total.totalCents / 100,
        ],
        numFmts: [
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          spreadsheetMoneyFormats[total.currency],
        ],
      });
    }
  }
  return { receipts, items };
}

/** exceljs's streaming writer alone, writing prepared rows. */
export async function writePlainSpreadsheet(
  rows: SpreadsheetBaselineRows,
  output: Writable,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  // One style object per format, shared, as any careful exceljs user would.
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const styleOf = (numFmt: string) => {
    let style = styles.get(numFmt);
    if (!style) {
      style = { numFmt };
      styles.set(numFmt, style);
    }
    return style;
  };
  for (const [name, sheetRows] of [
    ['Despesas', rows.receipts],
    ['Itens', rows.items],
  ] as const) {
    const sheet = workbook.addWorksheet(name);
    for (const row of sheetRows) {
      const added = sheet.addRow(row.values);
      for (const [index, numFmt] of row.numFmts.entries()) {
        if (numFmt) added.getCell(index + 1).style = styleOf(numFmt);
      }
      added.commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

export type PdfBaselineRows = {
  title: string;
  fields: Array<[label: string, value: string]>;
  header: string[];
  rows: string[][];
  continuationTitle: string;
  totals: Array<[label: string, value: string]>;
  /** Receipts left out of the totals, when there are any. */
  note: string | undefined;
  generatedAt: string;
  footer: string;
  pageLabel: string;
};

/** The strings `writePdfReport` draws for `model`, cut to their columns as it cuts them. */
export function preparePdfRows(model: TripReportModel): PdfBaselineRows {
  const labels = reportLabels[model.locale];
  const timeZone = getReportTimeZone(model);
  const layout = pdfReportLayout;
  const measure = new PDFDocument({ autoFirstPage: false });
  measure.font(layout.fonts.regular).fontSize(layout.rowFontSize);
  const cutToWidth = (text: string, width: number) => {
    if (measure.widthOfString(text) <= width) return text;
    let cut = text;
    while (cut.length > 0 && measure.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
    return `${cut.trimEnd()}…`;
  };
  const generatedAt = labels.describeGeneratedAt(
    formatReportDate(model.generatedAt, timeZone),
    formatReportTime(model.generatedAt, timeZone),
  );
  const rows = model.receipts.map((receipt, index) => {
    const cells: Record<string, string> = {
      number: String(index + 1),
      date: receipt.issuedAt ? formatReportDate(receipt.issuedAt, timeZone) : labels.missingValue,
      issuer: describeIssuer(receipt, labels),
      taxId: formatTaxId(receipt.issuerTaxId, receipt.source),
      source: labels.sources[receipt.source],
      status: labels.statuses[receipt.status],
      total:
        receipt.totalCents === null
          ? labels.missingValue
          : formatMoney(receipt.totalCents, receipt.currency),
    };
    return layout.columns.map((column) => {
      const text = toWinAnsiText(cells[column.key] ?? '');
      return column.isCuttable ? cutToWidth(text, column.width - 2 * layout.cellPadding) : text;
    });
  });
  const closed = model.trip.closedAt
    ? formatReportDate(model.trip.closedAt, timeZone)
    : labels.tripStillOpen;
  const totals = computeCurrencyTotals(model.receipts);
  const withoutAmount = totals.reduce((sum, total) => sum + total.withoutAmountCount, 0);
  return {
    title: labels.title,
    fields: [
      [labels.traveller, model.traveller.name],
      [labels.company, model.traveller.company],
      [labels.email, model.traveller.email],
      [labels.destination, toWinAnsiText(model.trip.destination)],
      [labels.costCentre, model.trip.costCentre],
      [
        labels.startedAt,
        `${formatReportDate(model.trip.startedAt, timeZone)} (${labels.describeDays(model.trip.days)}) · ${labels.closedAt}: ${closed}`,
      ],
    ],
    header: layout.columns.map((column) => labels.columns[column.key]),
    rows,
    continuationTitle: `${labels.title} — ${model.traveller.name}`,
    note: withoutAmount > 0 ? labels.describeWithoutAmount(withoutAmount) : undefined,
    totals: totals.map((total) => [
      labels.totalIn[total.currency],
      `${formatMoney(total.totalCents, total.currency)} (${labels.describeReceiptCount(total.receiptCount)})`,
    ]),
    generatedAt,
    footer: `${labels.title} · ${model.traveller.name} · ${generatedAt}`,
    pageLabel: labels.page,
  };
}

/** pdfkit alone, drawing prepared strings in the report's geometry. */
export async function writePlainPdf(prepared: PdfBaselineRows, output: Writable): Promise<void> {
  const layout = pdfReportLayout;
  const { margin, contentWidth, rowHeight, rowFontSize, cellPadding, fonts, colors } = layout;
  const doc = new PDFDocument({ size: 'A4', margin, autoFirstPage: false });
  const done = pipeline(doc, output);
  let page = 0;
  let y = margin;
  const newPage = () => {
    doc.addPage({ size: 'A4', margin });
    page += 1;
    y = margin;
    doc.font(fonts.regular).fontSize(7.5).fillColor(colors.muted);
    doc.text(prepared.footer, margin, layout.footerY, { lineBreak: false });
    const label = `${prepared.pageLabel} ${page}`;
    doc.text(label, layout.pageSize.width - margin - doc.widthOfString(label), layout.footerY, {
      lineBreak: false,
    });
    doc.fillColor(colors.text);
  };
  const line = (text: string, font: string, size: number) => {
    doc.font(font).fontSize(size).text(text, margin, y, { lineBreak: false });
    y += size * 1.35;
  };
  const field = (label: string, value: string) => {
    doc.font(fonts.bold).fontSize(10).text(`${label}: `, margin, y, { lineBreak: false });
    const width = doc.widthOfString(`${label}: `);
    doc.font(fonts.regular).text(value, margin + width, y, { lineBreak: false });
    y += 14.5;
  };
  const cells = (values: readonly string[], top: number) => {
    let x = margin;
    for (const [index, column] of layout.columns.entries()) {
      const text = values[index] ?? '';
      const left =
        column.align === 'right'
          ? x + column.width - cellPadding - doc.widthOfString(text)
          : x + cellPadding;
      doc.text(text, left, top + (rowHeight - rowFontSize) / 2, { lineBreak: false });
      x += column.width;
    }
  };
  const header = () => {
    doc.rect(margin, y, contentWidth, rowHeight + 2).fill(colors.headerFill);
    doc.fillColor(colors.text).font(fonts.bold).fontSize(rowFontSize);
    cells(prepared.header, y + 1);
    doc
      .moveTo(margin, y + rowHeight + 2)
      .lineTo(margin + contentWidth, y + rowHeight + 2)
      .lineWidth(0.6)
      .strokeColor(colors.rule)
      .stroke();
    y += rowHeight + 4;
    doc.font(fonts.regular);
  };

  newPage();
  line(prepared.title, fonts.bold, 18);
  y += 6;
  for (const [label, value] of prepared.fields) field(label, value);
  y += 12;
  header();
  for (const row of prepared.rows) {
    if (y + rowHeight > layout.tableBottom) {
      newPage();
      line(prepared.continuationTitle, fonts.bold, 10);
      y += 4;
      header();
    }
    cells(row, y);
    y += rowHeight;
  }
  y += 10;
  if (y + (prepared.totals.length + 2) * 14 + 20 > layout.tableBottom) newPage();
  line('Totais', fonts.bold, 11);
  for (const [label, value] of prepared.totals) field(label, value);
  if (prepared.note) line(prepared.note, fonts.italic, 9);
  line(prepared.generatedAt, fonts.regular, 8.5);
  doc.end();
  await done;
}
