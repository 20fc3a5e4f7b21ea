import { parseBrazilianDecimal, parseBrazilianQuantity, roundDecimalToCents } from '../amounts.js';
import type { PageReading, ReceiptItem } from '../consultation-receipt.js';
import { cleanText } from '../page-text.js';

/** An item's cells as the page prints them; the layouts find them, this reads them. */
export type RawItem = {
  description?: string | undefined;
  code?: string | undefined;
  quantity?: string | undefined;
  unit?: string | undefined;
  /** Absent on pages that print no unit price: derived from total ÷ quantity. */
  unitPrice?: string | undefined;
  total?: string | undefined;
};

/**
 * Adds the item to the reading, or records it as unreadable (with the first field that is
 * missing or not a number) — an unreadable row makes the reading fail its checks rather than
 * silently dropping an amount.
 */
export function addItem(reading: PageReading, index: number, raw: RawItem): void {
  const description = cleanText(raw.description ?? '');
  const unit = cleanText(raw.unit ?? '');
  const quantity = raw.quantity === undefined ? undefined : parseBrazilianQuantity(raw.quantity);
  const total = parseMoney(raw.total);
  const missing =
    (description === '' && 'description') ||
    (quantity === undefined && 'quantity') ||
    (total === undefined && 'total') ||
    undefined;
  if (missing || quantity === undefined || total === undefined) {
    reading.unreadableItems.push({ index, missing: missing || 'value' });
    return;
  }
  const item: ReceiptItem = { description, quantity, unit, unitPrice: 0, total };
  const code = cleanText(raw.code ?? '');
  if (code !== '') item.code = code;
  if (raw.unitPrice !== undefined) {
    const unitPrice = parseMoney(raw.unitPrice);
    if (unitPrice === undefined) {
      reading.unreadableItems.push({ index, missing: 'unitPrice' });
      return;
    }
    item.unitPrice = unitPrice;
  } else {
    item.unitPrice = quantity > 0 ? Math.round(total / quantity) : total;
    item.unitPriceDerived = true;
  }
  reading.items.push(item);
}

function parseMoney(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const decimal = parseBrazilianDecimal(text.replace(/R\$/gi, ''), 'money');
  return decimal ? roundDecimalToCents(decimal) : undefined;
}

/**
 * Puts a labelled amount of a totals block where it belongs; false when the label is not a
 * total. `label` is folded (foldLabel): lower case, no accents. The specific labels come first,
 * the items total ("Valor total R$", "Valor total dos produtos") last.
 */
export function applyTotalLabel(reading: PageReading, label: string, amount: number): boolean {
  if (/^valor (?:a pagar|total da (?:nota|nf-?e|nfc-?e))/.test(label)) reading.total = amount;
  else if (/^(?:valor (?:total )?(?:de |dos? )?)?descontos?\b/.test(label)) {
    reading.discounts = amount;
  } else if (
    /^(?:valor (?:total )?(?:de |dos? )?)?(?:acrescimos?|frete|seguro|outras despesas)/.test(label)
  ) {
    reading.surcharges = (reading.surcharges ?? 0) + amount;
  } else if (/^valor pago/.test(label)) reading.paid = amount;
  else if (/^(?:valor (?:do )?)?troco/.test(label)) reading.change = amount;
  else if (/tributos/.test(label)) reading.taxes = amount;
  else if (/^valor total(?: dos produtos)?(?: \(?r\$\)?)?:?$/.test(label))
    reading.itemsTotal = amount;
  else return false;
  return true;
}
