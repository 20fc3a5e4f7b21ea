import type {
  CreateUserInput,
  CreateUserResult,
  TenantUser,
  UpdateUserInput,
} from '../../api/api-types';
import { useInvalidatingMutation, usePagedList } from '../../api/resource-hooks';

export const usersQueryKey = (tenantId: string) => ['users', tenantId] as const;

/** Every tenant's user lists: what a write refreshes. */
const allUsersQueryKey = ['users'] as const;

/** The current tenant's users, page by page (cursor pagination). */
export function useUsersQuery(tenantId: string) {
  return usePagedList<TenantUser>(usersQueryKey(tenantId), '/users');
}

export function useCreateUser() {
  return useInvalidatingMutation(allUsersQueryKey, (api, input: CreateUserInput) =>
    api.post<CreateUserResult>('/users', input),
  );
}

export function useUpdateUser() {
  return useInvalidatingMutation(
    allUsersQueryKey,
    (api, { id, changes }: { id: string; changes: UpdateUserInput }) =>
      api.patch<TenantUser>(`/users/${encodeURIComponent(id)}`, changes),
  );
}

export function useRemoveUser() {
  return useInvalidatingMutation(allUsersQueryKey, (api, id: string) =>
    api.delete(`/users/${encodeURIComponent(id)}`),
  );
}
