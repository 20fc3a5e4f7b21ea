import { sql } from 'drizzle-orm';
import {
  date,
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
import { tenantIdColumn } from '../accounts/accounts.tables.js';
import { channels, contacts, mediaObjects } from '../messaging/messaging.tables.js';

/**
 * The travel-expense bot (issue 6, product A): travellers (people who talk to the company's
 * number), their trips, the receipts of each trip and the reports generated when a trip ends.
 * Amounts are integer cents with their currency.
 */

const timestamps = timestampColumns();

const tenantId = tenantIdColumn;

export const travellers = pgTable(
  'travellers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** The WhatsApp contact who registered; null for travellers registered through the API. */
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    company: text('company').notNull(),
    /** The corporate e-mail as typed (domain lower-cased); unique per tenant in any case. */
    email: text('email').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('travellers_tenant_email_unique').on(table.tenantId, sql`lower(${table.email})`),
    uniqueIndex('travellers_tenant_contact_unique')
      .on(table.tenantId, table.contactId)
      .where(sql`${table.contactId} is not null`),
    index('travellers_tenant_created_idx').on(table.tenantId, table.createdAt),
  ],
);

export const trips = pgTable(
  'trips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    travellerId: uuid('traveller_id')
      .notNull()
      .references(() => travellers.id, { onDelete: 'cascade' }),
    destination: text('destination').notNull(),
    costCentre: text('cost_centre').notNull(),
    days: integer('days').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    // One active trip per traveller, whatever races the application loses.
    uniqueIndex('trips_one_active_per_traveller')
      .on(table.travellerId)
      .where(sql`${table.status} = 'active'`),
    index('trips_tenant_started_idx').on(table.tenantId, table.startedAt),
    index('trips_traveller_idx').on(table.travellerId, table.startedAt),
  ],
);

/** A receipt line as the consultation page prints it (cents). */
export type StoredReceiptItem = {
  description: string;
  code?: string;
  quantity: number;
  unit: string;
  unitPriceCents: number;
  totalCents: number;
};

export const receipts = pgTable(
  'receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trips.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['nfce', 'pt-invoice', 'manual'] }).notNull(),
    /** NFC-e: the 44-character access key. */
    accessKey: text('access_key'),
    /** Portuguese invoice: the ATCUD (series validation code and number). */
    atcud: text('atcud'),
    /** The invoice's own number (NFC-e number, AT document id). */
    documentNumber: text('document_number'),
    issuerName: text('issuer_name'),
    /** CNPJ (14 characters; 11 when a person issues) or NIF (9 digits). */
    issuerTaxId: text('issuer_tax_id'),
    /** Null when only the month is known (an online NFC-e before its page is read). */
    issueDate: date('issue_date', { mode: 'string' }),
    /** The confirmed amount; null while pending or when the amount must be asked. */
    totalCents: integer('total_cents'),
    currency: text('currency', { enum: ['BRL', 'EUR'] }).notNull(),
    /** What the QR code itself says the total is (NFC-e offline forms, v1): shown, not counted. */
    declaredTotalCents: integer('declared_total_cents'),
    items: jsonb('items').$type<StoredReceiptItem[]>().notNull().default([]),
    /** Facts of the source that have no column (state, series, QR form, tax breakdown...). */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    qrText: text('qr_text'),
    photoMediaId: uuid('photo_media_id').references(() => mediaObjects.id, {
      onDelete: 'set null',
    }),
    /** Where the receipt came from on WhatsApp, to tell the traveller when it is confirmed. */
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** What the traveller sees: parsed, pending (page not read yet), needs-amount, manual. */
    fetchStatus: text('fetch_status', {
      enum: ['parsed', 'pending', 'needs-amount', 'manual'],
    }).notNull(),
    /**
     * The consultation job's own state (due rows, see platform/queue/README.md): null when the
     * receipt needs no consultation; pending → running → done | failed.
     */
    consultationStatus: text('consultation_status', {
      enum: ['pending', 'running', 'done', 'failed'],
    }),
    fetchAttempts: integer('fetch_attempts').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    description: text('description'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('receipts_tenant_access_key_unique')
      .on(table.tenantId, table.accessKey)
      .where(sql`${table.accessKey} is not null`),
    uniqueIndex('receipts_tenant_atcud_unique')
      .on(table.tenantId, table.issuerTaxId, table.atcud)
      .where(sql`${table.atcud} is not null`),
    index('receipts_trip_idx').on(table.tripId, table.createdAt),
    index('receipts_consultation_due_idx')
      .on(table.dueAt)
      .where(sql`${table.consultationStatus} in ('pending', 'running')`),
  ],
);

/** The documents generated when a trip ends (PDF and XLSX), stored as media objects. */
export const tripReports = pgTable(
  'trip_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trips.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['pdf', 'xlsx'] }).notNull(),
    /** The stored file (media object, so it can be sent as a WhatsApp document as is). */
    mediaId: uuid('media_id').references(() => mediaObjects.id, { onDelete: 'set null' }),
    /** Where the bytes are when they were not stored as a media object. */
    storageKey: text('storage_key'),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    ...timestamps,
  },
  (table) => [index('trip_reports_trip_idx').on(table.tripId, table.createdAt)],
);
