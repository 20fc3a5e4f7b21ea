import { waIdToE164 } from '../../shared/messaging/phone.js';
import type { SessionState, SessionStatus } from '../provider.port.js';
import { phoneDigitsOf } from './waha.ids.js';

/** WAHA's session statuses in Recado's words. */
const statusByWaha: Record<string, SessionStatus> = {
  STOPPED: 'stopped',
  STARTING: 'starting',
  SCAN_QR_CODE: 'qr',
  WORKING: 'connected',
  FAILED: 'failed',
};

/** The events Recado registers on a WAHA session's webhook. */
export const wahaWebhookEvents = ['message', 'message.ack', 'session.status'] as const;

export function isKnownWahaSessionStatus(status: string): boolean {
  return status.toUpperCase() in statusByWaha;
}

/**
 * A WAHA session status (`WORKING`, …) and the paired account (`me`: `5511…@c.us` and its profile
 * name) as a `SessionState`; the number and name only while connected. An unknown status is
 * `failed`, with WAHA's word kept as the detail.
 */
export function toSessionState(
  wahaStatus: string,
  me: { id?: unknown; pushName?: unknown } | null | undefined,
): SessionState {
  const detail = wahaStatus.toUpperCase();
  const status = statusByWaha[detail] ?? 'failed';
  const digits =
    status === 'connected' && typeof me?.id === 'string' ? phoneDigitsOf(me.id) : undefined;
  const name = me?.pushName;
  return {
    status,
    phone: digits ? (waIdToE164(digits) ?? `+${digits}`) : undefined,
    name: status === 'connected' && typeof name === 'string' && name ? name : undefined,
    detail,
  };
}
