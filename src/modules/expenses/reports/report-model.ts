/**
 * What an expense report is made from: the trip, the traveller and the receipts, as plain data.
 * The expenses service builds it from its tables; the renderers (`xlsx-report.ts`,
 * `pdf-report.ts`) never read a table. Amounts are integer cents; instants are `Date`s, shown
 * as calendar dates in `timeZone` (São Paulo for pt-BR and Lisbon for pt-PT unless given).
 */

export type ReportLocale = 'pt-BR' | 'pt-PT';
export type ReportCurrency = 'BRL' | 'EUR';
export type ReportReceiptSource = 'nfce' | 'pt-invoice' | 'manual';
/** The receipt's fetch status in the expenses module. */
export type ReportReceiptStatus = 'parsed' | 'pending' | 'needs-amount' | 'manual';
export type ReportKind = 'pdf' | 'xlsx';

export type ReportItem = {
  description: string;
  quantity: number;
  /** `UN`, `KG`, `L`…; null when the page printed none. */
  unit: string | null;
  /** Null when the page printed no unit price. */
  unitPriceCents: number | null;
  totalCents: number;
};

export type ReportReceipt = {
  /** Null while only the access key is known and it carries no day. */
  issuedAt: Date | null;
  /** Null while a pending NFC-e has only its key (which names the CNPJ, not the name). */
  issuerName: string | null;
  /** CNPJ, CPF or NIF as digits (separators are added when rendered); null for manual entries. */
  issuerTaxId: string | null;
  source: ReportReceiptSource;
  /** Null when the amount is not known yet (`pending` without an offline total, `needs-amount`). */
  totalCents: number | null;
  currency: ReportCurrency;
  items: readonly ReportItem[];
  status: ReportReceiptStatus;
  /** What the traveller typed for a manual entry; shown where there is no issuer name. */
  description?: string | null;
};

export type TripReportModel = {
  trip: {
    destination: string;
    costCentre: string;
    days: number;
    startedAt: Date;
    /** Null for a report of a trip still open. */
    closedAt: Date | null;
  };
  traveller: { name: string; company: string; email: string };
  /** In the order they should be listed (the service sorts them by issue date). */
  receipts: readonly ReportReceipt[];
  generatedAt: Date;
  locale: ReportLocale;
  /** IANA zone the dates are shown in; default by locale. */
  timeZone?: string;
};

export const reportContentTypes: Record<ReportKind, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const defaultTimeZones: Record<ReportLocale, string> = {
  'pt-BR': 'America/Sao_Paulo',
  'pt-PT': 'Europe/Lisbon',
};

export function getReportTimeZone(model: Pick<TripReportModel, 'locale' | 'timeZone'>): string {
  return model.timeZone ?? defaultTimeZones[model.locale];
}

export type CurrencyTotal = {
  currency: ReportCurrency;
  totalCents: number;
  /** Receipts of this currency whose amount is known (and so in the total). */
  receiptCount: number;
  /** Receipts of this currency still without an amount (not in the total). */
  withoutAmountCount: number;
};

const currencyOrder: readonly ReportCurrency[] = ['BRL', 'EUR'];

/**
 * Totals per currency, BRL first, only currencies that occur. Receipts without an amount are
 * counted apart: a total never pretends to include them.
 */
export function computeCurrencyTotals(receipts: Iterable<ReportReceipt>): CurrencyTotal[] {
  const totals = new Map<ReportCurrency, CurrencyTotal>();
  for (const receipt of receipts) {
    let total = totals.get(receipt.currency);
    if (!total) {
      total = { currency: receipt.currency, totalCents: 0, receiptCount: 0, withoutAmountCount: 0 };
      totals.set(receipt.currency, total);
    }
    if (receipt.totalCents === null) {
      total.withoutAmountCount += 1;
    } else {
      total.totalCents += receipt.totalCents;
      total.receiptCount += 1;
    }
  }
  return currencyOrder.flatMap((currency) => {
    const total = totals.get(currency);
    return total ? [total] : [];
  });
}
