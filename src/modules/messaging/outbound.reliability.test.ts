import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaStatusWebhook, signMetaWebhook } from '../../../test/helpers/meta-webhook.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { type FakeGraphApi, startFakeGraphApi } from './testing/fake-graph-api.js';
import { buildMetaInboundBatch } from './testing/meta-inbound-batch.js';

/**
 * Reliability of the messaging pipeline on the real runtime (PGlite + in-process queue here,
 * PostgreSQL + BullMQ in the services run), with a loopback Graph API that misbehaves on
 * purpose. The SIGKILL cases are in outbound.durability.test.ts; webhooks.test.ts and
 * outbound.test.ts hold the simpler ones (redelivered webhook, shuffled statuses, 500 → 429 →
 * 200, bad signature, 10 MB body, unknown channel).
 */

const appSecret = 'reliability-secret';
let t: TestApp;
let token: string;
let tenantId: string;
const fakes: FakeGraphApi[] = [];

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  const session = await login(t.app, testAdmin);
  token = session.accessToken;
  tenantId = session.tenant.id;
});
afterAll(async () => {
  await t.close();
  for (const fake of fakes) await fake.close();
});

async function startFake(): Promise<FakeGraphApi> {
  const fake = await startFakeGraphApi();
  fakes.push(fake);
  return fake;
}

async function createMetaChannel(graphApiBaseUrl: string, authToken = token): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(authToken),
    payload: {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId: '1122334455667',
        wabaId: '99887766',
        accessToken: 'graph-token',
        appSecret,
        verifyToken: 'verify',
        graphApiBaseUrl,
      },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

