import {
  type QueryKey,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import type { ApiClient } from './api-client';
import { useApiClient } from './api-context';
import type { Page } from './api-types';

const pageSize = 50;

/** A list endpoint read page by page (cursor pagination), `pageSize` items at a time. */
export function usePagedList<T>(queryKey: QueryKey, path: string) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<T>>(`${path}?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export type PagedListQuery<T> = ReturnType<typeof usePagedList<T>>;

/** A write through the API that refreshes the queries under `invalidates` once it succeeds. */
export function useInvalidatingMutation<TInput, TResult>(
  invalidates: QueryKey,
  mutationFn: (api: ApiClient, input: TInput) => Promise<TResult>,
) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TInput) => mutationFn(api, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invalidates }),
  });
}
