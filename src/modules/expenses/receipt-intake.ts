import { fileTypeFromBuffer } from 'file-type';
import {
  type Amount,
  type Currency,
  validateAmount,
  validateDate,
} from '../../shared/validators/index.js';
import type { StoredReceiptItem } from './expenses.tables.js';
import {
  ExpenseRefusal,
  type ExpensesLocale,
  fromLocalized,
  type Phrase,
  render,
  texts,
} from './expenses.texts.js';
import { readQrCodes } from './qr/read-qr-codes.js';
import { sniffImageFormat } from './qr/sniff-image-format.js';
import type { ConsultationReceipt } from './receipts/consultation-receipt.js';
import { type NfceQr, parseNfceQr } from './receipts/nfce-qr.js';
import { type PtInvoiceQr, parsePtInvoiceQr } from './receipts/pt-invoice-qr.js';

/**
 * From what a traveller sends to what a receipt row holds: a photo (its QR codes), the text of
 * a QR code, or an expense typed by hand. Nothing here touches the database; every refusal is
 * an `ExpenseRefusal` with the sentence to say.
 */

/** The largest receipt photo read (the QR reader's own cap). */
export const maxReceiptPhotoBytes = 20 * 1024 * 1024;

export type ReceiptDraft = {
  source: 'nfce' | 'pt-invoice' | 'manual';
  accessKey: string | null;
  atcud: string | null;
  documentNumber: string | null;
  issuerName: string | null;
  issuerTaxId: string | null;
  issueDate: string | null;
  totalCents: number | null;
  currency: Currency;
  declaredTotalCents: number | null;
  details: Record<string, unknown>;
  qrText: string | null;
  description: string | null;
  fetchStatus: 'parsed' | 'pending' | 'manual';
  /** The tax authority's page to read (NFC-e): the consultation job's work. */
  portalUrl: string | null;
};

const pad = (value: number) => String(value).padStart(2, '0');

function isRealDay(year: number, month: number, day: number): boolean {
  const moment = new Date(Date.UTC(year, month - 1, day));
  return moment.getUTCMonth() === month - 1 && moment.getUTCDate() === day;
}

function draftFromNfce(qr: NfceQr, qrText: string): ReceiptDraft {
  const key = qr.accessKey;
  let issueDate: string | null = null;
  if (qr.issuedAt) issueDate = qr.issuedAt.slice(0, 10);
  else if (qr.offlineDay && isRealDay(key.year, key.month, qr.offlineDay)) {
    issueDate = `${key.year}-${pad(key.month)}-${pad(qr.offlineDay)}`;
  }
  return {
    source: 'nfce',
    accessKey: key.key,
    atcud: null,
    documentNumber: String(key.number),
    issuerName: null,
    issuerTaxId: key.issuer.kind === 'cnpj' ? key.issuer.cnpj : key.issuer.cpf,
    issueDate,
    totalCents: null,
    currency: 'BRL',
    declaredTotalCents: qr.declaredTotal ?? null,
    details: {
      state: key.state,
      series: key.series,
      number: key.number,
      yearMonth: `${key.year}-${pad(key.month)}`,
      emissionType: key.emissionType,
      qrForm: qr.form,
      portalUrl: qr.portalUrl,
    },
    qrText,
    description: null,
    fetchStatus: 'pending',
    portalUrl: qr.portalUrl,
  };
}

function draftFromPtInvoice(qr: PtInvoiceQr, qrText: string): ReceiptDraft {
  return {
    source: 'pt-invoice',
    accessKey: null,
    atcud: qr.atcud,
    documentNumber: qr.documentId,
    issuerName: null,
    issuerTaxId: qr.issuerNif,
    issueDate: qr.date,
    totalCents: qr.grossTotal,
    currency: 'EUR',
    declaredTotalCents: null,
    details: {
      documentType: qr.documentType,
      ...(qr.documentTypeName ? { documentTypeName: qr.documentTypeName } : {}),
      buyerCountry: qr.buyerCountry,
      isFinalConsumer: qr.isFinalConsumer,
      taxRegions: qr.taxRegions,
      totalTaxes: qr.totalTaxes,
      inconsistencies: qr.inconsistencies,
    },
    qrText,
    description: null,
    fetchStatus: 'parsed',
    portalUrl: null,
  };
}

