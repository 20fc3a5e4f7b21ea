/**
 * Personal data never reaches the logs in clear: phone numbers, e-mails, Brazilian and
 * Portuguese tax ids (CPF, CNPJ incl. the alphanumeric form, NIF) and credentials are masked
 * wherever they appear in a log line, whatever the field is called.
 */

const patterns: Array<[RegExp, string]> = [
  // Credentials first, so the digit rules below do not eat parts of them.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[jwt]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // CNPJ, formatted (numeric or the 2026 alphanumeric form).
  [/\b[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}\/[0-9A-Z]{4}-\d{2}\b/g, '[cnpj]'],
  // CPF, formatted.
  [/\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g, '[cpf]'],
  // Phone numbers written with a leading + (E.164 and spaced/dashed forms).
  [/\+\d[\d\s().-]{7,}\d/g, '[phone]'],
  // Formatted national phone numbers: (11) 91234-5678, 912 345 678.
  [/\(\d{2}\)\s?9?\d{4}-?\d{4}\b/g, '[phone]'],
  // Any bare run of 9 or more digits: phones, WhatsApp ids, CPF, CNPJ, NIF, access keys.
  [/(?<![\w-])\d{9,}(?![\w-])/g, '[number]'],
  [/\b\d{3}\s\d{3}\s\d{3}\b/g, '[number]'],
];

/** Every pattern above needs one of these; text without them is returned as it is. */
const mightHoldSecrets = /[\d@]|eyJ|bearer|basic/i;

export function redactText(text: string): string {
  if (!mightHoldSecrets.test(text)) return text;
  let result = text;
  for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement);
  return result;
}

/** Keys whose values are secrets whatever they contain (matched case-insensitively). */
const secretKeyPattern =
  /"((?:[\w-]*[_-])?(?:authorization|cookie|set-cookie|password|password_?hash|token|access_?token|refresh_?token|secret|api_?key|x-api-key|auth_?token|hmac_?key|secret_?key))":"(?:[^"\\]|\\.)*"/gi;

const jsonString = /"(?:[^"\\]|\\.)*"/g;

/**
 * Redacts one serialized JSON log line: values of secret-named keys are masked and every
 * string literal is scrubbed with `redactText`. Numbers and structure are left alone, so the
 * line stays valid JSON.
 */
export function redactJsonLine(line: string): string {
  return line.replace(secretKeyPattern, '"$1":"[redacted]"').replace(jsonString, redactText);
}
