import type { FlowValue } from '../types.js';

/** Readings of variable values that logic blocks share (numbers typed as text, amounts). */

export type Amount = { cents: number; currency: string };

export function isAmount(value: FlowValue | undefined): value is Amount {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof value.cents === 'number' &&
    typeof value.currency === 'string'
  );
}

/**
 * A number from a number or from text, read the Portuguese way: "12", "-3", "12,5", "1.234,56"
 * and "1.234" (thousands) — and "1,234.56" when both separators say it is English. Undefined
 * for anything else (dates, words, "").
 */
export function toNumber(value: FlowValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let normalized: string;
  if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) {
    normalized = text.replace(/\./g, '').replace(',', '.');
  } else if (/^[-+]?\d{1,3}(,\d{3})+\.\d+$/.test(text)) {
    normalized = text.replace(/,/g, '');
  } else if (/^[-+]?\d+([.,]\d+)?$/.test(text)) {
    normalized = text.replace(',', '.');
  } else {
    return undefined;
  }
  const number = Number(normalized);
  return Number.isFinite(number) ? number : undefined;
}
