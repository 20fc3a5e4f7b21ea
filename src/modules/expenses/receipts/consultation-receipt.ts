import type { CheerioAPI } from 'cheerio';
import type { LocalizedText } from '../../../shared/validators/validation-result.js';

/**
 * What a consultation page says about a receipt. Every layout family reads into the same
 * `PageReading`; `receipt-checks.ts` decides whether it can be trusted, and only then does it
 * become a `ConsultationReceipt`. Amounts are integer cents (BRL).
 */

export type ConsultationLayout = 'mobile-template' | 'aspnet-item-list' | 'tabs-view' | 'mg-portal';

export type ReceiptItem = {
  description: string;
  code?: string;
  quantity: number;
  unit: string;
  /** Cents, rounded half up when the page prints more decimals (or derived, see below). */
  unitPrice: number;
  total: number;
  /** The page prints no unit price (Minas Gerais): it is total ÷ quantity, rounded. */
  unitPriceDerived?: true;
};

export type PaymentMethod = { method: string; amount: number };

export type ReceiptIssuer = {
  name: string;
  /** 14 characters as the page prints the CNPJ (11 digits when the issuer is a person, CPF). */
  cnpj: string;
  address?: string;
};

/** A reading that passed every check. `total` is what was paid for the purchase. */
export type ConsultationReceipt = {
  issuer: ReceiptIssuer;
  accessKey?: string;
  items: ReceiptItem[];
  total: number;
  /** Sum of the items as the page prints it ("Valor total"), before discounts. */
  itemsTotal?: number;
  discounts?: number;
  /** Freight, insurance, other charges the page adds to the items. */
  surcharges?: number;
  paymentMethods?: PaymentMethod[];
  change?: number;
  /** Approximate taxes (Lei 12.741/2012), informative. */
  taxes?: number;
  /** Local date-time as printed (`2020-09-01T15:22:18`), with an offset only when printed. */
  issuedAt?: string;
  number?: number;
  series?: number;
  protocol?: string;
  declaredItemCount?: number;
};

/** Everything a layout managed to read; any field may be missing. Not to be trusted as is. */
export type PageReading = {
  issuer: { name?: string; cnpj?: string; address?: string };
  accessKey?: string;
  items: ReceiptItem[];
  /** Item rows the layout found but could not read (index and what was missing). */
  unreadableItems: Array<{ index: number; missing: string }>;
  total?: number;
  itemsTotal?: number;
  discounts?: number;
  surcharges?: number;
  paymentMethods?: PaymentMethod[];
  /** The amount paid when the page gives only a total of payments. */
  paid?: number;
  change?: number;
  taxes?: number;
  issuedAt?: string;
  number?: number;
  series?: number;
  protocol?: string;
  declaredItemCount?: number;
};

export type PageProblemCode =
  | 'missing-field'
  | 'unreadable-items'
  | 'issuer-cnpj-invalid'
  | 'item-arithmetic'
  | 'items-sum-mismatch'
  | 'totals-mismatch'
  | 'item-count-mismatch'
  | 'payments-mismatch'
  | 'page-key-missing'
  | 'page-key-invalid'
  | 'key-mismatch'
  | 'key-issuer-mismatch'
  | 'key-number-mismatch'
  | 'key-series-mismatch'
  | 'key-date-mismatch';

export type PageProblem = {
  code: PageProblemCode;
  message: LocalizedText;
  details?: Record<string, string | number>;
};

export type ConsultationPageResult =
  | { status: 'verified'; layout: ConsultationLayout; receipt: ConsultationReceipt }
  | {
      status: 'unverified';
      layout: ConsultationLayout;
      problems: PageProblem[];
      /** What was read, for people to look at; its amounts must not be used as the expense. */
      reading: PageReading;
    }
  /** The portal answered but has no such note (yet): offline notes arrive up to days later. */
  | { status: 'not-available'; message: LocalizedText }
  | { status: 'unknown-layout'; message: LocalizedText };

/** One layout family: recognized by what the page contains, read into a `PageReading`. */
export interface PageLayout {
  readonly id: ConsultationLayout;
  matches(page: CheerioAPI): boolean;
  read(page: CheerioAPI): PageReading;
}

export function createEmptyReading(): PageReading {
  return { issuer: {}, items: [], unreadableItems: [] };
}
