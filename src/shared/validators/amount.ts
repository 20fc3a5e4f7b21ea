import { z } from 'zod';
import { foldText, stripLeadingLabel } from './text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * Money amounts as written in Brazil and Portugal: "R$ 1.234,56", "1234,56", "150,50", "1500",
 * "€ 12,30", "12,30 €", "1 234,56 EUR", "50 reais", "2 mil", "1,5 mil", "50 centavos".
 *
 * Decisions (see README.md): the comma is the decimal separator (pt-BR and pt-PT alike); dots
 * and spaces group thousands. "1.234" is one thousand two hundred and thirty-four (a dot before
 * exactly three digits groups thousands), while a single dot before one or two digits
 * ("150.50") can only be decimals and is read so. "1,234.56" and "1,234" are refused with a
 * hint, not guessed. "1500" is 1500.00. The currency is the one written (R$/BRL/reais, €/EUR/
 * euros/cêntimos), else the `currency` option, else BRL (EUR for pt-PT); another written
 * currency than the option's is refused. Zero and negative amounts are refused unless allowed.
 *
 * The value is integer cents plus the currency; the display `R$ 1.234,56` or `1.234,56 €`.
 */

export const amountOptionsSchema = z.strictObject({
  locale: z.enum(['pt-BR', 'pt-PT']).optional(),
  /** The currency of amounts written without one, and the only one accepted when set. */
  currency: z.enum(['BRL', 'EUR']).optional(),
  allowZero: z.boolean().optional(),
  allowNegative: z.boolean().optional(),
  minCents: z.number().int().optional(),
  maxCents: z.number().int().optional(),
});
export type AmountOptions = z.infer<typeof amountOptionsSchema>;

export type Currency = 'BRL' | 'EUR';
export type Amount = { cents: number; currency: Currency };

export type AmountFailureReason =
  | CommonFailureReason
  | 'not-a-number'
  | 'invalid-format'
  | 'wrong-separators'
  | 'too-many-decimals'
  | 'too-large'
  | 'unsupported-currency'
  | 'conflicting-currency'
  | 'wrong-currency'
  | 'zero'
  | 'negative'
  | 'below-min'
  | 'above-max';

const field = { 'pt-BR': 'o valor', en: 'the amount' };
const currencyNames: Record<Currency, { 'pt-BR': string; en: string }> = {
  BRL: { 'pt-BR': 'reais (R$)', en: 'reais (R$)' },
  EUR: { 'pt-BR': 'euros (€)', en: 'euros (€)' },
};
/** Integer part digits beyond which an amount is refused (cents stay a safe integer). */
const maxIntegerDigits = 13;

const otherCurrencyPattern =
  /us\$|u\$s|\busd\b|\bdolar(?:es)?\b|\bdollars?\b|£|\bgbp\b|\blibras?\b|¥|\bjpy\b/;
const realPattern = /r\$|\bbrl\b|\breais\b|\breal\b/g;
const euroPattern = /€|\beur\b|\beuros?\b/g;

/** `123456, 'BRL'` → `R$ 1.234,56`; `1230, 'EUR'` → `12,30 €`. */
export function formatAmount(amount: Amount): string {
  const negative = amount.cents < 0;
  const absolute = Math.abs(amount.cents);
  const units = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const number = `${units},${String(absolute % 100).padStart(2, '0')}`;
  const sign = negative ? '-' : '';
  return amount.currency === 'BRL' ? `${sign}R$ ${number}` : `${sign}${number} €`;
}

type ParsedNumber =
  | { ok: true; integer: string; fraction: string }
  | { ok: false; reason: 'invalid-format' | 'wrong-separators' };

