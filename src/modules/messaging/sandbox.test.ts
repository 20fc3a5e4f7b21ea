import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import { multipart, tinyPng } from '../../../test/helpers/multipart.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import type { DomainEvent } from '../../platform/events/event-bus.port.js';
import type { SandboxThread } from '../../shared/contracts/sandbox.contract.js';

let t: TestApp;
let token: string;
let otherToken: string;
let sandboxId: string;
const events: DomainEvent[] = [];

type ChannelView = {
  id: string;
  provider: string;
  webhookUrl: string | null;
  config: Record<string, unknown>;
};

beforeAll(async () => {
  t = await createTestApp();
  t.events.subscribe((event) => events.push(event));
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: bearer(token),
    payload: {
      name: 'Outra',
      slug: 'outra',
      admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
    },
  });
  expect(created.statusCode).toBe(201);
  otherToken = (await login(t.app, { email: 'admin@outra.example', password: 'another password!' }))
    .accessToken;
  const channels = await t.app.inject({ url: '/api/v1/channels', headers: bearer(token) });
  const sandbox = channels
    .json<{ items: ChannelView[] }>()
    .items.find((c) => c.provider === 'sandbox');
  if (!sandbox) throw new Error('first boot created no sandbox channel');
  sandboxId = sandbox.id;
  // Fast simulated phones keep the test short.
  const patched = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/channels/${sandboxId}`,
    headers: bearer(token),
    payload: {
      config: { deliveredAfterMs: 20, readAfterMs: 60, undeliverableNumbers: ['+5511955554444'] },
    },
  });
  expect(patched.statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

function userSends(payload: Record<string, unknown>, authToken = token, channelId = sandboxId) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/sandbox/${channelId}/inbound`,
    headers: bearer(authToken),
    payload,
  });
}

async function thread(phone: string): Promise<SandboxThread> {
  const response = await t.app.inject({
    url: `/api/v1/sandbox/${sandboxId}/conversations/${encodeURIComponent(phone)}`,
    headers: bearer(token),
  });
  expect(response.statusCode).toBe(200);
  return response.json<SandboxThread>();
}

function businessSends(phone: string, content: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(token),
    payload: { channelId: sandboxId, to: { phone }, content },
  });
}

