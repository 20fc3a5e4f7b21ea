import type { FlowLocale } from '../shared/flows/flow-document.js';
import type { TurnEnvironment, Variables } from './types.js';

/**
 * Templates in flow texts: `{{ name }}`, `{{ trip.destination }}`, `{{ contact.name }}` and
 * formatters after a pipe — `{{ total | money }}`, `{{ due | date:long }}`,
 * `{{ count | number:2 }}`, `{{ name | upper }}`, `{{ nickname | default:"amigo" }}`.
 * Parsing is separate from rendering so that a flow is checked once (syntax, variables,
 * formatters) and rendering never throws: a missing value renders as empty text.
 */

export const builtinRoots = ['contact', 'channel', 'now'] as const;

export const formatterNames = [
  'money',
  'number',
  'date',
  'time',
  'datetime',
  'upper',
  'lower',
  'default',
  'json',
] as const;
export type FormatterName = (typeof formatterNames)[number];

export type TemplateExpression = {
  /** `trip.destination` → ['trip', 'destination']. */
  path: string[];
  formatters: { name: string; argument?: string }[];
  /** Offset of `{{` in the template. */
  offset: number;
};

export type TemplatePart = string | TemplateExpression;

export type ParsedTemplate = { parts: TemplatePart[]; errors: TemplateError[] };
export type TemplateError = { offset: number; message: string };

const expressionPattern = /\{\{([\s\S]*?)\}\}/g;
const pathPattern = /^[a-z_][a-z0-9_-]*(\.[a-z0-9_-]+)*$/i;
const formatterPattern = /^([a-z]+)(?::\s*(?:"([^"]*)"|([^\s"]+)))?$/i;

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: TemplateError[] = [];
  let last = 0;
  for (const match of template.matchAll(expressionPattern)) {
    const offset = match.index;
    if (offset > last) parts.push(template.slice(last, offset));
    last = offset + match[0].length;
    const [head = '', ...pipes] = (match[1] ?? '').split('|').map((piece) => piece.trim());
    if (!pathPattern.test(head)) {
      errors.push({
        offset,
        message: head === '' ? 'empty {{ }}' : `"${head}" is not a variable name`,
      });
      continue;
    }
    const formatters: TemplateExpression['formatters'] = [];
    for (const pipe of pipes) {
      const parsed = formatterPattern.exec(pipe);
      const name = parsed?.[1];
      if (!parsed || !name || !(formatterNames as readonly string[]).includes(name)) {
        errors.push({
          offset,
          message: `unknown formatter "${pipe}" (use ${formatterNames.join(', ')})`,
        });
        continue;
      }
      const argument = parsed[2] ?? parsed[3];
      formatters.push(argument === undefined ? { name } : { name, argument });
    }
    parts.push({ path: head.split('.'), formatters, offset });
  }
  if (last < template.length) parts.push(template.slice(last));
  const unclosed = template.slice(last).indexOf('{{');
  if (unclosed >= 0) errors.push({ offset: last + unclosed, message: 'unclosed {{' });
  return { parts, errors };
}

/** The variable names a template reads (first path segment), builtins included. */
export function templateRoots(template: string): string[] {
  return parseTemplate(template).parts.flatMap((part) =>
    typeof part === 'string' ? [] : [part.path[0] ?? ''],
  );
}

export type RenderScope = {
  variables: Readonly<Variables>;
  env: TurnEnvironment;
  locale: FlowLocale;
  timeZone: string;
};

const cache = new Map<string, TemplatePart[]>();

/** Renders a template; never throws. Parsed templates are cached (flows reuse their texts). */
export function renderTemplate(template: string, scope: RenderScope): string {
  if (!template.includes('{{')) return template;
  let parts = cache.get(template);
  if (!parts) {
    parts = parseTemplate(template).parts;
    if (cache.size > 5000) cache.clear();
    cache.set(template, parts);
  }
  let out = '';
  for (const part of parts) {
    out += typeof part === 'string' ? part : renderExpression(part, scope);
  }
  return out;
}

function renderExpression(expression: TemplateExpression, scope: RenderScope): string {
  let value: unknown = lookup(expression.path, scope);
  let formatted: string | undefined;
  for (const formatter of expression.formatters) {
    if (formatter.name === 'default') {
      if (value === undefined || value === null || value === '') value = formatter.argument ?? '';
      continue;
    }
    formatted = applyFormatter(formatter.name as FormatterName, formatter.argument, value, scope);
    value = formatted;
  }
  return formatted ?? plain(value, scope);
}

