import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  computeCurrencyTotals,
  getReportTimeZone,
  type ReportCurrency,
  type TripReportModel,
} from './report-model.js';
import {
  describeIssuer,
  formatTaxId,
  type ReportLabels,
  reportLabels,
  toSpreadsheetDate,
  toSpreadsheetDateTime,
} from './report-text.js';

/**
 * The spreadsheet report, written by exceljs's streaming writer: rows leave as they are
 * committed, so 10,000 receipts never sit in memory as cells. Two sheets:
 * - "Despesas": the trip header block (label in A, value in B), the receipts table (real dates,
 *   money as numbers in the currency's format), then the totals per currency;
 * - "Itens": one row per item, pointing at its receipt's number in "Despesas".
 */

/** Money formats that carry their currency and locale (Excel and LibreOffice read both). */
export const spreadsheetMoneyFormats: Record<ReportCurrency, string> = {
  BRL: '[$R$-416] #,##0.00',
  EUR: '#,##0.00 [$€-816]',
};
export const spreadsheetDateFormat = 'dd/mm/yyyy';
export const spreadsheetDateTimeFormat = 'dd/mm/yyyy hh:mm';

export const receiptsSheetName = 'Despesas';
export const itemsSheetName = 'Itens';

/** Row of the receipts table's header in "Despesas" (the block above it has a fixed size). */
export const receiptsHeaderRow = 12;

type Style = Partial<ExcelJS.Style>;

const headerFill: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFE8EEF4' },
};
const headerBorder: Partial<ExcelJS.Borders> = {
  bottom: { style: 'thin', color: { argb: 'FF8899AA' } },
};

/**
 * Style objects are shared between cells on purpose: exceljs recognizes a style object it has
 * seen, so a shared one costs a map lookup per cell instead of building a style key.
 */
function createStyles() {
  return {
    title: { font: { bold: true, size: 14 } } satisfies Style,
    label: { font: { bold: true } } satisfies Style,
    header: {
      font: { bold: true },
      fill: headerFill,
      border: headerBorder,
      alignment: { vertical: 'middle' },
    } satisfies Style,
    headerRight: {
      font: { bold: true },
      fill: headerFill,
      border: headerBorder,
      alignment: { vertical: 'middle', horizontal: 'right' },
    } satisfies Style,
    date: { numFmt: spreadsheetDateFormat, alignment: { horizontal: 'left' } } satisfies Style,
    dateTime: {
      numFmt: spreadsheetDateTimeFormat,
      alignment: { horizontal: 'left' },
    } satisfies Style,
    integerLeft: { alignment: { horizontal: 'left' } } satisfies Style,
    money: {
      BRL: { numFmt: spreadsheetMoneyFormats.BRL },
      EUR: { numFmt: spreadsheetMoneyFormats.EUR },
    } satisfies Record<ReportCurrency, Style>,
    totalMoney: {
      BRL: { numFmt: spreadsheetMoneyFormats.BRL, font: { bold: true } },
      EUR: { numFmt: spreadsheetMoneyFormats.EUR, font: { bold: true } },
    } satisfies Record<ReportCurrency, Style>,
    missing: { alignment: { horizontal: 'right' } } satisfies Style,
    note: { font: { italic: true } } satisfies Style,
  };
}
type Styles = ReturnType<typeof createStyles>;

const receiptColumnWidths = [16, 42, 22, 13, 21, 8, 16, 10];
const itemColumnWidths = [12, 12, 36, 48, 12, 9, 16, 16, 8];

