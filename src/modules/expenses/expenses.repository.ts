import { and, asc, eq, gte, ilike, inArray, isNotNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import type { DueRowsTable } from '../../platform/queue/due-rows-sql.js';
import { receipts, travellers, tripReports, trips } from './expenses.tables.js';

export type TravellerRow = typeof travellers.$inferSelect;
export type TripRow = typeof trips.$inferSelect;
export type ReceiptRow = typeof receipts.$inferSelect;
export type TripReportRow = typeof tripReports.$inferSelect;
export type ReceiptValues = typeof receipts.$inferInsert;
export type ReceiptChanges = Partial<
  Omit<ReceiptValues, 'id' | 'tenantId' | 'tripId' | 'createdAt' | 'updatedAt'>
>;

/**
 * NFC-e receipts as due work for the consultation job: the job's own state lives in
 * `consultation_status` (pending → running → done | failed), apart from what the traveller
 * sees (`fetch_status`).
 */
export const consultationTable: DueRowsTable = {
  table: 'receipts',
  statusColumn: 'consultation_status',
  doneStatus: 'done',
};

/** The unique index a PostgreSQL error broke, whichever driver raised it (undefined if none). */
export function findViolatedUniqueIndex(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (code === '23505') return typeof constraint === 'string' ? constraint : '';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `%`, `_` and `\` match literally in a search. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

// Travellers

export async function insertTraveller(
  db: DbExecutor,
  values: typeof travellers.$inferInsert,
): Promise<TravellerRow> {
  const [row] = await db.insert(travellers).values(values).returning();
  if (!row) throw new Error('The traveller was not stored.');
  return row;
}

export async function findTraveller(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<TravellerRow | undefined> {
  const [row] = await db
    .select()
    .from(travellers)
    .where(and(eq(travellers.tenantId, tenantId), eq(travellers.id, id)))
    .limit(1);
  return row;
}

export async function findTravellerByContact(
  db: DbExecutor,
  tenantId: string,
  contactId: string,
): Promise<TravellerRow | undefined> {
  const [row] = await db
    .select()
    .from(travellers)
    .where(and(eq(travellers.tenantId, tenantId), eq(travellers.contactId, contactId)))
    .limit(1);
  return row;
}

export async function findTravellerByEmail(
  db: DbExecutor,
  tenantId: string,
  email: string,
): Promise<TravellerRow | undefined> {
  const [row] = await db
    .select()
    .from(travellers)
    .where(
      and(
        eq(travellers.tenantId, tenantId),
        sql`lower(${travellers.email}) = ${email.toLowerCase()}`,
      ),
    )
    .limit(1);
  return row;
}

export async function listTravellers(
  db: DbExecutor,
  tenantId: string,
  filter: { search?: string | undefined; cursor: PageCursor | undefined; limit: number },
): Promise<TravellerRow[]> {
  const pattern = filter.search ? containsPattern(filter.search) : undefined;
  return db
    .select()
    .from(travellers)
    .where(
      and(
        eq(travellers.tenantId, tenantId),
        pattern
          ? or(
              ilike(travellers.name, pattern),
              ilike(travellers.company, pattern),
              ilike(travellers.email, pattern),
            )
          : undefined,
        keysetAfter(travellers.createdAt, travellers.id, filter.cursor),
      ),
    )
    .orderBy(...keysetOrder(travellers.createdAt, travellers.id))
    .limit(filter.limit + 1);
}

// Trips

export async function insertTrip(
  db: DbExecutor,
  values: typeof trips.$inferInsert,
): Promise<TripRow> {
  const [row] = await db.insert(trips).values(values).returning();
  if (!row) throw new Error('The trip was not stored.');
  return row;
}

export async function findTrip(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<TripRow | undefined> {
  const [row] = await db
    .select()
    .from(trips)
    .where(and(eq(trips.tenantId, tenantId), eq(trips.id, id)))
    .limit(1);
  return row;
}

export async function findActiveTrip(
  db: DbExecutor,
  tenantId: string,
  travellerId: string,
): Promise<TripRow | undefined> {
  const [row] = await db
    .select()
    .from(trips)
    .where(
      and(
        eq(trips.tenantId, tenantId),
        eq(trips.travellerId, travellerId),
        eq(trips.status, 'active'),
      ),
    )
    .limit(1);
  return row;
}

/** Active → closed; undefined when the trip is not active (closed meanwhile, or missing). */
export async function closeTrip(
  db: DbExecutor,
  tenantId: string,
  id: string,
  closedAt: Date,
): Promise<TripRow | undefined> {
  const [row] = await db
    .update(trips)
    .set({ status: 'closed', closedAt, updatedAt: closedAt })
    .where(and(eq(trips.tenantId, tenantId), eq(trips.id, id), eq(trips.status, 'active')))
    .returning();
  return row;
}

export type TripFilter = {
  travellerId?: string | undefined;
  status?: 'active' | 'closed' | undefined;
  costCentre?: string | undefined;
  /** Started at or after. */
  startedFrom?: Date | undefined;
  /** Started before. */
  startedBefore?: Date | undefined;
};

function tripConditions(tenantId: string, filter: TripFilter) {
  return [
    eq(trips.tenantId, tenantId),
    filter.travellerId ? eq(trips.travellerId, filter.travellerId) : undefined,
    filter.status ? eq(trips.status, filter.status) : undefined,
    filter.costCentre ? eq(trips.costCentre, filter.costCentre) : undefined,
    filter.startedFrom ? gte(trips.startedAt, filter.startedFrom) : undefined,
    filter.startedBefore ? lt(trips.startedAt, filter.startedBefore) : undefined,
  ];
}

export type TripWithTraveller = TripRow & {
  traveller: { id: string; name: string; company: string };
};

export async function listTrips(
  db: DbExecutor,
  tenantId: string,
  filter: TripFilter & { cursor: PageCursor | undefined; limit: number },
): Promise<TripWithTraveller[]> {
  const rows = await db
    .select({
      trip: trips,
      traveller: { id: travellers.id, name: travellers.name, company: travellers.company },
    })
    .from(trips)
    .innerJoin(travellers, eq(travellers.id, trips.travellerId))
    .where(
      and(
        ...tripConditions(tenantId, filter),
        keysetAfter(trips.createdAt, trips.id, filter.cursor),
      ),
    )
    .orderBy(...keysetOrder(trips.createdAt, trips.id))
    .limit(filter.limit + 1);
  return rows.map((row) => ({ ...row.trip, traveller: row.traveller }));
}

export type TripTotalRow = {
  tripId: string;
  currency: 'BRL' | 'EUR';
  /** Sum of confirmed amounts. */
  totalCents: number;
  /** Receipts with a confirmed amount. */
  confirmedCount: number;
  /** Receipts still without one (pending, needs-amount). */
  unconfirmedCount: number;
};

/** Per trip and currency: the confirmed total and how many receipts are (un)confirmed. */
export async function sumTripReceipts(db: DbExecutor, tripIds: string[]): Promise<TripTotalRow[]> {
  if (tripIds.length === 0) return [];
  const rows = await db
    .select({
      tripId: receipts.tripId,
      currency: receipts.currency,
      totalCents: sql<string>`coalesce(sum(${receipts.totalCents}), 0)`,
      confirmedCount: sql<string>`count(${receipts.totalCents})`,
      unconfirmedCount: sql<string>`count(*) - count(${receipts.totalCents})`,
    })
    .from(receipts)
    .where(inArray(receipts.tripId, tripIds))
    .groupBy(receipts.tripId, receipts.currency)
    .orderBy(asc(receipts.currency));
  return rows.map((row) => ({
    tripId: row.tripId,
    currency: row.currency,
    totalCents: Number(row.totalCents),
    confirmedCount: Number(row.confirmedCount),
    unconfirmedCount: Number(row.unconfirmedCount),
  }));
}

export type CostCentreTotalRow = {
  costCentre: string;
  currency: 'BRL' | 'EUR';
  totalCents: number;
  receiptCount: number;
  tripCount: number;
};

/** Confirmed amounts by cost centre and currency, over the trips the filter selects. */
export async function sumByCostCentre(
  db: DbExecutor,
  tenantId: string,
  filter: TripFilter,
): Promise<CostCentreTotalRow[]> {
  const rows = await db
    .select({
      costCentre: trips.costCentre,
      currency: receipts.currency,
      totalCents: sql<string>`sum(${receipts.totalCents})`,
      receiptCount: sql<string>`count(*)`,
      tripCount: sql<string>`count(distinct ${trips.id})`,
    })
    .from(receipts)
    .innerJoin(trips, eq(trips.id, receipts.tripId))
    .where(and(...tripConditions(tenantId, filter), isNotNull(receipts.totalCents)))
    .groupBy(trips.costCentre, receipts.currency)
    .orderBy(asc(trips.costCentre), asc(receipts.currency));
  return rows.map((row) => ({
    costCentre: row.costCentre,
    currency: row.currency,
    totalCents: Number(row.totalCents),
    receiptCount: Number(row.receiptCount),
    tripCount: Number(row.tripCount),
  }));
}

// Receipts

/** `dueAt` may be `sql\`now()\``: the database's clock decides when a due row is due. */
export async function insertReceipt(
  db: DbExecutor,
  values: Omit<ReceiptValues, 'dueAt'> & { dueAt?: Date | SQL | null },
): Promise<ReceiptRow> {
  const [row] = await db.insert(receipts).values(values).returning();
  if (!row) throw new Error('The receipt was not stored.');
  return row;
}

/** The receipt already registered with this NFC-e key or this issuer's ATCUD, in the tenant. */
export async function findReceiptByFiscalKey(
  db: DbExecutor,
  tenantId: string,
  key: { accessKey: string | null; atcud: string | null; issuerTaxId: string | null },
): Promise<ReceiptRow | undefined> {
  let condition: ReturnType<typeof and>;
  if (key.accessKey) condition = eq(receipts.accessKey, key.accessKey);
  else if (key.atcud && key.issuerTaxId) {
    condition = and(eq(receipts.atcud, key.atcud), eq(receipts.issuerTaxId, key.issuerTaxId));
  } else return undefined;
  const [row] = await db
    .select()
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), condition))
    .limit(1);
  return row;
}

