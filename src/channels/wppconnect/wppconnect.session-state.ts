import type { SessionStatus } from '../provider.port.js';

/**
 * WPPConnect's words for a session's state, from two sources: the session's `status` in
 * `status-session` answers (`CLOSED`, `INITIALIZING`, `QRCODE`, `CONNECTED`) and the browser
 * client's `statusFind` values sent as `status-find` webhooks.
 */
const statusByWord: Record<string, SessionStatus> = {
  // status-session
  closed: 'stopped',
  initializing: 'starting',
  starting: 'starting',
  opening: 'starting',
  qrcode: 'qr',
  connected: 'connected',
  // status-find
  islogged: 'connected',
  inchat: 'connected',
  notlogged: 'qr',
  qrreadsuccess: 'starting',
  qrreaderror: 'failed',
  qrreadfail: 'failed',
  // The phone removed the linked device: a new QR scan is needed, restarting will not help.
  desconnectedmobile: 'stopped',
  disconnectedmobile: 'stopped',
  // Nobody scanned the QR code in time and WPPConnect closed the session itself.
  autoclosecalled: 'stopped',
  browserclose: 'failed',
  serverclose: 'failed',
  phonenotconnected: 'failed',
};

/**
 * The Recado state for a WPPConnect status word (case-insensitive). Words this version does
 * not know count as `starting`: a transient state, not a failure that would trigger restarts.
 */
export function toSessionStatus(word: string | null | undefined): SessionStatus {
  if (word === null || word === undefined || word.trim() === '') return 'stopped';
  return statusByWord[word.trim().toLowerCase()] ?? 'starting';
}
