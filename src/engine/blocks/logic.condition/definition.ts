import { z } from 'zod';
import { flowIdPattern } from '../../../shared/flows/flow-document.js';
import { checkRegexPattern } from '../../../shared/validators/regex.js';
import type { BlockDefinition, FlowValue, TemplateField, VariableUse } from '../../types.js';
import { jsonTemplates, jsonValueSchema } from '../json-template.js';
import { isBuiltin, variablePathSchema } from '../variable-paths.js';

/**
 * Branches: the first case whose condition holds leaves through the port named by its id; when
 * none holds, the block goes `next`. Every case needs an edge.
 *
 * ```json
 * { "cases": [
 *   { "id": "long-trip", "when": { "variable": "trip.days", "op": "gt", "value": 5 } },
 *   { "id": "no-email", "when": { "any": [
 *       { "variable": "email", "op": "empty" },
 *       { "not": { "variable": "email", "op": "matches", "value": "@empresa\\.com$" } } ] } }
 * ] }
 * ```
 *
 * A condition is a comparison `{ variable, op, value? }` or `{ all: [...] }`, `{ any: [...] }`,
 * `{ not: ... }`. `variable` is a variable or a dotted path (`trip.days`, `contact.name`);
 * `value` is JSON whose strings are templates (`"{{limit}}"` compares with another variable).
 *
 * - `equals` / `not-equals`: text ignores case, accents and surrounding spaces; a number equals
 *   the same number written as text ("18" = 18); lists and objects compare whole. Two texts are
 *   compared as text ("007" is not "7").
 * - `contains`: text inside text (case and accents ignored), an item of a list, a key of an
 *   object. `starts-with`: text.
 * - `gt`, `gte`, `lt`, `lte`: numbers (text like "1.234,5" and amounts in units count), else
 *   ISO dates and times ("2026-12-11", "{{now}}"); anything else is false.
 * - `empty` / `not-empty` (no `value`): missing, null, blank text, `[]` and `{}` are empty.
 * - `matches`: a regular expression, case-insensitive, searched in the text (anchor it with
 *   `^…$` to match the whole); patterns that can backtrack catastrophically are refused.
 * - `in`: equals one of the items of `value` — a list, or text with commas ("SP, RJ, MG").
 */

export const operators = [
  'equals',
  'not-equals',
  'contains',
  'starts-with',
  'gt',
  'gte',
  'lt',
  'lte',
  'empty',
  'not-empty',
  'matches',
  'in',
] as const;
export type Operator = (typeof operators)[number];

export const regexFlags = 'iu';

export type Comparison = { variable: string; op: Operator; value?: FlowValue };
export type Condition =
  | Comparison
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const maxDepth = 8;

const comparisonSchema = z
  .strictObject({
    variable: variablePathSchema,
    op: z.enum(operators),
    value: jsonValueSchema.optional(),
  })
  .superRefine((comparison, context) => {
    const { op, value } = comparison;
    const issue = (message: string) =>
      context.addIssue({ code: 'custom', path: ['value'], message });
    if (op === 'empty' || op === 'not-empty') {
      if (value !== undefined) issue(`"${op}" takes no value`);
      return;
    }
    if (value === undefined) {
      issue(`"${op}" needs a value`);
      return;
    }
    if (op === 'matches') {
      if (typeof value !== 'string') issue('"matches" takes a regular expression (text)');
      else {
        const problem = checkRegexPattern(value, regexFlags);
        if (problem) issue(problem);
      }
    } else if (op === 'in' && !Array.isArray(value) && typeof value !== 'string') {
      issue('"in" takes a list, or text with the items separated by commas');
    } else if (
      ['gt', 'gte', 'lt', 'lte'].includes(op) &&
      typeof value !== 'number' &&
      typeof value !== 'string'
    ) {
      issue(`"${op}" compares with a number or a date`);
    } else if (
      (op === 'contains' || op === 'starts-with') &&
      typeof value === 'object' &&
      value !== null
    ) {
      if (op === 'starts-with' || Array.isArray(value)) issue(`"${op}" takes text`);
    }
  });

