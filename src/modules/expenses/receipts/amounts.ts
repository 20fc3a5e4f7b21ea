/**
 * Amounts as integer cents, read from text without floating point: QR codes write `179.63`
 * (dot decimals, no grouping), consultation pages write `1.234,56` or `R$ 9,49`, and quantities
 * come as `0,266`, `1,0000` or (Minas Gerais) `1.0000`.
 */

const maxDigits = 13; // vNF is 13 integer digits and 2 decimals in the NF-e layout.

/** `179.63` / `10` / `0.8` → cents; anything else (grouping, signs, commas) → undefined. */
export function parseDotDecimalToCents(text: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/**
 * A money amount as a Brazilian page prints it → cents. Accepts `R$`, spaces, `1.234,56`,
 * `1234,56`, `9,49`, and the dot-decimal `10.00` some portals print; a value with more than
 * two decimals (`2,989`) is rounded half up to the cent. Negative or unreadable → undefined.
 */
export function parseBrazilianMoneyToCents(text: string): number | undefined {
  const decimal = parseBrazilianDecimal(text.replace(/R\$/gi, ''), 'money');
  if (decimal === undefined) return undefined;
  return roundDecimalToCents(decimal);
}

/** A quantity (`0,266`, `1,0000`, `1.0000`, `3`) → number; unreadable → undefined. */
export function parseBrazilianQuantity(text: string): number | undefined {
  const decimal = parseBrazilianDecimal(text, 'quantity');
  if (decimal === undefined) return undefined;
  return Number(`${decimal.integer}.${decimal.fraction || '0'}`);
}

/** A non-negative decimal as its digit strings, so rounding to cents needs no float maths. */
export type DecimalParts = { integer: string; fraction: string };

/**
 * Reads `1.234,56`, `1234,56`, `0,266`, `10.00`, `1.0000`, `3`. A lone dot is a decimal point
 * unless it groups thousands in a money amount (`1.234` → 1234) — pages always print money with
 * two decimals, so a dot followed by exactly three digits there is grouping; in a quantity a
 * lone dot is always the decimal point (Minas Gerais prints `1.0000`).
 */
export function parseBrazilianDecimal(
  raw: string,
  kind: 'money' | 'quantity',
): DecimalParts | undefined {
  const text = raw.replace(/[\s\u00a0]/g, '');
  let integer: string;
  let fraction = '';
  if (/^\d{1,3}(?:\.\d{3})+,\d+$/.test(text) || /^\d+,\d+$/.test(text)) {
    const [whole = '', decimals = ''] = text.split(',');
    integer = whole.replace(/\./g, '');
    fraction = decimals;
  } else if (/^\d{1,3}(?:\.\d{3})+$/.test(text) && kind === 'money') {
    integer = text.replace(/\./g, '');
  } else if (/^\d+(?:\.\d+)?$/.test(text)) {
    const [whole = '', decimals = ''] = text.split('.');
    integer = whole;
    fraction = decimals;
  } else if (/^\d{1,3}(?:,\d{3})+\.\d+$/.test(text)) {
    // `1,234.56`: English grouping, seen on pages rendered with an en-US locale.
    const [whole = '', decimals = ''] = text.split('.');
    integer = whole.replace(/,/g, '');
    fraction = decimals;
  } else {
    return undefined;
  }
  integer = integer.replace(/^0+(?=\d)/, '');
  if (integer.length > maxDigits || fraction.length > 10) return undefined;
  return { integer, fraction };
}

/** Rounds half up to two decimals and returns cents. */
export function roundDecimalToCents({ integer, fraction }: DecimalParts): number {
  const padded = fraction.padEnd(3, '0');
  const cents = Number(integer) * 100 + Number(padded.slice(0, 2));
  return Number(padded[2]) >= 5 ? cents + 1 : cents;
}

/** 34451 → `344,51` (for messages; the bot's own formatting lives elsewhere). */
export function formatCentsBrazilian(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${whole},${String(absolute % 100).padStart(2, '0')}`;
}
