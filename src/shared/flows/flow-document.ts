import { z } from 'zod';

/**
 * The flow document: what a person writes by hand, the API stores and versions, the engine
 * runs and the dashboard draws. This schema checks only the envelope (ids, edges, variable
 * declarations); each block's `options` are checked by its definition in `src/engine/blocks/`
 * when the whole flow is validated (`validateFlow`), which also finds dangling edges,
 * unreachable blocks and undefined variables.
 *
 * Edges live on the block that leaves: `next` is the default way on, `on` maps a named port
 * (a button's id, `invalid`, `error`, `timeout`, a condition's case, ...) to a block id. Every
 * edge of a flow is therefore `next` or an `on` entry, whatever the block type.
 */

export const flowSchemaVersion = 1;

/** Ids of blocks, variables and ports: readable in a diff, safe in a template and a URL. */
export const flowIdPattern = /^[a-z][a-z0-9_-]{0,63}$/i;
const flowId = z
  .string()
  .regex(flowIdPattern, 'use letters, digits, "-" and "_" (up to 64), starting with a letter');

export const variableTypes = [
  'string',
  'number',
  'boolean',
  'date',
  'amount',
  'file',
  'object',
  'list',
] as const;
export type VariableType = (typeof variableTypes)[number];

export const variableDeclarationSchema = z.strictObject({
  type: z.enum(variableTypes),
  /** Shown in the dashboard and in session views. */
  description: z.string().max(500).optional(),
  default: z.unknown().optional(),
});

export const flowLocales = ['pt-BR', 'pt-PT', 'en'] as const;
export type FlowLocale = (typeof flowLocales)[number];

export const inactivitySchema = z.strictObject({
  /** Minutes without an answer before the reminder. */
  reminderAfterMinutes: z.number().int().min(1).max(10_080),
  reminder: z.string().min(1).max(4096),
  /** Minutes after the reminder before the session closes. */
  closeAfterMinutes: z.number().int().min(1).max(10_080),
  closeMessage: z.string().max(4096).optional(),
});

export const flowBlockSchema = z.strictObject({
  /** `<category>.<name>`, e.g. `message.text`, `input.email`. */
  type: z.string().regex(/^[a-z]+\.[a-z][a-z-]*$/, 'is "<category>.<name>", e.g. "message.text"'),
  /** A name for people (the graph's node title); the id is used when absent. */
  label: z.string().max(120).optional(),
  options: z.record(z.string(), z.unknown()).default({}),
  /** The default way on. A block without `next` (and no port taken) ends the flow. */
  next: flowId.optional(),
  /** Named ports to blocks: a choice's id, `invalid`, `error`, `timeout`, a case, ... */
  on: z.record(z.string().min(1).max(200), flowId).optional(),
  /** Where the dashboard draws it; laid out automatically when absent. */
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
});

export const flowDocumentSchema = z.strictObject({
  schemaVersion: z.literal(flowSchemaVersion),
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
  locale: z.enum(flowLocales).default('pt-BR'),
  /** For "hoje", dates in messages and wake-ups; defaults to the locale's capital. */
  timeZone: z.string().min(1).max(64).optional(),
  variables: z.record(flowId, variableDeclarationSchema).default({}),
  start: flowId,
  settings: z
    .strictObject({
      inactivity: inactivitySchema.optional(),
      /** Blocks one turn may run before the engine stops a loop. */
      maxStepsPerTurn: z.number().int().min(1).max(1000).optional(),
    })
    .default({}),
  blocks: z.record(flowId, flowBlockSchema),
});

export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
export type FlowBlock = z.infer<typeof flowBlockSchema>;
export type VariableDeclaration = z.infer<typeof variableDeclarationSchema>;

/** One edge of the graph: from a block, through a port (`next` or an `on` key), to a block. */
export type FlowEdge = { from: string; port: string; to: string };

export const defaultPort = 'next';

/** Every edge of a flow, in block order, `next` first. */
export function edgesOf(flow: Pick<FlowDocument, 'blocks'>): FlowEdge[] {
  const edges: FlowEdge[] = [];
  for (const [from, block] of Object.entries(flow.blocks)) {
    if (block.next) edges.push({ from, port: defaultPort, to: block.next });
    for (const [port, to] of Object.entries(block.on ?? {})) edges.push({ from, port, to });
  }
  return edges;
}

/** A problem found in a flow, with the JSON path of what is wrong (as an array and as text). */
export type FlowIssue = {
  path: (string | number)[];
  /** `$.blocks.ask-email.options.text`, for people. */
  pointer: string;
  code: FlowIssueCode;
  message: string;
};

export const flowIssueCodes = [
  'invalid-document',
  'invalid-options',
  'unknown-block-type',
  'unknown-block',
  'unknown-port',
  'missing-port',
  'unreachable-block',
  'undefined-variable',
  'wrong-variable-type',
  'unknown-action',
  'unknown-validator',
  'invalid-template',
] as const;
export type FlowIssueCode = (typeof flowIssueCodes)[number];

export function pointerOf(path: readonly (string | number)[]): string {
  return `$${path
    .map((part) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[a-z_][a-z0-9_]*$/i.test(part)
          ? `.${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('')}`;
}

export function flowIssue(
  path: (string | number)[],
  code: FlowIssueCode,
  message: string,
): FlowIssue {
  return { path, pointer: pointerOf(path), code, message };
}
