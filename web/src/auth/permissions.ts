import type { Session } from '../api/api-client';

export function isSuperAdmin(session: Session): boolean {
  return session.user.isSuperAdmin;
}

/** Tenant admins manage their tenant's users; the super admin manages everyone's. */
export function canManageUsers(session: Session): boolean {
  return session.user.isSuperAdmin || session.role === 'admin';
}

export function canManageTenants(session: Session): boolean {
  return session.user.isSuperAdmin;
}