describe('sandbox phone', () => {
  it('exists from first boot, with no public webhook, and is described by the providers API', async () => {
    const channel = (
      await t.app.inject({ url: `/api/v1/channels/${sandboxId}`, headers: bearer(token) })
    ).json<ChannelView>();
    expect(channel.webhookUrl).toBeNull();
    const providers = (
      await t.app.inject({ url: '/api/v1/channel-providers', headers: bearer(token) })
    ).json<{
      items: Array<{
        id: string;
        secretFields: string[];
        hasWebhook: boolean;
        configSchema: { properties: Record<string, unknown>; required?: string[] };
      }>;
    }>().items;
    const meta = providers.find((p) => p.id === 'meta-cloud');
    const sandbox = providers.find((p) => p.id === 'sandbox');
    expect(meta?.secretFields).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(meta?.hasWebhook).toBe(true);
    expect(meta?.configSchema.required).toEqual(
      expect.arrayContaining(['phoneNumberId', 'accessToken']),
    );
    expect(meta?.configSchema.required).not.toContain('graphApiBaseUrl');
    expect(sandbox?.hasWebhook).toBe(false);
    expect(Object.keys(sandbox?.configSchema.properties ?? {})).toContain('deliveredAfterMs');
    expect((await t.app.inject({ url: '/api/v1/channel-providers' })).statusCode).toBe(401);
  });

  it('takes a message from a simulated user through the inbound pipeline', async () => {
    const response = await userSends({ from: '+55 11 98888-7777', name: 'Ana', text: 'Olá' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ from: '+5511988887777' });
    await t.runtime.queue.whenIdle(10_000);
    const view = await thread('+5511988887777');
    expect(view.contactName).toBe('Ana');
    expect(view.messages).toMatchObject([
      { direction: 'inbound', content: { type: 'text', text: 'Olá' } },
    ]);
    expect(events.some((e) => e.type === 'message.received')).toBe(true);
    const conversations = await t.app.inject({
      url: `/api/v1/conversations?channelId=${sandboxId}&phone=%2B5511988887777`,
      headers: bearer(token),
    });
    expect(conversations.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('shows business messages on the phone, advances their statuses, and maps a tap back', async () => {
    const phone = '+5511977776666';
    const sent = await businessSends(phone, {
      type: 'buttons',
      body: 'Como podemos ajudar?',
      buttons: [
        { id: 'billing', title: 'Cobrança' },
        { id: 'human', title: 'Atendente' },
      ],
    });
    expect(sent.statusCode).toBe(202);
    const messageId = sent.json<{ id: string }>().id;
    await eventually(
      () => t.app.inject({ url: `/api/v1/messages/${messageId}`, headers: bearer(token) }),
      (r) => r.json<{ status: string }>().status === 'read',
    );
    // Events travel through Redis pub/sub in scaled mode: give the last one a moment.
    await eventually(
      async () => events.filter((e) => e.type === 'message.status').length,
      () => events.some((e) => (e.payload as { status?: string }).status === 'read'),
    );
    expect(events.some((e) => e.type === 'message.created')).toBe(true);
    const statuses = events
      .filter((e) => e.type === 'message.status')
      .map((e) => e.payload as { messageId: string; status: string })
      .filter((p) => p.messageId === messageId)
      .map((p) => p.status);
    expect(statuses).toEqual(['sent', 'delivered', 'read']);
    const before = await thread(phone);
    expect(before.messages).toMatchObject([
      { direction: 'outbound', content: { type: 'buttons' } },
    ]);

    expect((await userSends({ from: phone, reply: { id: 'human' } })).statusCode).toBe(202);
    await t.runtime.queue.whenIdle(10_000);
    const after = await thread(phone);
    expect(after.messages.at(-1)).toMatchObject({
      direction: 'inbound',
      content: { type: 'interactive-reply', kind: 'button', id: 'human', title: 'Atendente' },
    });
    const unknownReply = await userSends({ from: phone, reply: { id: 'nope' } });
    expect(unknownReply.statusCode).toBe(400);
    expect(unknownReply.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('takes a photo from a simulated user and serves it back from storage', async () => {
    const phone = '+5511966665555';
    const body = multipart([
      { name: 'from', data: Buffer.from(phone) },
      { name: 'caption', data: Buffer.from('Recibo do almoço') },
      { name: 'file', filename: 'recibo.jpg', type: 'image/jpeg', data: tinyPng },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sandbox/${sandboxId}/inbound`,
      headers: { ...bearer(token), ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(202);
    await t.runtime.queue.whenIdle(10_000);
    const [message] = (await thread(phone)).messages;
    expect(message?.content).toMatchObject({
      type: 'image',
      mimeType: 'image/png',
      caption: 'Recibo do almoço',
      sizeBytes: tinyPng.length,
    });
    const mediaId = (message?.content as { mediaId?: string } | undefined)?.mediaId;
    const media = await t.app.inject({ url: `/api/v1/media/${mediaId}`, headers: bearer(token) });
    expect(media.json()).toMatchObject({ status: 'stored', messageId: message?.id });
    const bytes = await t.app.inject({
      url: `/api/v1/media/${mediaId}/content`,
      headers: bearer(token),
    });
    expect(bytes.rawPayload.equals(tinyPng)).toBe(true);

    // No sender, a bad sender, and HTML posing as a photo: 4xx, nothing delivered.
    for (const [parts, status] of [
      [[{ name: 'file', filename: 'a.png', type: 'image/png', data: tinyPng }], 400],
      [
        [
          { name: 'from', data: Buffer.from('12') },
          { name: 'file', filename: 'a.png', type: 'image/png', data: tinyPng },
        ],
        400,
      ],
      [
        [
          { name: 'from', data: Buffer.from(phone) },
          {
            name: 'file',
            filename: 'a.png',
            type: 'image/png',
            data: Buffer.from('<html></html>'),
          },
        ],
        415,
      ],
    ] as const) {
      const bad = multipart([...parts]);
      const answer = await t.app.inject({
        method: 'POST',
        url: `/api/v1/sandbox/${sandboxId}/inbound`,
        headers: { ...bearer(token), ...bad.headers },
        payload: bad.payload,
      });
      expect(answer.statusCode).toBe(status);
    }
    await t.runtime.queue.whenIdle(10_000);
    expect((await thread(phone)).messages).toHaveLength(1);
  });

  it('sends buttons as numbered text where the channel cannot render them, and reads "2" back', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'sandbox',
        name: 'Texto simples',
        config: { interactive: false, deliveredAfterMs: 10, readAfterMs: 0 },
      },
    });
    expect(created.statusCode).toBe(201);
    const plainId = created.json<{ id: string }>().id;
    const phone = '+5511944443333';
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: {
        channelId: plainId,
        to: { phone },
        content: {
          type: 'buttons',
          body: 'Como deseja pagar?',
          buttons: [
            { id: 'pix', title: 'Pix' },
            { id: 'boleto', title: 'Boleto' },
          ],
        },
      },
    });
    expect(sent.statusCode).toBe(202);
    const plainThread = async () =>
      (
        await t.app.inject({
          url: `/api/v1/sandbox/${plainId}/conversations/${encodeURIComponent(phone)}`,
          headers: bearer(token),
        })
      ).json<SandboxThread>();
    const shown = await eventually(plainThread, (view) => view.messages.length === 1);
    expect(shown.messages[0]?.content).toEqual({
      type: 'text',
      text: 'Como deseja pagar?\n\n1. Pix\n2. Boleto\n\n_Responda com o número da opção._',
    });
    // The API still shows what the business sent.
    const stored = await t.app.inject({
      url: `/api/v1/messages/${sent.json<{ id: string }>().id}`,
      headers: bearer(token),
    });
    expect(stored.json()).toMatchObject({ content: { type: 'buttons' } });

    expect((await userSends({ from: phone, text: '2' }, token, plainId)).statusCode).toBe(202);
    expect((await userSends({ from: phone, text: 'pix, amanhã' }, token, plainId)).statusCode).toBe(
      202,
    );
    await t.runtime.queue.whenIdle(10_000);
    const replies = (await plainThread()).messages.filter((m) => m.direction === 'inbound');
    expect(replies.map((m) => m.content)).toEqual([
      { type: 'interactive-reply', kind: 'button', id: 'boleto', title: 'Boleto' },
      { type: 'text', text: 'pix, amanhã' },
    ]);
  });

  it('fails sends to numbers set as undeliverable, with the reason', async () => {
    const sent = await businessSends('+5511955554444', { type: 'text', text: 'Oi' });
    const view = await eventually(
      () =>
        t.app.inject({
          url: `/api/v1/messages/${sent.json<{ id: string }>().id}`,
          headers: bearer(token),
        }),
      (r) => r.json<{ status: string }>().status === 'failed',
    );
    expect(view.json()).toMatchObject({ errorCode: 'SANDBOX_UNDELIVERABLE' });
  });

  it('answers bad input, other channels and other tenants with clear 4xx', async () => {
    expect((await userSends({ from: '12', text: 'x' })).statusCode).toBe(400);
    expect((await userSends({ from: '+5511988887777' })).statusCode).toBe(400);
    expect(
      (await userSends({ from: '+5511988887777', text: 'a', reply: { id: 'b' } })).statusCode,
    ).toBe(400);
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sandbox/${sandboxId}/inbound`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"from": ',
    });
    expect(malformed.statusCode).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(
      (await userSends({ from: '+5511988887777', text: 'x' }, token, unknown)).statusCode,
    ).toBe(404);
    expect((await userSends({ from: '+5511988887777', text: 'x' }, otherToken)).statusCode).toBe(
      404,
    );
    const otherThread = await t.app.inject({
      url: `/api/v1/sandbox/${sandboxId}/conversations/%2B5511988887777`,
      headers: bearer(otherToken),
    });
    expect(otherThread.statusCode).toBe(404);
    expect((await userSends({ from: '+5511988887777', text: 'x' }, '')).statusCode).toBe(401);
    // The public webhook of a sandbox channel accepts nothing.
    const forged = await t.app.inject({
      method: 'POST',
      url: `/webhooks/sandbox/${sandboxId}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        kind: 'message',
        id: 'x',
        from: { phone: '+5511988887777' },
        timestamp: new Date().toISOString(),
        content: { type: 'text', text: 'forged' },
      }),
    });
    expect(forged.statusCode).toBe(401);
    // A meta-cloud channel is not a sandbox.
    const meta = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'meta-cloud',
        name: 'Meta',
        config: {
          phoneNumberId: '1',
          wabaId: '2',
          accessToken: 'a',
          appSecret: 'b',
          verifyToken: 'c',
        },
      },
    });
    const metaId = meta.json<{ id: string }>().id;
    expect((await userSends({ from: '+5511988887777', text: 'x' }, token, metaId)).statusCode).toBe(
      404,
    );
  });
});
