import type { ChannelSession } from '../../../../src/shared/contracts/sessions.contract';
import type { RealtimeEvent } from '../../api/api-types';

/**
 * QR-paired sessions (WAHA, WPPConnect) as the Channels page shows and drives them: which
 * actions a row offers, what the pairing dialog shows, and the live `channel.*` events.
 * Pure functions.
 */

export type { ChannelSession };
export type SessionStatus = ChannelSession['status'];

/** What a row shows while the provider's answer is missing: still loading, or it failed. */
export type SessionBadgeStatus = SessionStatus | 'loading' | 'unknown';

export const sessionStatusColors: Record<SessionBadgeStatus, string> = {
  stopped: 'gray',
  starting: 'yellow',
  qr: 'blue',
  connected: 'teal',
  failed: 'red',
  loading: 'gray',
  unknown: 'gray',
};

export type SessionAction = 'connect' | 'restart' | 'stop' | 'logout';

/**
 * The session actions a row's menu offers. `connect` (start and pair) until it is connected;
 * `restart` once something runs or failed; `stop` while anything runs; `logout` (unpair)
 * always, as the way out of a pairing gone wrong. A disabled channel is only wound down.
 */
export function sessionActionsFor(
  status: SessionBadgeStatus,
  isChannelDisabled: boolean,
): SessionAction[] {
  const actions: SessionAction[] = [];
  if (!isChannelDisabled && status !== 'connected' && status !== 'loading') {
    actions.push('connect');
  }
  if (!isChannelDisabled && status !== 'stopped' && status !== 'loading') actions.push('restart');
  if (status !== 'stopped') actions.push('stop');
  actions.push('logout');
  return actions;
}

/** The pairing dialog starts the session itself only when nothing runs. */
export function needsStart(session: ChannelSession): boolean {
  return session.status === 'stopped' || session.status === 'failed';
}

/** What the pairing dialog shows. */
export type PairingView =
  | { kind: 'loading' }
  | { kind: 'starting' }
  | { kind: 'scan' }
  | { kind: 'connected'; phone: string | null }
  | { kind: 'failed'; detail: string | null }
  | { kind: 'stopped' };

/**
 * The dialog's view from the latest session report. `isStarting`: a start request is in
 * flight (its answer replaces the report, which may be the stale "stopped" until then).
 */
export function pairingViewOf(
  session: ChannelSession | undefined,
  isStarting: boolean,
): PairingView {
  if (isStarting) return { kind: 'starting' };
  if (!session) return { kind: 'loading' };
  switch (session.status) {
    case 'starting':
      return { kind: 'starting' };
    case 'qr':
      return { kind: 'scan' };
    case 'connected':
      return { kind: 'connected', phone: session.phone };
    case 'failed':
      return { kind: 'failed', detail: session.detail };
    case 'stopped':
      return { kind: 'stopped' };
  }
}

/** How often the dialog asks for the session (ms), and for a new QR code (they expire). */
export const sessionPollMs = 3_000;
export const qrRefreshMs = 15_000;
/** After the provider had no QR code to give (it is still producing one). */
export const qrRetryMs = 2_000;

/** `channel.connected` / `channel.disconnected`: a QR channel's status followed its session. */
export type ChannelSessionEvent = {
  type: 'channel.connected' | 'channel.disconnected';
  channelId: string;
  session: SessionStatus | undefined;
  detail: string | null;
};

const sessionStatuses: readonly string[] = [
  'stopped',
  'starting',
  'qr',
  'connected',
  'failed',
] satisfies SessionStatus[];

function isSessionStatus(value: unknown): value is SessionStatus {
  return typeof value === 'string' && sessionStatuses.includes(value);
}

/** The event, when it is about a channel's session; undefined for any other frame. */
export function parseChannelSessionEvent(event: RealtimeEvent): ChannelSessionEvent | undefined {
  if (event.type !== 'channel.connected' && event.type !== 'channel.disconnected') {
    return undefined;
  }
  if (!event.payload || typeof event.payload !== 'object') return undefined;
  const payload = event.payload as Record<string, unknown>;
  if (typeof payload.channelId !== 'string' || payload.channelId === '') return undefined;
  return {
    type: event.type,
    channelId: payload.channelId,
    session: isSessionStatus(payload.session) ? payload.session : undefined,
    detail: typeof payload.detail === 'string' ? payload.detail : null,
  };
}

/**
 * A pairing code as people type it on the phone: the provider's own grouping when it has one
 * ("ABCD-EFGH"), else groups of four.
 */
export function formatPairingCode(code: string): string {
  const trimmed = code.trim();
  if (/[-\s]/.test(trimmed)) return trimmed.toUpperCase();
  return (trimmed.match(/.{1,4}/g) ?? [trimmed]).join('-').toUpperCase();
}
