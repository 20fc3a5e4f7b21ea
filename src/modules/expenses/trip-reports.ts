import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type { MediaService } from '../messaging/index.js';
import * as repository from './expenses.repository.js';
import type { TripReportsHook } from './expenses.service.js';
import {
  type ReportLocale,
  type ReportReceipt,
  renderTripReports,
  reportKinds,
  type TripReportModel,
} from './reports/index.js';

/**
 * The glue between the expenses tables and the report renderers (reports/): a closed trip's
 * model, both files rendered, stored as media objects (so a flow can send them as WhatsApp
 * documents as they are) and kept in `trip_reports`.
 */

/** A calendar day as an instant that is that day in every Brazilian and Portuguese zone. */
function middayOf(day: string): Date {
  return new Date(`${day}T12:00:00.000Z`);
}

/** The report model of a trip, receipts by issue date (undated ones last, in arrival order). */
export async function buildTripReportModel(
  db: Database,
  tenantId: string,
  tripId: string,
  options: { locale?: ReportLocale; now: Date },
): Promise<TripReportModel> {
  const trip = await repository.findTrip(db, tenantId, tripId);
  if (!trip) throw new AppError('NOT_FOUND', `Trip ${tripId} does not exist in this tenant.`);
  const traveller = await repository.findTraveller(db, tenantId, trip.travellerId);
  if (!traveller) throw new AppError('NOT_FOUND', `Trip ${tripId} has no traveller.`);
  const rows = await repository.listTripReceipts(db, trip.id);
  const dated = rows.filter((row) => row.issueDate !== null);
  const undated = rows.filter((row) => row.issueDate === null);
  dated.sort((a, b) => (a.issueDate ?? '').localeCompare(b.issueDate ?? ''));
  const receipts: ReportReceipt[] = [...dated, ...undated].map((row) => ({
    issuedAt: row.issueDate ? middayOf(row.issueDate) : null,
    issuerName: row.issuerName,
    issuerTaxId: row.issuerTaxId,
    source: row.source,
    totalCents: row.totalCents,
    currency: row.currency,
    items: row.items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unit: item.unit || null,
      unitPriceCents: item.unitPriceCents,
      totalCents: item.totalCents,
    })),
    status: row.fetchStatus,
    description: row.description,
  }));
  return {
    trip: {
      destination: trip.destination,
      costCentre: trip.costCentre,
      days: trip.days,
      startedAt: trip.startedAt,
      closedAt: trip.closedAt,
    },
    traveller: { name: traveller.name, company: traveller.company, email: traveller.email },
    receipts,
    generatedAt: options.now,
    locale: options.locale ?? 'pt-BR',
  };
}

export function createTripReportsGenerator(deps: {
  db: Database;
  media: Pick<MediaService, 'storeBytes'>;
  logger: Logger;
  now?: () => Date;
}): TripReportsHook {
  const logger = deps.logger.child({ module: 'expenses.reports' });
  const now = deps.now ?? (() => new Date());
  return {
    async generate({ tenantId, tripId, locale }) {
      const model = await buildTripReportModel(deps.db, tenantId, tripId, {
        now: now(),
        ...(locale ? { locale } : {}),
      });
      const rendered = await renderTripReports(model);
      const reports: repository.TripReportRow[] = [];
      for (const kind of reportKinds) {
        const file = rendered[kind];
        const media = await deps.media.storeBytes({
          tenantId,
          source: 'upload',
          kind: 'document',
          bytes: file.bytes,
          declaredMimeType: file.contentType,
          filename: file.fileName,
        });
        reports.push(
          await repository.insertTripReport(deps.db, {
            tenantId,
            tripId,
            kind,
            mediaId: media.id,
            fileName: file.fileName,
            sizeBytes: file.bytes.length,
          }),
        );
      }
      logger.info(
        { tenantId, tripId, receipts: model.receipts.length, reportIds: reports.map((r) => r.id) },
        'trip reports generated',
      );
      return { reports };
    },
  };
}
