import { z } from 'zod';
import { flowIssueCodes } from '../flows/flow-document.js';

/** HTTP contract of the flows module (flows, versions, triggers, sessions), shared with the web. */

/** Largest flow document the API takes (serialized JSON). */
export const maxFlowDocumentBytes = 1_000_000;

const keywordSchema = z.string().trim().min(1).max(60);

/** A channel's global commands: words that act wherever the person is in a flow. */
export const flowCommandsSchema = z.strictObject({
  /** Leave the current flow and start the channel's default flow again. */
  menu: z.array(keywordSchema).max(20),
  /** End the current flow. */
  cancel: z.array(keywordSchema).max(20),
  /** Hand over to a human. */
  human: z.array(keywordSchema).max(20),
  /** Stop all messages to this person (opt-out). */
  optOut: z.array(keywordSchema).max(20),
});
export type FlowCommands = z.infer<typeof flowCommandsSchema>;

export const defaultFlowCommands: FlowCommands = {
  menu: ['menu'],
  cancel: ['cancelar'],
  human: ['atendente'],
  optOut: ['sair', 'parar'],
};

export const flowIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  pointer: z.string(),
  code: z.enum(flowIssueCodes),
  message: z.string(),
});

export const flowParamsSchema = z.object({ id: z.uuid() });
export const flowVersionParamsSchema = z.object({
  id: z.uuid(),
  version: z.coerce.number().int().min(1),
});

/** A flow document as the API takes it: any JSON object (its problems are issues, not 400s). */
export const flowDocumentBodySchema = z
  .record(z.string(), z.unknown())
  .describe(
    `A flow document (JSON object, at most ${maxFlowDocumentBytes} bytes serialized). Its \`name\` names the flow.`,
  );

export const createFlowRequestSchema = z.object({
  /** The document as JSON. */
  document: flowDocumentBodySchema,
  /**
   * Keep a work-in-progress draft even with problems (they are returned in `issues`). Without
   * it a document with problems is refused: 400 listing every one with its JSON path.
   */
  allowIssues: z.boolean().optional(),
});
export const updateFlowRequestSchema = createFlowRequestSchema;
export const validateFlowRequestSchema = z.object({ document: flowDocumentBodySchema });

export const listFlowsQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const listFlowVersionsQuerySchema = z.object({
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'use the nextCursor value of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const flowSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  latestVersion: z.number().int(),
  /** Problems in the draft; empty when it can be published. */
  issues: z.array(flowIssueSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const flowSchema = flowSummarySchema.extend({ draft: z.unknown() });
export type FlowSummary = z.infer<typeof flowSummarySchema>;
export type Flow = z.infer<typeof flowSchema>;

export const flowValidationResponseSchema = z.object({
  ok: z.boolean(),
  issues: z.array(flowIssueSchema),
});

export const flowVersionSchema = z.object({
  id: z.uuid(),
  flowId: z.uuid(),
  version: z.number().int(),
  document: z.unknown(),
  publishedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type FlowVersion = z.infer<typeof flowVersionSchema>;
/** A version in a list: everything but the document. */
export const flowVersionSummarySchema = flowVersionSchema.omit({ document: true });
export type FlowVersionSummary = z.infer<typeof flowVersionSummarySchema>;

export const flowTriggerKindSchema = z.enum(['default', 'keyword']);
export const createTriggerRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default'), flowId: z.uuid() }),
  z.object({
    kind: z.literal('keyword'),
    flowId: z.uuid(),
    keywords: z.array(keywordSchema).min(1).max(50),
  }),
]);
export const channelFlowParamsSchema = z.object({ id: z.uuid() });
export const triggerParamsSchema = z.object({ id: z.uuid(), triggerId: z.uuid() });

export const flowTriggerSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  flowId: z.uuid(),
  flowName: z.string(),
  kind: flowTriggerKindSchema,
  keywords: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
export type FlowTrigger = z.infer<typeof flowTriggerSchema>;

export const channelFlowSettingsSchema = z.object({
  channelId: z.uuid(),
  commands: flowCommandsSchema,
  triggers: z.array(flowTriggerSchema),
});
export const updateChannelCommandsRequestSchema = z.object({ commands: flowCommandsSchema });

export const flowSessionStatusSchema = z.enum(['active', 'handoff', 'ended']);
export const listSessionsQuerySchema = z.object({
  conversationId: z.uuid().optional(),
  flowId: z.uuid().optional(),
  status: flowSessionStatusSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const sessionParamsSchema = z.object({ id: z.uuid() });

export const flowSessionSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  channelId: z.uuid(),
  contactId: z.uuid(),
  flowId: z.uuid(),
  flowName: z.string(),
  version: z.number().int(),
  status: flowSessionStatusSchema,
  blockId: z.string().nullable(),
  waitingFor: z.enum(['input', 'effect', 'wake']).nullable(),
  variables: z.record(z.string(), z.unknown()),
  endReason: z.string().nullable(),
  history: z.array(
    z.object({
      at: z.string(),
      blockId: z.string().nullable(),
      event: z.string(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
});
export type FlowSession = z.infer<typeof flowSessionSchema>;
