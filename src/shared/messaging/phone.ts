import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers as WhatsApp uses them. Contacts are keyed by E.164 (`+5511987654321`); WhatsApp
 * ids (`wa_id`) are the same digits without `+`, except that older Brazilian mobile accounts
 * are reported without the ninth digit (`551187654321`), which full validation rejects.
 */

export type PhoneResult =
  | { ok: true; e164: string; country: string | undefined; isMobile: boolean }
  | { ok: false; reason: 'empty' | 'not-a-number' | 'invalid' };

/** Parses a number as a person would type it; `defaultCountry` applies without a `+`. */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'BR'): PhoneResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (!/^[+\d\s().-]+$/.test(trimmed)) return { ok: false, reason: 'not-a-number' };
  const digitsOnly = trimmed.replace(/\D/g, '');
  // "5511987654321" (a wa_id, or a number pasted with its country code but no "+").
  const candidate =
    !trimmed.startsWith('+') && digitsOnly.length >= 12 ? `+${digitsOnly}` : trimmed;
  const parsed =
    parsePhoneNumberFromString(candidate, defaultCountry) ??
    parsePhoneNumberFromString(trimmed, defaultCountry);
  const fixed = parsed?.isValid() ? parsed : repairBrazilianMobile(parsed?.number ?? candidate);
  if (!fixed?.isValid()) return { ok: false, reason: 'invalid' };
  const type = fixed.getType();
  return {
    ok: true,
    e164: fixed.number,
    country: fixed.country,
    isMobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE',
  };
}

/** `+55 DD NNNN-NNNN` with a mobile first digit (6–9) → the same number with the ninth digit. */
function repairBrazilianMobile(e164: string) {
  const match = /^\+55(\d{2})([6-9]\d{7})$/.exec(e164);
  if (!match) return undefined;
  return parsePhoneNumberFromString(`+55${match[1]}9${match[2]}`);
}

/** The E.164 number a WhatsApp id stands for (repairing Brazilian ids without the ninth digit). */
export function waIdToE164(waId: string): string | undefined {
  if (!/^\d{8,15}$/.test(waId)) return undefined;
  const result = normalizePhone(`+${waId}`);
  return result.ok ? result.e164 : undefined;
}

/**
 * Every WhatsApp id one E.164 number may appear as: its digits, and for Brazilian mobiles also
 * the form without the ninth digit. Used to find the contact behind an incoming `wa_id`.
 */
export function waIdCandidates(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const match = /^55(\d{2})9(\d{8})$/.exec(digits);
  return match ? [digits, `55${match[1]}${match[2]}`] : [digits];
}