export async function findReceipt(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<ReceiptRow | undefined> {
  const [row] = await db
    .select()
    .from(receipts)
    .where(and(eq(receipts.tenantId, tenantId), eq(receipts.id, id)))
    .limit(1);
  return row;
}

/** By id alone: for the consultation job, which carries no principal. */
export async function findReceiptById(db: DbExecutor, id: string): Promise<ReceiptRow | undefined> {
  const [row] = await db.select().from(receipts).where(eq(receipts.id, id)).limit(1);
  return row;
}

/** A trip's receipts in the order they were registered. */
export async function listTripReceipts(db: DbExecutor, tripId: string): Promise<ReceiptRow[]> {
  return db
    .select()
    .from(receipts)
    .where(eq(receipts.tripId, tripId))
    .orderBy(asc(receipts.createdAt), asc(receipts.id));
}

export async function countConsultationAttempt(db: DbExecutor, id: string): Promise<number> {
  const [row] = await db
    .update(receipts)
    .set({ fetchAttempts: sql`${receipts.fetchAttempts} + 1` })
    .where(eq(receipts.id, id))
    .returning({ fetchAttempts: receipts.fetchAttempts });
  return row?.fetchAttempts ?? 0;
}

export async function updateReceipt(
  db: DbExecutor,
  id: string,
  changes: ReceiptChanges,
): Promise<ReceiptRow | undefined> {
  const [row] = await db
    .update(receipts)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(receipts.id, id))
    .returning();
  return row;
}

// Reports

export async function insertTripReport(
  db: DbExecutor,
  values: typeof tripReports.$inferInsert,
): Promise<TripReportRow> {
  const [row] = await db.insert(tripReports).values(values).returning();
  if (!row) throw new Error('The report was not stored.');
  return row;
}

export async function findTripReport(
  db: DbExecutor,
  tenantId: string,
  id: string,
): Promise<TripReportRow | undefined> {
  const [row] = await db
    .select()
    .from(tripReports)
    .where(and(eq(tripReports.tenantId, tenantId), eq(tripReports.id, id)))
    .limit(1);
  return row;
}

export async function listTripReports(db: DbExecutor, tripId: string): Promise<TripReportRow[]> {
  return db
    .select()
    .from(tripReports)
    .where(eq(tripReports.tripId, tripId))
    .orderBy(asc(tripReports.createdAt), asc(tripReports.kind));
}
