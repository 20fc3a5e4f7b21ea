/**
 * Trip expense reports (issue 6, item 6): the PDF and the XLSX of a trip, written from a plain
 * model, and the route that serves them. See README.md beside this file.
 */
export { renderPdfReport, toWinAnsiText, writePdfReport } from './pdf-report.js';
export {
  type CurrencyTotal,
  computeCurrencyTotals,
  getReportTimeZone,
  type ReportCurrency,
  type ReportItem,
  type ReportKind,
  type ReportLocale,
  type ReportReceipt,
  type ReportReceiptSource,
  type ReportReceiptStatus,
  reportContentTypes,
  type TripReportModel,
} from './report-model.js';
export { buildReportFileName, formatTaxId, reportLabels } from './report-text.js';
export {
  type FindReportFile,
  negotiateReportKind,
  type ReportFile,
  reportsRoutes,
} from './reports.routes.js';
export {
  generateTripReports,
  type RenderedReport,
  type ReportStorageTarget,
  renderTripReports,
  reportKinds,
  type StoredReport,
  type TripReports,
  writeTripReport,
} from './reports.service.js';
export {
  itemsSheetName,
  receiptsSheetName,
  renderXlsxReport,
  spreadsheetMoneyFormats,
  writeXlsxReport,
} from './xlsx-report.js';
