import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type WebhookRequest,
} from '../provider.port.js';
import { type FakeWaha, fakeQrPng, startFakeWaha } from './fixtures/fake-waha-server.js';
import { wahaOutboundCases } from './fixtures/waha-outbound.js';
import {
  signWahaWebhook,
  wahaAckEvent,
  wahaEvent,
  wahaMessagePayload,
  wahaSessionEvent,
  wahaTextEvent,
} from './fixtures/waha-webhooks.js';
import { type WahaConfig, wahaProvider } from './waha.provider.js';

/**
 * The WAHA adapter against a loopback WAHA server (fixtures/fake-waha-server.ts) that behaves as
 * WAHA 2024.9 documents: every send kind, the engines' answer shapes, error mapping, webhook
 * checks, inbound parsing, media download with its limit, and session control.
 */

const hmacKey = 'a-very-secret-hmac-key';
const webhookToken = 'channel-url-token';
let fake: FakeWaha;
let config: WahaConfig;

const context = (overrides: Partial<WahaConfig> = {}): ProviderContext<WahaConfig> => ({
  config: { ...config, ...overrides },
  http: (url, init) => fetch(url, init),
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError: ${error}`);
  return error;
}

function working(name = 'default') {
  fake.sessions.set(name, { name, status: 'WORKING', config: {}, me: null });
}

beforeAll(async () => {
  fake = await startFakeWaha();
  config = wahaProvider.configSchema.parse({
    baseUrl: `${fake.baseUrl}/`,
    apiKey: fake.apiKey,
    hmacKey,
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.sessions.clear();
  fake.engine = 'WEBJS';
});

describe('config and capabilities', () => {
  const valid = { baseUrl: 'http://waha:3000', apiKey: 'k' };

  it('defaults the session to "default" and validates every field', () => {
    expect(wahaProvider.configSchema.parse(valid)).toEqual({ ...valid, session: 'default' });
    for (const bad of [
      { ...valid, baseUrl: 'ftp://waha' },
      { ...valid, baseUrl: 'not a url' },
      { ...valid, apiKey: '' },
      { ...valid, session: 'with space' },
      { ...valid, session: 'x'.repeat(55) },
      { ...valid, hmacKey: 'short' },
      { ...valid, engine: 'VENOM' },
      { ...valid, apiKey: 42 },
    ]) {
      expect(wahaProvider.configSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(wahaProvider.secretFields).toEqual(['apiKey', 'hmacKey']);
  });

  it('declares by engine, never buttons or lists, no window, QR sessions, 1 msg/s', () => {
    const of = (engine?: 'WEBJS' | 'NOWEB' | 'GOWS') =>
      wahaProvider.capabilitiesFor?.({ engine }) ?? wahaProvider.capabilities;
    expect(of().sends).toEqual(of('WEBJS').sends);
    expect(of('WEBJS').sends).toContain('location');
    expect(of('NOWEB').sends).toContain('contacts');
    expect(of('GOWS').sends).not.toContain('location');
    expect(of('GOWS').sends).not.toContain('contacts');
    for (const engine of ['WEBJS', 'NOWEB', 'GOWS'] as const) {
      expect(of(engine).sends).not.toContain('buttons');
      expect(of(engine).sends).not.toContain('list');
      expect(of(engine)).toMatchObject({
        hasServiceWindow: false,
        requiresTemplatesOutsideWindow: false,
        hasQrSession: true,
        defaultRatePerSecond: 1,
      });
    }
  });
});

describe('send', () => {
  it.each(wahaOutboundCases)('$name goes to $path with the API key', async ({ path, message }) => {
    working();
    const result = await wahaProvider.send(context(), message);
    const [request] = fake.sent();
    expect(request?.path).toBe(path);
    expect(request?.method).toBe(path === '/api/reaction' ? 'PUT' : 'POST');
    expect(request?.headers['x-api-key']).toBe(fake.apiKey);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body?.session).toBe('default');
    if (path === '/api/reaction') {
      expect(result.providerMessageId).toMatch(/^waha-reaction:/);
    } else {
      expect(request?.body?.chatId).toBe('14155550123@c.us');
      expect(result.providerMessageId).toMatch(/^true_14155550123@c\.us_3EB0[0-9A-F]{16}$/);
    }
  });

  it('writes each kind as WAHA wants it', async () => {
    working();
    const bodies = new Map<string, Record<string, unknown> | undefined>();
    for (const { name, message } of wahaOutboundCases) {
      fake.reset();
      await wahaProvider.send(context(), message);
      bodies.set(name, fake.sent()[0]?.body);
    }
    expect(bodies.get('text')).toEqual({
      session: 'default',
      chatId: '14155550123@c.us',
      text: 'Olá',
    });
    expect(bodies.get('text reply')).toMatchObject({
      text: 'Sim',
      reply_to: 'false_14155550123@c.us_3EB0AAAA',
    });
    expect(bodies.get('image')).toMatchObject({
      file: { mimetype: 'image/png', url: expect.stringContaining('/media/img/') },
      caption: 'Boleto',
    });
    expect(bodies.get('video')).toMatchObject({
      file: { mimetype: 'video/mp4', filename: 'video.mp4' },
    });
    expect(bodies.get('document')).toMatchObject({
      file: { mimetype: 'application/pdf', filename: 'fatura.pdf' },
      caption: 'Sua fatura',
    });
    expect(bodies.get('voice note')).toMatchObject({
      file: { mimetype: 'audio/ogg; codecs=opus' },
    });
    expect(bodies.get('audio file')).toMatchObject({
      file: { mimetype: 'audio/mpeg', filename: 'audio.mp3' },
    });
    expect(bodies.get('location')).toEqual({
      session: 'default',
      chatId: '14155550123@c.us',
      latitude: -23.5505,
      longitude: -46.6333,
      title: 'Loja Centro\nPraça da Sé, São Paulo',
    });
    const contacts = bodies.get('contacts')?.contacts as Array<{ vcard: string }> | undefined;
    const vcard = contacts?.[0]?.vcard;
    expect(vcard).toBe(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Financeiro\\; Recado',
        'ORG:Recado;',
        'TEL;type=CELL;type=VOICE;waid=5511987654321:+55 11 98765-4321',
        'EMAIL:financeiro@recado.test',
        'END:VCARD',
      ].join('\n'),
    );
    expect(bodies.get('reaction')).toEqual({
      session: 'default',
      messageId: 'false_14155550123@c.us_3EB0AAAA',
      reaction: '👍',
    });
  });

  it('reads the id of a NOWEB answer (key) in the form its acks carry', async () => {
    working();
    fake.engine = 'NOWEB';
    const { providerMessageId } = await wahaProvider.send(context(), {
      to: { phone: '+14155550123' },
      content: { type: 'text', text: 'oi' },
    });
    expect(providerMessageId).toMatch(/^true_14155550123@c\.us_3EB0[0-9A-F]{16}$/);
  });

  it('looks up Brazilian mobiles (the WhatsApp id may lack the ninth digit)', async () => {
    working('cobranca');
    const text = { type: 'text', text: 'Sua fatura vence hoje' } as const;
    await wahaProvider.send(context({ session: 'cobranca' }), {
      to: { phone: '+5511987654321' },
      content: text,
    });
    expect(fake.requests[0]).toMatchObject({
      path: '/api/contacts/check-exists',
      query: { phone: '5511987654321', session: 'cobranca' },
    });
    expect(fake.sent()[0]?.body).toMatchObject({
      chatId: '551187654321@c.us',
      session: 'cobranca',
    });

    // With the WhatsApp id known there is nothing to look up; a LID goes as is.
    fake.reset();
    await wahaProvider.send(context({ session: 'cobranca' }), {
      to: { phone: '+5511987654321', waId: '5511987654321' },
      content: text,
    });
    await wahaProvider.send(context({ session: 'cobranca' }), {
      to: { phone: '+5511987654321', waId: '123456789012345@lid' },
      content: text,
    });
    expect(fake.requests.map((r) => r.body?.chatId)).toEqual([
      '5511987654321@c.us',
      '123456789012345@lid',
    ]);

    // An answer without a usable chat id leaves the number as it is.
    fake.reset();
    fake.failNext(
      { status: 200, body: { numberExists: true, chatId: 'see documentation' } },
      '/api/contacts/check-exists',
    );
    await wahaProvider.send(context({ session: 'cobranca' }), {
      to: { phone: '+5511987654321' },
      content: text,
    });
    expect(fake.sent()[0]?.body?.chatId).toBe('5511987654321@c.us');

    fake.reset();
    fake.unknownNumbers.add('5511912345678');
    const missing = await failure(
      wahaProvider.send(context({ session: 'cobranca' }), {
        to: { phone: '+5511912345678' },
        content: text,
      }),
    );
    expect(missing).toMatchObject({ code: 'WAHA_NOT_ON_WHATSAPP', retryable: false });
    expect(fake.sent()).toHaveLength(0);
  });

  it('refuses what WAHA cannot send, before any request', async () => {
    working();
    const refused: Array<[MessageContent, string]> = [
      [{ type: 'buttons', body: 'b', buttons: [{ id: 'a', title: 'A' }] }, 'UNSUPPORTED_CONTENT'],
      [
        {
          type: 'list',
          body: 'b',
          buttonText: 'Ver',
          sections: [{ rows: [{ id: 'a', title: 'A' }] }],
        },
        'UNSUPPORTED_CONTENT',
      ],
      [{ type: 'template', name: 't', language: 'pt_BR' }, 'UNSUPPORTED_CONTENT'],
      [{ type: 'interactive-reply', kind: 'button', id: 'a', title: 'A' }, 'UNSUPPORTED_CONTENT'],
      [{ type: 'unsupported', providerType: 'poll' }, 'UNSUPPORTED_CONTENT'],
      [{ type: 'image', providerMediaId: 'meta-id' }, 'MEDIA_NOT_UPLOADED'],
    ];
    for (const [content, code] of refused) {
      const error = await failure(
        wahaProvider.send(context(), { to: { phone: '+14155550123' }, content }),
      );
      expect(error, content.type).toMatchObject({ code, retryable: false });
    }
    for (const to of [{ phone: '123' }, { phone: '+14155550123', waId: '1203630@g.us' }]) {
      const error = await failure(
        wahaProvider.send(context(), { to, content: { type: 'text', text: 'x' } }),
      );
      expect(error).toMatchObject({ code: 'WAHA_INVALID_RECIPIENT', retryable: false });
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('typing presence', () => {
  it('starts and stops typing in the recipient’s chat (looked up like a send)', async () => {
    working();
    await wahaProvider.sendPresence?.(context(), { phone: '+14155550123' }, 'typing');
    await wahaProvider.sendPresence?.(context(), { phone: '+5511987654321' }, 'paused');
    expect(fake.requests.map((r) => [r.method, r.path, r.body?.chatId ?? r.query.phone])).toEqual([
      ['POST', '/api/startTyping', '14155550123@c.us'],
      ['GET', '/api/contacts/check-exists', '5511987654321'],
      ['POST', '/api/stopTyping', '551187654321@c.us'],
    ]);
    expect(fake.requests[0]?.body).toEqual({ session: 'default', chatId: '14155550123@c.us' });
    fake.setStatus('default', 'STARTING');
    const error = await failure(
      wahaProvider.sendPresence?.(context(), { phone: '+14155550123' }, 'typing') ??
        Promise.resolve(),
    );
    expect(error).toMatchObject({ code: 'WAHA_SESSION_NOT_READY' });
  });
});

describe('delivery keys', () => {
  const key = (body: string) =>
    wahaProvider.deliveryKey?.({
      method: 'POST',
      url: '',
      headers: {},
      query: {},
      rawBody: Buffer.from(body),
    });

  it('a session status without an event id is never a redelivery; everything else is keyed by its body', () => {
    const working = wahaSessionEvent({ status: 'WORKING' });
    const first = key(working);
    expect(first).toMatch(/^session:[0-9a-f-]{36}$/);
    expect(key(working)).not.toBe(first);
    expect(key(wahaSessionEvent({ status: 'WORKING', extra: { id: 'evt_1' } }))).toBeUndefined();
    expect(
      key(wahaTextEvent({ id: 'false_1@c.us_A', from: '1@c.us', text: 'oi' })),
    ).toBeUndefined();
    expect(key(wahaAckEvent({ id: 'true_1@c.us_A', ackName: 'READ' }))).toBeUndefined();
    expect(key('{not json')).toBeUndefined();
    expect(key('null')).toBeUndefined();
  });
});

describe('errors', () => {
  const message: OutboundMessage = {
    to: { phone: '+14155550123' },
    content: { type: 'text', text: 'oi' },
  };

  it('a session that is not WORKING is retryable later (it may be pairing or restarting)', async () => {
    fake.sessions.set('default', { name: 'default', status: 'SCAN_QR_CODE', config: {}, me: null });
    const error = await failure(wahaProvider.send(context(), message));
    expect(error).toMatchObject({
      code: 'WAHA_SESSION_NOT_READY',
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(error.message).toContain('SCAN_QR_CODE');
  });

  it('maps each answer: key refused, throttled, broken, invalid, not implemented, unknown', async () => {
    working();
    const cases: Array<[Parameters<FakeWaha['failNext']>[0], Record<string, unknown>]> = [
      [
        { status: 401, body: { message: 'Unauthorized', statusCode: 401 } },
        { code: 'WAHA_UNAUTHORIZED', retryable: false },
      ],
      [
        { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '7' } },
        { code: 'WAHA_RATE_LIMITED', retryable: true, retryAfterMs: 7_000 },
      ],
      [
        { status: 429, body: {} },
        { code: 'WAHA_RATE_LIMITED', retryable: true, retryAfterMs: 5_000 },
      ],
      [
        { status: 500, body: { statusCode: 500, exception: { message: 'Evaluation failed' } } },
        {
          code: 'WAHA_HTTP_500',
          retryable: true,
          message: 'WAHA answered HTTP 500: Evaluation failed',
        },
      ],
      [
        { status: 502, body: '<html>Bad Gateway</html>' },
        { code: 'WAHA_HTTP_502', retryable: true },
      ],
      [
        {
          status: 400,
          body: { statusCode: 400, message: ['chatId should not be empty'], error: 'Bad Request' },
        },
        {
          code: 'WAHA_HTTP_400',
          retryable: false,
          message: 'WAHA answered HTTP 400: Bad Request: chatId should not be empty',
        },
      ],
      [
        { status: 501, body: { statusCode: 501, message: 'Available in WAHA Plus' } },
        { code: 'WAHA_NOT_IMPLEMENTED', retryable: false },
      ],
      [
        { status: 404, body: { statusCode: 404 } },
        { code: 'WAHA_NOT_FOUND', retryable: false },
      ],
      [
        { status: 201, body: { ok: true } },
        { code: 'WAHA_INVALID_RESPONSE', retryable: false },
      ],
    ];
    for (const [answer, expected] of cases) {
      fake.failNext(answer);
      const error = await failure(wahaProvider.send(context(), message));
      expect(error, JSON.stringify(answer)).toMatchObject(expected);
    }
  });

  it('a wrong API key is refused by the server and said so', async () => {
    working();
    const error = await failure(wahaProvider.send(context({ apiKey: 'wrong' }), message));
    expect(error).toMatchObject({ code: 'WAHA_UNAUTHORIZED', retryable: false });
    expect(error.message).toContain('apiKey');
  });

  it('a server that is down is a retryable network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await failure(
      wahaProvider.send(context({ baseUrl: `http://127.0.0.1:${port}` }), message),
    );
    expect(error).toMatchObject({ code: 'WAHA_NETWORK_ERROR', retryable: true });
  });
});

