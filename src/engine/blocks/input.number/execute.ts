import type { FlowLocale } from '../../../shared/flows/flow-document.js';
import { normalizeText } from '../../../shared/validators/text.js';
import type { BlockExecutor } from '../../types.js';
import { ask, notTextReason, type Reading, receive, textOf } from '../input-common.js';
import type { InputNumberOptions } from './definition.js';

/** Digits beyond which a number loses precision as a double. */
const maxDigits = 15;

export type NumberParse =
  | { ok: true; value: number }
  | { ok: false; code: 'not-a-number' | 'wrong-separators' | 'too-many-digits' };

/**
 * Reads a number as a person types it. Portuguese: comma for decimals, dot (or space) for
 * thousands; English the other way round. A lone separator of the other kind that cannot be
 * thousands ("12.5" in Portuguese, "12,5" in English) is the decimal point a phone keyboard made
 * easy; one that can ("1.234") is thousands in Portuguese, as people there mean it. Mixed
 * conventions ("1,234.5" in Portuguese) are refused rather than guessed.
 */
export function parseLocalizedNumber(input: string, locale: FlowLocale): NumberParse {
  const text = normalizeText(input);
  if (text === '' || text.length > 40) return { ok: false, code: 'not-a-number' };
  const signed = /^([+-])?\s*(.+)$/.exec(text);
  const sign = signed?.[1] === '-' ? -1 : 1;
  let body = signed?.[2] ?? '';
  // Spaces group thousands only: "1 234 567,8".
  if (body.includes(' ')) {
    if (!/^\d{1,3}( \d{3})+([.,]\d*)?$/.test(body)) return { ok: false, code: 'not-a-number' };
    body = body.replaceAll(' ', '');
  }
  if (!/^[\d.,]+$/.test(body) || !/\d/.test(body)) return { ok: false, code: 'not-a-number' };
  const decimal = locale === 'en' ? '.' : ',';
  const group = locale === 'en' ? ',' : '.';
  const groups = body.split(group).length - 1;
  const decimals = body.split(decimal).length - 1;
  const grouped = (digits: string) =>
    new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(digits) || /^\d+$/.test(digits);
  let integerPart: string;
  let fraction = '';
  if (decimals > 1) {
    // "1,234,567" in Portuguese: thousands written the English way.
    const otherGrouping = new RegExp(`^\\d{1,3}(\\${decimal}\\d{3})+$`);
    return {
      ok: false,
      code: groups === 0 && otherGrouping.test(body) ? 'wrong-separators' : 'not-a-number',
    };
  }
  if (decimals === 1) {
    const at = body.indexOf(decimal);
    integerPart = body.slice(0, at);
    fraction = body.slice(at + 1);
    if (body.lastIndexOf(group) > at) return { ok: false, code: 'wrong-separators' };
    if (!grouped(integerPart || '0') || !/^\d*$/.test(fraction)) {
      return { ok: false, code: groups > 0 ? 'wrong-separators' : 'not-a-number' };
    }
  } else if (groups === 0 || grouped(body)) {
    integerPart = body;
  } else if (groups === 1) {
    // A lone separator that cannot be thousands: a decimal point.
    [integerPart = '', fraction = ''] = body.split(group);
  } else {
    return { ok: false, code: 'not-a-number' };
  }
  const digits = integerPart.replaceAll(group, '');
  if (digits === '' && fraction === '') return { ok: false, code: 'not-a-number' };
  if ((digits + fraction).replace(/^0+/, '').length > maxDigits) {
    return { ok: false, code: 'too-many-digits' };
  }
  const value = sign * Number(`${digits || '0'}.${fraction || '0'}`);
  return Number.isFinite(value)
    ? { ok: true, value: value === 0 ? 0 : value }
    : { ok: false, code: 'not-a-number' };
}

