import type { TFunction } from 'i18next';
import type { TenantRole } from '../../api/api-types';

export const tenantRoles: readonly TenantRole[] = ['admin', 'operator', 'client'];

export function roleOptions(t: TFunction): { value: TenantRole; label: string }[] {
  return tenantRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }));
}

export function isTenantRole(value: unknown): value is TenantRole {
  return tenantRoles.includes(value as TenantRole);
}
