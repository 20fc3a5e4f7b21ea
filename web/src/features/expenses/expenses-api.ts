import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  CostCentreSummary,
  Receipt,
  Traveller,
  TripDetail,
  TripListItem,
  TripReport,
} from '../../../../src/shared/contracts/expenses.contract';
import { useApiClient } from '../../api/api-context';
import type { Page } from '../../api/api-types';
import { buildTripsQuery, type TripFilters } from './expenses-format';

export type { CostCentreSummary, Receipt, Traveller, TripDetail, TripListItem, TripReport };

const pageSize = 50;
export const expensesQueryKey = ['expenses'] as const;

/** The tenant's travellers, newest first, page by page. */
export function useTravellersQuery() {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: [...expensesQueryKey, 'travellers'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<Traveller>>(`/expenses/travellers?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** Trips with their totals, filtered, page by page (cursor). */
export function useTripsQuery(filters: TripFilters, limit = pageSize) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: [...expensesQueryKey, 'trips', filters, limit],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<TripListItem>>(
        `/expenses/trips?${buildTripsQuery(filters, { limit, cursor: pageParam })}`,
        signal,
      ),
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** The active trips (one per traveller at most): the travellers list shows them. */
export function useActiveTripsQuery() {
  const api = useApiClient();
  return useQuery({
    queryKey: [...expensesQueryKey, 'trips', 'active-all'],
    queryFn: ({ signal }) =>
      api.get<Page<TripListItem>>(
        `/expenses/trips?${buildTripsQuery({ status: 'active' }, { limit: 200 })}`,
        signal,
      ),
    select: (answer) => answer.items,
  });
}

export function useTripQuery(tripId: string) {
  const api = useApiClient();
  return useQuery({
    queryKey: [...expensesQueryKey, 'trip', tripId],
    queryFn: ({ signal }) =>
      api.get<TripDetail>(`/expenses/trips/${encodeURIComponent(tripId)}`, signal),
  });
}

export function useCostCentreSummaryQuery(filters: Pick<TripFilters, 'status' | 'from' | 'to'>) {
  const api = useApiClient();
  return useQuery({
    queryKey: [...expensesQueryKey, 'cost-centres', filters],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams();
      for (const key of ['status', 'from', 'to'] as const) {
        const value = filters[key];
        if (value) query.set(key, value);
      }
      return api.get<CostCentreSummary>(`/expenses/summary/cost-centres?${query}`, signal);
    },
  });
}
