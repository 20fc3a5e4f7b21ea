import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useApiClient } from '../../api/api-context';
import type {
  CreateTenantInput,
  CreateTenantResult,
  Page,
  Tenant,
  UpdateTenantInput,
} from '../../api/api-types';

const pageSize = 50;

export const tenantsQueryKey = ['tenants'] as const;

/** All tenants of the installation (super admin only), page by page. */
export function useTenantsQuery() {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: tenantsQueryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<Tenant>>(`/tenants?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export function useCreateTenant() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTenantInput) => api.post<CreateTenantResult>('/tenants', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantsQueryKey }),
  });
}

export function useUpdateTenant() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateTenantInput }) =>
      api.patch<Tenant>(`/tenants/${encodeURIComponent(id)}`, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantsQueryKey }),
  });
}