const shapeMessage =
  'a condition is { variable, op, value? }, { all: [...] }, { any: [...] } or { not: ... }';

function checkCondition(
  value: unknown,
  path: (string | number)[],
  depth: number,
  context: z.RefinementCtx,
): void {
  const issue = (message: string, at = path) =>
    context.addIssue({ code: 'custom', path: at, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issue(shapeMessage);
    return;
  }
  if (depth > maxDepth) {
    issue(`conditions nest at most ${maxDepth} levels deep`);
    return;
  }
  const keys = Object.keys(value);
  const group = keys.find((key) => key === 'all' || key === 'any' || key === 'not');
  if (group === undefined) {
    const parsed = comparisonSchema.safeParse(value);
    for (const problem of parsed.error?.issues ?? []) {
      issue(problem.message, [...path, ...(problem.path as (string | number)[])]);
    }
    return;
  }
  if (keys.length !== 1) {
    issue(`"${group}" stands alone in its object; ${shapeMessage}`);
    return;
  }
  const inner = (value as Record<string, unknown>)[group];
  if (group === 'not') {
    checkCondition(inner, [...path, 'not'], depth + 1, context);
    return;
  }
  if (!Array.isArray(inner) || inner.length === 0 || inner.length > 20) {
    issue(`"${group}" takes a list of 1 to 20 conditions`, [...path, group]);
    return;
  }
  inner.forEach((item, index) => {
    checkCondition(item, [...path, group, index], depth + 1, context);
  });
}

export const conditionSchema = z
  .custom<Condition>(() => true)
  .superRefine((value, context) => checkCondition(value, [], 1, context));

const reservedPorts = ['next'];

export const optionsSchema = z.strictObject({
  cases: z
    .array(
      z.strictObject({
        /** The port the case leaves through. */
        id: z
          .string()
          .regex(
            flowIdPattern,
            'use letters, digits, "-" and "_" (up to 64), starting with a letter',
          )
          .refine(
            (id) => !reservedPorts.includes(id),
            '"next" is where no case holds; name the case otherwise',
          ),
        when: conditionSchema,
      }),
    )
    .min(1)
    .max(50)
    .superRefine((cases, context) => {
      const seen = new Set<string>();
      cases.forEach(({ id }, index) => {
        if (seen.has(id)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `the case "${id}" repeats`,
          });
        }
        seen.add(id);
      });
    }),
});
export type LogicConditionOptions = z.infer<typeof optionsSchema>;

/** Every comparison of a condition with its path. */
export function comparisonsOf(
  condition: Condition,
  path: (string | number)[],
): { comparison: Comparison; path: (string | number)[] }[] {
  if ('all' in condition)
    return condition.all.flatMap((item, i) => comparisonsOf(item, [...path, 'all', i]));
  if ('any' in condition)
    return condition.any.flatMap((item, i) => comparisonsOf(item, [...path, 'any', i]));
  if ('not' in condition) return comparisonsOf(condition.not, [...path, 'not']);
  return [{ comparison: condition, path }];
}

function allComparisons(options: LogicConditionOptions) {
  return options.cases.flatMap(({ when }, index) => comparisonsOf(when, ['cases', index, 'when']));
}

export const definition: BlockDefinition<LogicConditionOptions> = {
  type: 'logic.condition',
  category: 'logic',
  title: { 'pt-BR': 'Condição', en: 'Condition' },
  optionsSchema,
  ports: (options) => options.cases.map(({ id }) => id),
  requiredPorts: (options) => options.cases.map(({ id }) => id),
  templates: (options) =>
    allComparisons(options).flatMap(({ comparison, path }): TemplateField[] =>
      comparison.value === undefined || comparison.op === 'matches'
        ? []
        : jsonTemplates(comparison.value, [...path, 'value']),
    ),
  reads: (options) =>
    allComparisons(options)
      .filter(({ comparison }) => !isBuiltin(comparison.variable))
      .map(
        ({ comparison, path }): VariableUse => ({
          path: [...path, 'variable'],
          name: comparison.variable,
        }),
      ),
};