/**
 * The text of a QR code as a receipt: an NFC-e (any QR form; homologation notes refused) or a
 * Portuguese AT invoice. Anything else is refused with the parser's own words ("Esse QR Code
 * é um código PIX…", "o dígito verificador da chave não confere…").
 */
export function readReceiptQrText(text: string): ReceiptDraft {
  const nfce = parseNfceQr(text);
  if (nfce.ok) {
    if (nfce.value.environment === 'homologation') {
      throw new ExpenseRefusal('VALIDATION_FAILED', 'HOMOLOGATION_RECEIPT', texts.homologation);
    }
    return draftFromNfce(nfce.value, text);
  }
  if (nfce.reason === 'not-nfce' && nfce.details?.detected === 'pt-invoice') {
    const pt = parsePtInvoiceQr(text);
    if (pt.ok) return draftFromPtInvoice(pt.value, text);
    throw new ExpenseRefusal('VALIDATION_FAILED', 'NOT_A_RECEIPT', fromLocalized(pt.message), {
      qrReason: pt.reason,
    });
  }
  throw new ExpenseRefusal('VALIDATION_FAILED', 'NOT_A_RECEIPT', fromLocalized(nfce.message), {
    qrReason: nfce.reason,
  });
}

async function describeReceived(bytes: Buffer) {
  const format = sniffImageFormat(bytes);
  if (format) return render(texts.receivedImage, { format: format.toUpperCase() });
  const type = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (type?.ext === 'pdf') return texts.receivedPdf;
  return texts.receivedOther;
}

/** Megabytes as a person reads them: one decimal, rounded up (never "within" the limit). */
function formatMegabytes(bytes: number, rounding: 'up' | 'down'): Phrase {
  const tenths = (rounding === 'up' ? Math.ceil : Math.floor)((bytes / 1024 / 1024) * 10);
  const number = (tenths / 10).toFixed(tenths % 10 === 0 ? 0 : 1);
  const pt = `${number.replace('.', ',')} MB`;
  return { 'pt-BR': pt, 'pt-PT': pt, en: `${number} MB` };
}

/** "A foto tem 30 MB; envie uma foto de até 20 MB, por favor." */
export function refusePhotoTooLarge(sizeBytes: number, limitBytes: number): ExpenseRefusal {
  return new ExpenseRefusal(
    'MEDIA_TOO_LARGE',
    'PHOTO_TOO_LARGE',
    render(texts.photoTooLarge, {
      size: formatMegabytes(sizeBytes, 'up'),
      max: formatMegabytes(limitBytes, 'down'),
    }),
    { sizeBytes, limitBytes },
  );
}

/**
 * The receipt in a photo: a JPEG or PNG (what WhatsApp makes of a photo) whose QR codes are
 * read; the first that is a receipt wins. No code at all → "Não encontrei um QR code de nota
 * fiscal nesta foto…"; codes that are not receipts → the first one's reason.
 */
export async function readReceiptPhoto(
  bytes: Buffer,
  options: { maxBytes?: number } = {},
): Promise<ReceiptDraft> {
  const maxBytes = options.maxBytes ?? maxReceiptPhotoBytes;
  if (bytes.length > maxBytes) throw refusePhotoTooLarge(bytes.length, maxBytes);
  const format = sniffImageFormat(bytes);
  if (format !== 'jpeg' && format !== 'png') {
    throw new ExpenseRefusal(
      'MEDIA_TYPE_NOT_ALLOWED',
      'NOT_A_PHOTO',
      render(texts.notAPhoto, { received: await describeReceived(bytes) }),
      { detectedFormat: format ?? null },
    );
  }
  const read = await readQrCodes(bytes, { maxBytes });
  if (!read.ok) {
    if (read.reason === 'image-too-large') throw refusePhotoTooLarge(bytes.length, maxBytes);
    if (read.reason === 'not-an-image') {
      throw new ExpenseRefusal(
        'MEDIA_TYPE_NOT_ALLOWED',
        'NOT_A_PHOTO',
        render(texts.notAPhoto, { received: texts.receivedBroken }),
      );
    }
    throw new ExpenseRefusal('VALIDATION_FAILED', 'NO_QR_FOUND', texts.noQrFound);
  }
  let firstRefusal: ExpenseRefusal | undefined;
  for (const code of read.codes) {
    try {
      return readReceiptQrText(code.text);
    } catch (error) {
      if (!(error instanceof ExpenseRefusal)) throw error;
      firstRefusal ??= error;
    }
  }
  throw firstRefusal ?? new ExpenseRefusal('VALIDATION_FAILED', 'NO_QR_FOUND', texts.noQrFound);
}

