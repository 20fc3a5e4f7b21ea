import {
  type ProviderContext,
  ProviderError,
  type SessionControl,
  type SessionState,
  type SessionWebhook,
} from '../provider.port.js';
import { readLimitedBody } from '../read-limited-body.js';
import { callWaha, callWahaJson, readJson } from './waha.client.js';
import type { WahaConfig } from './waha.config.js';
import { wahaInvalidResponse } from './waha.errors.js';
import { toSessionState, wahaWebhookEvents } from './waha.session-state.js';

/*
 * WAHA sessions: `POST /api/sessions` creates one (and starts it), `PUT /api/sessions/{name}`
 * updates its config, `.../start|stop|logout` drive it, `GET /api/sessions/{name}` reports it,
 * `GET /api/{name}/auth/qr` gives the QR and `POST /api/{name}/auth/request-code` a pairing code.
 */

/** A QR PNG is a few kilobytes; anything this large is not one. */
const maxQrBytes = 1_000_000;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type WahaSession = {
  status: string;
  me?: { id?: unknown; pushName?: unknown } | null;
  config?: Record<string, unknown> | null;
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function readSession(body: unknown): WahaSession {
  const answer = record(body);
  if (typeof answer?.status !== 'string') {
    throw wahaInvalidResponse('WAHA answered without a session status', body, true);
  }
  return {
    status: answer.status,
    me: record(answer.me),
    config: record(answer.config),
  };
}

function stateOf(session: WahaSession): SessionState {
  return toSessionState(session.status, session.me);
}

const sessionPath = (config: WahaConfig) => `/api/sessions/${encodeURIComponent(config.session)}`;

/** The session as WAHA reports it, or undefined when WAHA has no such session. */
async function findSession(context: ProviderContext<WahaConfig>): Promise<WahaSession | undefined> {
  try {
    return readSession(
      await callWahaJson(context, { method: 'GET', path: sessionPath(context.config) }),
    );
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'WAHA_NOT_FOUND') return undefined;
    throw error;
  }
}

function withoutQuery(url: string): string {
  return url.split('?')[0] ?? url;
}

/**
 * The session's config with Recado's webhook in it: the operator's other settings and webhooks
 * stay, an earlier registration of this channel's URL is replaced.
 */
export function withRecadoWebhook(
  config: Record<string, unknown> | null | undefined,
  webhook: Record<string, unknown> & { url: string },
): Record<string, unknown> {
  const others = (Array.isArray(config?.webhooks) ? config.webhooks : []).filter((entry) => {
    const url = record(entry)?.url;
    return typeof url !== 'string' || withoutQuery(url) !== withoutQuery(webhook.url);
  });
  return { ...(config ?? {}), webhooks: [...others, webhook] };
}

function webhookConfig(config: WahaConfig, webhook: SessionWebhook) {
  return {
    url: webhook.url,
    events: [...wahaWebhookEvents],
    ...(config.hmacKey ? { hmac: { key: config.hmacKey } } : {}),
  };
}

async function postSessionAction(
  context: ProviderContext<WahaConfig>,
  action: 'start' | 'stop' | 'logout',
): Promise<unknown> {
  return callWahaJson(context, {
    method: 'POST',
    path: `${sessionPath(context.config)}/${action}`,
  });
}

/** Updates an existing session's webhook and starts it when it is not running. */
async function updateAndStart(
  context: ProviderContext<WahaConfig>,
  existing: WahaSession,
  webhook: SessionWebhook,
): Promise<SessionState> {
  const updated = readSession(
    await callWahaJson(context, {
      method: 'PUT',
      path: sessionPath(context.config),
      body: {
        config: withRecadoWebhook(existing.config, webhookConfig(context.config, webhook)),
      },
    }),
  );
  const state = stateOf(updated);
  if (state.status !== 'stopped' && state.status !== 'failed') return state;
  return stateOf(readSession(await postSessionAction(context, 'start')));
}

/** `SessionControl` of the WAHA adapter. */
export const wahaSessions: SessionControl<WahaConfig> = {
  async start(context, webhook) {
    const existing = await findSession(context);
    if (existing) return updateAndStart(context, existing, webhook);
    try {
      const created = await callWahaJson(context, {
        method: 'POST',
        path: '/api/sessions',
        body: {
          name: context.config.session,
          start: true,
          config: { webhooks: [webhookConfig(context.config, webhook)] },
        },
      });
      return stateOf(readSession(created));
    } catch (error) {
      // Created meanwhile by someone else: update it instead.
      const raced = error instanceof ProviderError && error.code === 'WAHA_HTTP_422';
      const again = raced ? await findSession(context) : undefined;
      if (!again) throw error;
      return updateAndStart(context, again, webhook);
    }
  },

  async status(context) {
    const session = await findSession(context);
    if (!session) {
      return { status: 'stopped', detail: 'The session does not exist on the WAHA server' };
    }
    return stateOf(session);
  },

  async qr(context) {
    const response = await callWaha(context, {
      method: 'GET',
      path: `/api/${encodeURIComponent(context.config.session)}/auth/qr`,
      query: { format: 'image' },
      accept: 'image/png, application/json;q=0.5',
    });
    const type = response.headers.get('content-type') ?? '';
    if (/^image\/png\b/i.test(type)) {
      const png = await readLimitedBody(response, maxQrBytes);
      if (png.subarray(0, 8).equals(pngSignature)) return { png };
      throw wahaInvalidResponse(
        'WAHA answered the QR request with bytes that are not a PNG',
        undefined,
        true,
      );
    }
    const answer = record(await readJson(response));
    if (typeof answer?.data === 'string') {
      const png = Buffer.from(answer.data, 'base64');
      if (png.length <= maxQrBytes && png.subarray(0, 8).equals(pngSignature)) return { png };
    }
    if (typeof answer?.value === 'string' && answer.value) return { value: answer.value };
    throw wahaInvalidResponse('WAHA answered the QR request without a QR code', answer, true);
  },

  async pairingCode(context, phone) {
    const digits = phone.replace(/\D/g, '');
    if (!/^\d{8,15}$/.test(digits)) {
      throw new ProviderError({
        code: 'WAHA_INVALID_RECIPIENT',
        reason: 'Pairing by code needs the phone number of 8 to 15 digits, with country code',
        retryable: false,
      });
    }
    const answer = record(
      await callWahaJson(context, {
        method: 'POST',
        path: `/api/${encodeURIComponent(context.config.session)}/auth/request-code`,
        body: { phoneNumber: digits },
      }),
    );
    const code = answer?.code;
    if (typeof code !== 'string' || !/^[A-Z0-9-]{4,16}$/i.test(code)) {
      throw wahaInvalidResponse('WAHA answered the pairing request without a code', answer, true);
    }
    return { code };
  },

  async stop(context) {
    await postSessionAction(context, 'stop');
  },

  async logout(context) {
    await postSessionAction(context, 'logout');
  },
};
