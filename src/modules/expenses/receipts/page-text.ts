import { foldText } from '../../../shared/validators/text.js';

/** Text helpers the page layouts share. */

/** Visible text of a selection: no-break spaces as spaces, runs of spaces as one, trimmed. */
export function textOf(selection: { text(): string }): string {
  return cleanText(selection.text());
}

export function cleanText(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower case, no accents, clean spaces: for matching labels ("Série", "SÉRIE:" → "serie:"). */
export function foldLabel(text: string): string {
  return foldText(cleanText(text));
}

/** The text after a leading label: `afterLabel('CNPJ: 07.110.635/0002-71', /cnpj:?/i)`. */
export function afterLabel(text: string, label: RegExp): string {
  const cleaned = cleanText(text);
  const match = label.exec(cleaned);
  if (match?.index !== 0) return cleaned;
  return cleaned.slice(match[0].length).trim();
}

/** Digits and capital letters of a tax id or key as printed (`76.430.438/0053-00` → 14 chars). */
export function compactDocument(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

/**
 * `01/09/2020 15:22:18` → `2020-09-01T15:22:18`; `01/02/2020 10:11:12-03:00` keeps the offset;
 * a date alone gives `2020-09-01`. Pages print local time; no offset is invented.
 */
export function parseBrazilianDateTime(text: string): string | undefined {
  const match =
    /(\d{2})\/(\d{2})\/(\d{4})(?:\s*(?:às|as|-)?\s*(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:\d{2})?)?/.exec(
      cleanText(text),
    );
  if (!match) return undefined;
  const [, day = '', month = '', year = '', hours, minutes, seconds, offset] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return undefined;
  }
  if (hours === undefined || minutes === undefined) return `${year}-${month}-${day}`;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  return `${year}-${month}-${day}T${hours}:${minutes}:${seconds ?? '00'}${offset ?? ''}`;
}

/** A 44-digit access key inside some text, printed grouped or not. */
export function findAccessKey(text: string): string | undefined {
  const match = /(?<![0-9])(?:[0-9]{4}[\s.]?){10}[0-9]{4}(?![0-9])/.exec(text);
  return match ? match[0].replace(/[\s.]/g, '') : undefined;
}
