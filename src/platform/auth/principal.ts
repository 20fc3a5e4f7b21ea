import type { TenantRole } from '../../shared/contracts/accounts.contract.js';
import { AppError } from '../errors/app-error.js';

/**
 * Who is calling. Every tenant-scoped repository function takes `tenantId` from here, never
 * from the request body (ARCHITECTURE.md §6).
 */
export type Principal = {
  userId: string;
  tenantId: string;
  role: TenantRole;
  isSuperAdmin: boolean;
};

const roleRank: Record<TenantRole, number> = { client: 0, operator: 1, admin: 2 };

/** Throws FORBIDDEN unless the principal has at least `role` in its tenant (super admins pass). */
export function assertRole(principal: Principal, role: TenantRole): void {
  if (principal.isSuperAdmin || roleRank[principal.role] >= roleRank[role]) return;
  throw new AppError('FORBIDDEN', `This action needs the ${role} role in this tenant.`);
}

export function assertSuperAdmin(principal: Principal): void {
  if (!principal.isSuperAdmin) {
    throw new AppError('FORBIDDEN', 'This action is reserved to the platform super admin.');
  }
}
