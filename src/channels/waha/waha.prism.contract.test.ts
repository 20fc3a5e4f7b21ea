import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismServer, startPrism } from '../../../test/helpers/prism.js';
import { type HttpClient, ProviderError } from '../provider.port.js';
import { correctWahaContract, loadWahaContract } from './fixtures/waha-contract.js';
import { wahaOutboundCases } from './fixtures/waha-outbound.js';
import { type WahaConfig, wahaProvider } from './waha.provider.js';

/*
 * The real adapter against a Prism mock of WAHA's OpenAPI description of its 2024.9 API, with
 * the corrections of fixtures/waha-contract.ts (read literally, the document rejects voice and
 * video files and webhook registrations WAHA accepts, and its own generated examples).
 * `--errors` makes Prism answer 422 to a request that does not validate and 401 to one without
 * `X-Api-Key`: every call below must get a 2xx. Where the contract declares no answer body
 * (most sends, the pairing code), the adapter then says it found no id or code, which is its
 * right answer to such a reply. Prism runs offline, on a free loopback port.
 */

let prism: PrismServer | undefined;
let prismUrl = '';
let workDir = '';

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'recado-waha-prism-'));
  const contractFile = path.join(workDir, 'waha.2024.9.corrected.json');
  writeFileSync(contractFile, JSON.stringify(correctWahaContract(loadWahaContract()).contract));
  prism = await startPrism({ mode: 'mock', contractFile, errors: true });
  prismUrl = prism.url;
}, 90_000);

afterAll(async () => {
  await prism?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The adapter's context on Prism, recording each call's method, path and answer status. */
function prismContext(change: (init: RequestInit) => RequestInit = (init) => init) {
  const calls: Array<{ method: string; path: string; status: number; body: string }> = [];
  const config: WahaConfig = wahaProvider.configSchema.parse({
    baseUrl: prismUrl,
    apiKey: 'prism-key',
    hmacKey: 'a-sixteen-char-key',
  });
  const http: HttpClient = async (url, init) => {
    const response = await fetch(url, change(init));
    const body = await response.clone().text();
    calls.push({
      method: String(init.method),
      path: new URL(url).pathname,
      status: response.status,
      body,
    });
    return response;
  };
  return { calls, context: { config, http } };
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

const expectAccepted = (calls: Array<{ status: number; body: string; path: string }>) => {
  for (const call of calls) {
    expect(
      call.status,
      `${call.path}: ${call.body}\n${(prism?.output() ?? '').slice(-2_000)}`,
    ).toBeLessThan(300);
  }
};

describe('the waha adapter against a Prism mock of the 2024.9 contract', () => {
  it.each(wahaOutboundCases)(
    '$name: the request validates',
    async ({ path: sendPath, message }) => {
      const { calls, context } = prismContext();
      const result = await outcome(wahaProvider.send(context, message));
      expect(calls.map((c) => c.path)).toEqual([sendPath]);
      expectAccepted(calls);
      if (sendPath === '/api/sendText') {
        // The one send whose answer the contract describes (`WAMessage`): its example id.
        expect(result).toEqual({
          providerMessageId: 'false_11111111111@c.us_AAAAAAAAAAAAAAAAAAAA',
        });
      } else if (sendPath === '/api/reaction') {
        expect(result).toMatchObject({
          providerMessageId: expect.stringMatching(/^waha-reaction:/),
        });
      } else {
        expect(result).toMatchObject({ code: 'WAHA_INVALID_RESPONSE', retryable: false });
      }
    },
  );

  it('a Brazilian mobile is looked up first (check-exists), then sent to', async () => {
    const { calls, context } = prismContext();
    await outcome(
      wahaProvider.send(context, {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'Olá' },
      }),
    );
    expect(calls.map((c) => c.path)).toEqual(['/api/contacts/check-exists', '/api/sendText']);
    expectAccepted(calls);
  });

  it('typing presence: startTyping and stopTyping', async () => {
    const { calls, context } = prismContext();
    await wahaProvider.sendPresence?.(context, { phone: '+14155550123' }, 'typing');
    await wahaProvider.sendPresence?.(context, { phone: '+14155550123' }, 'paused');
    expect(calls.map((c) => c.path)).toEqual(['/api/startTyping', '/api/stopTyping']);
    expectAccepted(calls);
  });

  it('session control: start (find, update, start), status, QR, pairing code, stop, logout', async () => {
    const sessions = wahaProvider.sessions;
    if (!sessions) throw new Error('WAHA has session control');
    const { calls, context } = prismContext();
    const started = await sessions.start(context, {
      url: 'https://recado.test/webhooks/waha/c?token=t',
    });
    expect(started.detail).toMatch(/^(STOPPED|STARTING|SCAN_QR_CODE|WORKING|FAILED)$/);
    await sessions.status(context);
    // Prism serves a placeholder, not a PNG: the adapter refuses it.
    expect(await outcome(sessions.qr(context))).toMatchObject({ code: 'WAHA_INVALID_RESPONSE' });
    // The contract declares no answer body for the pairing code.
    expect(
      await outcome(sessions.pairingCode?.(context, '+5511987654321') ?? Promise.resolve()),
    ).toMatchObject({
      code: 'WAHA_INVALID_RESPONSE',
    });
    await sessions.stop(context);
    await sessions.logout(context);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/sessions/default',
        'PUT /api/sessions/default',
        'GET /api/default/auth/qr',
        'POST /api/default/auth/request-code',
        'POST /api/sessions/default/stop',
        'POST /api/sessions/default/logout',
      ]),
    );
    expectAccepted(calls);
  });

  it('Prism refuses what the contract forbids, and the adapter says why (the mock can fail)', async () => {
    const text = { to: { phone: '+14155550123' }, content: { type: 'text', text: 'x' } } as const;
    const withoutKey = prismContext((init) => ({
      ...init,
      headers: Object.fromEntries(
        Object.entries(init.headers as Record<string, string>).filter(
          ([name]) => name !== 'x-api-key',
        ),
      ),
    }));
    const unauthorized = await outcome(wahaProvider.send(withoutKey.context, text));
    expect(withoutKey.calls[0]?.status).toBe(401);
    expect(unauthorized).toBeInstanceOf(ProviderError);
    expect(unauthorized).toMatchObject({ code: 'WAHA_UNAUTHORIZED', retryable: false });

    const withoutChat = prismContext((init) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      delete body.chatId;
      return { ...init, body: JSON.stringify(body) };
    });
    const invalid = await outcome(wahaProvider.send(withoutChat.context, text));
    expect(withoutChat.calls[0]?.status).toBe(422);
    expect(invalid).toMatchObject({ code: 'WAHA_HTTP_422', retryable: false });

    const wrongType = prismContext((init) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      return { ...init, body: JSON.stringify({ ...body, latitude: 'north' }) };
    });
    await outcome(
      wahaProvider.send(wrongType.context, {
        to: text.to,
        content: { type: 'location', latitude: 1, longitude: 2 },
      }),
    );
    expect(wrongType.calls[0]?.status).toBe(422);
  });
});
