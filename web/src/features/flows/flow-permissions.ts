import type { Session } from '../../api/api-client';

/** Reading flows, their versions, bindings and sessions: operators and up (as the server). */
export function canViewFlows(session: Session): boolean {
  return session.user.isSuperAdmin || session.role === 'admin' || session.role === 'operator';
}

/** Editing, publishing, binding to channels and resetting sessions: tenant admins. */
export function canManageFlows(session: Session): boolean {
  return session.user.isSuperAdmin || session.role === 'admin';
}
