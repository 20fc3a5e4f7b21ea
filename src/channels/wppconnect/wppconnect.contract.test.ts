import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismServer, startPrism } from '../../../test/helpers/prism.js';
import { messageContentSchema } from '../../shared/messaging/message-content.js';
import type { HttpClient, ProviderContext } from '../provider.port.js';
import { wppconnectOutboundCases } from './fixtures/wppconnect-outbound.js';
import { fixtureSession, wppconnectWebhookFixtures } from './fixtures/wppconnect-webhooks.js';
import { type FakeWppconnect, startFakeWppconnect } from './testing/fake-wppconnect-server.js';
import {
  createWppconnectProvider,
  type WppconnectConfig,
  wppconnectProvider,
} from './wppconnect.provider.js';
import { buildWppconnectSendRequest } from './wppconnect.send.js';

/*
 * The adapter against WPPConnect Server's own swagger description (v2.10.4,
 * ../shared/contracts/wppconnect-server.2.10.swagger.json). The description declares request
 * bodies but almost no responses, so requests are checked against it and answered by our own
 * loopback server (testing/fake-wppconnect-server.ts):
 *
 * - every send body validates against the route's request schema (ajv), and the route exists
 *   with the method and bearer security the adapter uses;
 * - the whole adapter (token, sends, session control, media) runs through a Prism *proxy* of
 *   the description in front of that server: Prism checks each request (path, method, bearer,
 *   body) and reports violations in its `sl-violations` header, which must list none for the
 *   request. (Response violations are expected: the description declares e.g. only 400 for
 *   send-message. Prism also re-encodes binary answers as text, so the QR PNG is checked in
 *   the unit suite.)
 * - webhook bodies shaped like the server's documented events parse into valid events.
 */

const contractFile = fileURLToPath(
  new URL('../../../../shared/contracts/wppconnect-server.2.10.swagger.json', import.meta.url),
);

