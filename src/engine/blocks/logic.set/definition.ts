import { z } from 'zod';
import type { VariableType } from '../../../shared/flows/flow-document.js';
import type { BlockDefinition, FlowValue, TemplateField, VariableUse } from '../../types.js';
import { isBareExpression, jsonTemplates, jsonValueSchema } from '../json-template.js';
import { variablePathSchema } from '../variable-paths.js';

/**
 * Sets variables, in order (a later assignment sees the earlier ones), then goes `next`.
 *
 * ```json
 * { "assignments": [
 *   { "variable": "greeting", "value": "Olá, {{contact.name}}!" },
 *   { "variable": "days", "value": "{{trip.days}}" },
 *   { "variable": "trip.status", "value": "open" },
 *   { "variable": "answers", "value": { "op": "append", "value": "{{answer}}" } },
 *   { "variable": "attempts", "value": { "op": "add", "value": 1 } },
 *   { "variable": "total", "value": { "op": "add", "value": "{{expense.amount}}" } },
 *   { "variable": "cart", "value": { "op": "clear" } }
 * ] }
 * ```
 *
 * - `value` is JSON; every string in it is a template. A string that is one bare expression
 *   (`"{{trip.days}}"`) copies the value with its type; any other string is text.
 * - `{ "op": "add", "value": n }` adds a number (or a template giving one, "12,5" too) to a
 *   number; missing counts as 0. Adding to an amount (`{cents, currency}`) adds the number in
 *   units, or another amount of the same currency.
 * - `{ "op": "append", "value": x }` puts one item at the end of a list (missing is an empty
 *   list; any other value becomes the list's first item).
 * - `{ "op": "clear" }` empties a list (`[]`) or object (`{}`); anything else becomes null.
 * - An object with an `op` key is always an operation: store such an object through a
 *   variable (`"{{that}}"`).
 * - `variable` may be a dotted path (`trip.status`): the field is set inside the object.
 * An assignment that cannot apply (adding text, amounts of different currencies) is skipped and
 * named in the session's history.
 */

export const operations = ['add', 'append', 'clear'] as const;

const operationSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), value: z.union([z.number(), z.string().min(1)]) }),
  z.strictObject({ op: z.literal('append'), value: jsonValueSchema }),
  z.strictObject({ op: z.literal('clear') }),
]);
export type Operation = z.infer<typeof operationSchema>;

export function isOperation(value: FlowValue): value is Operation {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'op' in value;
}

const valueSchema = jsonValueSchema.superRefine((value, context) => {
  if (!isOperation(value)) return;
  const parsed = operationSchema.safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    context.addIssue({
      code: 'custom',
      path: issue.path as (string | number)[],
      message:
        issue.path[0] === 'op'
          ? `"op" is one of ${operations.join(', ')} (an object with "op" is an operation)`
          : issue.message,
    });
  }
});

export const optionsSchema = z.strictObject({
  assignments: z
    .array(z.strictObject({ variable: variablePathSchema, value: valueSchema }))
    .min(1)
    .max(50),
});
export type LogicSetOptions = z.infer<typeof optionsSchema>;

function writtenTypes(value: FlowValue): readonly VariableType[] | undefined {
  if (isOperation(value)) {
    if (value.op === 'add') return ['number', 'amount'];
    if (value.op === 'append') return ['list'];
    return undefined;
  }
  if (typeof value === 'string') return isBareExpression(value) ? undefined : ['string', 'date'];
  if (typeof value === 'number') return ['number'];
  if (typeof value === 'boolean') return ['boolean'];
  if (value === null) return undefined;
  if (Array.isArray(value)) return ['list'];
  return 'cents' in value && 'currency' in value ? ['amount'] : ['object', 'file'];
}

export const definition: BlockDefinition<LogicSetOptions> = {
  type: 'logic.set',
  category: 'logic',
  title: { 'pt-BR': 'Definir variáveis', en: 'Set variables' },
  optionsSchema,
  ports: () => [],
  templates: (options) =>
    options.assignments.flatMap(({ value }, index): TemplateField[] => {
      const path = ['assignments', index, 'value'];
      if (!isOperation(value)) return jsonTemplates(value, path);
      if (value.op === 'clear') return [];
      return jsonTemplates(value.value, [...path, 'value']);
    }),
  writes: (options) =>
    options.assignments.map(({ variable, value }, index): VariableUse => {
      const types = writtenTypes(value);
      const path = ['assignments', index, 'variable'];
      return types ? { path, name: variable, types } : { path, name: variable };
    }),
};
