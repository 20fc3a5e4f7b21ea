import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { LogEntry, SessionState } from '../../engine/index.js';
import { timestampColumns } from '../../platform/db/columns.js';
import type { FlowCommands } from '../../shared/contracts/flows.contract.js';
import type { FlowDocument } from '../../shared/flows/flow-document.js';
import { tenantIdColumn } from '../accounts/accounts.tables.js';
import { channels, conversations } from '../messaging/messaging.tables.js';

/**
 * The flows module (ARCHITECTURE.md §5): flows with their editable draft, immutable published
 * versions, triggers per channel, sessions (one live per conversation), and the durable lanes
 * that run turns strictly in order: `flow_inputs` (what came, in order), `flow_lanes` (one per
 * conversation: who is running its turns) and `flow_outbox` (what a turn decided to do, applied
 * once after the turn committed).
 */

const timestamps = timestampColumns();

const tenantId = tenantIdColumn;

export const flows = pgTable(
  'flows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    /** The document being edited; may have validation issues until published. */
    draft: jsonb('draft').$type<unknown>().notNull(),
    /** Highest published version; 0 = never published. */
    latestVersion: integer('latest_version').notNull().default(0),
    ...timestamps,
  },
  (table) => [uniqueIndex('flows_tenant_name_key').on(table.tenantId, sql`lower(${table.name})`)],
);

export const flowVersions = pgTable(
  'flow_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** Validated, with defaults applied. Never updated. */
    document: jsonb('document').$type<FlowDocument>().notNull(),
    publishedBy: uuid('published_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('flow_versions_flow_version_key').on(table.flowId, table.version)],
);

export const flowTriggers = pgTable(
  'flow_triggers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['default', 'keyword'] }).notNull(),
    /** Normalized (lower case, no accents) keywords for `keyword` triggers. */
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('flow_triggers_default_key')
      .on(table.channelId)
      .where(sql`${table.kind} = 'default'`),
    index('flow_triggers_channel_idx').on(table.channelId),
  ],
);

/** Global commands of a channel ("menu", "cancelar", "atendente", "sair"); defaults when absent. */
export const flowChannelSettings = pgTable('flow_channel_settings', {
  channelId: uuid('channel_id')
    .primaryKey()
    .references(() => channels.id, { onDelete: 'cascade' }),
  tenantId: tenantId(),
  commands: jsonb('commands').$type<FlowCommands>().notNull(),
  ...timestamps,
});

export const flowSessions = pgTable(
  'flow_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    flowVersionId: uuid('flow_version_id')
      .notNull()
      .references(() => flowVersions.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['active', 'handoff', 'ended'] }).notNull(),
    state: jsonb('state').$type<SessionState>().notNull(),
    /** The latest log entries of the engine (capped), for the sessions view. */
    history: jsonb('history').$type<(LogEntry & { at: string })[]>().notNull().default([]),
    endReason: text('end_reason'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('flow_sessions_live_key')
      .on(table.conversationId)
      .where(sql`${table.status} <> 'ended'`),
    index('flow_sessions_tenant_idx').on(table.tenantId, table.updatedAt),
  ],
);

/** What reached a conversation's bot, in arrival order; each is one turn. */
export const flowInputs = pgTable(
  'flow_inputs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['message', 'effect-result', 'wake', 'resume'] }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** The message id, effect id or wake id: the same input is taken once. */
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status', { enum: ['pending', 'done'] })
      .notNull()
      .default('pending'),
    /** What the turn did with it (`turn`, `deferred-then-done`, `no-flow`, `command:menu`, ...). */
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('flow_inputs_dedupe_key').on(table.conversationId, table.dedupeKey),
    index('flow_inputs_pending_idx')
      .on(table.conversationId, table.id)
      .where(sql`${table.status} = 'pending'`),
  ],
);

/**
 * One per conversation with a bot: a due row whose claim is the right to run that
 * conversation's turns. `generation` grows with every input, so a worker that found nothing
 * left cannot let go while a new input slipped in.
 */
export const flowLanes = pgTable('flow_lanes', {
  conversationId: uuid('conversation_id')
    .primaryKey()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  tenantId: tenantId(),
  status: text('status', { enum: ['pending', 'running', 'done'] })
    .notNull()
    .default('pending'),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  generation: integer('generation').notNull().default(0),
  ...timestamps,
});

/**
 * What turns decided to do: messages to send and effects. Written in the turn's transaction
 * under the engine's once-only id, applied afterwards (a due row: retried, recovered by the
 * sweeper, never applied twice).
 */
export const flowOutbox = pgTable(
  'flow_outbox',
  {
    /** `<sessionId>:<turn>.<n>`, or `input:<inputId>:<what>` for a global command's reply. */
    id: text('id').primaryKey(),
    /** Applying order within a conversation. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    tenantId: tenantId(),
    /** Null for a global command's reply outside any session. */
    sessionId: uuid('session_id').references(() => flowSessions.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull(),
    kind: text('kind', {
      enum: ['send', 'http', 'call', 'handoff', 'store-file', 'schedule-wake', 'end', 'opt-out'],
    }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'running', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    /** The message id of a send; the error of a failure. */
    result: jsonb('result').$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (table) => [
    index('flow_outbox_due_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('pending', 'running')`),
    index('flow_outbox_session_idx').on(table.sessionId),
    index('flow_outbox_pending_idx')
      .on(table.conversationId, table.seq)
      .where(sql`${table.status} = 'pending'`),
  ],
);