/** Writes the XLSX to `output` (ended when done); resolves once the output has finished. */
export async function writeXlsxReport(model: TripReportModel, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Recado';
  workbook.lastModifiedBy = 'Recado';
  workbook.created = model.generatedAt;
  workbook.modified = model.generatedAt;
  writeContentTypesFirst(workbook, 2);
  const labels = reportLabels[model.locale];
  const styles = createStyles();
  let onOutputError: (error: Error) => void = () => undefined;
  const outputFailed = new Promise<never>((_resolve, reject) => {
    onOutputError = reject;
  });
  output.on('error', onOutputError);
  try {
    writeReceiptsSheet(workbook, model, labels, styles);
    writeItemsSheet(workbook, model, labels, styles);
    const committing = workbook.commit();
    // A failing output rejects through `outputFailed`; this one must not go unhandled then.
    committing.catch(() => undefined);
    await Promise.race([committing, outputFailed]);
  } catch (error) {
    // Whoever reads `output` must not take a half-written workbook for a whole one.
    output.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    output.off('error', onOutputError);
  }
}

type WorkbookWriterInternals = {
  zip: unknown;
  addContentTypes(): Promise<void>;
};

/**
 * Puts `[Content_Types].xml` before the worksheets. exceljs's streaming writer adds it last,
 * after the sheets; type sniffers (file-type, which the media service uses; libmagic) read only
 * the head of a file — file-type scans about 1 MiB of entries — so a large report would sniff
 * as a plain ZIP and be refused as a WhatsApp document. The part lists the sheets by id only,
 * so it can be written before them when their count is known. Relies on exceljs 4.4.0's
 * internals (`zip`, `addContentTypes` reading `_worksheets`, `sharedStrings`, `commentRefs`,
 * `media`); `xlsx-report.test.ts` sniffs a large report to catch a change.
 */
function writeContentTypesFirst(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  worksheetCount: number,
): void {
  const internals = workbook as unknown as WorkbookWriterInternals;
  const worksheets = Array.from({ length: worksheetCount }, (_, index) => ({ id: index + 1 }));
  void internals.addContentTypes.call({
    _worksheets: worksheets,
    sharedStrings: { count: 0 },
    commentRefs: [],
    media: [],
    zip: internals.zip,
  });
  internals.addContentTypes = () => Promise.resolve();
}

/** The XLSX as one buffer (to hand to the media service or a test). */
export async function renderXlsxReport(model: TripReportModel): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeXlsxReport(model, sink);
  return Buffer.concat(chunks);
}

function addStyledRow(
  sheet: ExcelJS.Worksheet,
  values: ReadonlyArray<ExcelJS.CellValue>,
  styles: ReadonlyArray<Style | undefined>,
): void {
  const row = sheet.addRow(values as ExcelJS.CellValue[]);
  for (const [index, style] of styles.entries()) {
    if (style) row.getCell(index + 1).style = style;
  }
  row.commit();
}

function writeReceiptsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  model: TripReportModel,
  labels: ReportLabels,
  styles: Styles,
): void {
  const timeZone = getReportTimeZone(model);
  const sheet = workbook.addWorksheet(receiptsSheetName, {
    views: [{ state: 'frozen', ySplit: receiptsHeaderRow, xSplit: 0 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.columns = receiptColumnWidths.map((width) => ({ width }));
  const { trip, traveller } = model;

  addStyledRow(sheet, [labels.title], [styles.title]);
  const headerBlock: Array<[string, ExcelJS.CellValue, Style | undefined]> = [
    [labels.traveller, traveller.name, undefined],
    [labels.company, traveller.company, undefined],
    [labels.email, traveller.email, undefined],
    [labels.destination, trip.destination, undefined],
    [labels.costCentre, trip.costCentre, undefined],
    [labels.days, trip.days, styles.integerLeft],
    [labels.startedAt, toSpreadsheetDate(trip.startedAt, timeZone), styles.date],
    trip.closedAt
      ? [labels.closedAt, toSpreadsheetDate(trip.closedAt, timeZone), styles.date]
      : [labels.closedAt, labels.tripStillOpen, undefined],
    [labels.generatedAt, toSpreadsheetDateTime(model.generatedAt, timeZone), styles.dateTime],
  ];
  for (const [label, value, style] of headerBlock) {
    addStyledRow(sheet, [label, value], [styles.label, style]);
  }
  addStyledRow(sheet, [], []);

  const { columns } = labels;
  addStyledRow(
    sheet,
    [
      columns.date,
      columns.issuer,
      columns.taxId,
      columns.source,
      columns.status,
      columns.currency,
      columns.total,
      columns.number,
    ],
    [
      styles.header,
      styles.header,
      styles.header,
      styles.header,
      styles.header,
      styles.header,
      styles.headerRight,
      styles.headerRight,
    ],
  );

  if (model.receipts.length === 0) {
    addStyledRow(sheet, [labels.noReceipts], [styles.note]);
  } else {
    sheet.autoFilter = `A${receiptsHeaderRow}:H${receiptsHeaderRow + model.receipts.length}`;
  }

  for (const [index, receipt] of model.receipts.entries()) {
    const hasAmount = receipt.totalCents !== null;
    addStyledRow(
      sheet,
      [
        receipt.issuedAt ? toSpreadsheetDate(receipt.issuedAt, timeZone) : labels.missingValue,
        describeIssuer(receipt, labels),
        formatTaxId(receipt.issuerTaxId, receipt.source) || null,
        labels.sources[receipt.source],
        labels.statuses[receipt.status],
        receipt.currency,
        hasAmount ? (receipt.totalCents as number) / 100 : labels.missingValue,
        index + 1,
      ],
      [
        receipt.issuedAt ? styles.date : undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        hasAmount ? styles.money[receipt.currency] : styles.missing,
        undefined,
      ],
    );
  }

  const totals = computeCurrencyTotals(model.receipts);
  if (totals.length > 0) {
    addStyledRow(sheet, [], []);
    addStyledRow(sheet, [labels.totalsTitle], [styles.label]);
    for (const total of totals) {
      addStyledRow(
        sheet,
        [
          labels.totalIn[total.currency],
          labels.describeReceiptCount(total.receiptCount),
          null,
          null,
          null,
          total.currency,
          total.totalCents / 100,
        ],
        [
          styles.label,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          styles.totalMoney[total.currency],
        ],
      );
    }
    const withoutAmount = totals.reduce((sum, total) => sum + total.withoutAmountCount, 0);
    if (withoutAmount > 0) {
      addStyledRow(
        sheet,
        [null, labels.describeWithoutAmount(withoutAmount)],
        [undefined, styles.note],
      );
    }
  }
  sheet.commit();
}

function writeItemsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  model: TripReportModel,
  labels: ReportLabels,
  styles: Styles,
): void {
  const timeZone = getReportTimeZone(model);
  const sheet = workbook.addWorksheet(itemsSheetName, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.columns = itemColumnWidths.map((width) => ({ width }));
  const { itemColumns, columns } = labels;
  addStyledRow(
    sheet,
    [
      itemColumns.receipt,
      columns.date,
      columns.issuer,
      itemColumns.description,
      itemColumns.quantity,
      itemColumns.unit,
      itemColumns.unitPrice,
      itemColumns.total,
      columns.currency,
    ],
    [
      styles.headerRight,
      styles.header,
      styles.header,
      styles.header,
      styles.headerRight,
      styles.header,
      styles.headerRight,
      styles.headerRight,
      styles.header,
    ],
  );
  let itemCount = 0;
  for (const [index, receipt] of model.receipts.entries()) {
    if (receipt.items.length === 0) continue;
    const date = receipt.issuedAt ? toSpreadsheetDate(receipt.issuedAt, timeZone) : null;
    const issuer = describeIssuer(receipt, labels);
    const money = styles.money[receipt.currency];
    for (const item of receipt.items) {
      itemCount += 1;
      addStyledRow(
        sheet,
        [
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
        [
          undefined,
          date ? styles.date : undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          item.unitPriceCents === null ? styles.missing : money,
          money,
          undefined,
        ],
      );
    }
  }
  if (itemCount === 0) {
    addStyledRow(sheet, [labels.noItems], [styles.note]);
  } else {
    sheet.autoFilter = `A1:I${itemCount + 1}`;
  }
  sheet.commit();
}