describe('webhook checks', () => {
  const body = wahaTextEvent({
    id: 'false_5511987654321@c.us_AAA',
    from: '5511987654321@c.us',
    text: 'oi',
  });
  const request = (
    headers: Record<string, string | undefined>,
    raw = body,
    query: Record<string, string> = {},
  ): WebhookRequest => ({
    method: 'POST',
    url: 'https://recado.test/webhooks/waha/1',
    headers,
    query,
    rawBody: Buffer.from(raw),
  });
  const verify = (req: WebhookRequest, overrides: Partial<WahaConfig> = {}) =>
    wahaProvider.verifyWebhook({ ...config, ...overrides }, req, { webhookToken });

  it('accepts the HMAC-SHA512 WAHA computes with the session key', () => {
    expect(verify(request(signWahaWebhook(body, hmacKey)))).toBe(true);
    const upper = signWahaWebhook(body, hmacKey);
    expect(
      verify(
        request({
          'X-Webhook-Hmac': upper['x-webhook-hmac']?.toUpperCase(),
          'X-Webhook-Hmac-Algorithm': 'SHA512',
        }),
      ),
    ).toBe(true);
    // The algorithm header is informative; its absence is fine.
    expect(verify(request({ 'x-webhook-hmac': upper['x-webhook-hmac'] }))).toBe(true);
  });

  it('refuses a changed body, another key, and missing or malformed headers', () => {
    const signed = signWahaWebhook(body, hmacKey);
    const hmac = signed['x-webhook-hmac'] ?? '';
    expect(verify(request(signed, body.replace('oi', 'tchau')))).toBe(false);
    expect(verify(request(signWahaWebhook(body, 'another-key-of-16+')))).toBe(false);
    for (const headers of [
      {},
      { 'x-webhook-hmac': '' },
      { 'x-webhook-hmac': 'not-hex' },
      { 'x-webhook-hmac': hmac.slice(0, 64) },
      { 'x-webhook-hmac': `${hmac}00` },
      { 'x-webhook-hmac': `${hmac}, ${hmac}` },
      { 'x-webhook-hmac': `sha512=${hmac}` },
      { 'x-webhook-hmac': hmac, 'x-webhook-hmac-algorithm': 'sha256' },
      // A valid token does not replace a required HMAC.
      { 'x-webhook-hmac': undefined },
    ]) {
      expect(verify(request(headers, body, { token: webhookToken })), JSON.stringify(headers)).toBe(
        false,
      );
    }
  });

  it('without an HMAC key, only the channel URL token lets a webhook in', () => {
    const noKey = { hmacKey: undefined };
    expect(verify(request({}, body, { token: webhookToken }), noKey)).toBe(true);
    expect(verify(request({}, body, { token: 'guess' }), noKey)).toBe(false);
    expect(verify(request({}, body, {}), noKey)).toBe(false);
    expect(verify(request(signWahaWebhook(body, hmacKey)), noKey)).toBe(false);
    expect(wahaProvider.webhookUrlToken).toBe(true);
  });
});

