import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metaTextWebhook, signMetaWebhook } from '../../../test/helpers/meta-webhook.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { insertTemplate } from './templates.repository.js';

/** A loopback stand-in for Meta's Graph API: records requests, answers from a script. */
type Scripted = { status: number; body: unknown; headers?: Record<string, string> };
const requests: Array<{ url: string; body: Record<string, unknown> }> = [];
let script: Scripted[] = [];
let server: Server;
let t: TestApp;
let token: string;
let channelId: string;
let sequence = 0;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    requests.push({ url: request.url ?? '', body });
    const next = script.shift() ?? {
      status: 200,
      body: { messages: [{ id: `wamid.sent.${++sequence}` }] },
    };
    response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    response.end(JSON.stringify(next.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  t = await createTestApp();
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId: '1122334455667',
        wabaId: '99887766',
        accessToken: 'graph-token',
        appSecret: 'secret',
        verifyToken: 'verify',
        graphApiBaseUrl: `http://127.0.0.1:${port}`,
      },
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  channelId = created.json<{ id: string }>().id;
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
  script = [];
});

/** The contact writes first, which opens the 24-hour window. */
async function receiveFrom(waId: string) {
  const body = metaTextWebhook({ wamid: `wamid.in.${waId}`, from: waId, text: 'Oi' });
  const response = await t.app.inject({
    method: 'POST',
    url: `/webhooks/meta-cloud/${channelId}`,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signMetaWebhook(body, 'secret'),
    },
    payload: body,
  });
  expect(response.statusCode).toBe(200);
  await t.runtime.queue.whenIdle(10_000);
}

function send(payload: Record<string, unknown>, authToken = token) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(authToken),
    payload: { channelId, ...payload },
  });
}

type MessageView = {
  status: string;
  providerMessageId: string | null;
  errorCode: string | null;
  errorReason: string | null;
};

