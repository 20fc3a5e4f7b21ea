import type { RenderScope } from '../../template.js';
import type { BlockExecutor, FlowValue, Variables } from '../../types.js';
import { type Amount, isAmount, toNumber } from '../flow-values.js';
import { resolveJson, resolveTemplate } from '../json-template.js';
import { readPath, scopeOf, writePath } from '../variable-paths.js';
import { isOperation, type LogicSetOptions, type Operation } from './definition.js';

export const executor: BlockExecutor<LogicSetOptions> = {
  enter: (context) => {
    const variables: Variables = { ...context.variables };
    const scope = scopeOf(context, variables);
    const changed = new Set<string>();
    const skipped: string[] = [];
    for (const { variable, value } of context.options.assignments) {
      const next = isOperation(value)
        ? operate(value, readPath(variable, scope), scope)
        : resolveJson(value, scope);
      if (next === undefined) skipped.push(variable);
      else changed.add(writePath(variables, variable, next));
    }
    const set: Variables = {};
    for (const name of changed) set[name] = variables[name] ?? null;
    return {
      set,
      next: { go: 'next' },
      ...(skipped.length > 0
        ? { log: { event: 'assignments-skipped', detail: { variables: skipped } } }
        : {}),
    };
  },
};

/** The variable's new value, or undefined when the operation does not apply to it. */
function operate(
  operation: Operation,
  current: FlowValue | undefined,
  scope: RenderScope,
): FlowValue | undefined {
  switch (operation.op) {
    case 'clear':
      if (Array.isArray(current)) return [];
      if (current !== null && typeof current === 'object' && !isAmount(current)) return {};
      return null;
    case 'append': {
      const item = resolveJson(operation.value, scope);
      if (current === undefined || current === null) return [item];
      return Array.isArray(current) ? [...current, item] : [current, item];
    }
    case 'add': {
      const delta =
        typeof operation.value === 'number'
          ? operation.value
          : toAddend(resolveTemplate(operation.value, scope));
      return delta === undefined ? undefined : add(current, delta);
    }
  }
}

function add(current: FlowValue | undefined, delta: number | Amount): FlowValue | undefined {
  if (current === undefined || current === null) return delta;
  if (isAmount(current)) {
    if (typeof delta === 'number') return { ...current, cents: current.cents + toCents(delta) };
    return delta.currency === current.currency
      ? { ...current, cents: current.cents + delta.cents }
      : undefined;
  }
  const base = typeof current === 'number' ? current : toNumber(current);
  if (base === undefined || typeof delta !== 'number') return undefined;
  // Decimal sums without binary noise (0.1 + 0.2 is 0.3 here).
  return Math.round((base + delta) * 1e9) / 1e9;
}

function toAddend(value: FlowValue): number | Amount | undefined {
  return isAmount(value) ? value : toNumber(value);
}

function toCents(units: number): number {
  return Math.round(units * 100);
}
