import { z } from 'zod';
import { lookup, type RenderScope, renderTemplate } from '../template.js';
import type { FlowValue, TemplateField } from '../types.js';

/**
 * JSON in block options whose strings are templates (`logic.set` values, `action.http` bodies,
 * `action.call` inputs, `logic.condition` values). A string that is exactly one expression
 * without formatters (`"{{trip.days}}"`) keeps the value's type — a number stays a number, a
 * list a list, missing is null — so JSON can carry variables as they are; any other string is
 * rendered as text (`"{{count}} dias"`, `"{{total | money}}"`).
 */

export const jsonValueSchema = z.json() as z.ZodType<FlowValue>;

const wholeExpression = /^\{\{\s*([a-z_][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)\s*\}\}$/i;

/** A template string: its typed value when it is one bare expression, else its text. */
export function resolveTemplate(template: string, scope: RenderScope): FlowValue {
  const bare = wholeExpression.exec(template)?.[1];
  if (bare !== undefined) {
    const value = lookup(bare.split('.'), scope);
    return value === undefined ? null : (value as FlowValue);
  }
  return renderTemplate(template, scope);
}

/** Whether a string is one bare expression (its type is the variable's, not text). */
export function isBareExpression(template: string): boolean {
  return wholeExpression.test(template);
}

/** The JSON with every string resolved against the scope. */
export function resolveJson(value: FlowValue, scope: RenderScope): FlowValue {
  if (typeof value === 'string') return resolveTemplate(value, scope);
  if (Array.isArray(value)) return value.map((item) => resolveJson(item, scope));
  if (value !== null && typeof value === 'object') {
    const resolved: Record<string, FlowValue> = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = resolveJson(item, scope);
    return resolved;
  }
  return value;
}

/** Every string of the JSON that holds an expression, with its path, for validation. */
export function jsonTemplates(value: FlowValue, path: (string | number)[]): TemplateField[] {
  if (typeof value === 'string') {
    return value.includes('{{') || value.includes('}}') ? [{ path, template: value }] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => jsonTemplates(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => jsonTemplates(item, [...path, key]));
  }
  return [];
}
