import { z } from 'zod';
import { foldText, stripLeadingLabel } from './text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationFailure,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * Dates as people write them in Portuguese: "hoje", "amanhã", "depois de amanhã", "ontem",
 * "sexta", "sexta-feira que vem", "6.ª feira", "dia 5", "dia 5 do mês que vem", "10/12",
 * "10/12/2026", "10-12-26", "10 de dezembro", "1º de maio de 2027", "2026-12-10". Resolved
 * against an injected `now` seen in a time zone (America/Sao_Paulo, or Europe/Lisbon for
 * pt-PT), so "hoje" at 23:30 in São Paulo is still that day though it is tomorrow in UTC.
 *
 * Decisions (see README.md): a weekday name means the next such day with today excluded
 * ("sexta" said on a Friday is a week later; "hoje" is how one says today), or the previous
 * one when the flow asks for a past date or the user says "passada"/"última". "dia 5" and a
 * day/month without a year are the nearest such date in the allowed direction, today
 * included; with no direction, "dia 5" looks forward and "10/12" takes whichever of last,
 * this or next year is nearest. A bare number ("5"), two dates or vague words ("semana que
 * vem") are refused as ambiguous; 31/02 or 29/02/2027 as nonexistent.
 *
 * The value is ISO `YYYY-MM-DD`; the display `sexta-feira, 11/12/2026`.
 */

const isTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
};

export const dateOptionsSchema = z.strictObject({
  locale: z.enum(['pt-BR', 'pt-PT']).optional(),
  /** IANA time zone "today" is seen in (default America/Sao_Paulo; Europe/Lisbon for pt-PT). */
  timeZone: z.string().max(100).refine(isTimeZone, 'Unknown IANA time zone').optional(),
  /** Which dates are accepted: any (default), only today or earlier, only today or later. */
  direction: z.enum(['any', 'past', 'future']).optional(),
  /** Whether today itself is accepted (default true). */
  allowToday: z.boolean().optional(),
  /** The oldest accepted date, in days before today. */
  maxDaysInPast: z.number().int().min(0).max(73_000).optional(),
  /** The latest accepted date, in days after today. */
  maxDaysInFuture: z.number().int().min(0).max(73_000).optional(),
});
export type DateOptions = z.infer<typeof dateOptionsSchema> & {
  /** The moment "today" is taken from: the engine's clock, injected. */
  now: Date;
};

export type DateFailureReason =
  | CommonFailureReason
  | 'unrecognized'
  | 'ambiguous'
  | 'invalid-day'
  | 'invalid-month'
  | 'invalid-year'
  | 'nonexistent-date'
  | 'weekday-mismatch'
  | 'today-not-allowed'
  | 'must-be-past'
  | 'must-be-future'
  | 'too-far-in-past'
  | 'too-far-in-future';

type CalendarDate = { year: number; month: number; day: number };
type Direction = 'any' | 'past' | 'future';
type Resolved = { date: CalendarDate } | { failure: ValidationFailure<DateFailureReason> };

const field = { 'pt-BR': 'a data', en: 'the date' };
const dayMs = 86_400_000;

const weekdayNames = [
  'domingo',
  'segunda-feira',
  'terça-feira',
  'quarta-feira',
  'quinta-feira',
  'sexta-feira',
  'sábado',
];
const weekdayNamesEn = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
const monthNames = [
  'janeiro',
  'fevereiro',
  'março',
  'abril',
  'maio',
  'junho',
  'julho',
  'agosto',
  'setembro',
  'outubro',
  'novembro',
  'dezembro',
];
const monthNamesEn = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Folded month names and abbreviations → month number. */
const monthByName = new Map<string, number>(
  monthNames.flatMap((name, index) => {
    const folded = foldText(name);
    return [
      [folded, index + 1],
      [folded.slice(0, 3), index + 1],
    ];
  }),
);
const monthAlternatives = [...monthByName.keys()].sort((a, b) => b.length - a.length).join('|');
const weekdayByName = new Map<string, number>([
  ['domingo', 0],
  ['dom', 0],
  ['segunda', 1],
  ['seg', 1],
  ['terca', 2],
  ['ter', 2],
  ['quarta', 3],
  ['qua', 3],
  ['quinta', 4],
  ['qui', 4],
  ['sexta', 5],
  ['sex', 5],
  ['sabado', 6],
  ['sab', 6],
]);

