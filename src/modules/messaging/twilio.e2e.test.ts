import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import {
  type FakeTwilio,
  startFakeTwilio,
} from '../../channels/twilio/fixtures/twilio-fake-server.js';
import {
  buildInboundFields,
  buildMediaSid,
  buildMediaUrl,
  buildMessageSid,
  buildStatusFields,
  encodeForm,
  type FormFields,
  signTwilioForm,
  testAccountSid,
  testAuthToken,
} from '../../channels/twilio/fixtures/twilio-webhooks.js';

/*
 * Twilio end to end, on loopback: a fake Twilio (Messages, Media with its redirect to a media
 * host, Content API) written from Twilio's documentation; the real app with PUBLIC_URL set as
 * Twilio would call it. Inbound webhooks are signed over the channel's public webhook URL,
 * status callbacks over the StatusCallback URL the adapter handed Twilio.
 */

const publicUrl = 'https://recado.example.com';
let fake: FakeTwilio;
let t: TestApp;
let dataDir: string;
let token: string;
let channelId: string;
let webhookUrl: string;
let sequence = 0;
const events: Array<{ type: string; payload: unknown }> = [];

type ChannelView = { id: string; webhookUrl: string | null; config: Record<string, unknown> };
type MessageView = {
  id: string;
  status: string;
  providerMessageId: string | null;
  errorCode: string | null;
  errorReason: string | null;
  readAt: string | null;
};

beforeAll(async () => {
  fake = await startFakeTwilio();
  dataDir = await mkdtemp(path.join(tmpdir(), 'recado-twilio-e2e-'));
  t = await createTestApp({ PUBLIC_URL: publicUrl, DATA_DIR: dataDir });
  t.events.subscribe((event) => events.push(event));
  token = (await login(t.app, testAdmin)).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'twilio',
      name: 'Twilio WhatsApp',
      config: {
        accountSid: testAccountSid,
        authToken: testAuthToken,
        from: 'whatsapp:+5511900000000',
        apiBaseUrl: fake.baseUrl,
        contentApiBaseUrl: fake.baseUrl,
      },
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const channel = created.json<ChannelView>();
  channelId = channel.id;
  webhookUrl = channel.webhookUrl ?? '';
});
afterAll(async () => {
  await t.close();
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
});

/** Posts a form to the channel's webhook as Twilio would: signed over the URL it calls. */
function postWebhook(
  fields: FormFields | string,
  options: { signature?: string; url?: string; id?: string } = {},
) {
  const body = typeof fields === 'string' ? fields : encodeForm(fields);
  const url = options.url ?? webhookUrl;
  return t.app.inject({
    method: 'POST',
    url: url.slice(publicUrl.length).replace(channelId, options.id ?? channelId),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': options.signature ?? signTwilioForm(url, body),
    },
    payload: body,
  });
}

async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(statement)) as unknown as { rows: T[] }).rows;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function getMessage(id: string): Promise<MessageView> {
  const response = await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) });
  expect(response.statusCode).toBe(200);
  return response.json<MessageView>();
}

/** The customer writes first (which opens the 24-hour window); answers its Message SID. */
async function customerWrites(phone: string, text: string): Promise<string> {
  const sid = buildMessageSid(`in-${++sequence}`);
  const response = await postWebhook(
    buildInboundFields({ messageSid: sid, body: text, from: phone }),
  );
  expect(response.statusCode).toBe(200);
  await t.runtime.queue.whenIdle(10_000);
  return sid;
}

function send(phone: string, content: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(token),
    payload: { channelId, to: { phone }, content },
  });
}

async function sendAndSettle(phone: string, content: Record<string, unknown>) {
  const response = await send(phone, content);
  expect(response.statusCode, response.body).toBe(202);
  const { id } = response.json<{ id: string }>();
  return waitFor(async () => {
    const view = await getMessage(id);
    return view.status !== 'queued' && view.status !== 'sending' ? view : undefined;
  });
}

describe('a Twilio channel', () => {
  it('keeps the auth token secret and gives the public webhook URL', async () => {
    const channel = await t.app.inject({
      url: `/api/v1/channels/${channelId}`,
      headers: bearer(token),
    });
    expect(channel.body).not.toContain(testAuthToken);
    expect(webhookUrl).toBe(`${publicUrl}/webhooks/twilio/${channelId}`);
    const providers = await t.app.inject({
      url: '/api/v1/channel-providers',
      headers: bearer(token),
    });
    expect(
      providers.json<{ items: Array<{ id: string; secretFields: string[] }> }>().items,
    ).toContainEqual(expect.objectContaining({ id: 'twilio', secretFields: ['authToken'] }));
  });

  it('refuses a config that is not Twilio’s, saying where', async () => {
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'twilio',
        name: 'Broken',
        config: { accountSid: 'AC123', authToken: 42, from: '+5511900000000' },
      },
    });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid
      .json<{ error: { details: Array<{ path: string }> } }>()
      .error.details.map((detail) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining(['config.accountSid', 'config.authToken', 'config.from']),
    );
  });
});

