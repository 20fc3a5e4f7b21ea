import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  CostCentreSummary,
  costCentreSummaryQuerySchema,
  listTravellersQuerySchema,
  listTripsQuerySchema,
  Money,
  Receipt,
  Traveller,
  Trip,
  TripDetail,
  TripListItem,
  TripReport,
} from '../../shared/contracts/expenses.contract.js';
import { mediaKindMaxBytes } from '../../shared/media-limits.js';
import { formatAmount, validateEmail } from '../../shared/validators/index.js';
import type { ContactsService, MediaService } from '../messaging/index.js';
import type { ConsultationRunner } from './expenses.jobs.js';
import * as repository from './expenses.repository.js';
import {
  ExpenseRefusal,
  type ExpensesLocale,
  formatDay,
  fromLocalized,
  type Phrase,
  render,
  texts,
} from './expenses.texts.js';
import {
  type ManualEntry,
  maxReceiptPhotoBytes,
  type ReceiptDraft,
  readManualEntry,
  readReceiptPhoto,
  readReceiptQrText,
  refusePhotoTooLarge,
} from './receipt-intake.js';
import {
  amountOf,
  describeAddedReceipt,
  describeIssuer,
  describeReceiptLine,
  formatTotals,
} from './receipt-messages.js';

/**
 * Generates a closed trip's reports (PDF, XLSX) and keeps them (trip-reports.ts); injected by
 * the composition root. Without it a trip closes with no reports.
 */
export type TripReportsHook = {
  generate(input: {
    tenantId: string;
    tripId: string;
    locale?: 'pt-BR' | 'pt-PT' | undefined;
  }): Promise<{ reports: Array<{ id: string }> }>;
};

export type ExpensesDeps = {
  db: Database;
  logger: Logger;
  media: Pick<MediaService, 'storeBytes' | 'readBytes' | 'openForDownload'>;
  contacts: Pick<ContactsService, 'getContact'>;
  consultation: Pick<ConsultationRunner, 'consult' | 'requestConsultation'>;
  reports?: TripReportsHook | undefined;
  /**
   * The first consultation of an NFC-e runs while the traveller waits (so the answer can say
   * the amount); this bounds it. 0: leave it all to the job. Default 8 s.
   */
  inlineConsultationTimeoutMs?: number;
  now?: () => Date;
};

/** Where a receipt came from: a WhatsApp conversation (to tell the traveller later), or not. */
export type ReceiptOrigin = {
  channelId?: string | undefined;
  contactId?: string | undefined;
};

/** What a receipt is made from. */
export type ReceiptIntake =
  | { kind: 'photo'; bytes: Buffer; filename?: string | undefined; mimeType?: string | undefined }
  | { kind: 'stored-photo'; mediaId: string }
  | { kind: 'qr'; text: string }
  | { kind: 'manual'; entry: ManualEntry };

export type AddedReceipt = { receipt: Receipt; row: repository.ReceiptRow; message: Phrase };

/** The lookups flows need about the person chatting. */
export type TravellerOfContact = {
  traveller: Traveller;
  activeTrip: Trip | undefined;
};

export type ReportDownload = {
  kind: 'pdf' | 'xlsx';
  fileName: string;
  contentType: string;
  sizeBytes: number;
  open(): Promise<Readable>;
};