describe('webhook parsing', () => {
  const parse = (raw: string, session = 'default') =>
    wahaProvider.parseWebhook(
      { ...config, session },
      {
        method: 'POST',
        url: '',
        headers: {},
        query: {},
        rawBody: Buffer.from(raw),
      },
    );
  const message = (payload: Parameters<typeof wahaMessagePayload>[0], event = 'message') =>
    parse(wahaEvent({ event, payload: wahaMessagePayload(payload) }));

  it('reads a text with its sender, time, reply and a stable event key', () => {
    const raw = wahaEvent({
      event: 'message',
      payload: wahaMessagePayload({
        id: 'false_5511987654321@c.us_3EB0A1',
        from: '5511987654321@c.us',
        body: 'Já paguei',
        timestamp: 1_727_000_000,
        replyTo: { id: '3EB0OURS', participant: '5511900000000@c.us', body: 'Fatura' },
      }),
    });
    const events = parse(raw);
    expect(events).toEqual([
      {
        kind: 'message',
        eventKey: 'waha:msg:false_5511987654321@c.us_3EB0A1',
        providerMessageId: 'false_5511987654321@c.us_3EB0A1',
        from: { waId: '5511987654321', phone: '+5511987654321', name: 'Ana Souza' },
        timestamp: new Date(1_727_000_000_000),
        content: { type: 'text', text: 'Já paguei' },
        replyToProviderMessageId: 'true_5511987654321@c.us_3EB0OURS',
      },
    ]);
    expect(parse(raw)).toEqual(events);
    // A quote of their own message keeps "false"; a serialized id is taken as is.
    const theirs = message({
      id: 'false_5511987654321@c.us_B',
      from: '5511987654321@c.us',
      body: 'x',
      replyTo: { id: '3EB0THEIRS', participant: '5511987654321@c.us' },
    })[0];
    expect(theirs).toMatchObject({
      replyToProviderMessageId: 'false_5511987654321@c.us_3EB0THEIRS',
    });
    const serialized = message({
      id: 'false_5511987654321@c.us_C',
      from: '5511987654321@c.us',
      body: 'x',
      replyTo: { id: 'true_5511987654321@c.us_X' },
    })[0];
    expect(serialized).toMatchObject({ replyToProviderMessageId: 'true_5511987654321@c.us_X' });
  });

  it('a LID sender becomes a user id; a phone id next to it (NOWEB) is kept too', () => {
    const [lid] = message({ id: 'false_1@lid_A', from: '123456789012345@lid', body: 'oi' });
    expect(lid).toMatchObject({ from: { userId: '123456789012345@lid', name: 'Ana Souza' } });
    expect((lid as { from: { waId?: string } }).from.waId).toBeUndefined();
    const [both] = message({
      id: 'false_2@lid_B',
      from: '123456789012345@lid',
      body: 'oi',
      data: { key: { senderPn: '5511987654321@s.whatsapp.net' } },
    });
    expect(both).toMatchObject({
      from: { userId: '123456789012345@lid', waId: '5511987654321', phone: '+5511987654321' },
    });
    // An old Brazilian id (no ninth digit) is still the same E.164 number.
    const [old] = message({
      id: 'false_551187654321@c.us_O',
      from: '551187654321@c.us',
      body: 'oi',
    });
    expect(old).toMatchObject({ from: { waId: '551187654321', phone: '+5511987654321' } });
  });

  it('reads media, voice notes, documents, stickers, locations and contacts', () => {
    const from = '5511987654321@c.us';
    const url = 'http://localhost:3000/api/files/default/false_x.jpeg';
    const media = (type: string, mimetype: string, extra: Record<string, unknown> = {}) =>
      message({
        id: `false_${from}_${type}`,
        from,
        type,
        hasMedia: true,
        body: type === 'image' ? 'Comprovante' : '',
        media: { url, mimetype, filename: extra.filename ?? null },
      })[0];
    expect(media('image', 'image/jpeg')).toMatchObject({
      content: { type: 'image', url, mimeType: 'image/jpeg', caption: 'Comprovante' },
    });
    expect(media('ptt', 'audio/ogg; codecs=opus')).toMatchObject({
      content: { type: 'audio', isVoice: true, mimeType: 'audio/ogg; codecs=opus' },
    });
    expect(media('audio', 'audio/mpeg')).toMatchObject({
      content: { type: 'audio', isVoice: false },
    });
    expect(media('document', 'application/pdf', { filename: 'boleto.pdf' })).toMatchObject({
      content: { type: 'document', filename: 'boleto.pdf', mimeType: 'application/pdf' },
    });
    expect(media('sticker', 'image/webp')).toMatchObject({ content: { type: 'sticker' } });
    expect(media('video', 'video/mp4')).toMatchObject({ content: { type: 'video' } });
    // NOWEB: no `type`, the kind is in the raw message; a media WAHA did not download has no URL.
    const [noweb] = message({
      id: `false_${from}_N`,
      from,
      hasMedia: true,
      media: { url: null, mimetype: 'audio/ogg; codecs=opus', error: { message: 'expired' } },
      data: { type: undefined, message: { audioMessage: { ptt: true } } },
    });
    expect(noweb).toMatchObject({ content: { type: 'audio', isVoice: true } });
    expect((noweb as { content: { url?: string } }).content.url).toBeUndefined();

    expect(
      message({
        id: `false_${from}_L`,
        from,
        type: 'location',
        location: { latitude: '-23.55', longitude: '-46.63', description: 'Loja\nPraça da Sé' },
      })[0],
    ).toMatchObject({
      content: {
        type: 'location',
        latitude: -23.55,
        longitude: -46.63,
        name: 'Loja',
        address: 'Praça da Sé',
      },
    });
    expect(
      message({
        id: `false_${from}_V`,
        from,
        type: 'vcard',
        vCards: [
          'BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nORG:Acme\\, Inc.;\nTEL;type=CELL;type=VOICE;waid=911111111111:+91 11111 11111\nEMAIL:jane@acme.test\nEND:VCARD',
        ],
      })[0],
    ).toMatchObject({
      content: {
        type: 'contacts',
        contacts: [
          {
            name: 'Jane Doe',
            organization: 'Acme, Inc.',
            phones: [{ phone: '+91 11111 11111', waId: '911111111111', type: 'CELL' }],
            emails: ['jane@acme.test'],
          },
        ],
      },
    });
    // A bad coordinate does not make the message unreadable.
    expect(
      message({
        id: `false_${from}_BAD`,
        from,
        type: 'location',
        body: '',
        location: { latitude: 'north', longitude: 1 },
      })[0],
    ).toMatchObject({ content: { type: 'unsupported', providerType: 'location' } });
    expect(
      message({ id: `false_${from}_P`, from, type: 'poll_creation', body: 'Qual dia?' })[0],
    ).toMatchObject({ content: { type: 'unsupported', providerType: 'poll_creation' } });
  });

  it('notes and skips groups, broadcasts and messages sent from the paired phone', () => {
    const group = message({
      id: 'false_1203@g.us_A_5511@c.us',
      from: '120363000000000000@g.us',
      body: 'oi',
    });
    expect(group).toEqual([
      expect.objectContaining({ kind: 'system', description: expect.stringContaining('group') }),
    ]);
    expect(
      message({ id: 'false_status@broadcast_A', from: 'status@broadcast', body: 'x' })[0],
    ).toMatchObject({
      kind: 'system',
    });
    const own = message(
      {
        id: 'true_5511987654321@c.us_A',
        from: '5511900000000@c.us',
        body: 'enviado do celular',
        fromMe: true,
      },
      'message.any',
    );
    expect(own).toEqual([
      expect.objectContaining({
        kind: 'system',
        description: expect.stringContaining('paired phone'),
      }),
    ]);
    expect(JSON.stringify(own)).not.toContain('enviado do celular');
    // A contact's message through `message.any` is the same message as through `message`.
    expect(
      message(
        { id: 'false_5511987654321@c.us_Z', from: '5511987654321@c.us', body: 'oi' },
        'message.any',
      ),
    ).toEqual(
      message({ id: 'false_5511987654321@c.us_Z', from: '5511987654321@c.us', body: 'oi' }),
    );
  });

  it('maps ack levels to statuses; PENDING and acks of received messages say nothing', () => {
    const id = 'true_5511987654321@c.us_3EB0ABC';
    const statusOf = (ackName: Parameters<typeof wahaAckEvent>[0]['ackName']) =>
      parse(wahaAckEvent({ id, ackName }));
    expect(statusOf('SERVER')).toEqual([
      expect.objectContaining({
        kind: 'status',
        eventKey: `waha:ack:${id}:SERVER`,
        providerMessageId: id,
        status: 'sent',
        recipient: { waId: '5511987654321', phone: '+5511987654321', name: undefined },
      }),
    ]);
    expect(statusOf('DEVICE')[0]).toMatchObject({ status: 'delivered' });
    expect(statusOf('READ')[0]).toMatchObject({ status: 'read' });
    expect(statusOf('PLAYED')[0]).toMatchObject({
      status: 'read',
      eventKey: `waha:ack:${id}:PLAYED`,
    });
    expect(statusOf('ERROR')[0]).toMatchObject({
      status: 'failed',
      error: { code: 'WAHA_ACK_ERROR' },
    });
    expect(statusOf('PENDING')).toEqual([]);
    expect(
      parse(wahaAckEvent({ id: 'false_5511987654321@c.us_X', ackName: 'READ', fromMe: false })),
    ).toEqual([]);
    // Only the number (older servers) is enough; an unknown level is a notice.
    const numeric = wahaEvent({ event: 'message.ack', payload: { id, fromMe: true, ack: 3 } });
    expect(parse(numeric)[0]).toMatchObject({ status: 'read' });
    const odd = wahaEvent({ event: 'message.ack', payload: { id, fromMe: true, ack: 9 } });
    expect(parse(odd)[0]).toMatchObject({ kind: 'system' });
  });

  it('maps session statuses, with the paired number once WORKING', () => {
    const expected = {
      STARTING: 'starting',
      SCAN_QR_CODE: 'qr',
      WORKING: 'connected',
      FAILED: 'failed',
      STOPPED: 'stopped',
    } as const;
    for (const [status, mapped] of Object.entries(expected)) {
      const [event] = parse(wahaSessionEvent({ status: status as keyof typeof expected }));
      expect(event).toMatchObject({ kind: 'session', state: { status: mapped, detail: status } });
    }
    expect(parse(wahaSessionEvent({ status: 'WORKING' }))[0]).toMatchObject({
      state: { status: 'connected', phone: '+5511900000000', name: 'Recado Cobranças' },
    });
    // Newer servers give every event an id: two identical statuses are two events.
    const first = parse(wahaSessionEvent({ status: 'WORKING', extra: { id: 'evt_1' } }))[0];
    const second = parse(wahaSessionEvent({ status: 'WORKING', extra: { id: 'evt_2' } }))[0];
    expect(first?.eventKey).toBe('waha:session:evt_1');
    expect(second?.eventKey).not.toBe(first?.eventKey);
    expect(
      parse(wahaEvent({ event: 'session.status', payload: { status: 'ZOMBIE' } }))[0],
    ).toMatchObject({
      kind: 'system',
    });
  });

  it('notes other events and other sessions; refuses what is not a WAHA event', () => {
    expect(parse(wahaEvent({ event: 'presence.update', payload: {} }))[0]).toMatchObject({
      kind: 'system',
      description: expect.stringContaining('presence.update'),
    });
    const other = parse(
      wahaTextEvent({
        id: 'false_5511987654321@c.us_Q',
        from: '5511987654321@c.us',
        text: 'oi',
        session: 'vendas',
      }),
    );
    expect(other).toEqual([
      expect.objectContaining({ kind: 'system', description: expect.stringContaining('vendas') }),
    ]);
    expect(parse(wahaEvent({ event: 'message', payload: { body: 'no id' } }))[0]).toMatchObject({
      kind: 'system',
    });
    expect(() => parse('{not json')).toThrow(/not JSON/);
    for (const raw of ['[]', '"x"', '{"event":"message"}', '{"session":"default","payload":{}}']) {
      expect(() => parse(raw), raw).toThrow(/Not a WAHA webhook/);
    }
  });
});

