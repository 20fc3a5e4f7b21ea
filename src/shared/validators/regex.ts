import { z } from 'zod';
import {
  type CommonFailureReason,
  fail,
  type LocalizedText,
  readInput,
  succeed,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * A pattern the flow author writes (a plate, an order number, an internal code). The whole
 * answer must match (the pattern is anchored), after the usual clean-up: trimmed, one space for
 * any run of spaces, ASCII digits and dashes. The value and display are that cleaned answer.
 *
 * Patterns run on user input inside the engine, so a pattern that can backtrack
 * catastrophically is refused when the flow is validated: a repeated group (`*`, `+`, `{n,}`,
 * `{n}` with n > 1) may contain neither a variable repetition (`?`, `*`, `+`, `{n,m}`) nor an
 * alternation — `(a+)+`, `(\w|\d)*`, `(x+){10}` are refused (write `[\w\d]*` instead), while
 * `(\d{3}\.)+` is fine — backreferences are not allowed, and at most three open-ended
 * repetitions may appear (`\d*\d*\d*\d*x` costs n⁴). The answer is also capped (`maxLength`,
 * default 200 characters). This is a heuristic, not a proof: flows are written by
 * a tenant's own admins, and the cap bounds what a polynomial pattern can cost.
 */

const allowedFlags = /^(?!.*(.).*\1)[imsu]*$/;

/** Why a pattern cannot be used, in English for the flow editor; undefined when it can. */
export function checkRegexPattern(pattern: string, flags = ''): string | undefined {
  if (!allowedFlags.test(flags)) return 'Flags may only be i, m, s and u, each once';
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return `Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return findBacktrackingRisk(pattern);
}

type GroupFrame = { hasRepetition: boolean; hasAlternation: boolean };

type Quantifier = {
  length: number;
  /** It may match its atom more than once. */
  repeats: boolean;
  /** The number of matches is not fixed (`?`, `*`, `+`, `{1,3}`): a source of ambiguity. */
  varies: boolean;
  /** It may match many times (`*`, `+`, `{n,}`, `{n,m}` with m − n > 10). */
  isOpenEnded: boolean;
};

/** Reads the quantifier at `index` (length 0 when there is none). */
function readQuantifier(pattern: string, index: number): Quantifier {
  const char = pattern[index];
  const lazy = (length: number) => (pattern[index + length] === '?' ? length + 1 : length);
  if (char === '*' || char === '+') {
    return { length: lazy(1), repeats: true, varies: true, isOpenEnded: true };
  }
  if (char === '?') return { length: lazy(1), repeats: false, varies: true, isOpenEnded: false };
  if (char === '{') {
    const match = /^\{(\d+)(?:(,)(\d*))?\}/.exec(pattern.slice(index));
    if (match) {
      const min = Number(match[1]);
      const max = match[2] ? (match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3])) : min;
      return {
        length: lazy(match[0].length),
        repeats: max > 1,
        varies: max !== min,
        isOpenEnded: max - min > 10,
      };
    }
  }
  return { length: 0, repeats: false, varies: false, isOpenEnded: false };
}

/** Open-ended repetitions side by side cost a power of the input length each. */
const maxOpenEndedRepetitions = 3;

function findBacktrackingRisk(pattern: string): string | undefined {
  let openEnded = 0;
  const countOpenEnded = (quantifier: Quantifier) => {
    if (quantifier.isOpenEnded) openEnded += 1;
    return openEnded > maxOpenEndedRepetitions;
  };
  const tooManyOpenEnded = `More than ${maxOpenEndedRepetitions} open-ended repetitions (*, +, {n,}); simplify the pattern`;
  const stack: GroupFrame[] = [{ hasRepetition: false, hasAlternation: false }];
  const current = () => stack[stack.length - 1] as GroupFrame;
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[index + 2] === '<')) {
        return 'Backreferences are not allowed';
      }
      index += 2;
    } else if (char === '[') {
      index += 1;
      while (index < pattern.length && pattern[index] !== ']') {
        index += pattern[index] === '\\' ? 2 : 1;
      }
      index += 1;
    } else if (char === '(') {
      stack.push({ hasRepetition: false, hasAlternation: false });
      index += 1;
      // A group's own "?:", "?=", "?<name>" is not a quantifier.
      if (pattern[index] === '?') index += 1;
      continue;
    } else if (char === ')') {
      const group = stack.length > 1 ? (stack.pop() as GroupFrame) : current();
      const quantifier = readQuantifier(pattern, index + 1);
      if (quantifier.repeats && (group.hasRepetition || group.hasAlternation)) {
        return `A repeated group contains ${group.hasRepetition ? 'a repetition' : 'an alternation'} (catastrophic backtracking); use a character class or remove the nesting`;
      }
      if (countOpenEnded(quantifier)) return tooManyOpenEnded;
      const parent = current();
      parent.hasRepetition ||= group.hasRepetition || quantifier.varies;
      parent.hasAlternation ||= group.hasAlternation;
      index += 1 + quantifier.length;
      continue;
    } else {
      if (char === '|') current().hasAlternation = true;
      index += 1;
    }
    const quantifier = readQuantifier(pattern, index);
    if (quantifier.varies) current().hasRepetition = true;
    if (countOpenEnded(quantifier)) return tooManyOpenEnded;
    index += quantifier.length;
  }
  return undefined;
}

export const regexOptionsSchema = z
  .strictObject({
    /** The pattern the whole answer must match (JavaScript syntax, anchored for you). */
    pattern: z.string().min(1).max(500),
    /** Any of `i`, `m`, `s`, `u`. */
    flags: z.string().max(4).optional(),
    /** The longest accepted answer in characters (default 200). */
    maxLength: z.number().int().min(1).max(4096).optional(),
    /** What the bot says when the answer does not match ("Envie a placa como ABC1D23."). */
    message: z
      .strictObject({ 'pt-BR': z.string().min(1).max(1000), en: z.string().min(1).max(1000) })
      .optional(),
  })
  .superRefine((options, context) => {
    const problem = checkRegexPattern(options.pattern, options.flags);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['pattern'] });
  });
export type RegexOptions = z.infer<typeof regexOptionsSchema>;

export type RegexFailureReason = CommonFailureReason | 'no-match';

const field = { 'pt-BR': 'a resposta', en: 'the answer' };
const defaultMessage: LocalizedText = {
  'pt-BR': 'A resposta não está no formato esperado. Confira e envie de novo.',
  en: 'The answer is not in the expected format. Please check it and send it again.',
};
const compiled = new Map<string, RegExp>();

function compile(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const problem = checkRegexPattern(pattern, flags);
    if (problem) throw new TypeError(`regex validator: ${problem}`);
    regex = new RegExp(`^(?:${pattern})$`, flags);
    if (compiled.size >= 500) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
}

export function validateRegex(
  input: string,
  options: RegexOptions,
): ValidationResult<string, RegexFailureReason> {
  const regex = compile(options.pattern, options.flags ?? '');
  const read = readInput(input, options.maxLength ?? 200, field);
  if ('failure' in read) return read.failure;
  if (!regex.test(read.text)) return fail('no-match', options.message ?? defaultMessage);
  return succeed(read.text, read.text);
}

export const regexValidator: ValidatorDefinition<
  'regex',
  RegexOptions,
  string,
  RegexFailureReason
> = {
  id: 'regex',
  optionsSchema: regexOptionsSchema,
  validate: validateRegex,
};