const texts = {
  examples: { 'pt-BR': '12 ou 12,5', 'pt-PT': '12 ou 12,5', en: '12 or 12.5' },
  notANumber: {
    'pt-BR': 'Não entendi esse número. Envie só o número, por exemplo {example}.',
    'pt-PT': 'Não percebi esse número. Envie apenas o número, por exemplo {example}.',
    en: 'I could not read that as a number. Please send just the number, for example {example}.',
  },
  wrongSeparators: {
    'pt-BR': 'Use vírgula para as casas decimais e ponto para os milhares, por exemplo 1.234,5.',
    'pt-PT': 'Use vírgula para as casas decimais e ponto para os milhares, por exemplo 1.234,5.',
    en: 'Use a dot for decimals and commas for thousands, for example 1,234.5.',
  },
  tooManyDigits: {
    'pt-BR': 'Esse número tem dígitos demais. Envie um número com até 15 dígitos.',
    'pt-PT': 'Esse número tem demasiados dígitos. Envie um número com até 15 dígitos.',
    en: 'That number has too many digits. Please send one with at most 15 digits.',
  },
  notInteger: {
    'pt-BR': 'Envie um número inteiro, sem casas decimais; você enviou {value}.',
    'pt-PT': 'Envie um número inteiro, sem casas decimais; enviou {value}.',
    en: 'Please send a whole number, without decimals; you sent {value}.',
  },
  between: {
    'pt-BR': 'O número precisa estar entre {min} e {max}; você enviou {value}.',
    'pt-PT': 'O número tem de estar entre {min} e {max}; enviou {value}.',
    en: 'The number must be between {min} and {max}; you sent {value}.',
  },
  tooSmall: {
    'pt-BR': 'O número precisa ser pelo menos {min}; você enviou {value}.',
    'pt-PT': 'O número tem de ser pelo menos {min}; enviou {value}.',
    en: 'The number must be at least {min}; you sent {value}.',
  },
  tooLarge: {
    'pt-BR': 'O número pode ser no máximo {max}; você enviou {value}.',
    'pt-PT': 'O número pode ser no máximo {max}; enviou {value}.',
    en: 'The number must be at most {max}; you sent {value}.',
  },
} satisfies Record<string, Record<FlowLocale, string>>;

const intlLocale: Record<FlowLocale, string> = { 'pt-BR': 'pt-BR', 'pt-PT': 'pt-PT', en: 'en-US' };

function formatNumber(value: number, locale: FlowLocale): string {
  return new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 10 }).format(value);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export const executor: BlockExecutor<InputNumberOptions> = {
  enter: (context) => ask(context),
  resume: (context, input, waiting) =>
    receive(context, input, waiting, ({ content }): Reading => {
      const text = textOf(content);
      if (text === undefined) {
        return { ok: false, code: 'not-text', reason: context.text(notTextReason) };
      }
      const { locale, options } = context;
      const parsed = parseLocalizedNumber(text, locale);
      if (!parsed.ok) {
        const example = options.integer ? '12' : context.text(texts.examples);
        const reason =
          parsed.code === 'wrong-separators'
            ? context.text(texts.wrongSeparators)
            : parsed.code === 'too-many-digits'
              ? context.text(texts.tooManyDigits)
              : fill(context.text(texts.notANumber), { example });
        return { ok: false, code: parsed.code, reason };
      }
      const { value } = parsed;
      const values = {
        value: formatNumber(value, locale),
        min: options.min === undefined ? '' : formatNumber(options.min, locale),
        max: options.max === undefined ? '' : formatNumber(options.max, locale),
      };
      if (options.integer && !Number.isInteger(value)) {
        return {
          ok: false,
          code: 'not-integer',
          reason: fill(context.text(texts.notInteger), values),
        };
      }
      const below = options.min !== undefined && value < options.min;
      const above = options.max !== undefined && value > options.max;
      if (below || above) {
        const table =
          options.min !== undefined && options.max !== undefined
            ? texts.between
            : below
              ? texts.tooSmall
              : texts.tooLarge;
        return {
          ok: false,
          code: below ? 'too-small' : 'too-large',
          reason: fill(context.text(table), values),
        };
      }
      return { ok: true, value };
    }),
};
