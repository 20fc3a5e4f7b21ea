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
  type FakeWppconnect,
  fakeQrPng,
  startFakeWppconnect,
} from '../../channels/wppconnect/testing/fake-wppconnect-server.js';
import { checkSessionsJob } from './sessions.service.js';

/*
 * WPPConnect end to end, on loopback: a fake WPPConnect Server (its routes, bearer tokens and
 * webhooks as the real one) ↔ the real app. The channel is created through the API, its session
 * started with Recado's webhook URL (which carries the channel's `?token=`), and from then on
 * the fake posts its webhooks into the app exactly as WPPConnect would.
 */

let t: TestApp;
let fake: FakeWppconnect;
let token: string;
let channelId: string;
let webhookUrl: string;
const events: Array<{ type: string; payload: Record<string, unknown> }> = [];
const customer = '5511987654321';

type ChannelView = {
  id: string;
  status: string;
  webhookUrl: string;
  config: Record<string, unknown>;
  secretsSet: string[];
};
type MessageView = {
  id: string;
  status: string;
  direction: string;
  content: Record<string, unknown>;
  providerMessageId: string | null;
  readAt: string | null;
};

/** Posts a webhook to the app the way WPPConnect's axios call would reach it. */
async function postWebhook(url: string, body: string) {
  const { pathname, search } = new URL(url);
  const response = await t.app.inject({
    method: 'POST',
    url: `${pathname}${search}`,
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  return response.statusCode;
}

async function createChannel(name: string, session: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'wppconnect',
      name,
      config: { baseUrl: fake.baseUrl, session, secretKey: fake.secretKey },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ChannelView>();
}

const channel = async () =>
  (
    await t.app.inject({ url: `/api/v1/channels/${channelId}`, headers: bearer(token) })
  ).json<ChannelView>();

const message = async (id: string) =>
  (
    await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
  ).json<MessageView>();

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await t.database.db.execute(query)) as unknown as {
    rows: Array<{ n: number | string }>;
  };
  return Number(result.rows[0]?.n ?? 0);
}