const weekdayPattern = new RegExp(
  '(?:^|[\\s,])(?:(proxim[oa]|ultim[oa]|n?est[ae]|n?ess[ae])\\s+)?' +
    '(?:(segunda|terca|quarta|quinta|sexta|sabado|domingo|seg|ter|qua|qui|sex|sab|dom)(?:[\\s-]*feira)?' +
    '|([2-6])\\s*\\.?\\s*[aª]?[\\s-]*feira)' +
    '(?:\\s+(que vem|passad[oa]))?(?=[\\s,]|$)',
  'g',
);
const relativeDays = new Map<string, number>([
  ['hoje', 0],
  ['amanha', 1],
  ['depois de amanha', 2],
  ['ontem', -1],
  ['anteontem', -2],
  ['antes de ontem', -2],
]);
const vaguePattern =
  /\b(?:semana que vem|proxima semana|mes que vem|proximo mes|fim de semana|final de semana|fim do mes|final do mes|qualquer dia|em breve|logo|depois|mais tarde)\b/;
const dayToken = '(\\d{1,2}|primeiro)\\s*[oº°]?';
const yearToken = '(\\d{4}|\\d{2})';
const monthNamePattern = new RegExp(
  `^(?:dia\\s+)?${dayToken}\\s*(?:de\\s+|[/.-]\\s*)?(${monthAlternatives})\\.?(?:\\s*(?:de\\s+|[/.-]\\s*)?${yearToken})?$`,
);
const dayOnlyPattern = new RegExp(
  `^dia\\s+${dayToken}(?:\\s+(?:do|deste|desse|neste|nesse)\\s+(mes que vem|proximo mes|mes|este mes|esse mes))?$`,
);

/** A year as written: "2026" or "26" (expanded once today is known). */
type YearToken = { value: number; digits: 2 | 4 };

type DatePart =
  | { kind: 'offset'; days: number }
  | { kind: 'full'; day: number; month: number; year: YearToken | undefined }
  | { kind: 'day'; day: number; month: 'this' | 'next' | undefined };

const toDayNumber = (date: CalendarDate) =>
  Math.floor(Date.UTC(date.year, date.month - 1, date.day) / dayMs);
