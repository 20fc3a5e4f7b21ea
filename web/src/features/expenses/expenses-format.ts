import type {
  CostCentreSummary,
  Money,
  TripListItem,
} from '../../../../src/shared/contracts/expenses.contract';

/** An amount in cents as money in the UI language: "R$ 65,05", "€12.30". */
export function formatMoney(money: Money, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: money.currency }).format(
    money.cents / 100,
  );
}

/**
 * A calendar day (`YYYY-MM-DD`) in the UI language, read as that day wherever the browser is
 * (a plain `new Date('2026-03-10')` is midnight UTC, the day before west of Greenwich).
 */
export function formatDay(day: string, language: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

export type TripFilters = {
  travellerId?: string | undefined;
  status?: 'active' | 'closed' | undefined;
  costCentre?: string | undefined;
  /** `YYYY-MM-DD`, inclusive: the day the trip started. */
  from?: string | undefined;
  to?: string | undefined;
};

/** The query string of `GET /expenses/trips` for these filters (blank ones left out). */
export function buildTripsQuery(
  filters: TripFilters,
  page: { limit: number; cursor?: string | null },
): URLSearchParams {
  const query = new URLSearchParams({ limit: String(page.limit) });
  for (const key of ['travellerId', 'status', 'costCentre', 'from', 'to'] as const) {
    const value = filters[key]?.trim();
    if (value) query.set(key, value);
  }
  if (page.cursor) query.set('cursor', page.cursor);
  return query;
}

export type CostCentreBar = {
  costCentre: string;
  currency: Money['currency'];
  totalCents: number;
  tripCount: number;
  receiptCount: number;
  /** Share of the largest total in the same currency, 0..1 (amounts in different currencies are not compared). */
  ratio: number;
};

/** The summary as chart bars: grouped by currency, largest first, each scaled to its currency's largest. */
export function toCostCentreBars(summary: CostCentreSummary): CostCentreBar[] {
  const largest = new Map<string, number>();
  for (const item of summary.items) {
    largest.set(item.currency, Math.max(largest.get(item.currency) ?? 0, item.totalCents));
  }
  return summary.items
    .map((item) => {
      const max = largest.get(item.currency) ?? 0;
      return { ...item, ratio: max > 0 ? Math.max(0, item.totalCents) / max : 0 };
    })
    .sort(
      (a, b) =>
        a.currency.localeCompare(b.currency) ||
        b.totalCents - a.totalCents ||
        a.costCentre.localeCompare(b.costCentre),
    );
}

/** Each traveller's active trip (a traveller has at most one), from a list of active trips. */
export function activeTripsByTraveller(
  trips: readonly Pick<TripListItem, 'id' | 'travellerId' | 'destination' | 'status'>[],
): Map<string, { id: string; destination: string }> {
  const byTraveller = new Map<string, { id: string; destination: string }>();
  for (const trip of trips) {
    if (trip.status !== 'active' || byTraveller.has(trip.travellerId)) continue;
    byTraveller.set(trip.travellerId, { id: trip.id, destination: trip.destination });
  }
  return byTraveller;
}