/** Reads a dotted path from the variables or the builtins (`contact`, `channel`, `now`). */
export function lookup(path: readonly string[], scope: RenderScope): unknown {
  const [root, ...rest] = path;
  if (root === undefined) return undefined;
  let value: unknown;
  if (Object.hasOwn(scope.variables, root)) value = scope.variables[root];
  else if (root === 'contact') value = scope.env.contact;
  else if (root === 'channel') value = { id: scope.env.channel.id, name: scope.env.channel.name };
  else if (root === 'now') value = scope.env.now.toISOString();
  for (const key of rest) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Array.isArray(value)
      ? /^\d+$/.test(key)
        ? value[Number(key)]
        : key === 'length'
          ? value.length
          : undefined
      : Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

const intlLocale: Record<FlowLocale, string> = { 'pt-BR': 'pt-BR', 'pt-PT': 'pt-PT', en: 'en-US' };
const defaultCurrency: Record<FlowLocale, string> = { 'pt-BR': 'BRL', 'pt-PT': 'EUR', en: 'BRL' };

function plain(value: unknown, scope: RenderScope): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value, undefined, scope.locale);
  if (typeof value === 'boolean') {
    return scope.locale === 'en' ? (value ? 'yes' : 'no') : value ? 'sim' : 'não';
  }
  if (isAmount(value)) return formatMoney(value.cents / 100, value.currency, scope.locale);
  if (isFile(value)) return value.fileName ?? value.mediaId;
  if (Array.isArray(value)) return value.map((item) => plain(item, scope)).join(', ');
  return JSON.stringify(value);
}

function applyFormatter(
  name: FormatterName,
  argument: string | undefined,
  value: unknown,
  scope: RenderScope,
): string {
  if (value === undefined || value === null || value === '') return '';
  switch (name) {
    case 'money': {
      if (isAmount(value)) {
        return formatMoney(value.cents / 100, argument ?? value.currency, scope.locale);
      }
      const number = toNumber(value);
      return number === undefined
        ? plain(value, scope)
        : formatMoney(number, argument ?? defaultCurrency[scope.locale], scope.locale);
    }
    case 'number': {
      const number = isAmount(value) ? value.cents / 100 : toNumber(value);
      const digits = argument === undefined ? undefined : Number(argument);
      return number === undefined
        ? plain(value, scope)
        : formatNumber(number, Number.isInteger(digits) ? digits : undefined, scope.locale);
    }
    case 'date':
    case 'time':
    case 'datetime': {
      const date = toDate(value);
      return date ? formatDate(date, name, argument, scope) : plain(value, scope);
    }
    case 'upper':
      return plain(value, scope).toLocaleUpperCase(intlLocale[scope.locale]);
    case 'lower':
      return plain(value, scope).toLocaleLowerCase(intlLocale[scope.locale]);
    case 'json':
      return JSON.stringify(value);
    case 'default':
      return plain(value, scope);
  }
}

function isAmount(value: unknown): value is { cents: number; currency: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { cents?: unknown }).cents === 'number' &&
    typeof (value as { currency?: unknown }).currency === 'string'
  );
}

function isFile(value: unknown): value is { mediaId: string; fileName?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { mediaId?: unknown }).mediaId === 'string'
  );
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  // A plain ISO date is a calendar day: read it at noon UTC so no time zone moves its day.
  const text =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatNumber(value: number, digits: number | undefined, locale: FlowLocale): string {
  const key = `${locale}:${digits ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      intlLocale[locale],
      digits === undefined
        ? { maximumFractionDigits: 6 }
        : { minimumFractionDigits: digits, maximumFractionDigits: digits },
    );
    numberFormats.set(key, format);
  }
  return format.format(value);
}

function formatMoney(value: number, currency: string, locale: FlowLocale): string {
  const key = `money:${locale}:${currency}`;
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(intlLocale[locale], { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat(intlLocale[locale], { style: 'currency', currency: 'BRL' });
    }
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const dateStyles: Record<string, Intl.DateTimeFormatOptions> = {
  'date:short': { day: '2-digit', month: '2-digit', year: 'numeric' },
  'date:long': { day: 'numeric', month: 'long', year: 'numeric' },
  'date:weekday': { weekday: 'long', day: '2-digit', month: '2-digit' },
  'time:short': { hour: '2-digit', minute: '2-digit' },
  'datetime:short': {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  },
};

function formatDate(
  date: Date,
  kind: 'date' | 'time' | 'datetime',
  style: string | undefined,
  scope: RenderScope,
): string {
  const options = dateStyles[`${kind}:${style ?? 'short'}`] ?? dateStyles[`${kind}:short`];
  const key = `${scope.locale}:${scope.timeZone}:${kind}:${style ?? 'short'}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(intlLocale[scope.locale], {
        ...options,
        timeZone: scope.timeZone,
      });
    } catch {
      format = new Intl.DateTimeFormat(intlLocale[scope.locale], { ...options, timeZone: 'UTC' });
    }
    dateFormats.set(key, format);
  }
  return format.format(date);
}
