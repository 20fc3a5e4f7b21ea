import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestampColumns } from '../../platform/db/columns.js';
import type { ChannelPacing } from '../../shared/contracts/channels.contract.js';
import type { MessageContent, MessageStatus } from '../../shared/messaging/message-content.js';
import { tenantIdColumn } from '../accounts/accounts.tables.js';

/**
 * The messaging domain (ARCHITECTURE.md §3): channels, contacts and their WhatsApp identities,
 * conversations, messages with their status history, and raw webhook deliveries. Durable state
 * lives here; jobs carry ids only.
 */

const timestamps = timestampColumns();

const tenantId = tenantIdColumn;

export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    provider: text('provider').notNull(),
    name: text('name').notNull(),
    displayNumber: text('display_number'),
    /** Non-secret settings, validated by the provider's config schema. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** Secret settings, each value sealed with the secret box (AES-256-GCM). */
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
    /** Random token in the webhook URL for providers that do not sign (WPPConnect). */
    webhookToken: text('webhook_token').notNull(),
    status: text('status', { enum: ['active', 'connecting', 'disconnected', 'disabled'] })
      .notNull()
      .default('active'),
    /** Messages per second; null = the provider's default. */
    ratePerSecond: integer('rate_per_second'),
    /** Pacing of bulk sends (unofficial providers); null = the provider's default. */
    pacing: jsonb('pacing').$type<ChannelPacing>(),
    isDefault: boolean('is_default').notNull().default(false),
    /**
     * QR-paired providers: an admin started the session and has not stopped it, so the session
     * monitor restarts it when it fails (with backoff, counted in `sessionRestarts`).
     */
    sessionWanted: boolean('session_wanted').notNull().default(false),
    sessionRestarts: integer('session_restarts').notNull().default(0),
    sessionCheckedAt: timestamp('session_checked_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [index('channels_tenant_idx').on(table.tenantId)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** E.164; null while only a user id (LID/BSUID) is known. */
    phone: text('phone'),
    name: text('name'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    optOutReason: text('opt_out_reason'),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    consentSource: text('consent_source'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('contacts_tenant_phone_unique')
      .on(table.tenantId, table.phone)
      .where(sql`${table.phone} is not null`),
  ],
);

/** Every id WhatsApp uses for one person: wa_id, LID, business-scoped user id. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['wa_id', 'lid', 'user_id'] }).notNull(),
    value: text('value').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('contact_identities_unique').on(table.tenantId, table.kind, table.value),
    index('contact_identities_contact_idx').on(table.contactId),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['open', 'pending', 'resolved'] })
      .notNull()
      .default('open'),
    /** Start of the 24-hour customer-service window. */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('conversations_channel_contact_unique').on(table.channelId, table.contactId),
    index('conversations_tenant_recent_idx').on(table.tenantId, table.lastMessageAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    content: jsonb('content').$type<MessageContent>().notNull(),
    status: text('status').$type<MessageStatus>().notNull(),
    providerMessageId: text('provider_message_id'),
    idempotencyKey: text('idempotency_key'),
    /** A bulk send (campaign, broadcast), paced on unofficial providers; replies are not. */
    bulk: boolean('bulk').notNull().default(false),
    replyToMessageId: uuid('reply_to_message_id'),
    errorCode: text('error_code'),
    errorReason: text('error_reason'),
    attempts: integer('attempts').notNull().default(0),
    /** Outbound: when the send is due (sweeper) and the lease of the worker sending it. */
    dueAt: timestamp('due_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    /** When the provider says the message happened (inbound) — may precede created_at. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('messages_channel_provider_id_unique')
      .on(table.channelId, table.providerMessageId)
      .where(sql`${table.providerMessageId} is not null`),
    uniqueIndex('messages_tenant_idempotency_unique')
      .on(table.tenantId, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    index('messages_conversation_idx').on(table.conversationId, table.occurredAt),
    index('messages_outbound_due_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('queued', 'sending')`),
  ],
);

/**
 * Every status report as received. A report for a message we do not know yet (it can arrive
 * before the send's response is stored) waits here unapplied and is applied when it appears.
 */
export const messageStatusEvents = pgTable(
  'message_status_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    providerMessageId: text('provider_message_id').notNull(),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    status: text('status').$type<MessageStatus>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    errorCode: text('error_code'),
    errorReason: text('error_reason'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('message_status_events_unique').on(
      table.channelId,
      table.providerMessageId,
      table.status,
    ),
    index('message_status_events_pending_idx')
      .on(table.channelId, table.providerMessageId)
      .where(sql`${table.appliedAt} is null`),
  ],
);

/**
 * Raw webhook requests, stored before the 200 so nothing is lost. The key is the provider's
 * event id or a hash of the body: a redelivery of the same request is acknowledged and dropped.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    deliveryKey: text('delivery_key').notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'running', 'processed', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('webhook_deliveries_key_unique').on(table.channelId, table.deliveryKey),
    index('webhook_deliveries_due_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('pending', 'running')`),
  ],
);

/**
 * Stored media: bytes live in the storage port (local disk or S3) under `storageKey`; the row
 * keeps what was checked about them. Inbound media starts `pending` (a download job fetches it
 * from the provider) and becomes `stored`, or `rejected` when it breaks a limit.
 */
export const mediaObjects = pgTable(
  'media_objects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'set null' }),
    /** The inbound message the media came with, when it came with one. */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['inbound', 'upload'] }).notNull(),
    kind: text('kind', { enum: ['image', 'audio', 'video', 'document', 'sticker'] }).notNull(),
    providerMediaId: text('provider_media_id'),
    /** Where the provider said the bytes are (Twilio/WAHA give URLs). */
    sourceUrl: text('source_url'),
    status: text('status', { enum: ['pending', 'running', 'stored', 'failed', 'rejected'] })
      .notNull()
      .default('pending'),
    storageKey: text('storage_key'),
    sha256: text('sha256'),
    sizeBytes: integer('size_bytes'),
    /** The sniffed type (what the bytes are), not what the sender claimed. */
    mimeType: text('mime_type'),
    declaredMimeType: text('declared_mime_type'),
    filename: text('filename'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index('media_objects_tenant_idx').on(table.tenantId, table.createdAt),
    index('media_objects_message_idx').on(table.messageId),
    index('media_objects_due_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('pending', 'running')`),
  ],
);

/**
 * The template library of a channel: templates written locally and those synced from the
 * provider (Meta's approved message templates). Sending checks a template against it.
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category', { enum: ['marketing', 'utility', 'authentication'] }).notNull(),
    /** Provider review state; local templates of channels without review are `approved`. */
    status: text('status', {
      enum: ['draft', 'pending', 'approved', 'rejected', 'paused', 'disabled'],
    }).notNull(),
    source: text('source', { enum: ['local', 'provider'] }).notNull(),
    providerTemplateId: text('provider_template_id'),
    /** Header, body, footer and buttons, in the provider-neutral shape of the contract. */
    components: jsonb('components').$type<Record<string, unknown>[]>().notNull().default([]),
    rejectedReason: text('rejected_reason'),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('message_templates_channel_name_language_unique').on(
      table.channelId,
      table.name,
      table.language,
    ),
  ],
);