/** Digits with pt separators → integer and fraction digits. */
function parseNumber(text: string): ParsedNumber {
  // Thousands grouped by spaces (pt-PT writes 1 234,56).
  const compact = /^\d{1,3}(?: \d{3})+(?:,\d*)?$/.test(text) ? text.replace(/ /g, '') : text;
  let match = /^(\d*),(\d+)$/.exec(compact) ?? /^(\d+),()$/.exec(compact);
  if (match) return { ok: true, integer: match[1] || '0', fraction: match[2] ?? '' };
  if (/^\d+$/.test(compact)) return { ok: true, integer: compact, fraction: '' };
  match = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d*))?$/.exec(compact);
  if (match) {
    return { ok: true, integer: (match[1] ?? '').replace(/\./g, ''), fraction: match[2] ?? '' };
  }
  // "150.50": a dot before one or two digits cannot group thousands; it is a decimal point.
  match = /^(\d+)\.(\d{1,2})$/.exec(compact);
  if (match) return { ok: true, integer: match[1] ?? '0', fraction: match[2] ?? '' };
  // "1,234.56", "1,234,567", "1.234.56": separators the other way round or mixed up.
  if (/^[\d.,]+$/.test(compact) && /,/.test(compact) && /\./.test(compact)) {
    return { ok: false, reason: 'wrong-separators' };
  }
  if (/^\d{1,3}(?:,\d{3}){2,}$/.test(compact)) return { ok: false, reason: 'wrong-separators' };
  return { ok: false, reason: 'invalid-format' };
}

