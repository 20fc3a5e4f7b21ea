import { foldText } from '../../../shared/validators/text.js';
import type { RenderScope } from '../../template.js';
import type { BlockExecutor, FlowValue } from '../../types.js';
import { isAmount, toNumber } from '../flow-values.js';
import { resolveJson } from '../json-template.js';
import { readPath, scopeOf } from '../variable-paths.js';
import {
  type Comparison,
  type Condition,
  type LogicConditionOptions,
  regexFlags,
} from './definition.js';

export const executor: BlockExecutor<LogicConditionOptions> = {
  enter: (context) => {
    const scope = scopeOf(context);
    const match = context.options.cases.find(({ when }) => holds(when, scope));
    return match
      ? { next: { go: match.id }, log: { event: 'case-chosen', detail: { case: match.id } } }
      : { next: { go: 'next' }, log: { event: 'no-case-held' } };
  },
};

export function holds(condition: Condition, scope: RenderScope): boolean {
  if ('all' in condition) return condition.all.every((item) => holds(item, scope));
  if ('any' in condition) return condition.any.some((item) => holds(item, scope));
  if ('not' in condition) return !holds(condition.not, scope);
  return compare(condition, scope);
}

function compare({ variable, op, value }: Comparison, scope: RenderScope): boolean {
  const left = readPath(variable, scope) ?? null;
  const right = value === undefined ? null : resolveJson(value, scope);
  switch (op) {
    case 'empty':
      return isEmpty(left);
    case 'not-empty':
      return !isEmpty(left);
    case 'equals':
      return areEqual(left, right);
    case 'not-equals':
      return !areEqual(left, right);
    case 'contains':
      return contains(left, right);
    case 'starts-with':
      return isText(left) && isText(right) && fold(left).startsWith(fold(right));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = ordering(left, right);
      if (order === undefined) return false;
      return op === 'gt'
        ? order > 0
        : op === 'gte'
          ? order >= 0
          : op === 'lt'
            ? order < 0
            : order <= 0;
    }
    case 'matches':
      return (
        typeof value === 'string' &&
        (typeof left === 'string' || typeof left === 'number') &&
        regexOf(value).test(String(left))
      );
    case 'in': {
      const items = Array.isArray(right)
        ? right
        : typeof right === 'string'
          ? right.split(',').map((item) => item.trim())
          : [];
      return items.some((item) => areEqual(left, item));
    }
  }
}

function isText(value: FlowValue): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function fold(value: string | number): string {
  return typeof value === 'number' ? String(value) : foldText(value);
}

function isEmpty(value: FlowValue): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const booleanWords: Record<string, boolean> = {
  true: true,
  sim: true,
  yes: true,
  false: false,
  nao: false,
  no: false,
};

function areEqual(left: FlowValue, right: FlowValue): boolean {
  if (left === null || right === null) return left === right;
  if (typeof left === 'number' || typeof right === 'number' || isAmount(left) || isAmount(right)) {
    const a = numberOf(left);
    const b = numberOf(right);
    if (a !== undefined && b !== undefined) return a === b;
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const a = typeof left === 'boolean' ? left : booleanWords[fold(String(left))];
    const b = typeof right === 'boolean' ? right : booleanWords[fold(String(right))];
    return a !== undefined && a === b;
  }
  if (isText(left) && isText(right)) return fold(left) === fold(right);
  return JSON.stringify(left) === JSON.stringify(right);
}

function contains(left: FlowValue, right: FlowValue): boolean {
  if (Array.isArray(left)) return left.some((item) => areEqual(item, right));
  if (isText(left) && isText(right)) return fold(left).includes(fold(right));
  if (left !== null && typeof left === 'object' && isText(right)) {
    return Object.hasOwn(left, String(right));
  }
  return false;
}

/** An amount counts in units (R$ 12,30 is 12.3). */
function numberOf(value: FlowValue): number | undefined {
  return isAmount(value) ? value.cents / 100 : toNumber(value);
}

const isoDate =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function timeOf(value: FlowValue): number | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!isoDate.test(text)) return undefined;
  // Without a zone, a time is read as UTC: the host's zone must never change a branch.
  const zoned = /T|\s/.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const time = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(time) ? undefined : time;
}

/** Sign of left − right, as numbers or else as dates; undefined when they do not compare. */
function ordering(left: FlowValue, right: FlowValue): number | undefined {
  const a = numberOf(left);
  const b = numberOf(right);
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const x = timeOf(left);
  const y = timeOf(right);
  if (x !== undefined && y !== undefined) return Math.sign(x - y);
  return undefined;
}

const regexes = new Map<string, RegExp>();

function regexOf(pattern: string): RegExp {
  let regex = regexes.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, regexFlags);
    if (regexes.size > 1000) regexes.clear();
    regexes.set(pattern, regex);
  }
  return regex;
}
