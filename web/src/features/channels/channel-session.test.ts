import { describe, expect, it } from 'vitest';
import {
  type ChannelSession,
  formatPairingCode,
  needsStart,
  pairingViewOf,
  parseChannelSessionEvent,
  sessionActionsFor,
} from './channel-session';

const channelId = '0b7e4a52-4f7e-4b38-9a52-2d6b9b1d6c11';

function session(changes: Partial<ChannelSession>): ChannelSession {
  return {
    channelId,
    status: 'stopped',
    channelStatus: 'disconnected',
    phone: null,
    name: null,
    detail: null,
    wanted: false,
    restarts: 0,
    ...changes,
  };
}

describe('sessionActionsFor', () => {
  it.each([
    ['stopped', ['connect', 'logout']],
    ['starting', ['connect', 'restart', 'stop', 'logout']],
    ['qr', ['connect', 'restart', 'stop', 'logout']],
    ['connected', ['restart', 'stop', 'logout']],
    ['failed', ['connect', 'restart', 'stop', 'logout']],
    ['unknown', ['connect', 'restart', 'stop', 'logout']],
    ['loading', ['stop', 'logout']],
  ] as const)('%s → %j', (status, actions) => {
    expect(sessionActionsFor(status, false)).toEqual(actions);
  });

  it('only winds a disabled channel down', () => {
    expect(sessionActionsFor('qr', true)).toEqual(['stop', 'logout']);
    expect(sessionActionsFor('stopped', true)).toEqual(['logout']);
  });
});

describe('the pairing dialog', () => {
  it('starts the session only when nothing runs', () => {
    expect(needsStart(session({ status: 'stopped' }))).toBe(true);
    expect(needsStart(session({ status: 'failed' }))).toBe(true);
    expect(needsStart(session({ status: 'qr' }))).toBe(false);
    expect(needsStart(session({ status: 'starting' }))).toBe(false);
    expect(needsStart(session({ status: 'connected' }))).toBe(false);
  });

  it('shows the QR code while the provider waits for a scan, and the outcome after', () => {
    expect(pairingViewOf(undefined, false)).toEqual({ kind: 'loading' });
    expect(pairingViewOf(session({ status: 'starting' }), false)).toEqual({ kind: 'starting' });
    expect(pairingViewOf(session({ status: 'qr' }), false)).toEqual({ kind: 'scan' });
    expect(pairingViewOf(session({ status: 'connected', phone: '+5511987654321' }), false)).toEqual(
      { kind: 'connected', phone: '+5511987654321' },
    );
    expect(pairingViewOf(session({ status: 'failed', detail: 'browser crashed' }), false)).toEqual({
      kind: 'failed',
      detail: 'browser crashed',
    });
    expect(pairingViewOf(session({ status: 'stopped' }), false)).toEqual({ kind: 'stopped' });
  });

  it('says "starting" while a start is in flight, whatever the last report was', () => {
    expect(pairingViewOf(session({ status: 'stopped' }), true)).toEqual({ kind: 'starting' });
    expect(pairingViewOf(undefined, true)).toEqual({ kind: 'starting' });
  });
});

describe('parseChannelSessionEvent', () => {
  it('reads channel.connected and channel.disconnected', () => {
    expect(
      parseChannelSessionEvent({
        type: 'channel.connected',
        payload: { channelId, status: 'active', previous: 'connecting', session: 'connected' },
      }),
    ).toEqual({ type: 'channel.connected', channelId, session: 'connected', detail: null });
    expect(
      parseChannelSessionEvent({
        type: 'channel.disconnected',
        payload: { channelId, session: 'failed', detail: 'desconnectedMobile' },
      }),
    ).toEqual({
      type: 'channel.disconnected',
      channelId,
      session: 'failed',
      detail: 'desconnectedMobile',
    });
  });

  it('ignores other events and payloads without a channel', () => {
    expect(parseChannelSessionEvent({ type: 'message.received', payload: { channelId } })).toBe(
      undefined,
    );
    expect(parseChannelSessionEvent({ type: 'channel.connected' })).toBeUndefined();
    expect(
      parseChannelSessionEvent({ type: 'channel.connected', payload: { channelId: 42 } }),
    ).toBeUndefined();
    expect(
      parseChannelSessionEvent({
        type: 'channel.connected',
        payload: { channelId, session: 'weird' },
      })?.session,
    ).toBeUndefined();
  });
});

describe('formatPairingCode', () => {
  it('keeps the provider grouping, or groups by four', () => {
    expect(formatPairingCode('ABCD-EFGH')).toBe('ABCD-EFGH');
    expect(formatPairingCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(formatPairingCode(' 1a2b3c ')).toBe('1A2B-3C');
  });
});
