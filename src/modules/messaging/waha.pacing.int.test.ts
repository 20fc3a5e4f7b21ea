import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  startSecondWorker,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { type FakeWaha, startFakeWaha } from '../../channels/waha/fixtures/fake-waha-server.js';

/*
 * Pacing across workers (scaled mode only: PostgreSQL, BullMQ and the Redis limiter): a second
 * worker runtime shares the database and Redis with the test app, so two queue consumers take
 * the sends. A 2–4 s policy must hold between any two bulk sends reaching WAHA, whichever worker
 * sent them, while a reply to a contact who just wrote goes at once.
 */

const session = 'avisos';
let t: TestApp;
let second: Awaited<ReturnType<typeof startSecondWorker>>;
let fake: FakeWaha;
let token: string;
let channelId: string;

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

beforeAll(async () => {
  t = await createTestApp();
  second = await startSecondWorker(t);
  fake = await startFakeWaha({ engine: 'WEBJS', deliverWebhook: postWebhook });
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'waha',
      name: 'Avisos',
      config: { baseUrl: fake.baseUrl, apiKey: fake.apiKey, session },
      pacing: { minGapSeconds: 2, maxGapSeconds: 4, maxPerHour: 1000, typing: true },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  channelId = created.json<{ id: string }>().id;
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/v1/channels/${channelId}/session/start`,
    headers: bearer(token),
  });
  expect(started.statusCode, started.body).toBe(200);
  await fake.scanQr(session);
  await fake.idle();
}, 60_000);
afterAll(async () => {
  await second?.close();
  await t?.close();
  await fake?.close();
});

describe('WAHA pacing across two workers', () => {
  it('keeps 2 s between any two of 20 bulk sends, and answers a contact who just wrote at once', async () => {
    const bulk: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        headers: bearer(token),
        payload: {
          channelId,
          to: { phone: `+5511966600${String(100 + i).slice(1)}` },
          content: { type: 'text', text: `Aviso ${i + 1}: sua fatura fecha amanhã.` },
          purpose: 'bulk',
        },
      });
      expect(response.statusCode, response.body).toBe(202);
      bulk.push(response.json<{ id: string }>().id);
    }
    // Mid-broadcast, a customer writes and is answered without waiting for the broadcast.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await fake.receive(session, { from: '5511977775555@c.us', text: 'Oi, preciso da 2ª via' });
    await fake.idle();
    await t.runtime.queue.whenIdle(10_000).catch(() => undefined);
    const askedAt = Date.now();
    const reply = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: {
        channelId,
        to: { phone: '+5511977775555' },
        content: { type: 'text', text: 'Claro! Segue o link.' },
      },
    });
    expect(reply.statusCode, reply.body).toBe(202);

    const deadline = Date.now() + 150_000;
    const textsTo = (chatPrefix: string) =>
      fake
        .sent()
        .filter((r) => r.path === '/api/sendText' && String(r.body?.chatId).startsWith(chatPrefix));
    while (textsTo('55119666').length < 20 || textsTo('5511977775555').length < 1) {
      if (Date.now() > deadline)
        throw new Error(`only ${textsTo('55119666').length} bulk sends arrived`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const bulkTimes = textsTo('55119666')
      .map((r) => r.at)
      .sort((a, b) => a - b);
    const gaps = bulkTimes.slice(1).map((at, i) => at - (bulkTimes[i] ?? 0));
    // Slots are 2–4 s apart on Redis's clock; arrival adds a worker's scheduling jitter.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_900);
    expect(new Set(textsTo('55119666').map((r) => r.body?.chatId)).size).toBe(20);
    // "typing…" before each paced send.
    expect(
      fake.requests.filter((r) => r.path === '/api/startTyping').length,
    ).toBeGreaterThanOrEqual(20);
    const replyAt = textsTo('5511977775555')[0]?.at ?? 0;
    expect(replyAt - askedAt).toBeLessThan(2_000);
    expect(replyAt).toBeLessThan(bulkTimes.at(-1) ?? 0);
  }, 200_000);
});
