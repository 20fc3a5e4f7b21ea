import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import {
  type FakeWaha,
  fakeQrPng,
  startFakeWaha,
} from '../../channels/waha/fixtures/fake-waha-server.js';
import { signWahaWebhook, wahaTextEvent } from '../../channels/waha/fixtures/waha-webhooks.js';
import { checkSessionsJob } from './sessions.service.js';

/*
 * WAHA end to end, on loopback: a fake WAHA server (its API, `X-Api-Key`, sessions and HMAC-signed
 * webhooks as WAHA 2024.9 documents them) ↔ the real app. The channel is created through the API
 * and its session started there: Recado registers its webhook URL and HMAC key on the session,
 * and from then on the fake posts its webhooks into the app exactly as WAHA would.
 */

const session = 'cobranca';
const hmacKey = 'recado-waha-hmac-key-0001';
const customer = '5511987654321';
let t: TestApp;
let fake: FakeWaha;
let token: string;
let channelId: string;
let webhookUrl: string;
/** The `session.status` WORKING body of the first pairing, as WAHA posted it. */
let firstWorkingBody = '';
const events: Array<{ type: string; payload: Record<string, unknown> }> = [];

type ChannelView = {
  id: string;
  status: string;
  webhookUrl: string;
  config: Record<string, unknown>;
  secretsSet: string[];
  displayNumber: string | null;
};
type MessageView = {
  id: string;
  status: string;
  direction: string;
  content: Record<string, unknown>;
  providerMessageId: string | null;
  readAt: string | null;
};

/** Posts a webhook to the app the way WAHA's HTTP client would reach it. */
async function postWebhook(url: string, body: string, headers: Record<string, string>) {
  const { pathname, search } = new URL(url);
  const response = await t.app.inject({
    method: 'POST',
    url: `${pathname}${search}`,
    headers,
    payload: body,
  });
  return response.statusCode;
}

const channel = async () =>
  (
    await t.app.inject({ url: `/api/v1/channels/${channelId}`, headers: bearer(token) })
  ).json<ChannelView>();

const message = async (id: string) =>
  (
    await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
  ).json<MessageView>();

const sendMessage = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(token),
    payload: { channelId, ...payload },
  });

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await t.database.db.execute(query)) as unknown as {
    rows: Array<{ n: number | string }>;
  };
  return Number(result.rows[0]?.n ?? 0);
}

async function conversationMessages(): Promise<MessageView[]> {
  const conversations = await t.app.inject({
    url: `/api/v1/conversations?channelId=${channelId}&phone=%2B${customer}`,
    headers: bearer(token),
  });
  const [conversation] = conversations.json<{ items: Array<{ id: string }> }>().items;
  if (!conversation) return [];
  const page = await t.app.inject({
    url: `/api/v1/conversations/${conversation.id}/messages`,
    headers: bearer(token),
  });
  return page.json<{ items: MessageView[] }>().items;
}