function postWebhook(
  channelId: string,
  body: string,
  signature = signMetaWebhook(body, appSecret),
) {
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/meta-cloud/${channelId}`,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    payload: body,
  });
}

async function queryRows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The contacts write first (one batched delivery), which opens their 24-hour windows. */
async function openWindows(channelId: string, waIds: string[]) {
  const body = buildMetaInboundBatch(
    waIds.map((waId) => ({ waId, wamid: `wamid.in.${channelId}.${waId}`, text: 'Oi' })),
  );
  expect((await postWebhook(channelId, body)).statusCode).toBe(200);
  await waitFor('the inbound batch to open every window', async () => {
    const [row] = await queryRows<{ n: number | string }>(
      sql`select count(*) as n from conversations where channel_id = ${channelId} and last_inbound_at is not null`,
    );
    return Number(row?.n) === waIds.length;
  });
}

async function send(channelId: string, phone: string, text: string, authToken = token) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(authToken),
    payload: { channelId, to: { phone: `+${phone}` }, content: { type: 'text', text } },
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ id: string; conversationId: string; contactId: string }>();
}

type MessageRow = {
  id: string;
  status: string;
  attempts: number;
  error_code: string | null;
  provider_message_id: string | null;
  text: string;
  sent_at: Date | string | null;
};

async function readMessages(ids: string[]): Promise<MessageRow[]> {
  const rows = await queryRows<MessageRow>(
    sql`select id::text as id, status, attempts, error_code, provider_message_id, content->>'text' as text, sent_at from messages where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

/** Polls until no message is queued or sending (retries are delayed jobs). */
async function waitUntilSettled(ids: string[], timeoutMs: number): Promise<MessageRow[]> {
  let rows: MessageRow[] = [];
  await waitFor(
    `${ids.length} messages to leave queued/sending`,
    async () => {
      rows = await readMessages(ids);
      return rows.every((row) => row.status !== 'queued' && row.status !== 'sending');
    },
    timeoutMs,
  );
  return rows;
}

describe('provider outage', () => {
  it('provider down for 30 s (refusing, then 503): queued messages wait, then each goes once', async ({
    annotate,
  }) => {
    const fake = await startFake();
    const channelId = await createMetaChannel(fake.baseUrl);
    const phones = Array.from({ length: 12 }, (_, i) => `55119765${String(i).padStart(5, '0')}`);
    await openWindows(channelId, phones);

    // 0–15 s: nothing listens (connection refused).
    await fake.refuse();
    const outageStartedAt = Date.now();
    const sent: Array<{ id: string; text: string; queuedDuring: 'refused' | '503' }> = [];
    for (const [i, phone] of phones.slice(0, 6).entries()) {
      const text = `outage ${i}`;
      sent.push({ id: (await send(channelId, phone, text)).id, text, queuedDuring: 'refused' });
    }
    await sleep(outageStartedAt + 15_000 - Date.now());
    // 15–30 s: the server is back but answers 503.
    fake.setAnswer('unavailable');
    await fake.listen();
    for (const [i, phone] of phones.slice(6).entries()) {
      const text = `outage ${i + 6}`;
      sent.push({ id: (await send(channelId, phone, text)).id, text, queuedDuring: '503' });
    }
    await sleep(outageStartedAt + 30_000 - Date.now());
    // Mid-outage nothing went through and nothing gave up.
    const during = await readMessages(sent.map((m) => m.id));
    expect(during.filter((row) => row.status === 'sent' || row.status === 'failed')).toEqual([]);
    fake.setAnswer('ok');
    const recoveredAt = Date.now();

    const rows = await waitUntilSettled(
      sent.map((m) => m.id),
      180_000,
    );
    const received = fake.countByKey();
    const answeredOk = fake.okCountByKey();
    for (const message of sent) {
      const row = rows.find((r) => r.id === message.id);
      expect(row, message.text).toMatchObject({ status: 'sent', error_code: null });
      // Exactly one 200 per message, and nothing sent for it after that.
      expect(answeredOk.get(message.text), message.text).toBe(1);
      const receipts = fake.receipts.filter((r) => r.key === message.text);
      expect(receipts.at(-1)?.status, message.text).toBe(200);
      expect(row?.provider_message_id).toBe(receipts.at(-1)?.wamid);
      // Every try is counted, including the ones that never reached the server.
      expect(row?.attempts ?? 0, message.text).toBeGreaterThanOrEqual(2);
      expect(row?.attempts ?? 0, message.text).toBeGreaterThanOrEqual(
        received.get(message.text) ?? 0,
      );
      if (message.queuedDuring === 'refused') {
        expect(row?.attempts ?? 0, message.text).toBeGreaterThan(received.get(message.text) ?? 0);
      }
      expect(new Date(row?.sent_at ?? 0).getTime()).toBeGreaterThanOrEqual(recoveredAt);
    }
    expect(fake.receipts.some((r) => r.status === 503)).toBe(true);

    const delays = rows.map((row) => new Date(row.sent_at ?? 0).getTime() - recoveredAt);
    await annotate(
      `sent ${Math.round(Math.min(...delays) / 1000)}–${Math.round(Math.max(...delays) / 1000)} s after the provider recovered; attempts per message ${Math.min(...rows.map((r) => r.attempts))}–${Math.max(...rows.map((r) => r.attempts))}`,
    );
  }, 300_000);
});

describe('delivery reports', () => {
  it('a report that overtakes the send, and later ones out of order, end in the right status', async () => {
    const fake = await startFake();
    const channelId = await createMetaChannel(fake.baseUrl);
    const phone = '5511976600001';
    await openWindows(channelId, [phone]);
    // Meta's "delivered" can reach us before its answer to the send does.
    fake.beforeOk(async (receipt) => {
      const delivered = await postWebhook(
        channelId,
        metaStatusWebhook(receipt.wamid ?? '', 'delivered', 1_700_000_200),
      );
      expect(delivered.statusCode).toBe(200);
      await waitFor('the early report to be stored', async () => {
        const [row] = await queryRows<{ n: number | string }>(
          sql`select count(*) as n from message_status_events where provider_message_id = ${receipt.wamid ?? ''}`,
        );
        return Number(row?.n) === 1;
      });
    });
    const { id } = await send(channelId, phone, 'overtaken');
    // `sent` commits first, then the waiting report is applied.
    let settled: MessageRow | undefined;
    await waitFor('the early report to be applied', async () => {
      [settled] = await readMessages([id]);
      return settled?.status === 'delivered';
    });
    const wamid = settled?.provider_message_id ?? '';
    expect(wamid).toMatch(/^wamid\.fake\./);

    // Then: read, a late "sent", a late "failed" (a retry's ghost): read stays.
    for (const [status, at] of [
      ['read', 1_700_000_300],
      ['sent', 1_700_000_100],
      ['failed', 1_700_000_400],
    ] as const) {
      expect((await postWebhook(channelId, metaStatusWebhook(wamid, status, at))).statusCode).toBe(
        200,
      );
    }
    await waitFor('the reports to be applied', async () => {
      const [row] = await queryRows<{ n: number | string }>(
        sql`select count(*) as n from message_status_events where provider_message_id = ${wamid} and message_id is not null`,
      );
      return Number(row?.n) === 4;
    });
    const view = (
      await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
    ).json<{
      status: string;
      deliveredAt: string | null;
      readAt: string | null;
      errorCode: null;
    }>();
    expect(view).toMatchObject({ status: 'read', errorCode: null });
    expect(view.deliveredAt).toBe(new Date(1_700_000_200_000).toISOString());
    expect(view.readAt).toBe(new Date(1_700_000_300_000).toISOString());
    expect(fake.receipts).toHaveLength(1);
  });
});

describe('webhooks under concurrency', () => {
  it('the same delivery arriving three times at once stores one message', async () => {
    const fake = await startFake();
    const channelId = await createMetaChannel(fake.baseUrl);
    const received: unknown[] = [];
    const unsubscribe = t.events.subscribe((event) => {
      if (event.type === 'message.received') received.push(event);
    });
    const body = buildMetaInboundBatch([
      { waId: '5511976700001', wamid: 'wamid.concurrent.1', text: 'Três vezes' },
    ]);
    const responses = await Promise.all([
      postWebhook(channelId, body),
      postWebhook(channelId, body),
      postWebhook(channelId, body),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(
      responses.map((r) => r.json<{ duplicate: boolean }>().duplicate).filter((d) => !d),
    ).toHaveLength(1);
    await waitFor('the message to be stored', async () => {
      const [row] = await queryRows<{ n: number | string }>(
        sql`select count(*) as n from messages where provider_message_id = 'wamid.concurrent.1'`,
      );
      return Number(row?.n) >= 1;
    });
    await t.runtime.queue.whenIdle(10_000);
    const [row] = await queryRows<{ n: number | string }>(
      sql`select count(*) as n from messages where provider_message_id = 'wamid.concurrent.1'`,
    );
    expect(Number(row?.n)).toBe(1);
    await waitFor('the announcement', async () => received.length >= 1);
    expect(received).toHaveLength(1);
    unsubscribe();
  });
});

describe('tenant isolation and bad input on the send API', () => {
  let channelId: string;
  let fake: FakeGraphApi;
  let otherToken: string;
  let mine: { id: string; conversationId: string; contactId: string };

  beforeAll(async () => {
    fake = await startFake();
    channelId = await createMetaChannel(fake.baseUrl);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: bearer(token),
      payload: {
        name: 'Outra',
        slug: 'outra-reliability',
        admin: {
          email: 'admin@outra-reliability.example',
          name: 'A',
          password: 'another password!',
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    otherToken = (
      await login(t.app, {
        email: 'admin@outra-reliability.example',
        password: 'another password!',
      })
    ).accessToken;
    await openWindows(channelId, ['5511976800001']);
    mine = await send(channelId, '5511976800001', 'só meu');
    await waitUntilSettled([mine.id], 20_000);
  });

  it("another tenant's channel, contact, conversation and message ids are 404, and nothing is sent", async () => {
    const before = fake.receipts.length;
    const onMyChannel = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(otherToken),
      payload: { channelId, to: { phone: '+5511976800001' }, content: { type: 'text', text: 'x' } },
    });
    expect(onMyChannel.statusCode).toBe(404);
    expect(onMyChannel.json().error.code).toBe('NOT_FOUND');

    const otherFake = await startFake();
    const otherChannelId = await createMetaChannel(otherFake.baseUrl, otherToken);
    const toMyContact = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(otherToken),
      payload: {
        channelId: otherChannelId,
        to: { contactId: mine.contactId },
        content: { type: 'text', text: 'x' },
      },
    });
    expect(toMyContact.statusCode).toBe(404);

    for (const url of [
      `/api/v1/messages/${mine.id}`,
      `/api/v1/conversations/${mine.conversationId}/messages`,
    ]) {
      const response = await t.app.inject({ url, headers: bearer(otherToken) });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('só meu');
    }
    const list = await t.app.inject({ url: '/api/v1/conversations', headers: bearer(otherToken) });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);

    // The owner still sees it; nothing was queued or sent on anyone's behalf.
    expect(
      (await t.app.inject({ url: `/api/v1/messages/${mine.id}`, headers: bearer(token) }))
        .statusCode,
    ).toBe(200);
    const [row] = await queryRows<{ n: number | string }>(
      sql`select count(*) as n from messages where tenant_id <> ${tenantId}`,
    );
    expect(Number(row?.n)).toBe(0);
    expect(fake.receipts.length).toBe(before);
    expect(otherFake.receipts).toHaveLength(0);
  });

  it('malformed JSON, wrong types, unknown kinds and a huge body get a clear 4xx', async () => {
    const post = (payload: string, contentType = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        headers: { ...bearer(token), 'content-type': contentType },
        payload,
      });
    const valid = {
      channelId,
      to: { phone: '+5511976800001' },
      content: { type: 'text', text: 'x' },
    };
    const cases: Array<{ name: string; payload: string; status: number }> = [
      { name: 'malformed JSON', payload: '{"channelId": ', status: 400 },
      { name: 'not an object', payload: '[1,2,3]', status: 400 },
      {
        name: 'channelId as a number',
        payload: JSON.stringify({ ...valid, channelId: 7 }),
        status: 400,
      },
      {
        name: 'channelId not a uuid',
        payload: JSON.stringify({ ...valid, channelId: 'abc' }),
        status: 400,
      },
      { name: 'to missing', payload: JSON.stringify({ ...valid, to: undefined }), status: 400 },
      {
        name: 'phone as a number',
        payload: JSON.stringify({ ...valid, to: { phone: 5511 } }),
        status: 400,
      },
      {
        name: 'unknown content kind',
        payload: JSON.stringify({ ...valid, content: { type: 'hologram', text: 'x' } }),
        status: 400,
      },
      {
        name: 'text as an array',
        payload: JSON.stringify({ ...valid, content: { type: 'text', text: ['x'] } }),
        status: 400,
      },
      {
        name: 'unknown channel',
        payload: JSON.stringify({ ...valid, channelId: '00000000-0000-4000-8000-000000000000' }),
        status: 404,
      },
      {
        name: 'a 10 MB body',
        payload: JSON.stringify({
          ...valid,
          content: { type: 'text', text: 'x'.repeat(10 * 1024 * 1024) },
        }),
        status: 413,
      },
    ];
    for (const { name, payload, status } of cases) {
      const response = await post(payload);
      expect(response.statusCode, `${name}: ${response.body.slice(0, 300)}`).toBe(status);
      const error = response.json<{ error: { code: string; message: string } }>().error;
      expect(error.code, name).toMatch(/^[A-Z_]+$/);
      expect(error.message.length, name).toBeGreaterThan(0);
    }
    const wrongType = await post('channelId=1', 'application/x-www-form-urlencoded');
    expect(wrongType.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrongType.statusCode).toBeLessThan(500);
    const badId = await t.app.inject({
      url: '/api/v1/messages/not-a-uuid',
      headers: bearer(token),
    });
    expect(badId.statusCode).toBe(400);
  });
});
