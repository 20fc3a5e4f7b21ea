/**
 * Entry point of the expenses module (issue 6, product A): travellers, trips, receipts from a
 * photo of the QR code (NFC-e, Portuguese AT invoices) or typed by hand, the consultation job
 * that reads the tax authority's page, the REST API and the flow actions.
 */
export {
  expensesActionDeclarations,
  registerExpensesActions,
} from './expenses.actions.js';
export {
  type ConsultationDeps,
  type ConsultationOutcome,
  type ConsultationRunner,
  type ConsultationSettings,
  createConsultationRunner,
  fetchConsultationJob,
  findDueConsultations,
} from './expenses.jobs.js';
export { expensesRoutes } from './expenses.routes.js';
export {
  type AddedReceipt,
  createExpensesService,
  type ExpensesDeps,
  type ExpensesService,
  type ReceiptIntake,
  type ReceiptOrigin,
  type ReportDownload,
  type TravellerOfContact,
  type TripReportsHook,
} from './expenses.service.js';
export {
  ExpenseRefusal,
  type ExpensesLocale,
  isExpenseRefusal,
  type Phrase,
} from './expenses.texts.js';
export { maxReceiptPhotoBytes } from './receipt-intake.js';
export { buildTripReportModel, createTripReportsGenerator } from './trip-reports.js';