export type ManualEntry = {
  /** Typed (`"65,05"`, `"R$ 1.234,56"`, `"12,30 €"`) or already read (`{ cents, currency }`). */
  amount: string | Amount;
  /** The currency of a typed amount that does not name one. */
  currency?: Currency | undefined;
  /** `"2026-03-10"`, `"10/03/2026"`, `"hoje"`, `"ontem"`… */
  date: string;
  description: string;
};

/**
 * An expense typed by hand, read with the shared validators (Portuguese formats; the date is
 * today or earlier, seen in the traveller's time zone).
 */
export function readManualEntry(
  entry: ManualEntry,
  context: { now: Date; locale?: ExpensesLocale },
): ReceiptDraft {
  const validatorLocale = context.locale === 'pt-PT' ? 'pt-PT' : 'pt-BR';
  let amount: Amount;
  if (typeof entry.amount === 'string') {
    const read = validateAmount(entry.amount, {
      locale: validatorLocale,
      ...(entry.currency ? { currency: entry.currency } : {}),
    });
    if (!read.ok) {
      throw new ExpenseRefusal('VALIDATION_FAILED', 'INVALID_AMOUNT', fromLocalized(read.message), {
        path: 'amount',
        amountReason: read.reason,
      });
    }
    amount = read.value;
  } else {
    amount = entry.amount;
  }
  if (!Number.isSafeInteger(amount.cents) || amount.cents <= 0) {
    throw new ExpenseRefusal(
      'VALIDATION_FAILED',
      'INVALID_AMOUNT',
      {
        'pt-BR': 'O valor precisa ser maior que zero.',
        'pt-PT': 'O valor tem de ser maior que zero.',
        en: 'The amount must be greater than zero.',
      },
      { path: 'amount' },
    );
  }
  const date = validateDate(entry.date, {
    now: context.now,
    locale: validatorLocale,
    direction: 'past',
  });
  if (!date.ok) {
    throw new ExpenseRefusal('VALIDATION_FAILED', 'INVALID_DATE', fromLocalized(date.message), {
      path: 'date',
      dateReason: date.reason,
    });
  }
  const description = entry.description.trim().slice(0, 500);
  if (description === '') {
    throw new ExpenseRefusal(
      'VALIDATION_FAILED',
      'INVALID_DESCRIPTION',
      {
        'pt-BR': 'Descreva a despesa em poucas palavras (por exemplo, "táxi do aeroporto").',
        'pt-PT': 'Descreva a despesa em poucas palavras (por exemplo, "táxi do aeroporto").',
        en: 'Describe the expense in a few words (for example, "airport taxi").',
      },
      { path: 'description' },
    );
  }
  return {
    source: 'manual',
    accessKey: null,
    atcud: null,
    documentNumber: null,
    issuerName: null,
    issuerTaxId: null,
    issueDate: date.value,
    totalCents: amount.cents,
    currency: amount.currency,
    declaredTotalCents: null,
    details: {},
    qrText: null,
    description,
    fetchStatus: 'manual',
    portalUrl: null,
  };
}

/** A verified consultation page's items as stored (cents named as such). */
export function toStoredItems(receipt: ConsultationReceipt): StoredReceiptItem[] {
  return receipt.items.map((item) => ({
    description: item.description,
    ...(item.code ? { code: item.code } : {}),
    quantity: item.quantity,
    unit: item.unit,
    unitPriceCents: item.unitPrice,
    totalCents: item.total,
  }));
}