const refusal = {
  activeTripExists: (trip: repository.TripRow) =>
    new ExpenseRefusal(
      'CONFLICT',
      'ACTIVE_TRIP_EXISTS',
      render(texts.activeTripExists, {
        destination: trip.destination,
        costCentre: trip.costCentre,
        date: formatDay(trip.startedAt),
      }),
      { activeTripId: trip.id },
    ),
  emailTaken: (email: string) =>
    new ExpenseRefusal('EMAIL_TAKEN', 'EMAIL_TAKEN', render(texts.emailTaken, { email }), {
      path: 'email',
    }),
  alreadyRegistered: (traveller: repository.TravellerRow) =>
    new ExpenseRefusal(
      'CONFLICT',
      'ALREADY_REGISTERED',
      render(texts.alreadyRegistered, { name: traveller.name, email: traveller.email }),
      { travellerId: traveller.id },
    ),
  tripClosed: (trip: repository.TripRow, phrase: Phrase = texts.tripClosed) =>
    new ExpenseRefusal(
      'CONFLICT',
      'TRIP_CLOSED',
      render(phrase, {
        destination: trip.destination,
        date: formatDay(trip.closedAt ?? trip.updatedAt),
      }),
      { tripId: trip.id },
    ),
  duplicate: (existing: repository.ReceiptRow) =>
    new ExpenseRefusal(
      'CONFLICT',
      'DUPLICATE_RECEIPT',
      render(texts.duplicate, {
        date: formatDay(
          existing.createdAt,
          existing.source === 'pt-invoice' ? 'Europe/Lisbon' : 'America/Sao_Paulo',
        ),
      }),
      { receiptId: existing.id, tripId: existing.tripId },
    ),
};

/**
 * The travel-expense module's rules (issue 6): travellers, one active trip each, receipts from
 * a photo of the QR code, the QR's text or typed by hand (never the same receipt twice), the
 * trip's totals, closing it (reports through the injected hook).
 */
