import type { Session } from '../../api/api-client';

/** Adding, changing and removing channels is for tenant admins (the server checks it too). */
export function canManageChannels(session: Session): boolean {
  return session.user.isSuperAdmin || session.role === 'admin';
}

/** Sending messages, and talking through the sandbox phone, needs at least an operator. */
export function canSendMessages(session: Session): boolean {
  return session.user.isSuperAdmin || session.role === 'admin' || session.role === 'operator';
}
