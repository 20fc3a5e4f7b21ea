import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  metaStatusWebhook,
  metaTextWebhook,
  signMetaWebhook,
} from '../../../test/helpers/meta-webhook.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';

const appSecret = 'meta-app-secret';
let t: TestApp;
let channelId: string;
let tenantId: string;
const received: Array<{ type: string; payload: unknown }> = [];

beforeAll(async () => {
  t = await createTestApp();
  const session = await login(t.app, testAdmin);
  tenantId = session.tenant.id;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(session.accessToken),
    payload: {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId: '1122334455667',
        wabaId: '99887766',
        accessToken: 'token',
        appSecret,
        verifyToken: 'hub-verify',
      },
    },
  });
  channelId = created.json<{ id: string }>().id;
  t.events.subscribe((event) => received.push(event));
});
afterAll(async () => {
  await t.close();
});

const textWebhook = (wamid: string, text: string, from = '5511987654321') =>
  metaTextWebhook({ wamid, from, text, name: 'Ana', timestampSeconds: 1700000000 });
const statusWebhook = metaStatusWebhook;
const sign = (body: string, secret = appSecret) => signMetaWebhook(body, secret);

function post(body: string, signature = sign(body), id = channelId) {
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/meta-cloud/${id}`,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    payload: body,
  });
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await t.database.db.execute(query)) as unknown as {
    rows: Array<{ n: number | string }>;
  };
  return Number(result.rows[0]?.n ?? 0);
}

describe('inbound webhooks (meta-cloud)', () => {
  it('answers the subscription challenge only with the right verify token', async () => {
    const ok = await t.app.inject({
      url: `/webhooks/meta-cloud/${channelId}?hub.mode=subscribe&hub.verify_token=hub-verify&hub.challenge=12345`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('12345');
    const wrong = await t.app.inject({
      url: `/webhooks/meta-cloud/${channelId}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=12345`,
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('stores a signed message once, however often it is delivered, and announces it', async () => {
    const body = textWebhook('wamid.one', 'Olá, preciso de ajuda');
    const responses = [await post(body), await post(body), await post(body)];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(responses.map((r) => r.json<{ duplicate: boolean }>().duplicate)).toEqual([
      false,
      true,
      true,
    ]);
    // The same message inside a different delivery (Meta retries can re-batch) is still one.
    await post(`${body} `);
    await t.runtime.queue.whenIdle(10_000);
    expect(
      await count(sql`select count(*) as n from messages where provider_message_id = 'wamid.one'`),
    ).toBe(1);
    const [message] = (
      (await t.database.db.execute(
        sql`select m.content, m.direction, c.phone, c.name, v.last_inbound_at from messages m join contacts c on c.id = m.contact_id join conversations v on v.id = m.conversation_id where m.provider_message_id = 'wamid.one'`,
      )) as unknown as { rows: Array<Record<string, unknown>> }
    ).rows;
    expect(message).toMatchObject({
      content: { type: 'text', text: 'Olá, preciso de ajuda' },
      direction: 'inbound',
      phone: '+5511987654321',
      name: 'Ana',
    });
    expect(message?.last_inbound_at).toBeTruthy();
    const announced = received.filter((event) => event.type === 'message.received');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ tenantId, payload: { preview: 'Olá, preciso de ajuda' } });
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const body = textWebhook('wamid.forged', 'forged');
    for (const signature of [sign(body, 'wrong-secret'), 'sha256=zz', '']) {
      const response = await post(body, signature);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('INVALID_SIGNATURE');
    }
    expect(
      await count(
        sql`select count(*) as n from webhook_deliveries where body like '%wamid.forged%'`,
      ),
    ).toBe(0);
  });

  it('answers 404 for unknown channels, malformed ids and the wrong provider', async () => {
    const body = textWebhook('wamid.x', 'x');
    expect((await post(body, sign(body), '00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    expect((await post(body, sign(body), 'not-a-uuid')).statusCode).toBe(404);
    const wrongProvider = await t.app.inject({
      method: 'POST',
      url: `/webhooks/twilio/${channelId}`,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
      payload: body,
    });
    expect(wrongProvider.statusCode).toBe(404);
  });

  it('refuses a 10 MB body with 413', async () => {
    const body = 'x'.repeat(10 * 1024 * 1024);
    expect((await post(body, sign(body))).statusCode).toBe(413);
  });

  it('keeps an unreadable signed delivery, marked failed, without retrying it', async () => {
    const body = '{"object": "whatsapp_business_account", "entry": [ broken';
    expect((await post(body)).statusCode).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    const result = (await t.database.db.execute(
      sql`select status, error from webhook_deliveries where body like '%broken%'`,
    )) as unknown as { rows: Array<{ status: string; error: string }> };
    expect(result.rows[0]?.status).toBe('failed');
    expect(result.rows[0]?.error).toBeTruthy();
  });

  it('moves statuses only forward, whatever order they arrive in', async () => {
    // An outbound message as the outbound engine will store it.
    await t.database.db.execute(sql`
      insert into messages (tenant_id, conversation_id, channel_id, contact_id, direction, content, status, provider_message_id)
      select tenant_id, conversation_id, channel_id, contact_id, 'outbound', '{"type":"text","text":"Oi"}'::jsonb, 'sent', 'wamid.out'
      from messages where provider_message_id = 'wamid.one'`);
    for (const [status, at] of [
      ['read', 1700000300],
      ['sent', 1700000100],
      ['delivered', 1700000200],
    ] as const) {
      expect((await post(statusWebhook('wamid.out', status, at))).statusCode).toBe(200);
    }
    await t.runtime.queue.whenIdle(10_000);
    const result = (await t.database.db.execute(
      sql`select status, read_at from messages where provider_message_id = 'wamid.out'`,
    )) as unknown as { rows: Array<{ status: string; read_at: unknown }> };
    expect(result.rows[0]?.status).toBe('read');
    expect(result.rows[0]?.read_at).toBeTruthy();
    expect(
      await count(
        sql`select count(*) as n from message_status_events where provider_message_id = 'wamid.out'`,
      ),
    ).toBe(3);
  });
});
