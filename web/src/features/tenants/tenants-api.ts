import type {
  CreateTenantInput,
  CreateTenantResult,
  Tenant,
  UpdateTenantInput,
} from '../../api/api-types';
import { useInvalidatingMutation, usePagedList } from '../../api/resource-hooks';

export const tenantsQueryKey = ['tenants'] as const;

/** All tenants of the installation (super admin only), page by page. */
export function useTenantsQuery() {
  return usePagedList<Tenant>(tenantsQueryKey, '/tenants');
}

export function useCreateTenant() {
  return useInvalidatingMutation(tenantsQueryKey, (api, input: CreateTenantInput) =>
    api.post<CreateTenantResult>('/tenants', input),
  );
}

export function useUpdateTenant() {
  return useInvalidatingMutation(
    tenantsQueryKey,
    (api, { id, changes }: { id: string; changes: UpdateTenantInput }) =>
      api.patch<Tenant>(`/tenants/${encodeURIComponent(id)}`, changes),
  );
}