async function inboundMessages(): Promise<MessageView[]> {
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
  fake = await startFakeWppconnect({ session: 'onboarding', deliverWebhook: postWebhook });
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await createChannel('Onboarding', 'onboarding');
  channelId = created.id;
  webhookUrl = created.webhookUrl;
  t.events.subscribe((event) => {
    events.push(event as { type: string; payload: Record<string, unknown> });
  });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('WPPConnect end to end', () => {
  it('creates the channel with its secret sealed and a webhook URL carrying its token', async () => {
    const view = await channel();
    expect(view.config).toEqual({ baseUrl: fake.baseUrl, session: 'onboarding' });
    expect(view.secretsSet).toEqual(['secretKey']);
    expect(JSON.stringify(view)).not.toContain(fake.secretKey);
    expect(view.webhookUrl).toMatch(
      new RegExp(`/webhooks/wppconnect/${channelId}\\?token=[A-Za-z0-9_-]{20,}$`),
    );
  });

  it('pairs by QR code through the session API; the session webhooks make the channel active', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/session/start`,
      headers: bearer(token),
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'starting', wanted: true });
    // Recado registered its own webhook URL, token included, on the WPPConnect session.
    expect(fake.requests.find((r) => r.route === 'start-session')?.body).toEqual({
      webhook: webhookUrl,
      waitQrCode: false,
    });
    await fake.idle();
    expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200]);
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('connecting');
    const qr = await t.app.inject({
      url: `/api/v1/channels/${channelId}/session/qr`,
      headers: bearer(token),
    });
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.equals(fakeQrPng)).toBe(true);

    await fake.scanQr();
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('active');
    await eventually(
      async () => events.filter((e) => e.type === 'channel.connected'),
      (found) => found.length === 1,
    );
    const session = await t.app.inject({
      url: `/api/v1/channels/${channelId}/session`,
      headers: bearer(token),
    });
    expect(session.json()).toMatchObject({ status: 'connected', channelStatus: 'active' });
  });

  it('stores an inbound message, sends the reply, and follows the acks up to read', async () => {
    const inboundId = await fake.receive({ from: customer, name: 'Ana', body: 'Oi, quero ajuda' });
    expect(fake.deliveries.at(-1)?.status).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    const [inbound] = await inboundMessages();
    expect(inbound).toMatchObject({
      direction: 'inbound',
      providerMessageId: inboundId,
      content: { type: 'text', text: 'Oi, quero ajuda' },
    });
    expect(events.some((e) => e.type === 'message.received')).toBe(true);

    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: {
        channelId,
        to: { phone: '+55 11 98765-4321' },
        content: { type: 'text', text: 'Olá Ana! Já te ajudo.' },
      },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json<{ id: string }>().id;
    const afterSend = await eventually(
      () => message(id),
      (view) => view.status === 'sent',
    );
    const call = fake.sends.at(-1);
    expect(call).toMatchObject({
      route: 'send-message',
      body: { phone: customer, isGroup: false, message: 'Olá Ana! Já te ajudo.' },
    });
    expect(afterSend.providerMessageId).toBe(call?.id);

    for (const level of [1, 2, 3]) await fake.ack(call?.id ?? '', level);
    await t.runtime.queue.whenIdle(10_000);
    const read = await eventually(
      () => message(id),
      (view) => view.status === 'read',
    );
    expect(read.readAt).not.toBeNull();
    // A redelivered ack changes nothing and is taken as a duplicate.
    await fake.ack(call?.id ?? '', 3);
    expect(fake.deliveries.at(-1)?.status).toBe(200);
    expect(
      await count(
        sql`select count(*) as n from message_status_events where provider_message_id = ${call?.id ?? ''}`,
      ),
    ).toBe(3);
  });

  it('sends buttons as numbered text (WPPConnect cannot render them)', async () => {
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: {
        channelId,
        to: { phone: `+${customer}` },
        content: {
          type: 'buttons',
          body: 'Como podemos ajudar?',
          buttons: [
            { id: 'boleto', title: 'Boleto' },
            { id: 'humano', title: 'Atendente' },
          ],
        },
      },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await eventually(
      () => message(sent.json<{ id: string }>().id),
      (view) => view.status === 'sent',
    );
    const call = fake.sends.at(-1);
    expect(call?.route).toBe('send-message');
    expect(String(call?.body.message)).toMatch(
      /Como podemos ajudar\?[\s\S]*1[\s\S]*Boleto[\s\S]*2[\s\S]*Atendente/,
    );
  });

  it('fetches an inbound photo through the server and stores it', async () => {
    const photoId = await fake.receive({
      from: customer,
      name: 'Ana',
      type: 'image',
      body: '/9j/4AAQSkZJRg==',
      fields: {
        caption: 'Comprovante',
        mimetype: 'image/png',
        isMedia: true,
        size: fakeQrPng.length,
      },
    });
    fake.storeMedia(photoId, fakeQrPng, 'image/png');
    await t.runtime.queue.whenIdle(10_000);
    const stored = await eventually(
      async () => (await inboundMessages()).find((m) => m.providerMessageId === photoId),
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
    const fetched = fake.requests.find((r) => r.route === 'get-media-by-message');
    expect(fetched?.headers.authorization).toMatch(/^Bearer /);
  });

  it('refuses a webhook with a missing or wrong token (401) and stores nothing', async () => {
    const other = await createChannel('Another number', 'another');
    const otherToken = new URL(other.webhookUrl).searchParams.get('token') ?? '';
    const base = `/webhooks/wppconnect/${channelId}`;
    const body = JSON.stringify({
      event: 'onmessage',
      session: 'onboarding',
      id: `false_${customer}@c.us_FORGED01`,
      type: 'chat',
      body: 'forged',
      from: `${customer}@c.us`,
      t: 1_732_000_000,
    });
    for (const url of [
      base,
      `${base}?token=`,
      `${base}?token=${otherToken}`,
      `${base}?token=${otherToken.slice(0, 5)}`,
      `${base}?secret=${new URL(webhookUrl).searchParams.get('token')}`,
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(response.statusCode, url).toBe(401);
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
    const signed = `${new URL(webhookUrl).pathname}${new URL(webhookUrl).search}`;
    const post = (url: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload,
      });
    expect((await post(signed, 'x'.repeat(2 * 1024 * 1024))).statusCode).toBe(413);
    const unknown = signed.replace(channelId, '00000000-0000-4000-8000-000000000000');
    expect((await post(unknown, '{}')).statusCode).toBe(404);
    // A signed but unreadable body is kept for inspection, marked failed, never retried.
    const broken = '{"event": "onmessage", "session": "onboarding", "id": ';
    expect((await post(signed, broken)).statusCode).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    expect(
      await count(
        sql`select count(*) as n from webhook_deliveries where body = ${broken} and status = 'failed'`,
      ),
    ).toBe(1);
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'wppconnect',
        name: 'Bad',
        config: { baseUrl: 'not a url', session: 'a:b', secretKey: 42 },
      },
    });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json().error.details)).toMatch(/config\.baseUrl/);
  });

  it('marks the channel disconnected when the phone unlinks the device, then restarts the session', async () => {
    await fake.disconnectPhone();
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('disconnected');
    const disconnected = await eventually(
      async () =>
        events.filter(
          (e) => e.type === 'channel.disconnected' && e.payload.detail === 'desconnectedMobile',
        ),
      (found) => found.length === 1,
    );
    expect(disconnected[0]?.payload).toMatchObject({ channelId, status: 'disconnected' });

    // The session monitor's round: the wanted session is down, so it is started again.
    const startsBefore = fake.requests.filter((r) => r.route === 'start-session').length;
    await t.runtime.queue.enqueue(checkSessionsJob, {});
    await t.runtime.queue.whenIdle(10_000);
    expect(fake.requests.filter((r) => r.route === 'start-session')).toHaveLength(startsBefore + 1);
    await fake.idle();
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('connecting');
    const qr = await t.app.inject({
      url: `/api/v1/channels/${channelId}/session/qr`,
      headers: bearer(token),
    });
    expect(qr.rawPayload.equals(fakeQrPng)).toBe(true);

    // Scanned again. WPPConnect's status-find bodies carry no time or id, so these repeat the
    // first pairing's byte for byte; session events get a fresh delivery key each, so they are
    // not dropped as redeliveries and the channel is active again without waiting for a poll.
    await fake.scanQr();
    expect(fake.deliveries.slice(-3).map((d) => d.status)).toEqual([200, 200, 200]);
    await t.runtime.queue.whenIdle(10_000);
    expect((await channel()).status).toBe('active');
  });
});
