import type { BlockExecutor, FlowValue, Step, Variables } from '../../types.js';
import { awaitedResult, failure } from '../action-common.js';
import { resolveJson } from '../json-template.js';
import { scopeOf, writePath } from '../variable-paths.js';
import type { ActionCallOptions } from './definition.js';

export const executor: BlockExecutor<ActionCallOptions> = {
  enter: (context) => {
    const { action, inputs } = context.options;
    const scope = scopeOf(context);
    const resolved: Variables = {};
    for (const [name, value] of Object.entries(inputs)) resolved[name] = resolveJson(value, scope);
    return {
      effects: [{ kind: 'call', action, inputs: resolved }],
      next: { wait: 'effect' },
      log: { event: 'action-called', detail: { action } },
    };
  },
  resume: (context, input, waiting): Step => {
    const awaited = awaitedResult(input, waiting);
    if (awaited.step) return awaited.step;
    const { result } = awaited;
    const { action, outputs } = context.options;
    if (!result.ok) {
      return failure(
        context,
        { code: result.error.code, message: result.error.message, status: null },
        'action-failed',
      );
    }
    const value: FlowValue = result.value;
    const given = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    const variables: Variables = { ...context.variables };
    const changed = new Set<string>();
    for (const [output, variable] of Object.entries(outputs)) {
      const outcome = Object.hasOwn(given, output) ? (given[output] ?? null) : null;
      changed.add(writePath(variables, variable, outcome));
    }
    const set: Variables = {};
    for (const name of changed) set[name] = variables[name] ?? null;
    return { set, next: { go: 'next' }, log: { event: 'action-done', detail: { action } } };
  },
};