beforeAll(async () => {
  t = await createTestApp();
  fake = await startFakeWaha({ engine: 'WEBJS', deliverWebhook: postWebhook });
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'waha',
      name: 'Cobranças',
      config: { baseUrl: fake.baseUrl, apiKey: fake.apiKey, session, hmacKey },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  channelId = created.json<ChannelView>().id;
  webhookUrl = created.json<ChannelView>().webhookUrl;
  t.events.subscribe((event) => {
    events.push(event as { type: string; payload: Record<string, unknown> });
  });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('WAHA end to end', () => {
  it('creates the channel with its API key and HMAC key sealed', async () => {
    const view = await channel();
    expect(view.config).toEqual({ baseUrl: fake.baseUrl, session });
    expect(view.secretsSet.sort()).toEqual(['apiKey', 'hmacKey']);
    expect(JSON.stringify(view)).not.toContain(fake.apiKey);
    expect(JSON.stringify(view)).not.toContain(hmacKey);
    expect(view.webhookUrl).toMatch(
      new RegExp(`/webhooks/waha/${channelId}\\?token=[A-Za-z0-9_-]{20,}$`),
    );
    const providers = await t.app.inject({
      url: '/api/v1/channel-providers',
      headers: bearer(token),
    });
    const waha = providers
      .json<{
        items: Array<{ id: string; capabilities: { sends: string[]; hasQrSession: boolean } }>;
      }>()
      .items.find((provider) => provider.id === 'waha');
    expect(waha?.capabilities).toMatchObject({ hasQrSession: true });
    expect(waha?.capabilities.sends).not.toContain('buttons');
  });

  it('pairs through the session API: webhook and HMAC key registered, QR served, then connected', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/session/start`,
      headers: bearer(token),
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'starting', wanted: true });
    expect(
      fake.requests.find((r) => r.method === 'POST' && r.path === '/api/sessions')?.body,
    ).toEqual({
      name: session,
      start: true,
      config: {
        webhooks: [
          {
            url: webhookUrl,
            events: ['message', 'message.ack', 'session.status'],
            hmac: { key: hmacKey },
          },
        ],
      },
    });
    await fake.idle();
    expect(fake.deliveries.map((d) => [d.event, d.status])).toEqual([
      ['session.status', 200],
      ['session.status', 200],
    ]);
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('connecting');

    const qr = await t.app.inject({
      url: `/api/v1/channels/${channelId}/session/qr`,
      headers: bearer(token),
    });
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.equals(fakeQrPng)).toBe(true);
    const code = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/session/pairing-code`,
      headers: bearer(token),
      payload: { phone: '+55 11 90000-0000' },
    });
    expect(code.statusCode, code.body).toBe(200);
    expect(code.json()).toEqual({ code: 'ABCD-1234' });

    await fake.scanQr(session);
    firstWorkingBody = fake.deliveries.at(-1)?.body ?? '';
    expect(firstWorkingBody).toContain('"WORKING"');
    await t.runtime.queue.whenIdle(10_000);
    const active = await channel();
    expect(active.status).toBe('active');
    expect(active.displayNumber).toBe('+5511900000000');
    await eventually(
      async () => events.filter((e) => e.type === 'channel.connected'),
      (found) => found.length === 1,
    );
    const view = await t.app.inject({
      url: `/api/v1/channels/${channelId}/session`,
      headers: bearer(token),
    });
    expect(view.json()).toMatchObject({
      status: 'connected',
      channelStatus: 'active',
      phone: '+5511900000000',
    });
  });

  it('stores an inbound message, sends the reply, and follows the acks up to read', async () => {
    const inboundId = await fake.receive(session, {
      from: `${customer}@c.us`,
      text: 'Oi, recebi a cobrança',
      notifyName: 'Ana',
    });
    expect(fake.deliveries.at(-1)?.status).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    const [inbound] = await conversationMessages();
    expect(inbound).toMatchObject({
      direction: 'inbound',
      providerMessageId: inboundId,
      content: { type: 'text', text: 'Oi, recebi a cobrança' },
    });
    expect(events.some((e) => e.type === 'message.received')).toBe(true);

    fake.reset();
    const sent = await sendMessage({
      to: { phone: '+55 11 98765-4321' },
      content: { type: 'text', text: 'Olá Ana! O boleto vence dia 10.' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json<{ id: string }>().id;
    const afterSend = await eventually(
      () => message(id),
      (view) => view.status === 'sent',
    );
    // The contact wrote from this WhatsApp id: the reply goes to it, with no lookup.
    expect(fake.requests.some((r) => r.path === '/api/contacts/check-exists')).toBe(false);
    const call = fake.sent().at(-1);
    expect(call).toMatchObject({
      path: '/api/sendText',
      body: { session, chatId: `${customer}@c.us`, text: 'Olá Ana! O boleto vence dia 10.' },
    });
    expect(call?.headers['x-api-key']).toBe(fake.apiKey);
    expect(afterSend.providerMessageId).toMatch(new RegExp(`^true_${customer}@c\\.us_3EB0`));

    const providerId = afterSend.providerMessageId ?? '';
    for (const level of ['SERVER', 'DEVICE', 'READ'] as const)
      await fake.ack(session, providerId, level);
    await t.runtime.queue.whenIdle(10_000);
    const read = await eventually(
      () => message(id),
      (view) => view.status === 'read',
    );
    expect(read.readAt).not.toBeNull();
    // A redelivered ack is taken as a duplicate and changes nothing.
    await fake.ack(session, providerId, 'READ');
    expect(fake.deliveries.at(-1)?.status).toBe(200);
    expect(
      await count(
        sql`select count(*) as n from message_status_events where provider_message_id = ${providerId}`,
      ),
    ).toBe(3);
  });

  it('sends buttons as numbered text, and reads "2" back as the second option', async () => {
    fake.reset();
    const sent = await sendMessage({
      to: { phone: `+${customer}` },
      content: {
        type: 'buttons',
        body: 'Como prefere pagar?',
        buttons: [
          { id: 'pix', title: 'Pix' },
          { id: 'boleto', title: 'Boleto' },
        ],
      },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await eventually(
      () => message(sent.json<{ id: string }>().id),
      (view) => view.status === 'sent',
    );
    const call = fake.sent().at(-1);
    expect(call?.path).toBe('/api/sendText');
    expect(String(call?.body?.text)).toMatch(
      /Como prefere pagar\?[\s\S]*1[\s\S]*Pix[\s\S]*2[\s\S]*Boleto/,
    );

    const answerId = await fake.receive(session, { from: `${customer}@c.us`, text: '2' });
    await t.runtime.queue.whenIdle(10_000);
    const last = (await conversationMessages()).find((m) => m.providerMessageId === answerId);
    expect(last?.content).toMatchObject({
      type: 'interactive-reply',
      id: 'boleto',
      title: 'Boleto',
    });
  });

  it('fetches an inbound photo from the WAHA server (with the API key) and stores it', async () => {
    fake.addFile(`/api/files/${session}/photo.png`, fakeQrPng, 'image/png');
    const photoId = await fake.receive(session, {
      from: `${customer}@c.us`,
      text: 'Comprovante',
      payload: {
        type: 'image',
        hasMedia: true,
        // WAHA announces files under its own WAHA_BASE_URL, here not the address Recado uses.
        media: {
          url: `http://localhost:3000/api/files/${session}/photo.png`,
          mimetype: 'image/png',
        },
      },
    });
    await t.runtime.queue.whenIdle(10_000);
    const stored = await eventually(
      async () => (await conversationMessages()).find((m) => m.providerMessageId === photoId),
      (view) => typeof view?.content.mediaId === 'string',
    );
    expect(stored?.content).toMatchObject({
      type: 'image',
      caption: 'Comprovante',
      mimeType: 'image/png',
    });
    const media = await t.app.inject({
      url: `/api/v1/media/${String(stored?.content.mediaId)}/content`,
      headers: bearer(token),
    });
    expect(media.statusCode).toBe(200);
    expect(media.rawPayload.equals(fakeQrPng)).toBe(true);
    const fetched = fake.requests.find((r) => r.path === `/api/files/${session}/photo.png`);
    expect(fetched?.headers['x-api-key']).toBe(fake.apiKey);
  });

  it('refuses a webhook with a bad or missing HMAC (401) and stores nothing', async () => {
    const body = wahaTextEvent({
      id: `false_${customer}@c.us_FORGED01`,
      from: `${customer}@c.us`,
      text: 'forged',
      session,
    });
    const { pathname, search } = new URL(webhookUrl);
    const good = signWahaWebhook(body, hmacKey);
    const attempts: Array<[string, Record<string, string>, string]> = [
      [`${pathname}${search}`, signWahaWebhook(body, 'another-key-of-16+'), body],
      [`${pathname}${search}`, { 'content-type': 'application/json' }, body],
      [`${pathname}${search}`, good, body.replace('forged', 'changed')],
      [`${pathname}${search}`, { ...good, 'x-webhook-hmac': 'zz'.repeat(64) }, body],
      [`${pathname}${search}`, { ...good, 'x-webhook-hmac-algorithm': 'sha1' }, body],
      [pathname, { 'content-type': 'application/json' }, body],
    ];
    for (const [url, headers, payload] of attempts) {
      const response = await t.app.inject({ method: 'POST', url, headers, payload });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json().error.code).toBe('INVALID_SIGNATURE');
    }
    await t.runtime.queue.whenIdle(10_000);
    expect(
      await count(sql`select count(*) as n from webhook_deliveries where body like '%FORGED01%'`),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*) as n from messages where provider_message_id like '%FORGED01%'`,
      ),
    ).toBe(0);
  });

  it('answers bad input with a 4xx, never a 500', async () => {
    const { pathname, search } = new URL(webhookUrl);
    const post = (url: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: signWahaWebhook(payload, hmacKey),
        payload,
      });
    expect((await post(`${pathname}${search}`, 'x'.repeat(2 * 1024 * 1024))).statusCode).toBe(413);
    const unknown = pathname.replace(channelId, '00000000-0000-4000-8000-000000000000');
    expect((await post(unknown, '{}')).statusCode).toBe(404);
    // A signed but unreadable body is kept for inspection, marked failed, never retried.
    const broken = '{"event": "message", "session": "cobranca", "payload": ';
    expect((await post(`${pathname}${search}`, broken)).statusCode).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    expect(
      await count(
        sql`select count(*) as n from webhook_deliveries where body = ${broken} and status = 'failed'`,
      ),
    ).toBe(1);
    for (const config of [
      { baseUrl: 'not a url', apiKey: 'k' },
      { baseUrl: fake.baseUrl, apiKey: 'k', hmacKey: 'short' },
      { baseUrl: fake.baseUrl, apiKey: 42 },
      { baseUrl: fake.baseUrl, apiKey: 'k', session: '../x' },
    ]) {
      const invalid = await t.app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: bearer(token),
        payload: { provider: 'waha', name: 'Bad', config },
      });
      expect(invalid.statusCode, JSON.stringify(config)).toBe(400);
      expect(JSON.stringify(invalid.json().error.details)).toMatch(/config\./);
    }
    const badPhone = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/session/pairing-code`,
      headers: bearer(token),
      payload: { phone: 'abc' },
    });
    expect(badPhone.statusCode).toBe(400);
  });

  it('a failed session disconnects the channel; the monitor restarts it and it reconnects', async () => {
    await fake.transition(session, 'FAILED');
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('disconnected');
    const disconnected = await eventually(
      async () =>
        events.filter((e) => e.type === 'channel.disconnected' && e.payload.detail === 'FAILED'),
      (found) => found.length === 1,
    );
    expect(disconnected[0]?.payload).toMatchObject({ channelId, status: 'disconnected' });

    // The monitor's round: the wanted session is down, so it is started again (its webhook
    // config re-registered). The phone is still paired, so it comes back WORKING.
    fake.reset();
    await t.runtime.queue.enqueue(checkSessionsJob, {});
    await t.runtime.queue.whenIdle(10_000);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        `PUT /api/sessions/${session}`,
        `POST /api/sessions/${session}/start`,
      ]),
    );
    await fake.idle();
    // WAHA 2024.9 session events carry no id or time: STARTING and WORKING repeat the first
    // pairing's bodies byte for byte, yet they are taken (fresh delivery keys), not dropped.
    expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(fake.deliveries.at(-1)?.body).toBe(firstWorkingBody);
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('active');
    await eventually(
      async () => events.filter((e) => e.type === 'channel.connected'),
      (found) => found.length === 2,
    );
  });
});