describe('Twilio end to end: inbound → stored → reply → statuses up to read', () => {
  it('stores a signed incoming message once, however often Twilio delivers it', async () => {
    const sid = buildMessageSid('hello');
    const fields = buildInboundFields({
      messageSid: sid,
      body: 'Olá! Quero saber do meu pedido',
      from: '+5511987654321',
      profileName: 'Ana Souza',
    });
    const responses = [await postWebhook(fields), await postWebhook(fields)];
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(responses.map((response) => response.json<{ duplicate: boolean }>().duplicate)).toEqual([
      false,
      true,
    ]);
    await t.runtime.queue.whenIdle(10_000);
    const rows = await query<Record<string, unknown>>(
      sql`select m.content, m.direction, c.phone, c.name from messages m join contacts c on c.id = m.contact_id where m.provider_message_id = ${sid}`,
    );
    expect(rows).toEqual([
      {
        content: { type: 'text', text: 'Olá! Quero saber do meu pedido' },
        direction: 'inbound',
        phone: '+5511987654321',
        name: 'Ana Souza',
      },
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'message.received',
        payload: expect.objectContaining({ preview: 'Olá! Quero saber do meu pedido' }),
      }),
    );
  });

  it('sends the reply through Twilio and follows its status callbacks up to read', async () => {
    await customerWrites('+5511987650001', 'Oi');
    const sent = await sendAndSettle('+5511987650001', {
      type: 'text',
      text: 'Seu pedido saiu para entrega 🚚',
    });
    expect(sent.status).toBe('sent');
    const [request] = fake.sends();
    expect(sent.providerMessageId).toBe(fake.sentSids[0]);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${testAccountSid}:${testAuthToken}`).toString('base64')}`,
    );
    expect(request?.form).toEqual({
      To: 'whatsapp:+5511987650001',
      From: 'whatsapp:+5511900000000',
      Body: 'Seu pedido saiu para entrega 🚚',
      StatusCallback: webhookUrl,
    });

    // Twilio calls the StatusCallback it was given, signing over that URL; out of order too.
    const callbackUrl = String(request?.form.StatusCallback);
    const sid = sent.providerMessageId ?? '';
    for (const status of ['delivered', 'sent', 'read', 'read']) {
      const response = await postWebhook(
        buildStatusFields({ messageSid: sid, status, to: '+5511987650001' }),
        {
          url: callbackUrl,
        },
      );
      expect(response.statusCode).toBe(200);
    }
    await t.runtime.queue.whenIdle(10_000);
    const read = await getMessage(sent.id);
    expect(read.status).toBe('read');
    expect(read.readAt).toBeTruthy();
    const reports = await query<{ n: string | number }>(
      sql`select count(*) as n from message_status_events where provider_message_id = ${sid}`,
    );
    expect(Number(reports[0]?.n)).toBe(3);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'message.status',
        payload: expect.objectContaining({ messageId: sent.id, status: 'read' }),
      }),
    );
  });

  it('a failed delivery report carries Twilio’s code and reason', async () => {
    await customerWrites('+5511987650002', 'Oi');
    const sent = await sendAndSettle('+5511987650002', { type: 'text', text: 'Olá' });
    const response = await postWebhook(
      buildStatusFields({
        messageSid: sent.providerMessageId ?? '',
        status: 'undelivered',
        errorCode: '63024',
        to: '+5511987650002',
      }),
    );
    expect(response.statusCode).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    const failed = await getMessage(sent.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'TWILIO_63024' });
    expect(failed.errorReason).toMatch(/Invalid message recipient/);
  });

  it('Twilio’s 63016 (outside the window) fails the message at once with a readable reason', async () => {
    await customerWrites('+5511987650003', 'Oi');
    fake.sendScript.push({
      status: 400,
      body: {
        code: 63016,
        message: 'Failed to send freeform message because you are outside the allowed window.',
        more_info: 'https://www.twilio.com/docs/errors/63016',
        status: 400,
      },
    });
    const failed = await sendAndSettle('+5511987650003', { type: 'text', text: 'Olá' });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'TWILIO_63016' });
    expect(failed.errorReason).toMatch(/24-hour window/);
    expect(fake.sends()).toHaveLength(1);
  });

  it('a rate limit (63018) is retried and then goes out', async () => {
    await customerWrites('+5511987650004', 'Oi');
    fake.sendScript.push({
      status: 429,
      body: { code: 63018, message: 'Rate limit exceeded', status: 429 },
      headers: { 'retry-after': '0.2' },
    });
    const sent = await sendAndSettle('+5511987650004', { type: 'text', text: 'Olá' });
    expect(sent.status).toBe('sent');
    expect(fake.sends()).toHaveLength(2);
  });

  it('refuses free-form text outside the 24-hour window before calling Twilio', async () => {
    const response = await send('+5511987659999', { type: 'text', text: 'Olá' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(fake.sends()).toHaveLength(0);
  });

  it('downloads an inbound photo with the account credentials, through Twilio’s redirect', async () => {
    const sid = buildMessageSid('photo', 'MM');
    const mediaSid = buildMediaSid('photo');
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from('JFIF\0'),
      Buffer.alloc(30_000, 0x5a),
    ]);
    fake.media.set(mediaSid, { bytes, contentType: 'image/jpeg' });
    const response = await postWebhook(
      buildInboundFields({
        messageSid: sid,
        body: 'Segue o comprovante',
        messageType: 'image',
        extra: {
          NumMedia: '1',
          MediaUrl0: buildMediaUrl(fake.baseUrl, sid, mediaSid),
          MediaContentType0: 'image/jpeg',
        },
      }),
    );
    expect(response.statusCode).toBe(200);
    const stored = await waitFor(async () => {
      const [row] = await query<{ content: Record<string, unknown> }>(
        sql`select content from messages where provider_message_id = ${sid}`,
      );
      return row?.content.mediaId ? row : undefined;
    });
    expect(stored.content).toMatchObject({
      type: 'image',
      caption: 'Segue o comprovante',
      mimeType: 'image/jpeg',
      sizeBytes: bytes.length,
    });
    const content = await t.app.inject({
      url: `/api/v1/media/${String(stored.content.mediaId)}/content`,
      headers: bearer(token),
    });
    expect(content.rawPayload.equals(bytes)).toBe(true);
    expect(fake.requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(fake.mediaHostRequests[0]?.headers.authorization).toBeUndefined();
  });

  it('syncs the Content API templates into the channel library', async () => {
    fake.contents.push({
      sid: 'HX0123456789abcdef0123456789abcdef',
      friendly_name: 'pedido_enviado',
      language: 'pt_BR',
      variables: { '1': 'Ana' },
      types: { 'twilio/text': { body: 'Olá {{1}}, seu pedido saiu para entrega.' } },
    });
    fake.approvals.set('HX0123456789abcdef0123456789abcdef', {
      name: 'pedido_enviado',
      category: 'UTILITY',
      status: 'approved',
    });
    const synced = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/templates/sync`,
      headers: bearer(token),
    });
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json()).toMatchObject({ created: 1, total: 1 });
    const list = await t.app.inject({
      url: `/api/v1/channels/${channelId}/templates`,
      headers: bearer(token),
    });
    expect(list.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        name: 'pedido_enviado',
        language: 'pt_BR',
        status: 'approved',
        category: 'utility',
        providerTemplateId: 'HX0123456789abcdef0123456789abcdef',
        variables: { header: [], body: ['1'] },
      }),
    ]);
    // Sent by its library name: the Content SID comes from the synced template.
    const sent = await sendAndSettle('+5511988776655', {
      type: 'template',
      name: 'pedido_enviado',
      language: 'pt_BR',
      body: [{ type: 'text', text: 'Ana' }],
    });
    expect(sent.status).not.toBe('failed');
    expect(fake.sends().at(-1)?.form).toMatchObject({
      ContentSid: 'HX0123456789abcdef0123456789abcdef',
      ContentVariables: JSON.stringify({ '1': 'Ana' }),
    });
  });
});

describe('Twilio webhooks that must not get in', () => {
  const forgedSid = buildMessageSid('forged');
  const forged = encodeForm(buildInboundFields({ messageSid: forgedSid, body: 'forjada' }));

  it('refuses a bad signature or the wrong auth token with 401 and stores nothing', async () => {
    const otherChannelUrl = `${publicUrl}/webhooks/twilio/00000000-0000-4000-8000-000000000000`;
    const signatures = [
      signTwilioForm(webhookUrl, forged, 'another-auth-token'),
      signTwilioForm(otherChannelUrl, forged),
      signTwilioForm(`${webhookUrl}?extra=1`, forged),
      signTwilioForm(webhookUrl, forged.replace('forjada', 'original')),
      'not-a-signature',
      '',
    ];
    for (const signature of signatures) {
      const response = await postWebhook(forged, { signature });
      expect(response.statusCode, signature).toBe(401);
      expect(response.json().error.code).toBe('INVALID_SIGNATURE');
    }
    const stored = await query<{ n: string | number }>(
      sql`select count(*) as n from webhook_deliveries where body like ${`%${forgedSid}%`}`,
    );
    expect(Number(stored[0]?.n)).toBe(0);
  });

  it('answers 404 for unknown channels and 413 for a huge body', async () => {
    const unknown = await postWebhook(forged, { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const huge = `Body=${'x'.repeat(2 * 1024 * 1024)}`;
    expect((await postWebhook(huge)).statusCode).toBe(413);
  });

  it('keeps a signed body that is not a Twilio message as a failed delivery, never retried', async () => {
    const body = 'hello=world&MessageSid=';
    expect((await postWebhook(body)).statusCode).toBe(200);
    await t.runtime.queue.whenIdle(10_000);
    const rows = await query<{ status: string; error: string }>(
      sql`select status, error from webhook_deliveries where body = ${body}`,
    );
    expect(rows).toEqual([
      { status: 'failed', error: expect.stringMatching(/not a Twilio messaging webhook/i) },
    ]);
  });
});
