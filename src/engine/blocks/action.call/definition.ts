import { z } from 'zod';
import type { FlowIssueCode, VariableType } from '../../../shared/flows/flow-document.js';
import type { BlockDefinition, FlowValue, TemplateField, VariableUse } from '../../types.js';
import { actionNameSchema, errorPort, errorVariableOption } from '../action-common.js';
import { isAmount } from '../flow-values.js';
import { jsonTemplates, jsonValueSchema } from '../json-template.js';
import { variablePathSchema } from '../variable-paths.js';

/**
 * Runs a domain action a module registered (`expenses.start-trip`, `onboarding.submit-driver`):
 * the engine sees only its declared inputs and outputs (the action catalog), asks for it as
 * the `call` effect and waits for the result.
 *
 * ```json
 * { "action": "expenses.start-trip",
 *   "inputs": { "destination": "{{destination}}", "days": "{{days}}", "advance": false },
 *   "outputs": { "tripId": "trip.id" },
 *   "errorVariable": "tripError" }
 * ```
 *
 * - `inputs` are JSON whose strings are templates (`"{{days}}"` keeps the variable's type).
 *   When the flow is validated, every required input must be given, none unknown, and literal
 *   values must fit the declared types.
 * - `outputs` maps an output of the action to a variable (or a dotted path); an output the
 *   result lacks stores null.
 * - The module answers `{ ok: true, value: { <output>: … } }`, or `{ ok: false, error }`: then
 *   the block goes through `error` (`next` when that has no edge) with `errorVariable` set to
 *   `{ code, message, status: null }`.
 */

const fieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'is an input or output name of the action');

export const optionsSchema = z.strictObject({
  action: actionNameSchema,
  inputs: z.record(fieldName, jsonValueSchema).default({}),
  outputs: z.record(fieldName, variablePathSchema).default({}),
  ...errorVariableOption,
});
export type ActionCallOptions = z.infer<typeof optionsSchema>;

type Problem = { path: (string | number)[]; code: FlowIssueCode; message: string };

/** Whether a value written literally (no template) fits a declared type. */
function literalFits(value: FlowValue, type: VariableType): boolean {
  switch (type) {
    case 'string':
    case 'date':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'amount':
      return isAmount(value);
    case 'file':
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

export const definition: BlockDefinition<ActionCallOptions> = {
  type: 'action.call',
  category: 'action',
  title: { 'pt-BR': 'Ação do sistema', en: 'System action' },
  optionsSchema,
  ports: () => [errorPort],
  templates: (options) =>
    Object.entries(options.inputs).flatMap(([name, value]): TemplateField[] =>
      jsonTemplates(value, ['inputs', name]),
    ),
  writes: (options) => {
    const uses: VariableUse[] = Object.entries(options.outputs).map(([output, variable]) => ({
      path: ['outputs', output],
      name: variable,
    }));
    if (options.errorVariable) {
      uses.push({ path: ['errorVariable'], name: options.errorVariable, types: ['object'] });
    }
    return uses;
  },
  actions: (options) => [{ path: ['action'], action: options.action }],
  check: (options, { actions }) => {
    const declaration = actions?.get(options.action);
    // An action no module offers is reported by the validator through `actions()`.
    if (!declaration) return [];
    const problems: Problem[] = [];
    const inputs = Object.keys(declaration.inputs);
    for (const [name, input] of Object.entries(declaration.inputs)) {
      if (input.required && !Object.hasOwn(options.inputs, name)) {
        problems.push({
          path: ['inputs'],
          code: 'invalid-options',
          message: `"${options.action}" needs the input "${name}" (${input.type})`,
        });
      }
    }
    for (const [name, value] of Object.entries(options.inputs)) {
      const input = declaration.inputs[name];
      if (!input) {
        problems.push({
          path: ['inputs', name],
          code: 'invalid-options',
          message:
            inputs.length === 0
              ? `"${options.action}" takes no inputs`
              : `"${options.action}" has no input "${name}" (it takes ${inputs.join(', ')})`,
        });
      } else if (
        !(typeof value === 'string' && value.includes('{{')) &&
        !literalFits(value, input.type)
      ) {
        problems.push({
          path: ['inputs', name],
          code: 'wrong-variable-type',
          message: `the input "${name}" of "${options.action}" is ${input.type}`,
        });
      }
    }
    const outputs = Object.keys(declaration.outputs);
    for (const name of Object.keys(options.outputs)) {
      if (!Object.hasOwn(declaration.outputs, name)) {
        problems.push({
          path: ['outputs', name],
          code: 'invalid-options',
          message:
            outputs.length === 0
              ? `"${options.action}" has no outputs`
              : `"${options.action}" has no output "${name}" (it gives ${outputs.join(', ')})`,
        });
      }
    }
    return problems;
  },
};