type Operation = {
  security?: Array<Record<string, unknown>>;
  requestBody?: { content?: { 'application/json'?: { schema?: Record<string, unknown> } } };
};
const contract = JSON.parse(readFileSync(contractFile, 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

function operation(route: string, method: 'get' | 'post'): Operation | undefined {
  return contract.paths[`/api/{session}/${route}`]?.[method];
}

const ajv = new Ajv({ strict: false, allErrors: true });

describe('send bodies against the swagger description', () => {
  it.each(wppconnectOutboundCases)('$name → POST /api/{session}/$route', ({ message, route }) => {
    const request = buildWppconnectSendRequest(message);
    expect(request.path).toBe(route);
    const declared = operation(route, 'post');
    expect(declared, `no POST /api/{session}/${route} in the contract`).toBeDefined();
    expect(declared?.security).toEqual([{ bearerAuth: [] }]);
    const schema = declared?.requestBody?.content?.['application/json']?.schema;
    if (!schema) {
      // send-buttons-like routes without a body schema would pass anything: none of ours.
      throw new Error(`${route} declares no JSON body`);
    }
    const validate = ajv.compile(schema);
    expect(validate(request.body), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the validation can fail (wrong types are refused)', () => {
    const schema = operation('send-location', 'post')?.requestBody?.content?.['application/json']
      ?.schema;
    const validate = ajv.compile(schema ?? {});
    expect(validate({ phone: '5511', lat: -22.9, lng: -43.1 })).toBe(false);
    expect(validate({ phone: 5511, lat: '-22.9', lng: '-43.1' })).toBe(false);
  });

  it('the session routes the adapter calls exist with bearer security', () => {
    for (const [route, method] of [
      ['start-session', 'post'],
      ['status-session', 'get'],
      ['check-connection-session', 'get'],
      ['qrcode-session', 'get'],
      ['close-session', 'post'],
      ['logout-session', 'post'],
      ['get-media-by-message/{messageId}', 'get'],
    ] as const) {
      expect(operation(route, method)?.security, route).toEqual([{ bearerAuth: [] }]);
    }
    const token = contract.paths['/api/{session}/{secretkey}/generate-token']?.post;
    expect(token).toBeDefined();
    expect(token?.security).toBeUndefined();
    const start = operation('start-session', 'post')?.requestBody?.content?.['application/json']
      ?.schema;
    expect(
      ajv.compile(start ?? {})({ webhook: 'https://recado.test/w?token=t', waitQrCode: false }),
    ).toBe(true);
  });
});

let prism: PrismServer | undefined;
let prismUrl = '';
let fake: FakeWppconnect;

beforeAll(async () => {
  fake = await startFakeWppconnect();
  prism = await startPrism({ mode: 'proxy', contractFile, upstream: fake.baseUrl });
  prismUrl = prism.url;
}, 90_000);

afterAll(async () => {
  await fake?.close();
  await prism?.stop();
});

type Violation = { location?: string[]; severity?: string; message?: string };
type Checked = { method: string; url: string; requestViolations: Violation[] };

/** An HTTP client that keeps what Prism says about each request. */
function checkingClient(log: Checked[]): HttpClient {
  return async (url, init) => {
    const response = await fetch(url, init);
    const header = response.headers.get('sl-violations');
    const violations = header ? (JSON.parse(header) as Violation[]) : [];
    log.push({
      method: init.method ?? 'GET',
      url,
      requestViolations: violations.filter((v) => v.location?.[0] === 'request'),
    });
    return response;
  };
}

describe('the adapter through a Prism proxy of the swagger description', () => {
  const log: Checked[] = [];
  let context: ProviderContext<WppconnectConfig>;
  const provider = createWppconnectProvider();

  beforeAll(() => {
    context = {
      config: wppconnectProvider.configSchema.parse({
        baseUrl: prismUrl,
        session: fake.session,
        secretKey: fake.secretKey,
      }),
      http: checkingClient(log),
    };
  });

  function expectValidRequests() {
    const invalid = log.filter((entry) => entry.requestViolations.length > 0);
    expect(
      invalid,
      `${JSON.stringify(invalid, null, 2)}\n${(prism?.output() ?? '').slice(-2_000)}`,
    ).toEqual([]);
    log.length = 0;
  }

  it('session control: token, start, status, QR, connection check', async () => {
    const sessions = provider.sessions;
    if (!sessions) throw new Error('no session control');
    expect(await sessions.start(context, { url: 'http://127.0.0.1:9/webhook?token=t' })).toEqual(
      expect.objectContaining({ status: 'starting' }),
    );
    await fake.idle();
    expect(await sessions.status(context)).toMatchObject({ status: 'qr' });
    await sessions.qr(context);
    await fake.scanQr();
    expect(await sessions.status(context)).toMatchObject({ status: 'connected' });
    expect(log.map((entry) => new URL(entry.url).pathname)).toEqual([
      `/api/${fake.session}/${fake.secretKey}/generate-token`,
      `/api/${fake.session}/start-session`,
      `/api/${fake.session}/status-session`,
      `/api/${fake.session}/qrcode-session`,
      `/api/${fake.session}/status-session`,
      `/api/${fake.session}/check-connection-session`,
    ]);
    expectValidRequests();
  });

  it.each(wppconnectOutboundCases)('send $name', async ({ message, route }) => {
    const result = await provider.send(context, message);
    expect(result.providerMessageId).toMatch(/^(true_|wppconnect-reaction:)/);
    expect(new URL(log.at(-1)?.url ?? 'http://x').pathname).toBe(`/api/${fake.session}/${route}`);
    expectValidRequests();
  });

  it('media download by message id', async () => {
    fake.storeMedia('false_5511987654321@c.us_ABC', Buffer.from('%PDF-1.7 …'), 'application/pdf');
    const media = await provider.downloadMedia?.(
      context,
      { providerMediaId: 'false_5511987654321@c.us_ABC' },
      { maxBytes: 1_000_000 },
    );
    expect(media?.mimeType).toBe('application/pdf');
    expectValidRequests();
  });

  it('stop and logout', async () => {
    await provider.sessions?.stop(context);
    await provider.sessions?.logout(context);
    expectValidRequests();
  });

  it('Prism reports what the description forbids (the check can fail)', async () => {
    const http = checkingClient(log);
    const token = await (
      await fetch(`${prismUrl}/api/${fake.session}/${fake.secretKey}/generate-token`, {
        method: 'POST',
      })
    ).json();
    const send = (body: unknown, headers: Record<string, string>) =>
      http(`${prismUrl}/api/${fake.session}/send-location`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const bearer = { authorization: `Bearer ${(token as { token: string }).token}` };
    await send({ phone: '5511987654321', lat: -22.9, lng: -43.1 }, bearer);
    await send({ phone: '5511987654321', lat: '-22.9', lng: '-43.1' }, {});
    await http(`${prismUrl}/api/${fake.session}/send-hologram`, {
      method: 'POST',
      headers: bearer,
    });
    expect(log.map((entry) => entry.requestViolations.length > 0)).toEqual([true, true, true]);
    expect(JSON.stringify(log[0]?.requestViolations)).toMatch(/lat/);
    expect(JSON.stringify(log[1]?.requestViolations)).toMatch(/security/i);
    log.length = 0;
  });
});

describe('webhook bodies shaped like the server’s documented events', () => {
  const config = { baseUrl: 'http://127.0.0.1:1', session: fixtureSession, secretKey: 'k' };
  it.each(Object.entries(wppconnectWebhookFixtures))('%s', (_name, payload) => {
    const events = wppconnectProvider.parseWebhook(config, {
      method: 'POST',
      url: 'https://recado.test/webhooks/wppconnect/1?token=t',
      headers: { 'content-type': 'application/json' },
      query: { token: 't' },
      rawBody: Buffer.from(JSON.stringify(payload)),
    });
    for (const event of events) {
      expect(event.eventKey).toMatch(/^wppconnect:(msg|ack|session|system):\S+$/);
      if (event.kind === 'message') {
        expect(messageContentSchema.safeParse(event.content).success).toBe(true);
      }
    }
  });

  it('has no signature to check: the URL token is compared instead', () => {
    const request = {
      method: 'POST',
      url: 'https://recado.test/webhooks/wppconnect/1',
      headers: {},
      query: { token: 'channel-token' },
      rawBody: Buffer.from('{}'),
    };
    expect(
      wppconnectProvider.verifyWebhook(config, request, { webhookToken: 'channel-token' }),
    ).toBe(true);
    expect(wppconnectProvider.verifyWebhook(config, request, { webhookToken: 'other-token' })).toBe(
      false,
    );
  });
});
