/**
 * Text clean-up shared by the validators. What people type on a phone carries more than ASCII:
 * digits from other scripts (`٣`, full-width `３`), typographic dashes (`–`, `—`, `−`), no-break
 * and narrow no-break spaces (`1 234,56`), zero-width characters pasted along with a number.
 * Everything here is pure and works the same in Node and in the browser.
 */

const zeroWidth = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const unicodeSpace = /[\p{Zs}\t\r\n\v\f]+/gu;
const unicodeDash = /[\p{Pd}\u2212\uFE63\uFF0D]/gu;
const decimalDigit = /\p{Nd}/u;
const nonAsciiDigit = /(?![0-9])\p{Nd}/gu;
const fullWidthAscii = /[\uFF01-\uFF5E]/g;

/**
 * The value of any Unicode decimal digit. Unicode encodes every decimal digit set as a
 * contiguous run 0–9 (runs of several sets start at a zero too), so the value is the
 * character's distance from the start of its run, modulo 10.
 */
function digitValue(char: string): number {
  let codePoint = char.codePointAt(0) ?? 0;
  let distance = 0;
  while (decimalDigit.test(String.fromCodePoint(codePoint - 1)) && distance < 100) {
    codePoint -= 1;
    distance += 1;
  }
  return distance % 10;
}

/**
 * NFC, ASCII digits for any decimal digit, `-` for any dash, one ASCII space for any run of
 * spaces, no zero-width characters, full-width punctuation as ASCII; trimmed.
 */
export function normalizeText(input: string): string {
  return input
    .normalize('NFC')
    .replace(zeroWidth, '')
    .replace(fullWidthAscii, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(nonAsciiDigit, (char) => String(digitValue(char)))
    .replace(unicodeDash, '-')
    .replace(unicodeSpace, ' ')
    .trim();
}

/** Lower case without diacritics (`Amanhã` → `amanha`, `SÁBADO` → `sabado`). */
export function foldText(input: string): string {
  return normalizeText(input)
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC');
}

const labelPatterns = new Map<string, RegExp>();

/**
 * Drops a leading label such as `CPF:`, `meu CPF é`, `NIF n.º` so that "CPF: 390.533.447-05"
 * validates like the bare number. `labels` are folded (lower case, no accents).
 */
export function stripLeadingLabel(input: string, labels: readonly string[]): string {
  const folded = foldText(input);
  // The label must end at a space, `:` or `=` ("email@x.com" is an address, not a label), and
  // what may follow it is a verb or a number sign: "é", ":", "-", "n.º".
  const key = labels.join('|');
  let pattern = labelPatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(
      `^(?:(?:o|a)\\s+)?(?:(?:meu|minha|nosso|nossa)\\s+)?(?:${labels.join('|')})(?=[\\s:=]|$)(?:\\s*(?:(?:e|eh)(?=[\\s:])|:|=|-|n\\.?\\s*[oº°]\\.?(?=[\\s\\d])))*\\s*`,
    );
    labelPatterns.set(key, pattern);
  }
  const match = pattern.exec(folded);
  if (!match) return input;
  const normalized = normalizeText(input);
  // Folding keeps one character per character for everything a label is made of; when some
  // other character changed length, the folded remainder (lower case) is still a fine answer.
  return normalized.length === folded.length
    ? normalized.slice(match[0].length)
    : folded.slice(match[0].length);
}
