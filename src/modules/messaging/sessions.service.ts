import { Counter, Gauge, type Registry } from 'prom-client';
import {
  findProvider,
  listProviderIds,
  ProviderError,
  type SessionControl,
  type SessionState,
} from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Logger } from '../../platform/observability/logger.js';
import { computeBackoffMs } from '../../platform/queue/queue.port.js';
import type { ChannelSession } from '../../shared/contracts/sessions.contract.js';
import { normalizePhone } from '../../shared/messaging/phone.js';
import * as repository from './channels.repository.js';
import type { ChannelsService } from './channels.service.js';

export const checkSessionsJob = 'channels.check-sessions';

export type SessionMetrics = { changes: Counter<'provider' | 'status'> };

/**
 * `recado_channel_session_changes_total` (status changes this process applied) and
 * `recado_channels{provider,status}` (every channel, read from the database at scrape time, so
 * every process reports the same truth).
 */
export function createSessionMetrics(registry: Registry, db: Database): SessionMetrics {
  new Gauge({
    name: 'recado_channels',
    help: 'Channels by provider and status (active, connecting, disconnected, disabled).',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await repository.countChannelsByStatus(db)) {
        this.set({ provider: row.provider, status: row.status }, row.count);
      }
    },
  });
  return {
    changes: new Counter({
      name: 'recado_channel_session_changes_total',
      help: 'Channel status changes caused by QR sessions (WAHA, WPPConnect), by reported session status.',
      labelNames: ['provider', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type SessionsDeps = {
  db: Database;
  channels: ChannelsService;
  events: EventBus;
  logger: Logger;
  http: (url: string, init: RequestInit) => Promise<Response>;
  metrics?: SessionMetrics;
  now?: () => Date;
};

/** Restart backoff of a failed session: 10 s doubling up to 5 minutes. */
const restartBaseMs = 10_000;
const restartMaxMs = 5 * 60_000;

/**
 * Session control of QR-paired channels (WAHA, WPPConnect): start with Recado's webhook
 * registered, status, QR, pairing code, stop, logout; and the monitor that keeps wanted
 * sessions alive. The channel's status follows the session; every change is announced as
 * `channel.connected` / `channel.disconnected`.
 */
export function createSessionsService(deps: SessionsDeps) {
  const { db } = deps;
  const logger = deps.logger.child({ module: 'channels.sessions' });
  const now = deps.now ?? (() => new Date());

  async function openControlled(channelId: string, tenantId: string) {
    const opened = await deps.channels.openChannel(channelId, tenantId);
    if (!opened)
      throw new AppError('NOT_FOUND', `Channel ${channelId} does not exist in this tenant.`);
    const sessions = opened.provider.sessions as SessionControl<unknown> | undefined;
    if (!sessions) {
      throw new AppError(
        'CONFLICT',
        `${opened.provider.id} channels have no QR session to control: they connect with their credentials.`,
      );
    }
    const context = { config: opened.config, http: deps.http, webhookUrl: opened.webhookUrl };
    return { opened, sessions, context };
  }

  async function callProvider<T>(channelId: string, action: string, call: () => Promise<T>) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      logger.warn({ channelId, action, code: error.code }, 'session call failed');
      throw new AppError('PROVIDER_ERROR', `The provider refused to ${action}: ${error.message}`, {
        providerCode: error.code,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs ?? null,
      });
    }
  }

  /** Records a reported state on the channel and announces a change of its status. */
  async function applyState(
    tenantId: string,
    channelId: string,
    provider: string,
    state: SessionState,
  ) {
    const change = await deps.channels.recordSessionState(channelId, state);
    if (!change) return;
    const connected = change.channel.status === 'active';
    deps.metrics?.changes.inc({ provider, status: state.status });
    await deps.events.publish({
      type: connected ? 'channel.connected' : 'channel.disconnected',
      tenantId,
      payload: {
        channelId,
        status: change.channel.status,
        previous: change.previous,
        session: state.status,
        detail: state.detail ?? null,
      },
    });
  }

  async function view(
    channelId: string,
    tenantId: string,
    state: SessionState,
  ): Promise<ChannelSession> {
    const row = await repository.findChannel(db, tenantId, channelId);
    if (!row)
      throw new AppError('NOT_FOUND', `Channel ${channelId} does not exist in this tenant.`);
    return {
      channelId,
      status: state.status,
      channelStatus: row.status,
      phone: state.phone ?? null,
      name: state.name ?? null,
      detail: state.detail ?? null,
      wanted: row.sessionWanted,
      restarts: row.sessionRestarts,
    };
  }

  async function startSession(tenantId: string, channelId: string) {
    const { opened, sessions, context } = await openControlled(channelId, tenantId);
    if (!opened.webhookUrl) {
      throw new AppError('CONFLICT', 'This channel has no webhook URL to register on its session.');
    }
    const webhook = { url: opened.webhookUrl };
    const state = await callProvider(channelId, 'start the session', () =>
      sessions.start(context, webhook),
    );
    await applyState(tenantId, channelId, opened.provider.id, state);
    return state;
  }

  return {
    applyState,

    async start(principal: Principal, channelId: string): Promise<ChannelSession> {
      assertRole(principal, 'admin');
      await repository.setSessionWanted(db, principal.tenantId, channelId, true);
      const state = await startSession(principal.tenantId, channelId);
      logger.info({ channelId, status: state.status }, 'session started');
      return view(channelId, principal.tenantId, state);
    },

    async status(principal: Principal, channelId: string): Promise<ChannelSession> {
      const { opened, sessions, context } = await openControlled(channelId, principal.tenantId);
      const state = await callProvider(channelId, 'report the session status', () =>
        sessions.status(context),
      );
      await applyState(principal.tenantId, channelId, opened.provider.id, state);
      return view(channelId, principal.tenantId, state);
    },

    async qr(principal: Principal, channelId: string) {
      assertRole(principal, 'admin');
      const { sessions, context } = await openControlled(channelId, principal.tenantId);
      return callProvider(channelId, 'give the QR code', () => sessions.qr(context));
    },

    async pairingCode(principal: Principal, channelId: string, phoneInput: string) {
      assertRole(principal, 'admin');
      const phone = normalizePhone(phoneInput);
      if (!phone.ok) {
        throw new AppError('VALIDATION_FAILED', `"${phoneInput}" is not a valid phone number.`, [
          { path: 'body.phone', message: `is not a valid phone number (${phone.reason})` },
        ]);
      }
      const { opened, sessions, context } = await openControlled(channelId, principal.tenantId);
      const pairingCode = sessions.pairingCode;
      if (!pairingCode) {
        throw new AppError(
          'CONFLICT',
          `${opened.provider.id} cannot pair by code: scan the QR code.`,
        );
      }
      return callProvider(channelId, 'give a pairing code', () =>
        pairingCode.call(sessions, context, phone.e164),
      );
    },

    async stop(principal: Principal, channelId: string, mode: 'stop' | 'logout') {
      assertRole(principal, 'admin');
      const { opened, sessions, context } = await openControlled(channelId, principal.tenantId);
      await repository.setSessionWanted(db, principal.tenantId, channelId, false);
      await callProvider(channelId, mode === 'stop' ? 'stop the session' : 'log out', () =>
        mode === 'stop' ? sessions.stop(context) : sessions.logout(context),
      );
      const state: SessionState = {
        status: 'stopped',
        detail: mode === 'logout' ? 'logged out' : 'stopped',
      };
      await applyState(principal.tenantId, channelId, opened.provider.id, state);
      logger.info({ channelId, mode }, 'session stopped');
      return view(channelId, principal.tenantId, state);
    },

    /**
     * The monitor's round (job `channels.check-sessions`): asks every QR channel's session for
     * its state, applies it, and restarts wanted sessions that failed or stopped — each after
     * a backoff that grows with its consecutive restarts and resets once it connects.
     */
    async checkAll(): Promise<{ checked: number; restarted: number }> {
      let checked = 0;
      let restarted = 0;
      const providers = listProviderIds().filter((id) => findProvider(id)?.sessions);
      for (const row of await repository.listSessionChannels(db, providers)) {
        const opened = await deps.channels.openChannel(row.id, row.tenantId).catch(() => undefined);
        const sessions = opened?.provider.sessions as SessionControl<unknown> | undefined;
        if (!opened || !sessions) continue;
        checked += 1;
        const context = { config: opened.config, http: deps.http, webhookUrl: opened.webhookUrl };
        let state: SessionState;
        try {
          state = await sessions.status(context);
        } catch (error) {
          // The provider's server itself is unreachable: the session is as good as down.
          state = {
            status: 'failed',
            detail: error instanceof Error ? error.message : String(error),
          };
        }
        await applyState(row.tenantId, row.id, opened.provider.id, state);
        if (state.status === 'connected') {
          await repository.recordSessionCheck(db, row.id, { restarts: 0 });
          continue;
        }
        const isDown = state.status === 'failed' || state.status === 'stopped';
        const dueAt =
          (row.sessionCheckedAt?.getTime() ?? 0) +
          computeBackoffMs(row.sessionRestarts + 1, restartBaseMs, restartMaxMs);
        if (!row.sessionWanted || !isDown || (row.sessionRestarts > 0 && now().getTime() < dueAt)) {
          continue;
        }
        restarted += 1;
        await repository.recordSessionCheck(db, row.id, { restarts: row.sessionRestarts + 1 });
        logger.warn(
          { channelId: row.id, status: state.status, attempt: row.sessionRestarts + 1 },
          'restarting a failed session',
        );
        await startSession(row.tenantId, row.id).catch((error: unknown) =>
          logger.warn({ err: error, channelId: row.id }, 'session restart failed'),
        );
      }
      return { checked, restarted };
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