/** Waits until the message leaves queued/sending (retries are delayed jobs, so poll). */
async function settled(id: string): Promise<MessageView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = (
      await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
    ).json<MessageView>();
    if (view.status !== 'queued' && view.status !== 'sending') return view;
    if (Date.now() > deadline) throw new Error(`message ${id} still ${view.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outbound engine (meta-cloud on a loopback Graph API)', () => {
  it('refuses free-form text outside the 24-hour window and says to use a template', async () => {
    const response = await send({
      to: { phone: '+55 11 91111-1111' },
      content: { type: 'text', text: 'Olá' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(response.json().error.details.advice).toContain('template');
    expect(requests).toHaveLength(0);
  });

  it('sends a template outside the window, once, and records the provider id', async () => {
    // As a template sync from Meta would have stored it.
    await insertTemplate(t.database.db, {
      tenantId: (await login(t.app, testAdmin)).tenant.id,
      channelId,
      name: 'cobranca_lembrete',
      language: 'pt_BR',
      category: 'utility',
      status: 'approved',
      source: 'provider',
      providerTemplateId: '7001',
      components: { body: { text: 'Olá {{1}}, sua fatura vence amanhã.' } },
    });
    const response = await send({
      to: { phone: '+5511922222222' },
      content: {
        type: 'template',
        name: 'cobranca_lembrete',
        language: 'pt_BR',
        body: [{ type: 'text', text: 'Ana' }],
      },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'queued', direction: 'outbound' });
    const message = await settled(response.json<{ id: string }>().id);
    expect(message.status).toBe('sent');
    expect(message.providerMessageId).toMatch(/^wamid\.sent\./);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/v23.0/1122334455667/messages');
    expect(requests[0]?.body).toMatchObject({
      to: '5511922222222',
      type: 'template',
      template: { name: 'cobranca_lembrete' },
    });
  });

  it('sends free-form text inside the window; the same idempotency key never sends twice', async () => {
    await receiveFrom('5511933333333');
    const first = await send({
      to: { phone: '+5511933333333' },
      content: { type: 'text', text: 'Recebemos!' },
      idempotencyKey: 'k-1',
    });
    const second = await send({
      to: { phone: '+5511933333333' },
      content: { type: 'text', text: 'Recebemos!' },
      idempotencyKey: 'k-1',
    });
    expect(first.statusCode).toBe(202);
    expect(second.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect((await settled(first.json<{ id: string }>().id)).status).toBe('sent');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toMatchObject({ type: 'text', text: { body: 'Recebemos!' } });
  });

  it('retries 500, then honours 429 retry-after, and sends exactly once', async () => {
    await receiveFrom('5511944444444');
    script = [
      { status: 500, body: { error: { message: 'Internal', code: 1 } } },
      {
        status: 429,
        body: { error: { message: 'Too many', code: 130429 } },
        headers: { 'retry-after': '1' },
      },
    ];
    const response = await send({
      to: { phone: '+5511944444444' },
      content: { type: 'text', text: 'Tentativa' },
    });
    const message = await settled(response.json<{ id: string }>().id);
    expect(message.status).toBe('sent');
    expect(requests).toHaveLength(3);
    expect(requests.filter((r) => JSON.stringify(r.body).includes('Tentativa'))).toHaveLength(3);
  });

  it('fails for good on a permanent provider error, keeping its code and reason', async () => {
    await receiveFrom('5511955555555');
    script = [
      {
        status: 400,
        body: {
          error: {
            message: 'Re-engagement message',
            code: 131047,
            error_data: { details: 'More than 24 hours have passed' },
          },
        },
      },
    ];
    const response = await send({
      to: { phone: '+5511955555555' },
      content: { type: 'text', text: 'Oi' },
    });
    const message = await settled(response.json<{ id: string }>().id);
    expect(message.status).toBe('failed');
    expect(message.errorCode).toBe('META_131047');
    expect(message.errorReason).toBeTruthy();
    expect(requests).toHaveLength(1);
  });

  it('answers bad input and unknown ids with clear 4xx', async () => {
    const badPhone = await send({ to: { phone: '12' }, content: { type: 'text', text: 'x' } });
    expect(badPhone.statusCode).toBe(400);
    const badContent = await send({
      to: { phone: '+5511966666666' },
      content: { type: 'text', text: '' },
    });
    expect(badContent.statusCode).toBe(400);
    const unknownChannel = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: {
        channelId: '00000000-0000-4000-8000-000000000000',
        to: { phone: '+5511966666666' },
        content: { type: 'text', text: 'x' },
      },
    });
    expect(unknownChannel.statusCode).toBe(404);
    const unknownMessage = await t.app.inject({
      url: '/api/v1/messages/00000000-0000-4000-8000-000000000000',
      headers: bearer(token),
    });
    expect(unknownMessage.statusCode).toBe(404);
  });

  it('lists conversations (filters, window) and their messages page by page', async () => {
    await receiveFrom('5511977777777');
    for (const text of ['um', 'dois', 'três']) {
      await send({ to: { phone: '+5511977777777' }, content: { type: 'text', text } });
    }
    await t.runtime.queue.whenIdle(10_000);
    const list = await t.app.inject({
      url: '/api/v1/conversations?phone=(11) 97777-7777',
      headers: bearer(token),
    });
    expect(list.statusCode).toBe(200);
    const [conversation] = list.json<{
      items: Array<{ id: string; contact: { phone: string }; serviceWindowEndsAt: string | null }>;
    }>().items;
    expect(conversation?.contact.phone).toBe('+5511977777777');
    expect(conversation?.serviceWindowEndsAt).toBeTruthy();
    const all = await t.app.inject({
      url: `/api/v1/conversations?channelId=${channelId}&limit=200`,
      headers: bearer(token),
    });
    expect(all.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(4);

    const texts: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ content: { text?: string } }>; nextCursor: string | null } = (
        await t.app.inject({
          url: `/api/v1/conversations/${conversation?.id}/messages?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(token),
        })
      ).json();
      texts.push(...page.items.map((m) => m.content.text ?? ''));
      cursor = page.nextCursor;
    } while (cursor);
    expect(texts).toEqual(['três', 'dois', 'um', 'Oi']);

    const badPhone = await t.app.inject({
      url: '/api/v1/conversations?phone=abc',
      headers: bearer(token),
    });
    expect(badPhone.statusCode).toBe(400);
    const unknown = await t.app.inject({
      url: '/api/v1/conversations/00000000-0000-4000-8000-000000000000/messages',
      headers: bearer(token),
    });
    expect(unknown.statusCode).toBe(404);
  });
});