export function validateAmount(
  input: string,
  options: AmountOptions = {},
): ValidationResult<Amount, AmountFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  let text = foldText(
    stripLeadingLabel(read.text, ['valor', 'total', 'preco', 'quantia', 'montante']),
  );

  if (otherCurrencyPattern.test(text) || /\$/.test(text.replace(realPattern, ''))) {
    return fail('unsupported-currency', {
      'pt-BR': 'Aceito valores em reais (R$) ou euros (€), como R$ 150,50.',
      en: 'Amounts in reais (R$) or euros (€) are accepted, like R$ 150,50.',
    });
  }
  const writtenCurrencies = new Set<Currency>();
  // "cêntimos" are euro cents (Portugal); "centavos" are said of both currencies.
  if (/\bcentimos?$/.test(text)) writtenCurrencies.add('EUR');
  text = text
    .replace(realPattern, () => {
      writtenCurrencies.add('BRL');
      return ' ';
    })
    .replace(euroPattern, () => {
      writtenCurrencies.add('EUR');
      return ' ';
    });
  if (writtenCurrencies.size > 1) {
    return fail('conflicting-currency', {
      'pt-BR': 'O valor tem duas moedas (reais e euros). Envie em uma só, como R$ 150,50.',
      en: 'The amount has two currencies (reais and euros). Send it in one, like R$ 150,50.',
    });
  }
  const [written] = writtenCurrencies;
  if (written && options.currency && written !== options.currency) {
    return fail(
      'wrong-currency',
      {
        'pt-BR': `O valor precisa ser em ${currencyNames[options.currency]['pt-BR']}.`,
        en: `The amount must be in ${currencyNames[options.currency].en}.`,
      },
      { expected: options.currency, received: written },
    );
  }
  const currency: Currency =
    written ?? options.currency ?? (options.locale === 'pt-PT' ? 'EUR' : 'BRL');

  text = text.replace(/\s+/g, ' ').trim();
  let negative = false;
  const signMatch = /^(?:-|menos\s)\s*|\s*-$/.exec(text);
  if (signMatch) {
    negative = true;
    text = text.replace(signMatch[0], '').trim();
  } else {
    text = text.replace(/^\+\s*/, '');
  }
  let multiplier = 1;
  let inCents = false;
  const unitMatch = /\s*(mil|k|centavos?|centimos?)$/.exec(text);
  if (unitMatch && /\d/.test(text.slice(0, unitMatch.index))) {
    if (unitMatch[1] === 'mil' || unitMatch[1] === 'k') multiplier = 1000;
    else inCents = true;
    text = text.slice(0, unitMatch.index).trim();
  }

  if (!/\d/.test(text) || /[^\d\s.,]/.test(text)) {
    return fail('not-a-number', {
      'pt-BR': 'Envie só o valor, em números, como 150,50 ou R$ 1.234,56.',
      en: 'Send only the amount, in figures, like 150,50 or R$ 1.234,56.',
    });
  }
  const parsed = parseNumber(text);
  if (!parsed.ok) {
    return parsed.reason === 'wrong-separators'
      ? fail('wrong-separators', {
          'pt-BR': 'Use vírgula para os centavos e ponto para os milhares, como 1.234,56.',
          en: 'Use a comma for the cents and dots for thousands, like 1.234,56.',
        })
      : fail('invalid-format', {
          'pt-BR': 'Não entendi o valor. Envie como 150,50 ou 1.234,56.',
          en: 'I could not read the amount. Send it like 150,50 or 1.234,56.',
        });
  }
  const integer = parsed.integer.replace(/^0+(?=\d)/, '');
  const maxFractionDigits = inCents ? 0 : multiplier === 1000 ? 3 : 2;
  if (parsed.fraction.length > maxFractionDigits) {
    return fail(
      'too-many-decimals',
      inCents
        ? {
            'pt-BR': 'Centavos são um número inteiro, como 50 centavos.',
            en: 'Cents are a whole number, like 50 centavos.',
          }
        : {
            'pt-BR':
              'Valores têm no máximo 2 casas depois da vírgula (os centavos). Para milhares, use ponto: 1.234.',
            en: 'Amounts have at most 2 digits after the comma (the cents). For thousands, use dots: 1.234.',
          },
      { maxDecimals: maxFractionDigits, received: parsed.fraction.length },
    );
  }
  if (integer.length > maxIntegerDigits) {
    return fail('too-large', {
      'pt-BR': 'Esse valor é grande demais. Confira e envie de novo.',
      en: 'That amount is too large. Please check it and send it again.',
    });
  }
  // cents = (integer.fraction) × multiplier × 100, exact in integers.
  const scale = inCents ? 1 : 100 * multiplier;
  const fractionScale = 10 ** parsed.fraction.length;
  const magnitude =
    Number(integer) * scale + (Number(parsed.fraction || '0') * scale) / fractionScale;
  const cents = negative && magnitude !== 0 ? -magnitude : magnitude;
  if (!Number.isSafeInteger(cents)) {
    return fail('too-large', {
      'pt-BR': 'Esse valor é grande demais. Confira e envie de novo.',
      en: 'That amount is too large. Please check it and send it again.',
    });
  }
  const amount: Amount = { cents, currency };
  if (cents < 0 && !options.allowNegative) {
    return fail('negative', {
      'pt-BR': 'O valor não pode ser negativo. Envie sem o sinal de menos.',
      en: 'The amount cannot be negative. Send it without the minus sign.',
    });
  }
  if (cents === 0 && !options.allowZero) {
    return fail('zero', {
      'pt-BR': 'O valor precisa ser maior que zero.',
      en: 'The amount must be greater than zero.',
    });
  }
  if (options.minCents !== undefined && cents < options.minCents) {
    const limit = formatAmount({ cents: options.minCents, currency });
    return fail(
      'below-min',
      {
        'pt-BR': `O valor mínimo é ${limit}; você enviou ${formatAmount(amount)}.`,
        en: `The minimum amount is ${limit}; you sent ${formatAmount(amount)}.`,
      },
      { minCents: options.minCents, received: cents },
    );
  }
  if (options.maxCents !== undefined && cents > options.maxCents) {
    const limit = formatAmount({ cents: options.maxCents, currency });
    return fail(
      'above-max',
      {
        'pt-BR': `O valor máximo é ${limit}; você enviou ${formatAmount(amount)}.`,
        en: `The maximum amount is ${limit}; you sent ${formatAmount(amount)}.`,
      },
      { maxCents: options.maxCents, received: cents },
    );
  }
  return succeed(amount, formatAmount(amount));
}

export const amountValidator: ValidatorDefinition<
  'amount',
  AmountOptions,
  Amount,
  AmountFailureReason
> = {
  id: 'amount',
  optionsSchema: amountOptionsSchema,
  validate: validateAmount,
};
