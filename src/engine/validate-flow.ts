import { z } from 'zod';
import {
  type FlowDocument,
  type FlowIssue,
  type FlowIssueCode,
  flowBlockSchema,
  flowDocumentSchema,
  flowIssue,
  type VariableType,
} from '../shared/flows/flow-document.js';
import { blockModules } from './blocks/index.js';
import { builtinRoots, parseTemplate } from './template.js';
import type { ActionCatalog, BlockModule, TemplateField } from './types.js';

/**
 * Checks a flow as a whole and returns every problem with its JSON path: the envelope, each
 * block's options against its definition, edges and ports, templates and the variables they
 * read, domain actions, and blocks no path reaches. Nothing stops at the first error.
 */

export type FlowValidation = { ok: true; flow: FlowDocument } | { ok: false; issues: FlowIssue[] };

export type ValidateOptions = {
  /** Domain actions modules registered; `action.call` must name one of them. */
  actions?: ActionCatalog;
  blocks?: ReadonlyMap<string, BlockModule<unknown>>;
};

const envelopeSchema = flowDocumentSchema.extend({
  blocks: z.record(z.string(), z.unknown()),
});

export function validateFlow(input: unknown, settings: ValidateOptions = {}): FlowValidation {
  const blocks = settings.blocks ?? blockModules;
  const issues: FlowIssue[] = [];
  const add = (path: (string | number)[], code: FlowIssueCode, message: string) =>
    issues.push(flowIssue(path, code, message));

  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    for (const problem of envelope.error.issues) {
      add(problem.path as (string | number)[], 'invalid-document', problem.message);
    }
    return { ok: false, issues };
  }
  const document = envelope.data;

  // Blocks one by one, so one broken block does not hide the others' problems.
  const parsedBlocks: FlowDocument['blocks'] = {};
  for (const [id, raw] of Object.entries(document.blocks)) {
    const parsed = flowBlockSchema.safeParse(raw);
    if (!parsed.success) {
      for (const problem of parsed.error.issues) {
        add(
          ['blocks', id, ...(problem.path as (string | number)[])],
          'invalid-document',
          problem.message,
        );
      }
      continue;
    }
    parsedBlocks[id] = parsed.data;
  }
  const flow: FlowDocument = { ...document, blocks: parsedBlocks };
  const blockIds = new Set(Object.keys(document.blocks));
  const declared = flow.variables;

  if (!blockIds.has(flow.start)) {
    add(['start'], 'unknown-block', `the start block "${flow.start}" does not exist`);
  }

  for (const [name, declaration] of Object.entries(declared)) {
    if ((builtinRoots as readonly string[]).includes(name)) {
      add(['variables', name], 'invalid-document', `"${name}" is a built-in name; choose another`);
    }
    if (declaration.default !== undefined && !valueFits(declaration.default, declaration.type)) {
      add(
        ['variables', name, 'default'],
        'wrong-variable-type',
        `the default does not fit the type "${declaration.type}"`,
      );
    }
  }

  const checkTemplate = (path: (string | number)[], field: TemplateField) => {
    const parsed = parseTemplate(field.template);
    for (const error of parsed.errors) {
      add(
        [...path, ...field.path],
        'invalid-template',
        `${error.message} (at character ${error.offset + 1})`,
      );
    }
    for (const part of parsed.parts) {
      if (typeof part === 'string') continue;
      const root = part.path[0] ?? '';
      if (!Object.hasOwn(declared, root) && !(builtinRoots as readonly string[]).includes(root)) {
        add(
          [...path, ...field.path],
          'undefined-variable',
          `"{{${part.path.join('.')}}}" reads "${root}", which is not declared in "variables"`,
        );
      }
    }
  };

  const reachableEdges = new Map<string, string[]>();
  for (const [id, block] of Object.entries(parsedBlocks)) {
    const path = ['blocks', id];
    const module = blocks.get(block.type);
    const targets: string[] = [];
    reachableEdges.set(id, targets);
    const edge = (edgePath: (string | number)[], to: string) => {
      if (!blockIds.has(to)) add(edgePath, 'unknown-block', `the block "${to}" does not exist`);
      else targets.push(to);
    };
    if (block.next) edge([...path, 'next'], block.next);
    for (const [port, to] of Object.entries(block.on ?? {})) edge([...path, 'on', port], to);

    if (!module) {
      add([...path, 'type'], 'unknown-block-type', `unknown block type "${block.type}"`);
      continue;
    }
    const parsed = module.definition.optionsSchema.safeParse(block.options);
    if (!parsed.success) {
      for (const problem of parsed.error.issues) {
        add(
          [...path, 'options', ...(problem.path as (string | number)[])],
          'invalid-options',
          problem.message,
        );
      }
      continue;
    }
    const options = parsed.data;
    const definition = module.definition;
    const ports = new Set(definition.ports(options));
    for (const port of Object.keys(block.on ?? {})) {
      if (!ports.has(port)) {
        const offered = [...ports];
        add(
          [...path, 'on', port],
          'unknown-port',
          offered.length === 0
            ? `a ${block.type} block has no port "${port}"; use "next"`
            : `a ${block.type} block has no port "${port}" (it has ${offered.map((p) => `"${p}"`).join(', ')})`,
        );
      }
    }
    for (const port of definition.requiredPorts?.(options) ?? []) {
      if (block.on?.[port] === undefined) {
        add([...path, 'on'], 'missing-port', `the port "${port}" needs an edge`);
      }
    }
    for (const field of definition.templates?.(options) ?? []) {
      checkTemplate([...path, 'options'], field);
    }
    for (const use of [
      ...(definition.reads?.(options) ?? []),
      ...(definition.writes?.(options) ?? []),
    ]) {
      const root = use.name.split('.')[0] ?? '';
      const declaration = declared[root];
      if (!declaration) {
        add(
          [...path, 'options', ...use.path],
          'undefined-variable',
          `the variable "${root}" is not declared in "variables"`,
        );
      } else if (use.types && root === use.name && !use.types.includes(declaration.type)) {
        add(
          [...path, 'options', ...use.path],
          'wrong-variable-type',
          `"${root}" is declared as ${declaration.type}; this block needs ${use.types.join(' or ')}`,
        );
      }
    }
    for (const target of definition.targets?.(options) ?? []) {
      edge([...path, 'options', ...target.path], target.blockId);
    }
    for (const named of definition.actions?.(options) ?? []) {
      if (settings.actions && !settings.actions.has(named.action)) {
        const known = [...settings.actions.keys()];
        add(
          [...path, 'options', ...named.path],
          'unknown-action',
          known.length === 0
            ? `no module offers the action "${named.action}"`
            : `no module offers the action "${named.action}" (available: ${known.join(', ')})`,
        );
      }
    }
    for (const problem of definition.check?.(options, settings) ?? []) {
      add([...path, 'options', ...problem.path], problem.code, problem.message);
    }
  }

  if (flow.settings.inactivity) {
    checkTemplate(['settings', 'inactivity'], {
      path: ['reminder'],
      template: flow.settings.inactivity.reminder,
    });
    if (flow.settings.inactivity.closeMessage) {
      checkTemplate(['settings', 'inactivity'], {
        path: ['closeMessage'],
        template: flow.settings.inactivity.closeMessage,
      });
    }
  }

  // Reachability from the start block.
  if (blockIds.has(flow.start)) {
    const seen = new Set<string>([flow.start]);
    const queue = [flow.start];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const to of reachableEdges.get(id) ?? []) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    for (const id of blockIds) {
      if (!seen.has(id))
        add(['blocks', id], 'unreachable-block', `no path from "${flow.start}" reaches "${id}"`);
    }
  }

  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, flow: flowDocumentSchema.parse(input) };
}

function valueFits(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
    case 'date':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'amount':
      return (
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { cents?: unknown }).cents === 'number'
      );
    case 'file':
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
