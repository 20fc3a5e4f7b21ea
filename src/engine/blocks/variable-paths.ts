import { z } from 'zod';
import { flowIdPattern } from '../../shared/flows/flow-document.js';
import { builtinRoots, lookup, type RenderScope } from '../template.js';
import type { BlockContext, FlowValue, Variables } from '../types.js';

/**
 * Variables named in block options (not in templates): a variable (`total`) or a dotted path
 * into one (`trip.days`, `items.0.name`). Reading goes through the same lookup as templates,
 * so the built-ins (`contact.name`, `now`) read too; writing a path updates a copy of the
 * variable's object, creating the objects on the way.
 */

const pathPattern = /^[a-z][a-z0-9_-]{0,63}(\.[a-z0-9_-]{1,64}){0,8}$/i;

export const variableNameSchema = z
  .string()
  .regex(flowIdPattern, 'a variable name: letters, digits, "-" and "_", starting with a letter');

export const variablePathSchema = z
  .string()
  .regex(pathPattern, 'a variable name, or a dotted path into one ("trip.days")');

export function rootOf(path: string): string {
  return path.split('.')[0] ?? path;
}

export function isBuiltin(path: string): boolean {
  return (builtinRoots as readonly string[]).includes(rootOf(path));
}

export function scopeOf(context: BlockContext<unknown>, variables?: Readonly<Variables>) {
  return {
    variables: variables ?? context.variables,
    env: context.env,
    locale: context.locale,
    timeZone: context.timeZone,
  } satisfies RenderScope;
}

/** The value at a path; undefined when any part is missing. */
export function readPath(path: string, scope: RenderScope): FlowValue | undefined {
  return lookup(path.split('.'), scope) as FlowValue | undefined;
}

/**
 * Writes `value` at `path` into `variables` (mutated) and returns the root's name: only roots
 * change identity, nested objects on the way are copied, never shared.
 */
export function writePath(variables: Variables, path: string, value: FlowValue): string {
  const [root = path, ...rest] = path.split('.');
  variables[root] = rest.length === 0 ? value : withPath(variables[root], rest, value);
  return root;
}

function withPath(target: FlowValue | undefined, keys: string[], value: FlowValue): FlowValue {
  const [key, ...rest] = keys;
  if (key === undefined) return value;
  if (Array.isArray(target) && /^\d+$/.test(key)) {
    const copy = [...target];
    const index = Number(key);
    while (copy.length < index) copy.push(null);
    copy[index] = withPath(copy[index], rest, value);
    return copy;
  }
  const object =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  object[key] = withPath(Object.hasOwn(object, key) ? object[key] : undefined, rest, value);
  return object;
}