describe('media download', () => {
  const limit = { maxBytes: 1_000 };
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(500, 1)]);

  it('fetches the file from the WAHA server with the API key', async () => {
    fake.addFile('/api/files/default/false_x.jpeg', jpeg, 'image/jpeg');
    const downloaded = await wahaProvider.downloadMedia?.(
      context(),
      { url: `${fake.baseUrl}/api/files/default/false_x.jpeg` },
      limit,
    );
    expect(downloaded?.bytes.equals(jpeg)).toBe(true);
    expect(downloaded?.mimeType).toBe('image/jpeg');
    expect(fake.requests[0]?.headers['x-api-key']).toBe(fake.apiKey);
  });

  it('a file announced under another host (WAHA_BASE_URL) is fetched from the configured server', async () => {
    fake.addFile('/api/files/default/false_y.oga', jpeg, 'audio/ogg');
    const downloaded = await wahaProvider.downloadMedia?.(
      context(),
      { url: 'http://localhost:3000/api/files/default/false_y.oga' },
      limit,
    );
    expect(downloaded?.bytes.length).toBe(jpeg.length);
    expect(fake.requests[0]?.path).toBe('/api/files/default/false_y.oga');
  });

  it('never sends the key elsewhere', async () => {
    for (const url of ['https://evil.test/steal', 'file:///etc/passwd', 'not a url', undefined]) {
      const error = await failure(
        wahaProvider.downloadMedia?.(context(), { url }, limit) ?? Promise.resolve(),
      );
      expect(error, String(url)).toMatchObject({ code: 'MEDIA_NOT_FOUND', retryable: false });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('stops at the size limit, announced or streamed; a vanished file is not retried', async () => {
    const big = Buffer.alloc(5_000, 2);
    fake.addFile('/api/files/default/big-announced', big, 'image/jpeg');
    fake.addFile('/api/files/default/big-streamed', big, 'image/jpeg', true);
    for (const name of ['big-announced', 'big-streamed']) {
      const error = await failure(
        wahaProvider.downloadMedia?.(
          context(),
          { url: `${fake.baseUrl}/api/files/default/${name}` },
          limit,
        ) ?? Promise.resolve(),
      );
      expect(error, name).toMatchObject({ code: 'MEDIA_TOO_LARGE', retryable: false });
    }
    const gone = await failure(
      wahaProvider.downloadMedia?.(
        context(),
        { url: `${fake.baseUrl}/api/files/default/gone` },
        limit,
      ) ?? Promise.resolve(),
    );
    expect(gone).toMatchObject({ code: 'WAHA_NOT_FOUND', retryable: false });
  });
});

describe('session control', () => {
  const sessions = wahaProvider.sessions;
  if (!sessions) throw new Error('WAHA has session control');
  const webhook = { url: 'https://recado.test/webhooks/waha/c1?token=t' };

  it('start creates the session with Recado’s webhook (events and HMAC key) and starts it', async () => {
    const state = await sessions.start(context({ session: 'cobranca' }), webhook);
    expect(state).toEqual({
      status: 'starting',
      detail: 'STARTING',
      phone: undefined,
      name: undefined,
    });
    const created = fake.requests.find((r) => r.method === 'POST' && r.path === '/api/sessions');
    expect(created?.body).toEqual({
      name: 'cobranca',
      start: true,
      config: {
        webhooks: [
          {
            url: webhook.url,
            events: ['message', 'message.ack', 'session.status'],
            hmac: { key: hmacKey },
          },
        ],
      },
    });
    // Without an HMAC key, none is registered.
    await sessions.start(context({ session: 'vendas', hmacKey: undefined }), webhook);
    expect(fake.sessions.get('vendas')?.config).toEqual({
      webhooks: [{ url: webhook.url, events: ['message', 'message.ack', 'session.status'] }],
    });
  });

  it('start on an existing session keeps its other settings and webhooks, replaces ours, starts it', async () => {
    fake.sessions.set('default', {
      name: 'default',
      status: 'STOPPED',
      config: {
        proxy: { server: 'proxy:3128' },
        webhooks: [
          { url: 'https://crm.test/hook', events: ['message'] },
          { url: 'https://recado.test/webhooks/waha/c1?token=old', events: ['message'] },
        ],
      },
      me: null,
    });
    const state = await sessions.start(context(), webhook);
    expect(state.status).toBe('starting');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/sessions/default',
      'PUT /api/sessions/default',
      'POST /api/sessions/default/start',
    ]);
    expect(fake.sessions.get('default')?.config).toEqual({
      proxy: { server: 'proxy:3128' },
      webhooks: [
        { url: 'https://crm.test/hook', events: ['message'] },
        {
          url: webhook.url,
          events: ['message', 'message.ack', 'session.status'],
          hmac: { key: hmacKey },
        },
      ],
    });
  });

  it('walks a session through QR, pairing code, connected, stop and logout', async () => {
    await sessions.start(context(), webhook);
    await fake.idle();
    expect(fake.sessions.get('default')?.status).toBe('SCAN_QR_CODE');
    expect(await sessions.status(context())).toEqual({
      status: 'qr',
      detail: 'SCAN_QR_CODE',
      phone: undefined,
      name: undefined,
    });
    const qr = await sessions.qr(context());
    expect('png' in qr && qr.png.equals(fakeQrPng)).toBe(true);
    const qrRequest = fake.requests.at(-1);
    expect(qrRequest).toMatchObject({ path: '/api/default/auth/qr', query: { format: 'image' } });
    expect(qrRequest?.headers.accept).toContain('image/png');
    expect(await sessions.pairingCode?.(context(), '+55 11 98765-4321')).toEqual({
      code: 'ABCD-1234',
    });
    expect(fake.requests.at(-1)?.body).toEqual({ phoneNumber: '5511987654321' });

    fake.setStatus('default', 'WORKING');
    expect(await sessions.status(context())).toEqual({
      status: 'connected',
      phone: '+5511900000000',
      name: 'Recado Cobranças',
      detail: 'WORKING',
    });
    const notNow = await failure(sessions.qr(context()));
    expect(notNow).toMatchObject({ code: 'WAHA_SESSION_NOT_READY', retryable: true });

    await sessions.stop(context());
    expect(fake.sessions.get('default')?.status).toBe('STOPPED');
    await sessions.logout(context());
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/sessions/default/logout',
    });
  });

  it('reads a QR given as base64 JSON or as a raw value; refuses a non-PNG', async () => {
    working();
    fake.failNext({
      status: 200,
      body: { mimetype: 'image/png', data: fakeQrPng.toString('base64') },
    });
    const json = await sessions.qr(context());
    expect('png' in json && json.png.equals(fakeQrPng)).toBe(true);
    fake.failNext({ status: 200, body: { value: '2@abc,def' } });
    expect(await sessions.qr(context())).toEqual({ value: '2@abc,def' });
    fake.failNext({
      status: 200,
      body: { mimetype: 'image/png', data: Buffer.from('GIF89a').toString('base64') },
    });
    expect(await failure(sessions.qr(context()))).toMatchObject({ code: 'WAHA_INVALID_RESPONSE' });
  });

  it('a session WAHA does not know is stopped; a bad pairing phone never leaves', async () => {
    expect(await sessions.status(context({ session: 'ghost' }))).toMatchObject({
      status: 'stopped',
    });
    const error = await failure(sessions.pairingCode?.(context(), '12') ?? Promise.resolve());
    expect(error).toMatchObject({ code: 'WAHA_INVALID_RECIPIENT', retryable: false });
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/sessions/ghost']);
    const refused = await failure(sessions.status(context({ apiKey: 'wrong' })));
    expect(refused).toMatchObject({ code: 'WAHA_UNAUTHORIZED' });
  });
});
