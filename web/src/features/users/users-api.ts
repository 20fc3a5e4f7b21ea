import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useApiClient } from '../../api/api-context';
import type {
  CreateUserInput,
  CreateUserResult,
  Page,
  TenantUser,
  UpdateUserInput,
} from '../../api/api-types';

const pageSize = 50;

export const usersQueryKey = (tenantId: string) => ['users', tenantId] as const;

/** The current tenant's users, page by page (cursor pagination). */
export function useUsersQuery(tenantId: string) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: usersQueryKey(tenantId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<TenantUser>>(`/users?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export function useCreateUser() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<CreateUserResult>('/users', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUserInput }) =>
      api.patch<TenantUser>(`/users/${encodeURIComponent(id)}`, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useRemoveUser() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