const fromDayNumber = (dayNumber: number): CalendarDate => {
  const moment = new Date(dayNumber * dayMs);
  return {
    year: moment.getUTCFullYear(),
    month: moment.getUTCMonth() + 1,
    day: moment.getUTCDate(),
  };
};
const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = (date: CalendarDate) => new Date(toDayNumber(date) * dayMs).getUTCDay();
const pad = (value: number, length = 2) => String(value).padStart(length, '0');
const toIso = (date: CalendarDate) => `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
const toBrazilian = (date: CalendarDate) =>
  `${pad(date.day)}/${pad(date.month)}/${pad(date.year, 4)}`;

const todayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date `now` falls on in `timeZone`. */
export function getCalendarDate(now: Date, timeZone: string): CalendarDate {
  let formatter = todayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    todayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

const parseDayToken = (token: string) => (token === 'primeiro' ? 1 : Number(token));

function parseDatePart(text: string, hasWeekday: boolean): DatePart | undefined {
  // "sexta 12": with a weekday, a bare number is the day of the month.
  if (hasWeekday && /^\d{1,2}$/.test(text))
    return { kind: 'day', day: Number(text), month: undefined };
  const relative = relativeDays.get(text);
  if (relative !== undefined) return { kind: 'offset', days: relative };
  let match = /^(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})$/.exec(text);
  if (match) {
    return {
      kind: 'full',
      year: { value: Number(match[1]), digits: 4 },
      month: Number(match[2]),
      day: Number(match[3]),
    };
  }
  match = /^(?:dia\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?$/.exec(text);
  if (match) {
    return {
      kind: 'full',
      day: Number(match[1]),
      month: Number(match[2]),
      year: readYear(match[3]),
    };
  }
  match = /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (match) {
    return {
      kind: 'full',
      day: Number(match[1]),
      month: Number(match[2]),
      year: readYear(match[3]),
    };
  }
  match = monthNamePattern.exec(text);
  if (match) {
    return {
      kind: 'full',
      day: parseDayToken(match[1] ?? ''),
      month: monthByName.get(match[2] ?? '') ?? 0,
      year: readYear(match[3]),
    };
  }
  match = dayOnlyPattern.exec(text);
  if (match) {
    const monthWords = match[2];
    return {
      kind: 'day',
      day: parseDayToken(match[1] ?? ''),
      month:
        monthWords === undefined
          ? undefined
          : monthWords === 'mes que vem' || monthWords === 'proximo mes'
            ? 'next'
            : 'this',
    };
  }
  return undefined;
}

const readYear = (token: string | undefined): YearToken | undefined =>
  token === undefined ? undefined : { value: Number(token), digits: token.length === 2 ? 2 : 4 };

/** "26" → 2026, "85" → 1985: the 20xx year unless that is more than 20 years ahead. */
function expandYear(year: YearToken, today: CalendarDate): number {
  if (year.digits === 4) return year.value;
  const candidate = 2000 + year.value;
  return candidate > today.year + 20 ? candidate - 100 : candidate;
}

const failure = (
  reason: DateFailureReason,
  ptBr: string,
  en: string,
  details?: Record<string, string | number>,
): Resolved => ({ failure: fail(reason, { 'pt-BR': ptBr, en }, details) });

function checkDayAndMonth(day: number, month: number): Resolved | undefined {
  if (month < 1 || month > 12) {
    const looksSwapped = day >= 1 && day <= 12 && month >= 13 && month <= 31;
    return failure(
      'invalid-month',
      `O mês precisa estar entre 1 e 12; você enviou ${month}.${looksSwapped ? ` Use dia/mês: ${pad(month)}/${pad(day)}.` : ''}`,
      `The month must be between 1 and 12; you sent ${month}.${looksSwapped ? ` Use day/month: ${pad(month)}/${pad(day)}.` : ''}`,
      { month },
    );
  }
  if (day < 1 || day > 31) {
    return failure(
      'invalid-day',
      `O dia precisa estar entre 1 e 31; você enviou ${day}.`,
      `The day must be between 1 and 31; you sent ${day}.`,
      { day },
    );
  }
  return undefined;
}

function nonexistent(date: CalendarDate, withYear: boolean): Resolved {
  const monthName = monthNames[date.month - 1] ?? '';
  const ptMonth = monthName.charAt(0).toUpperCase() + monthName.slice(1);
  const enMonth = monthNamesEn[date.month - 1] ?? '';
  if (date.month === 2 && date.day === 29) {
    return withYear
      ? failure(
          'nonexistent-date',
          `${date.year} não é bissexto: fevereiro de ${date.year} não tem dia 29.`,
          `${date.year} is not a leap year: February ${date.year} has no 29th.`,
        )
      : failure(
          'nonexistent-date',
          '29 de fevereiro só existe em anos bissextos; envie a data com o ano.',
          'February 29 exists only in leap years; send the date with the year.',
        );
  }
  return failure(
    'nonexistent-date',
    `${ptMonth} não tem dia ${date.day}; tem ${daysInMonth(withYear ? date.year : 2000, date.month)} dias.`,
    `${enMonth} has no day ${date.day}; it has ${daysInMonth(withYear ? date.year : 2000, date.month)} days.`,
  );
}

function resolvePart(part: DatePart, today: CalendarDate, direction: Direction): Resolved {
  const todayNumber = toDayNumber(today);
  if (part.kind === 'offset') return { date: fromDayNumber(todayNumber + part.days) };
  if (part.kind === 'full') {
    const invalid = checkDayAndMonth(part.day, part.month);
    if (invalid) return invalid;
    if (part.year !== undefined) {
      const year = expandYear(part.year, today);
      if (year < 1900 || year > 2199) {
        return failure(
          'invalid-year',
          `O ano ${year} não parece certo. Envie a data como 10/12/2026.`,
          `The year ${year} does not look right. Send the date like 10/12/2026.`,
          { year },
        );
      }
      const date = { year, month: part.month, day: part.day };
      if (part.day > daysInMonth(year, part.month)) return nonexistent(date, true);
      return { date };
    }
    // No year: last, this or next year, as the direction allows; the nearest wins.
    const candidates = [today.year - 1, today.year, today.year + 1]
      .map((year) => ({ year, month: part.month, day: part.day }))
      .filter((date) => date.day <= daysInMonth(date.year, date.month));
    if (candidates.length === 0)
      return nonexistent({ year: today.year, month: part.month, day: part.day }, false);
    const chosen = pickNearest(candidates, todayNumber, direction);
    return chosen
      ? { date: chosen }
      : nonexistent({ year: today.year, month: part.month, day: part.day }, false);
  }
  // "dia N": the nearest month that has day N, in the allowed direction ("any" looks forward).
  if (part.day < 1 || part.day > 31) {
    return failure(
      'invalid-day',
      `O dia precisa estar entre 1 e 31; você enviou ${part.day}.`,
      `The day must be between 1 and 31; you sent ${part.day}.`,
      { day: part.day },
    );
  }
  if (part.month !== undefined) {
    const shifted = fromDayNumber(
      toDayNumber({ year: today.year, month: today.month, day: 1 }) +
        (part.month === 'next' ? daysInMonth(today.year, today.month) : 0),
    );
    const date = { year: shifted.year, month: shifted.month, day: part.day };
    if (part.day > daysInMonth(date.year, date.month)) return nonexistent(date, true);
    return { date };
  }
  const step = direction === 'past' ? -1 : 1;
  for (let offset = 0; Math.abs(offset) <= 12; offset += step) {
    const monthIndex = today.year * 12 + (today.month - 1) + offset;
    const date = { year: Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1, day: part.day };
    if (date.day > daysInMonth(date.year, date.month)) continue;
    const distance = toDayNumber(date) - todayNumber;
    if ((step > 0 && distance >= 0) || (step < 0 && distance <= 0)) return { date };
  }
  return nonexistent({ year: today.year, month: today.month, day: part.day }, false);
}

function pickNearest(
  candidates: CalendarDate[],
  todayNumber: number,
  direction: Direction,
): CalendarDate | undefined {
  let best: { date: CalendarDate; distance: number } | undefined;
  for (const date of candidates) {
    const distance = toDayNumber(date) - todayNumber;
    if (direction === 'future' && distance < 0) continue;
    if (direction === 'past' && distance > 0) continue;
    // Ties (never more than one per side) go to the future.
    if (
      !best ||
      Math.abs(distance) < Math.abs(best.distance) ||
      (Math.abs(distance) === Math.abs(best.distance) && distance > 0)
    ) {
      best = { date, distance };
    }
  }
  return best?.date;
}

function resolveWeekday(
  weekday: number,
  qualifier: 'next' | 'last' | undefined,
  today: CalendarDate,
  direction: Direction,
): CalendarDate {
  const todayNumber = toDayNumber(today);
  const todayWeekday = weekdayOf(today);
  const backwards = qualifier === 'last' || (qualifier === undefined && direction === 'past');
  if (backwards) {
    const daysBack = (todayWeekday - weekday + 7) % 7 || 7;
    return fromDayNumber(todayNumber - daysBack);
  }
  const daysAhead = (weekday - todayWeekday + 7) % 7 || 7;
  return fromDayNumber(todayNumber + daysAhead);
}

function checkConstraints(
  date: CalendarDate,
  today: CalendarDate,
  options: DateOptions,
): ValidationFailure<DateFailureReason> | undefined {
  const distance = toDayNumber(date) - toDayNumber(today);
  const shown = toBrazilian(date);
  const direction = options.direction ?? 'any';
  const allowToday = options.allowToday !== false;
  if (distance === 0 && !allowToday) {
    const when =
      direction === 'past'
        ? { pt: 'anterior a hoje', en: 'before today' }
        : direction === 'future'
          ? { pt: 'depois de hoje', en: 'after today' }
          : { pt: 'diferente de hoje', en: 'other than today' };
    return fail('today-not-allowed', {
      'pt-BR': `Hoje não vale: a data precisa ser ${when.pt}.`,
      en: `Today is not accepted: the date must be ${when.en}.`,
    });
  }
  if (direction === 'past' && distance > 0) {
    return fail(
      'must-be-past',
      {
        'pt-BR': `${shown} ainda não chegou; a data precisa ser ${allowToday ? 'de hoje ou de antes' : 'anterior a hoje'}.`,
        en: `${shown} is in the future; the date must be ${allowToday ? 'today or earlier' : 'before today'}.`,
      },
      { date: toIso(date) },
    );
  }
  if (direction === 'future' && distance < 0) {
    return fail(
      'must-be-future',
      {
        'pt-BR': `${shown} já passou; a data precisa ser ${allowToday ? 'de hoje em diante' : 'depois de hoje'}.`,
        en: `${shown} has passed; the date must be ${allowToday ? 'today or later' : 'after today'}.`,
      },
      { date: toIso(date) },
    );
  }
  const todayNumber = toDayNumber(today);
  if (options.maxDaysInPast !== undefined && distance < -options.maxDaysInPast) {
    const limit = toBrazilian(fromDayNumber(todayNumber - options.maxDaysInPast));
    return fail(
      'too-far-in-past',
      {
        'pt-BR': `${shown} é antiga demais: a data não pode ser anterior a ${limit}.`,
        en: `${shown} is too long ago: the date cannot be before ${limit}.`,
      },
      { date: toIso(date), limit },
    );
  }
  if (options.maxDaysInFuture !== undefined && distance > options.maxDaysInFuture) {
    const limit = toBrazilian(fromDayNumber(todayNumber + options.maxDaysInFuture));
    return fail(
      'too-far-in-future',
      {
        'pt-BR': `${shown} está longe demais: a data não pode passar de ${limit}.`,
        en: `${shown} is too far ahead: the date cannot be after ${limit}.`,
      },
      { date: toIso(date), limit },
    );
  }
  return undefined;
}

const unrecognized = () =>
  fail('unrecognized', {
    'pt-BR': 'Não entendi a data. Envie, por exemplo, 10/12/2026, "amanhã", "sexta" ou "dia 5".',
    en: 'I could not read the date. Send, for example, 10/12/2026, "amanhã", "sexta" or "dia 5".',
  });
const ambiguous = () =>
  fail('ambiguous', {
    'pt-BR':
      'Preciso de um dia exato. Envie, por exemplo, 10/12/2026, "amanhã", "sexta" ou "dia 5".',
    en: 'I need one exact day. Send, for example, 10/12/2026, "amanhã", "sexta" or "dia 5".',
  });

export function validateDate(
  input: string,
  options: DateOptions,
): ValidationResult<string, DateFailureReason> {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new TypeError('validateDate needs options.now, a valid Date (the injected clock)');
  }
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const timeZone =
    options.timeZone ?? (options.locale === 'pt-PT' ? 'Europe/Lisbon' : 'America/Sao_Paulo');
  const today = getCalendarDate(options.now, timeZone);
  const direction = options.direction ?? 'any';

  const text = foldText(
    stripLeadingLabel(read.text, [
      'data de nascimento',
      'data de vencimento',
      'data de pagamento',
      'data',
      'nascimento',
      'vencimento',
      'vence',
      'prazo',
    ]),
  )
    .replace(/[.!?;]+$/, '')
    .trim();
  if (/\s(?:ou|or)\s/.test(` ${text} `)) return ambiguous();

  const weekdays = [...text.matchAll(weekdayPattern)];
  if (weekdays.length > 1) return ambiguous();
  const weekdayMatch = weekdays[0];
  const rest = (weekdayMatch ? text.replace(weekdayMatch[0], ' ') : text)
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:(?:para|pra|ate|em|no|na|o|a|e)(?:\s+|$))+/, '')
    .replace(/(?:^|\s)(?:no|na|o|a|e|de)$/, '')
    .trim();

  let resolved: Resolved | undefined;
  if (rest !== '') {
    const part = parseDatePart(rest, weekdayMatch !== undefined);
    if (!part) {
      if (/^\d{1,2}$/.test(rest)) return ambiguous();
      return vaguePattern.test(rest) ? ambiguous() : unrecognized();
    }
    resolved = resolvePart(part, today, direction);
  }
  if (weekdayMatch) {
    const weekday = weekdayMatch[2]
      ? (weekdayByName.get(weekdayMatch[2]) ?? 0)
      : Number(weekdayMatch[3]) - 1;
    const qualifierWord = weekdayMatch[1] ?? weekdayMatch[4] ?? '';
    const qualifier = /^(?:proxim|que vem)/.test(qualifierWord)
      ? 'next'
      : /^(?:ultim|passad)/.test(qualifierWord)
        ? 'last'
        : undefined;
    if (!resolved) {
      resolved = { date: resolveWeekday(weekday, qualifier, today, direction) };
    } else if ('date' in resolved && weekdayOf(resolved.date) !== weekday) {
      const actual = weekdayOf(resolved.date);
      const shown = toBrazilian(resolved.date);
      return fail(
        'weekday-mismatch',
        {
          'pt-BR': `${shown} é ${actual === 0 || actual === 6 ? 'um' : 'uma'} ${weekdayNames[actual]}, não ${weekday === 0 || weekday === 6 ? 'um' : 'uma'} ${weekdayNames[weekday]}. Qual é a data certa?`,
          en: `${shown} is a ${weekdayNamesEn[actual]}, not a ${weekdayNamesEn[weekday]}. Which date is right?`,
        },
        { date: toIso(resolved.date) },
      );
    }
  }
  if (!resolved) return unrecognized();
  if ('failure' in resolved) return resolved.failure;
  const constraintFailure = checkConstraints(resolved.date, today, options);
  if (constraintFailure) return constraintFailure;
  const date = resolved.date;
  return succeed(toIso(date), `${weekdayNames[weekdayOf(date)]}, ${toBrazilian(date)}`);
}

export const dateValidator: ValidatorDefinition<'date', DateOptions, string, DateFailureReason> = {
  id: 'date',
  optionsSchema: dateOptionsSchema,
  validate: validateDate,
};