export function createExpensesService(deps: ExpensesDeps) {
  const { db } = deps;
  const logger = deps.logger.child({ module: 'expenses' });
  const now = deps.now ?? (() => new Date());
  const inlineTimeoutMs = deps.inlineConsultationTimeoutMs ?? 8_000;

  async function getTripRow(tenantId: string, tripId: string): Promise<repository.TripRow> {
    const trip = await repository.findTrip(db, tenantId, tripId);
    if (!trip) throw new AppError('NOT_FOUND', `Trip ${tripId} does not exist in this tenant.`);
    return trip;
  }

  async function getTravellerRow(tenantId: string, id: string): Promise<repository.TravellerRow> {
    const traveller = await repository.findTraveller(db, tenantId, id);
    if (!traveller) {
      throw new AppError('NOT_FOUND', `Traveller ${id} does not exist in this tenant.`, [
        { path: 'body.travellerId', message: 'does not exist in this tenant' },
      ]);
    }
    return traveller;
  }

  async function registerTraveller(
    tenantId: string,
    input: { name: string; company: string; email: string; contactId?: string | undefined },
  ): Promise<Traveller> {
    const name = input.name.trim().slice(0, 200);
    const company = input.company.trim().slice(0, 200);
    if (!name || !company) {
      throw new ExpenseRefusal(
        'VALIDATION_FAILED',
        'MISSING_FIELD',
        {
          'pt-BR': 'Preciso do seu nome completo e do nome da empresa.',
          'pt-PT': 'Preciso do seu nome completo e do nome da empresa.',
          en: 'I need your full name and your company’s name.',
        },
        { path: name ? 'company' : 'name' },
      );
    }
    const email = validateEmail(input.email, {});
    if (!email.ok) {
      throw new ExpenseRefusal('VALIDATION_FAILED', 'INVALID_EMAIL', fromLocalized(email.message), {
        path: 'email',
        emailReason: email.reason,
      });
    }
    if (input.contactId) {
      if (!(await deps.contacts.getContact(tenantId, input.contactId))) {
        throw new AppError(
          'NOT_FOUND',
          `Contact ${input.contactId} does not exist in this tenant.`,
          [{ path: 'body.contactId', message: 'does not exist in this tenant' }],
        );
      }
      const existing = await repository.findTravellerByContact(db, tenantId, input.contactId);
      if (existing) throw refusal.alreadyRegistered(existing);
    }
    if (await repository.findTravellerByEmail(db, tenantId, email.value)) {
      throw refusal.emailTaken(email.value);
    }
    try {
      const row = await repository.insertTraveller(db, {
        tenantId,
        contactId: input.contactId ?? null,
        name,
        company,
        email: email.value,
      });
      logger.info({ tenantId, travellerId: row.id }, 'traveller registered');
      return toTraveller(row);
    } catch (error) {
      const index = repository.findViolatedUniqueIndex(error);
      if (index === 'travellers_tenant_email_unique') throw refusal.emailTaken(email.value);
      if (index === 'travellers_tenant_contact_unique' && input.contactId) {
        const existing = await repository.findTravellerByContact(db, tenantId, input.contactId);
        if (existing) throw refusal.alreadyRegistered(existing);
      }
      throw error;
    }
  }

  async function startTrip(
    tenantId: string,
    travellerId: string,
    input: { destination: string; costCentre: string; days: number },
  ): Promise<Trip> {
    const destination = input.destination.trim().slice(0, 200);
    const costCentre = input.costCentre.trim().slice(0, 100);
    if (!destination || !costCentre) {
      throw new ExpenseRefusal(
        'VALIDATION_FAILED',
        'MISSING_FIELD',
        {
          'pt-BR': 'Preciso do destino e do centro de custo da viagem.',
          'pt-PT': 'Preciso do destino e do centro de custo da viagem.',
          en: 'I need the trip’s destination and cost centre.',
        },
        { path: destination ? 'costCentre' : 'destination' },
      );
    }
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > 365) {
      throw new ExpenseRefusal(
        'VALIDATION_FAILED',
        'INVALID_DAYS',
        {
          'pt-BR': 'A viagem precisa ter de 1 a 365 dias.',
          'pt-PT': 'A viagem tem de ter de 1 a 365 dias.',
          en: 'A trip lasts from 1 to 365 days.',
        },
        { path: 'days' },
      );
    }
    const active = await repository.findActiveTrip(db, tenantId, travellerId);
    if (active) throw refusal.activeTripExists(active);
    try {
      const row = await repository.insertTrip(db, {
        tenantId,
        travellerId,
        destination,
        costCentre,
        days: input.days,
        startedAt: now(),
      });
      logger.info({ tenantId, tripId: row.id }, 'trip started');
      return toTrip(row);
    } catch (error) {
      if (repository.findViolatedUniqueIndex(error) === 'trips_one_active_per_traveller') {
        const winner = await repository.findActiveTrip(db, tenantId, travellerId);
        if (winner) throw refusal.activeTripExists(winner);
      }
      throw error;
    }
  }

  /** The photo's bytes, stored as the receipt's photo once it proved to be a receipt. */
  async function storePhoto(
    tenantId: string,
    intake: Extract<ReceiptIntake, { kind: 'photo' }>,
    origin: ReceiptOrigin,
  ): Promise<string> {
    try {
      const row = await deps.media.storeBytes({
        tenantId,
        source: 'upload',
        // Photos up to WhatsApp's image limit are images; larger ones travel as documents.
        kind: intake.bytes.length <= mediaKindMaxBytes.image ? 'image' : 'document',
        bytes: intake.bytes,
        declaredMimeType: intake.mimeType,
        filename: intake.filename,
        channelId: origin.channelId,
      });
      return row.id;
    } catch (error) {
      if (isAppError(error) && error.code === 'MEDIA_TOO_LARGE') {
        const limit = (error.details as { limitBytes?: number } | undefined)?.limitBytes;
        throw refusePhotoTooLarge(intake.bytes.length, limit ?? maxReceiptPhotoBytes);
      }
      throw error;
    }
  }

  /** Reads what was sent into a draft (and the photo's media id, when there is one). */
  async function readIntake(
    tenantId: string,
    intake: ReceiptIntake,
    locale: ExpensesLocale,
  ): Promise<{ draft: ReceiptDraft; photoMediaId?: string }> {
    switch (intake.kind) {
      case 'qr':
        return { draft: readReceiptQrText(intake.text) };
      case 'manual':
        return { draft: readManualEntry(intake.entry, { now: now(), locale }) };
      case 'photo':
        return { draft: await readReceiptPhoto(intake.bytes) };
      case 'stored-photo': {
        let bytes: Buffer;
        try {
          ({ bytes } = await deps.media.readBytes(tenantId, intake.mediaId, {
            maxBytes: maxReceiptPhotoBytes,
          }));
        } catch (error) {
          if (!isAppError(error)) throw error;
          if (error.code === 'MEDIA_TOO_LARGE') {
            const facts = error.details as { sizeBytes: number; limitBytes: number };
            throw refusePhotoTooLarge(facts.sizeBytes, facts.limitBytes);
          }
          if (error.code === 'NOT_FOUND' || error.code === 'MEDIA_NOT_AVAILABLE') {
            throw new ExpenseRefusal('CONFLICT', 'PHOTO_NOT_AVAILABLE', texts.photoNotAvailable, {
              mediaId: intake.mediaId,
            });
          }
          throw error;
        }
        return { draft: await readReceiptPhoto(bytes), photoMediaId: intake.mediaId };
      }
    }
  }

  async function addReceipt(
    tenantId: string,
    trip: repository.TripRow,
    intake: ReceiptIntake,
    origin: ReceiptOrigin & { locale?: ExpensesLocale | undefined } = {},
  ): Promise<AddedReceipt> {
    if (trip.status !== 'active') throw refusal.tripClosed(trip);
    const locale = origin.locale ?? 'pt-BR';
    const read = await readIntake(tenantId, intake, locale);
    const { draft } = read;
    const existing = await repository.findReceiptByFiscalKey(db, tenantId, draft);
    if (existing) throw refusal.duplicate(existing);
    const photoMediaId =
      intake.kind === 'photo' ? await storePhoto(tenantId, intake, origin) : read.photoMediaId;
    const needsConsultation = draft.portalUrl !== null;
    let row: repository.ReceiptRow;
    try {
      row = await repository.insertReceipt(db, {
        tenantId,
        tripId: trip.id,
        source: draft.source,
        accessKey: draft.accessKey,
        atcud: draft.atcud,
        documentNumber: draft.documentNumber,
        issuerName: draft.issuerName,
        issuerTaxId: draft.issuerTaxId,
        issueDate: draft.issueDate,
        totalCents: draft.totalCents,
        currency: draft.currency,
        declaredTotalCents: draft.declaredTotalCents,
        details: draft.details,
        qrText: draft.qrText,
        description: draft.description,
        photoMediaId: photoMediaId ?? null,
        channelId: origin.channelId ?? null,
        contactId: origin.contactId ?? null,
        fetchStatus: draft.fetchStatus,
        consultationStatus: needsConsultation ? 'pending' : null,
        // The database's clock decides when a due row is due.
        dueAt: needsConsultation ? sql`now()` : null,
      });
    } catch (error) {
      if (repository.findViolatedUniqueIndex(error) !== undefined) {
        const winner = await repository.findReceiptByFiscalKey(db, tenantId, draft);
        if (winner) throw refusal.duplicate(winner);
      }
      throw error;
    }
    logger.info(
      { tenantId, tripId: trip.id, receiptId: row.id, source: row.source, status: row.fetchStatus },
      'receipt registered',
    );
    if (needsConsultation) row = await consultFirst(row);
    return { receipt: toReceipt(row), row, message: describeAddedReceipt(row) };
  }

  /** The first try at an NFC-e's page while the traveller waits; the job does the rest. */
  async function consultFirst(row: repository.ReceiptRow): Promise<repository.ReceiptRow> {
    if (inlineTimeoutMs <= 0) {
      await deps.consultation.requestConsultation(row.id);
      return row;
    }
    try {
      const outcome = await deps.consultation.consult(row.id, {
        notify: false,
        timeoutMs: inlineTimeoutMs,
      });
      if (outcome.kind === 'settled') return outcome.receipt;
      await deps.consultation.requestConsultation(
        row.id,
        outcome.kind === 'retry' ? outcome.delayMs : 0,
      );
      return outcome.kind === 'retry' ? outcome.receipt : row;
    } catch (error) {
      // The receipt is stored and pending: the job (or the sweeper) takes it from here.
      logger.warn({ err: error, receiptId: row.id }, 'first consultation failed');
      await deps.consultation.requestConsultation(row.id).catch(() => undefined);
      return row;
    }
  }

  async function getTripDetail(tenantId: string, tripId: string): Promise<TripDetail> {
    const trip = await getTripRow(tenantId, tripId);
    const [traveller, receipts, reports] = await Promise.all([
      repository.findTraveller(db, tenantId, trip.travellerId),
      repository.listTripReceipts(db, trip.id),
      repository.listTripReports(db, trip.id),
    ]);
    if (!traveller) throw new AppError('NOT_FOUND', `Trip ${tripId} does not exist.`);
    return {
      ...toTrip(trip),
      traveller: toTraveller(traveller),
      receipts: receipts.map(toReceipt),
      reports: reports.map(toTripReport),
      ...summarizeReceipts(receipts),
    };
  }

  async function closeTrip(
    tenantId: string,
    tripId: string,
    options: { locale?: ExpensesLocale | undefined } = {},
  ): Promise<{ trip: TripDetail; reportIds: string[] }> {
    const closed = await repository.closeTrip(db, tenantId, tripId, now());
    if (!closed) {
      const trip = await getTripRow(tenantId, tripId);
      throw refusal.tripClosed(trip, texts.tripAlreadyClosed);
    }
    logger.info({ tenantId, tripId }, 'trip closed');
    let reportIds: string[] = [];
    if (deps.reports) {
      try {
        const { reports } = await deps.reports.generate({
          tenantId,
          tripId,
          locale: options.locale === 'pt-PT' ? 'pt-PT' : 'pt-BR',
        });
        reportIds = reports.map((report) => report.id);
      } catch (error) {
        // The trip is closed either way; its detail shows no reports.
        logger.error({ err: error, tenantId, tripId }, 'trip reports failed');
      }
    }
    return { trip: await getTripDetail(tenantId, tripId), reportIds };
  }

  async function findTravellerOfContact(
    tenantId: string,
    contactId: string,
  ): Promise<TravellerOfContact | undefined> {
    const traveller = await repository.findTravellerByContact(db, tenantId, contactId);
    if (!traveller) return undefined;
    const active = await repository.findActiveTrip(db, tenantId, traveller.id);
    return { traveller: toTraveller(traveller), activeTrip: active ? toTrip(active) : undefined };
  }

  /** The list a traveller reads: one line per receipt and the running total. */
  /**
   * The traveller typed the amount of a receipt whose page could not be read (needs-amount) or
   * has not come yet (pending): it becomes the expense (`manual`), and the consultation stops.
   */
  async function setReceiptAmount(
    tenantId: string,
    receiptId: string,
    amount: { cents: number; currency: 'BRL' | 'EUR' },
  ): Promise<AddedReceipt> {
    const row = await repository.findReceipt(db, tenantId, receiptId);
    if (!row) {
      throw new ExpenseRefusal('NOT_FOUND', 'RECEIPT_NOT_FOUND', texts.receiptNotFound);
    }
    if (row.fetchStatus !== 'needs-amount' && row.fetchStatus !== 'pending') {
      throw new ExpenseRefusal('CONFLICT', 'AMOUNT_ALREADY_KNOWN', texts.amountAlreadyKnown);
    }
    if (!Number.isInteger(amount.cents) || amount.cents <= 0) {
      throw new ExpenseRefusal('VALIDATION_FAILED', 'INVALID_AMOUNT', texts.amountNotPositive);
    }
    const updated = await repository.updateReceipt(db, row.id, {
      totalCents: amount.cents,
      currency: amount.currency,
      fetchStatus: 'manual',
      consultationStatus: row.consultationStatus === null ? null : 'done',
      lockedUntil: null,
    });
    if (!updated) throw new ExpenseRefusal('NOT_FOUND', 'RECEIPT_NOT_FOUND', texts.receiptNotFound);
    return {
      receipt: toReceipt(updated),
      row: updated,
      message: render(texts.amountSet, {
        amount: formatAmount({ cents: amount.cents, currency: amount.currency }),
        issuer: describeIssuer(updated),
      }),
    };
  }

  async function describeTripReceipts(tenantId: string, tripId: string) {
    const trip = await getTripRow(tenantId, tripId);
    const receipts = await repository.listTripReceipts(db, trip.id);
    const summary = summarizeReceipts(receipts);
    const lines = receipts.map((receipt, index) => describeReceiptLine(receipt, index + 1));
    const join = (locale: ExpensesLocale) =>
      lines.length === 0 ? texts.noReceipts[locale] : lines.map((line) => line[locale]).join('\n');
    return {
      count: receipts.length,
      lines: { 'pt-BR': join('pt-BR'), 'pt-PT': join('pt-PT'), en: join('en') } as Phrase,
      total: formatTotals(summary.totals),
      summary,
    };
  }

  return {
    // Rules by tenant: the flow actions (a conversation has a tenant, not a user) use these.
    registerTraveller,
    startTrip,
    addReceipt,
    getTripDetail,
    closeTrip,
    findTravellerOfContact,
    describeTripReceipts,
    setReceiptAmount,
    getTripRow,

    // The REST API: the caller's tenant and role.
    async registerTravellerAs(
      principal: Principal,
      input: { name: string; company: string; email: string; contactId?: string | undefined },
    ): Promise<Traveller> {
      assertRole(principal, 'operator');
      return registerTraveller(principal.tenantId, input);
    },

    async listTravellers(
      principal: Principal,
      query: z.infer<typeof listTravellersQuerySchema>,
    ): Promise<Page<Traveller>> {
      const rows = await repository.listTravellers(db, principal.tenantId, {
        search: query.search,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, toTraveller);
    },

    async startTripAs(
      principal: Principal,
      input: { travellerId: string; destination: string; costCentre: string; days: number },
    ): Promise<Trip> {
      assertRole(principal, 'operator');
      const traveller = await getTravellerRow(principal.tenantId, input.travellerId);
      return startTrip(principal.tenantId, traveller.id, input);
    },

    async listTrips(
      principal: Principal,
      query: z.infer<typeof listTripsQuerySchema>,
    ): Promise<Page<TripListItem>> {
      const rows = await repository.listTrips(db, principal.tenantId, {
        ...toTripFilter(query),
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      const shown = rows.slice(0, query.limit);
      const totals = await repository.sumTripReceipts(
        db,
        shown.map((row) => row.id),
      );
      return toPage(rows, query.limit, (row) => ({
        ...toTrip(row),
        traveller: row.traveller,
        ...summarizeTotals(totals.filter((total) => total.tripId === row.id)),
      }));
    },

    async getTrip(principal: Principal, tripId: string): Promise<TripDetail> {
      return getTripDetail(principal.tenantId, tripId);
    },

    async addReceiptAs(
      principal: Principal,
      tripId: string,
      intake: ReceiptIntake,
    ): Promise<AddedReceipt> {
      assertRole(principal, 'operator');
      const trip = await getTripRow(principal.tenantId, tripId);
      return addReceipt(principal.tenantId, trip, intake);
    },

    /** Refuses a closed or missing trip before a photo upload is read. */
    async assertOpenTrip(principal: Principal, tripId: string): Promise<void> {
      assertRole(principal, 'operator');
      const trip = await getTripRow(principal.tenantId, tripId);
      if (trip.status !== 'active') throw refusal.tripClosed(trip);
    },

    async closeTripAs(principal: Principal, tripId: string) {
      assertRole(principal, 'operator');
      return closeTrip(principal.tenantId, tripId);
    },

    async summarizeCostCentres(
      principal: Principal,
      query: z.infer<typeof costCentreSummaryQuerySchema>,
    ): Promise<CostCentreSummary> {
      const items = await repository.sumByCostCentre(db, principal.tenantId, toTripFilter(query));
      return { items };
    },

    /** A report's file for `GET /api/v1/expenses/reports/:id` (undefined: not in the tenant). */
    async findReportDownload(
      principal: Principal,
      reportId: string,
    ): Promise<ReportDownload | undefined> {
      const row = await repository.findTripReport(db, principal.tenantId, reportId);
      if (!row?.mediaId) return undefined;
      const mediaId = row.mediaId;
      return {
        kind: row.kind,
        fileName: row.fileName,
        sizeBytes: row.sizeBytes,
        contentType:
          row.kind === 'pdf'
            ? 'application/pdf'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        open: async () => (await deps.media.openForDownload(principal, mediaId)).body,
      };
    },
  };
}

export type ExpensesService = ReturnType<typeof createExpensesService>;

function toTripFilter(query: {
  travellerId?: string | undefined;
  status?: 'active' | 'closed' | undefined;
  costCentre?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): repository.TripFilter {
  const startedBefore = query.to ? new Date(`${query.to}T00:00:00.000Z`) : undefined;
  startedBefore?.setUTCDate(startedBefore.getUTCDate() + 1);
  return {
    travellerId: query.travellerId,
    status: query.status,
    costCentre: query.costCentre,
    startedFrom: query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined,
    startedBefore,
  };
}

function summarizeTotals(rows: repository.TripTotalRow[]) {
  return {
    totals: rows
      .filter((row) => row.confirmedCount > 0)
      .map((row) => ({
        cents: row.totalCents,
        currency: row.currency,
        receiptCount: row.confirmedCount,
      })),
    receiptCount: rows.reduce((sum, row) => sum + row.confirmedCount + row.unconfirmedCount, 0),
    unconfirmedCount: rows.reduce((sum, row) => sum + row.unconfirmedCount, 0),
  };
}

function summarizeReceipts(receipts: repository.ReceiptRow[]) {
  const byCurrency = new Map<Money['currency'], { cents: number; receiptCount: number }>();
  let unconfirmedCount = 0;
  for (const receipt of receipts) {
    const amount = amountOf(receipt);
    if (!amount) {
      unconfirmedCount++;
      continue;
    }
    const total = byCurrency.get(amount.currency) ?? { cents: 0, receiptCount: 0 };
    total.cents += amount.cents;
    total.receiptCount++;
    byCurrency.set(amount.currency, total);
  }
  return {
    totals: [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, total]) => ({ currency, ...total })),
    receiptCount: receipts.length,
    unconfirmedCount,
  };
}

export function toTraveller(row: repository.TravellerRow): Traveller {
  return {
    id: row.id,
    contactId: row.contactId,
    name: row.name,
    company: row.company,
    email: row.email,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTrip(row: repository.TripRow): Trip {
  return {
    id: row.id,
    travellerId: row.travellerId,
    destination: row.destination,
    costCentre: row.costCentre,
    days: row.days,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toReceipt(row: repository.ReceiptRow): Receipt {
  return {
    id: row.id,
    tripId: row.tripId,
    source: row.source,
    status: row.fetchStatus,
    accessKey: row.accessKey,
    atcud: row.atcud,
    documentNumber: row.documentNumber,
    issuer: { name: row.issuerName, taxId: row.issuerTaxId },
    issueDate: row.issueDate,
    total: amountOf(row),
    declaredTotal:
      row.declaredTotalCents === null
        ? null
        : { cents: row.declaredTotalCents, currency: row.currency },
    currency: row.currency,
    items: row.items,
    description: row.description,
    qrText: row.qrText,
    photoMediaId: row.photoMediaId,
    fetchAttempts: row.fetchAttempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTripReport(row: repository.TripReportRow): TripReport {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    mediaId: row.mediaId,
    createdAt: row.createdAt.toISOString(),
  };
}
