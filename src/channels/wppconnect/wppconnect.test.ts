import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageContentSchema } from '../../shared/messaging/message-content.js';
import {
  type HttpClient,
  type InboundEvent,
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type WebhookRequest,
} from '../provider.port.js';
import { wppconnectOutboundCases } from './fixtures/wppconnect-outbound.js';
import { fixtureSession, wppconnectWebhookFixtures } from './fixtures/wppconnect-webhooks.js';
import {
  type FakeWppconnect,
  fakeQrPng,
  fakeQrUrlCode,
  startFakeWppconnect,
} from './testing/fake-wppconnect-server.js';
import { mapWppconnectError } from './wppconnect.errors.js';
import {
  createWppconnectProvider,
  type WppconnectConfig,
  wppconnectProvider,
} from './wppconnect.provider.js';

const webhookToken = 'k3Jd9sLq0vXc7RtYpWm2NbAe5FgHi8Uo';
const fetchClient: HttpClient = (url, init) => fetch(url, init);

function webhookRequest(
  body: unknown,
  query: Record<string, string | undefined> = {},
): WebhookRequest {
  const rawBody = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    url: 'https://recado.test/webhooks/wppconnect/1',
    headers: { 'content-type': 'application/json' },
    query,
    rawBody,
  };
}

function parse(body: unknown, session = fixtureSession): InboundEvent[] {
  const config = { baseUrl: 'http://127.0.0.1:1', session, secretKey: 'x' };
  return wppconnectProvider.parseWebhook(config, webhookRequest(body));
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('config', () => {
  const schema = wppconnectProvider.configSchema;
  it('takes a server URL, a session name and the secret key (secret)', () => {
    expect(
      schema.parse({ baseUrl: 'http://wpp:21465', session: 'loja-01', secretKey: 'S3CRET' }),
    ).toEqual({ baseUrl: 'http://wpp:21465', session: 'loja-01', secretKey: 'S3CRET' });
    expect(wppconnectProvider.secretFields).toEqual(['secretKey']);
    expect(wppconnectProvider.webhookUrlToken).toBe(true);
  });

  it.each([
    ['a non-http URL', { baseUrl: 'ftp://wpp', session: 's', secretKey: 'k' }],
    [
      'a session with a colon (the server splits session:token)',
      { baseUrl: 'http://w', session: 'a:b', secretKey: 'k' },
    ],
    ['a session with a slash', { baseUrl: 'http://w', session: 'a/b', secretKey: 'k' }],
    ['an empty secret key', { baseUrl: 'http://w', session: 's', secretKey: '' }],
    ['a number as session', { baseUrl: 'http://w', session: 5, secretKey: 'k' }],
  ])('refuses %s', (_name, input) => {
    expect(schema.safeParse(input).success).toBe(false);
  });

  it('declares what WPPConnect renders: no reply buttons, no templates, no service window', () => {
    const { capabilities } = wppconnectProvider;
    expect(capabilities.sends).toEqual(
      expect.arrayContaining(['text', 'image', 'document', 'audio', 'location', 'list']),
    );
    expect(capabilities.sends).not.toContain('buttons');
    expect(capabilities.sends).not.toContain('template');
    expect(capabilities).toMatchObject({
      hasServiceWindow: false,
      requiresTemplatesOutsideWindow: false,
      hasQrSession: true,
    });
    expect(capabilities.defaultRatePerSecond).toBeLessThanOrEqual(1);
  });
});

describe('webhook URL token', () => {
  const config = { baseUrl: 'http://w', session: 's', secretKey: 'k' };
  const verify = (query: Record<string, string | undefined>, expected = webhookToken) =>
    wppconnectProvider.verifyWebhook(config, webhookRequest({ event: 'onmessage' }, query), {
      webhookToken: expected,
    });

  it('accepts the channel’s own token', () => {
    expect(verify({ token: webhookToken })).toBe(true);
  });

  it.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
    ['another channel’s token', { token: 'Zz9Jd9sLq0vXc7RtYpWm2NbAe5FgHi8U' }],
    ['the token with one character changed', { token: `${webhookToken.slice(0, -1)}x` }],
    ['a prefix of the token', { token: webhookToken.slice(0, 10) }],
    ['the token and more', { token: `${webhookToken}x` }],
    ['the token in another case', { token: webhookToken.toUpperCase() }],
    ['a huge value', { token: 'a'.repeat(100_000) }],
    ['unicode', { token: 'токен🙂' }],
    ['the token under another name', { secret: webhookToken }],
  ])('refuses %s', (_name, query) => {
    expect(verify(query)).toBe(false);
  });

  it('refuses everything when the channel has no token', () => {
    expect(verify({ token: '' }, '')).toBe(false);
  });
});

/** What each fixture must parse to; every fixture must be listed. */
const customer = { waId: '5511987654321', phone: '+5511987654321', name: 'Ana Souza' };
const msg = (
  id: string,
  content: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  kind: 'message',
  eventKey: `wppconnect:msg:false_5511987654321@c.us_${id}`,
  providerMessageId: `false_5511987654321@c.us_${id}`,
  from: expect.objectContaining(customer),
  timestamp: new Date(1_732_000_000_000),
  content: expect.objectContaining(content),
  ...extra,
});
const sentId = 'true_5511987654321@c.us_3EB0C767D26A1F2B3C4D';
const ackEvent = (level: number, status: string, extra: Record<string, unknown> = {}) => ({
  kind: 'status',
  eventKey: `wppconnect:ack:${sentId}:${level}`,
  providerMessageId: sentId,
  status,
  recipient: expect.objectContaining({ waId: '5511987654321', phone: '+5511987654321' }),
  ...extra,
});
const session = (status: string, detail?: string) => ({
  kind: 'session',
  state: detail ? { status, detail } : expect.objectContaining({ status }),
});
const system = (pattern: RegExp) => ({
  kind: 'system',
  description: expect.stringMatching(pattern),
});

const expectations: Record<string, Record<string, unknown>[]> = {
  'onmessage/text': [
    msg(
      '3A0B1C2D3E4F5A6B7C8D',
      { type: 'text', text: 'Oi, quero a segunda via do boleto' },
      {
        replyToProviderMessageId: undefined,
      },
    ),
  ],
  'onmessage/reply': [
    msg(
      '3A0B1C2D3E4F5A6B7C8E',
      { type: 'text', text: 'Esse mesmo' },
      {
        replyToProviderMessageId: sentId,
      },
    ),
  ],
  'onmessage/image': [
    msg('3A0B1C2D3E4F5A6B7C8F', {
      type: 'image',
      providerMediaId: 'false_5511987654321@c.us_3A0B1C2D3E4F5A6B7C8F',
      url: undefined,
      mimeType: 'image/jpeg',
      caption: 'Comprovante',
    }),
  ],
  'onmessage/image_uploaded_to_s3': [
    msg('3A0B1C2D3E4F5A6B7C90', {
      type: 'image',
      providerMediaId: 'false_5511987654321@c.us_3A0B1C2D3E4F5A6B7C90',
      url: 'https://recado-media.s3.amazonaws.com/abc123.png',
      caption: undefined,
    }),
  ],
  'onmessage/document': [
    msg('3A0B1C2D3E4F5A6B7C91', {
      type: 'document',
      filename: 'contrato.pdf',
      caption: 'Contrato assinado',
      mimeType: 'application/pdf',
    }),
  ],
  'onmessage/voice': [msg('3A0B1C2D3E4F5A6B7C92', { type: 'audio', isVoice: true })],
  'onmessage/audio': [
    msg('3A0B1C2D3E4F5A6B7C93', { type: 'audio', isVoice: false, mimeType: 'audio/mpeg' }),
  ],
  'onmessage/video': [msg('3A0B1C2D3E4F5A6B7C94', { type: 'video', caption: 'Olha isso' })],
  'onmessage/sticker': [msg('3A0B1C2D3E4F5A6B7C95', { type: 'sticker', isAnimated: false })],
  'onmessage/location': [
    msg('3A0B1C2D3E4F5A6B7C96', {
      type: 'location',
      latitude: -22.9711,
      longitude: -43.1822,
      name: 'Copacabana Palace',
      address: 'Av. Atlântica, 1702 - Copacabana, Rio de Janeiro',
    }),
  ],
  'onmessage/location_shared_now': [
    msg('3A0B1C2D3E4F5A6B7C97', {
      type: 'location',
      latitude: -23.5613,
      longitude: -46.6565,
      name: undefined,
    }),
  ],
  'onmessage/vcard': [
    msg('3A0B1C2D3E4F5A6B7C98', {
      type: 'contacts',
      contacts: [
        {
          name: 'Bruno Lima',
          phones: [{ phone: '+55 21 99999-8888', waId: '5521999998888', type: undefined }],
          emails: ['bruno@example.com'],
          organization: 'Oficina Lima',
        },
      ],
    }),
  ],
  'onmessage/multi_vcard': [
    msg('3A0B1C2D3E4F5A6B7C99', {
      type: 'contacts',
      contacts: [
        expect.objectContaining({
          name: 'Carla',
          phones: [{ phone: '+55 31 98888-7777', waId: '5531988887777', type: 'CELL' }],
        }),
        expect.objectContaining({ name: 'Davi', phones: [] }),
      ],
    }),
  ],
  'onmessage/list_response': [
    msg(
      '3A0B1C2D3E4F5A6B7C9A',
      {
        type: 'interactive-reply',
        kind: 'list',
        id: 'boleto',
        title: '2ª via do boleto',
        description: 'Receba por aqui',
      },
      { replyToProviderMessageId: 'true_5511987654321@c.us_3EB0AAAABBBBCCCCDDDD' },
    ),
  ],
  'onmessage/buttons_response': [
    msg('3A0B1C2D3E4F5A6B7C9B', {
      type: 'interactive-reply',
      kind: 'button',
      id: 'confirmar',
      title: 'Sim',
    }),
  ],
  'onmessage/from_lid': [
    {
      kind: 'message',
      providerMessageId: 'false_205661377953830@lid_3A0B1C2D3E4F5A6B7C9C',
      from: { userId: '205661377953830@lid', waId: undefined, phone: undefined, name: 'Eva' },
      content: { type: 'text', text: 'Oi, sou eu pelo LID' },
    },
  ],
  'onmessage/poll': [
    msg('3A0B1C2D3E4F5A6B7C9D', { type: 'unsupported', providerType: 'poll_creation' }),
  ],
  'onmessage/waiting_for_message': [
    msg('3A0B1C2D3E4F5A6B7C9E', {
      type: 'unsupported',
      providerType: 'ciphertext',
      description: expect.stringMatching(/could not decrypt/),
    }),
  ],
  'onmessage/very_long_text': [
    msg('3A0B1C2D3E4F5A6B7C9F', { type: 'text', text: 'a'.repeat(4096) }),
  ],
  'onmessage/group': [],
  'onmessage/status_broadcast': [],
  'onmessage/e2e_notification': [],
  'unreadmessages/text': [msg('3A0B1C2D3E4F5A6B7CA3', { type: 'text', text: 'Mensagem de ontem' })],
  'onack/sent': [ackEvent(1, 'sent', { error: undefined })],
  'onack/delivered': [ackEvent(2, 'delivered')],
  'onack/read': [ackEvent(3, 'read')],
  'onack/played': [ackEvent(4, 'read')],
  'onack/failed': [
    ackEvent(-1, 'failed', {
      error: { code: 'WPPCONNECT_ACK_FAILED', reason: expect.stringMatching(/not delivered/) },
    }),
  ],
  'onack/clock': [],
  'onack/of_a_received_message': [],
  'onreactionmessage/added': [
    {
      kind: 'message',
      eventKey: 'wppconnect:msg:false_5511987654321@c.us_3A7F0A1B2C3D4E5F6A7B',
      from: expect.objectContaining({ waId: '5511987654321' }),
      content: { type: 'reaction', messageProviderId: sentId, emoji: '❤️' },
    },
  ],
  'onrevokedmessage/revoked': [
    system(/deleted message false_5511987654321@c.us_3A0B1C2D3E4F5A6B7C8D/),
  ],
  'onpresencechanged/online': [],
  'incomingcall/voice': [system(/Incoming WhatsApp call from 5511987654321@c.us/)],
  'qrcode/new': [session('qr', 'QRCODE')],
  'status-find/notLogged': [session('qr', 'notLogged')],
  'status-find/qrReadSuccess': [session('starting', 'qrReadSuccess')],
  'status-find/qrReadError': [session('failed', 'qrReadError')],
  'status-find/isLogged': [session('connected', 'isLogged')],
  'status-find/inChat': [session('connected', 'inChat')],
  'status-find/desconnectedMobile': [session('stopped', 'desconnectedMobile')],
  'status-find/browserClose': [session('failed', 'browserClose')],
  'status-find/autocloseCalled': [session('stopped', 'autocloseCalled')],
  'session-logged/connected': [session('connected')],
  'closesession/closed': [session('stopped', 'closesession')],
  'logoutsession/logged_out': [session('stopped', 'logoutsession')],
  'other_session/onmessage': [
    system(/session "another-number" reached the channel of session "recado": ignored/),
  ],
  'unknown/onpollresponse': [system(/WPPConnect webhook "onpollresponse"/)],
};

describe('webhook parsing', () => {
  const cases = Object.entries(wppconnectWebhookFixtures).map(([id, payload]) => ({ id, payload }));

  it('has an expectation for every fixture', () => {
    expect(Object.keys(expectations).sort()).toEqual(cases.map((c) => c.id).sort());
  });

  it.each(cases)('$id', ({ id, payload }) => {
    const events = parse(payload);
    expect(events).toEqual((expectations[id] ?? []).map((event) => expect.objectContaining(event)));
    for (const event of events) {
      expect(event.eventKey).toMatch(/^wppconnect:(msg|ack|session|system):\S+$/);
      expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
      if (event.kind === 'message')
        expect(messageContentSchema.safeParse(event.content).success).toBe(true);
    }
  });

  it('gives the same keys to a redelivered body (duplicates are dropped by them)', () => {
    for (const payload of Object.values(wppconnectWebhookFixtures)) {
      expect(parse(payload).map((e) => e.eventKey)).toEqual(parse(payload).map((e) => e.eventKey));
    }
  });

  it('never reads a media message’s body (a thumbnail, or the whole file in base64) as text', () => {
    const image = wppconnectWebhookFixtures['onmessage/image'];
    const [event] = parse({ ...image, caption: undefined });
    expect(event).toMatchObject({ content: { type: 'image', caption: undefined } });
    expect(JSON.stringify(event)).not.toContain('/9j/');
  });

  it.each([
    ['not JSON', '{"event": "onmessage", '],
    ['a JSON array', '[1, 2]'],
    ['JSON without an event', '{"session": "recado"}'],
    ['an event that is not a string', '{"event": 42}'],
    ['an empty body', ''],
  ])('throws on %s (the delivery is kept, marked failed)', (_name, body) => {
    expect(() => parse(body)).toThrow(/WPPConnect webhook/);
  });

  it('keeps a message with wrong field types visible instead of failing the delivery', () => {
    const events = parse({
      event: 'onmessage',
      session: fixtureSession,
      id: 'false_5511987654321@c.us_X1',
      from: '5511987654321@c.us',
      type: 'location',
      lat: 'north',
      lng: { deg: 1 },
      t: 'yesterday',
      sender: 'nobody',
    });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'message',
        content: expect.objectContaining({ type: 'unsupported', providerType: 'location' }),
      }),
    ]);
    expect(parse({ event: 'onmessage', session: fixtureSession, body: 'no id' })).toEqual([
      expect.objectContaining({ kind: 'system' }),
    ]);
    expect(parse({ event: 'onack', session: fixtureSession, id: 7, ack: 'x' })).toEqual([
      expect.objectContaining({ kind: 'system' }),
    ]);
  });
});

describe('against a loopback WPPConnect Server', () => {
  let fake: FakeWppconnect;
  let config: WppconnectConfig;
  let provider: ReturnType<typeof createWppconnectProvider>;
  let context: ProviderContext<WppconnectConfig>;

  beforeEach(async () => {
    fake = await startFakeWppconnect();
    config = wppconnectProvider.configSchema.parse({
      baseUrl: fake.baseUrl,
      session: fake.session,
      secretKey: fake.secretKey,
    });
    provider = createWppconnectProvider();
    context = { config, http: fetchClient };
  });
  afterEach(async () => {
    await fake.close();
  });

  async function connect() {
    await provider.sessions?.start(context, { url: 'http://127.0.0.1:9/none' });
    await fake.idle();
    await fake.scanQr();
  }

  describe('sends', () => {
    beforeEach(connect);

    it.each(wppconnectOutboundCases)('$name → $route', async ({ message, route, body }) => {
      const result = await provider.send(context, message);
      const call = fake.requests.at(-1);
      expect(call).toMatchObject({ method: 'POST', route, path: `/api/${fake.session}/${route}` });
      expect(call?.body).toEqual(body);
      expect(call?.headers.authorization).toMatch(/^Bearer \$2b\$10\$/);
      expect(call?.headers['content-type']).toBe('application/json');
      if (route === 'react-message') {
        expect(result.providerMessageId).toMatch(/^wppconnect-reaction:/);
      } else {
        expect(result.providerMessageId).toBe(fake.sends.at(-1)?.id);
        expect(result.providerMessageId).toMatch(/^true_\d+@(c\.us|lid)_3EB0/);
      }
    });

    it('shows "typing…" in the recipient\'s chat before a paced send', async () => {
      await provider.sendPresence?.(context, { phone: '+5511987654321' }, 'typing');
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'POST',
        route: 'typing',
        body: { phone: '5511987654321', isGroup: false, value: true },
      });
    });

    it('generates one token for many sends, even concurrent ones', async () => {
      const text: OutboundMessage = {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'x' },
      };
      const fresh = createWppconnectProvider();
      await Promise.all(Array.from({ length: 8 }, () => fresh.send(context, text)));
      await fresh.send(context, text);
      // `connect()` generated one with the other provider value; this one generated one more.
      expect(fake.tokensIssued()).toBe(2);
      const tokenCalls = fake.requests.filter((r) => r.route === 'generate-token');
      expect(tokenCalls.at(-1)?.path).toBe(`/api/${fake.session}/${fake.secretKey}/generate-token`);
    });

    it('gets a fresh token once when the server stops accepting the cached one', async () => {
      const text: OutboundMessage = {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'y' },
      };
      await provider.send(context, text);
      const before = fake.tokensIssued();
      fake.revokeTokens();
      const result = await provider.send(context, text);
      expect(result.providerMessageId).toBe(fake.sends.at(-1)?.id);
      expect(fake.tokensIssued()).toBe(before + 1);
      expect(fake.sends.filter((s) => s.body.message === 'y')).toHaveLength(2);
    });

    it('fails for good when a fresh token is refused too', async () => {
      const refused = {
        status: 401,
        body: { error: 'Check that the Session and Token are correct' },
      };
      fake.failNext('send-message', refused, 2);
      const error = await rejection(
        provider.send(context, {
          to: { phone: '+5511987654321' },
          content: { type: 'text', text: 'z' },
        }),
      );
      expect(error).toMatchObject({ code: 'WPPCONNECT_UNAUTHORIZED', retryable: false });
      expect(fake.requests.filter((r) => r.route === 'send-message')).toHaveLength(2);
    });

    it('says so when the secret key is wrong', async () => {
      const wrong = createWppconnectProvider();
      const error = await rejection(
        wrong.send(
          { config: { ...config, secretKey: 'not-the-key' }, http: fetchClient },
          { to: { phone: '+5511987654321' }, content: { type: 'text', text: 'x' } },
        ),
      );
      expect(error).toMatchObject({ code: 'WPPCONNECT_SECRET_KEY_REJECTED', retryable: false });
      expect(fake.sends).toHaveLength(0);
    });

    it('does not take "Sending the file is mandatory" (a 401) for a token problem', async () => {
      fake.failNext('send-image', {
        status: 401,
        body: { message: 'Sending the file is mandatory' },
      });
      const issued = fake.tokensIssued();
      const error = await rejection(
        provider.send(context, {
          to: { phone: '+5511987654321' },
          content: { type: 'image', url: 'https://x.test/a.png' },
        }),
      );
      expect(error).toMatchObject({ code: 'WPPCONNECT_BAD_REQUEST', retryable: false });
      expect(fake.tokensIssued()).toBe(issued);
    });

    it('maps a number that is not on WhatsApp to a permanent failure', async () => {
      fake.markUnknownNumber('5511911112222');
      const error = await rejection(
        provider.send(context, {
          to: { phone: '+5511911112222' },
          content: { type: 'text', text: 'x' },
        }),
      );
      expect(error).toMatchObject({ code: 'WPPCONNECT_NUMBER_NOT_FOUND', retryable: false });
      expect(error.message).toMatch(/5511911112222 não existe/);
    });

    it.each([
      [
        500,
        { status: 'Error', message: 'Error sending the message.', error: {} },
        {},
        'WPPCONNECT_SERVER_ERROR',
        true,
        undefined,
      ],
      [503, 'Service Unavailable', { 'retry-after': '7' }, 'WPPCONNECT_SERVER_ERROR', true, 7_000],
      [
        429,
        { message: 'Too many requests' },
        { 'retry-after': '3' },
        'WPPCONNECT_RATE_LIMITED',
        true,
        3_000,
      ],
      [429, { message: 'Too many requests' }, {}, 'WPPCONNECT_RATE_LIMITED', true, 5_000],
      [
        501,
        { status: 'not_supported', message: 'sendText not supported' },
        {},
        'WPPCONNECT_NOT_SUPPORTED',
        false,
        undefined,
      ],
      [
        400,
        { status: 'error', message: 'invalid options' },
        {},
        'WPPCONNECT_BAD_REQUEST',
        false,
        undefined,
      ],
      [418, {}, {}, 'WPPCONNECT_HTTP_418', false, undefined],
    ])('maps HTTP %i', async (status, body, headers, code, retryable, retryAfterMs) => {
      fake.failNext('send-message', { status, body, headers });
      const error = await rejection(
        provider.send(context, {
          to: { phone: '+5511987654321' },
          content: { type: 'text', text: 'x' },
        }),
      );
      expect(error).toMatchObject({ code, retryable, retryAfterMs });
    });

    it('keeps a 2xx answer without a message id from being retried (it may have been sent)', async () => {
      fake.failNext('send-message', { status: 201, body: { status: 'success', response: [] } });
      const error = await rejection(
        provider.send(context, {
          to: { phone: '+5511987654321' },
          content: { type: 'text', text: 'x' },
        }),
      );
      expect(error).toMatchObject({ code: 'WPPCONNECT_INVALID_RESPONSE', retryable: false });
    });

    it('reads ids WPPConnect gives as objects', async () => {
      fake.failNext('send-message', {
        status: 201,
        body: { status: 'success', response: [{ id: { _serialized: 'true_1@c.us_ABC' }, ack: 1 }] },
      });
      const result = await provider.send(context, {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'x' },
      });
      expect(result.providerMessageId).toBe('true_1@c.us_ABC');
    });

    it.each<[string, OutboundMessage['content'], string]>([
      [
        'buttons',
        { type: 'buttons', body: 'b', buttons: [{ id: '1', title: 'Sim' }] },
        'UNSUPPORTED_CONTENT',
      ],
      ['template', { type: 'template', name: 'n', language: 'pt_BR' }, 'UNSUPPORTED_CONTENT'],
      [
        'contacts',
        { type: 'contacts', contacts: [{ name: 'A', phones: [] }] },
        'UNSUPPORTED_CONTENT',
      ],
      [
        'interactive-reply',
        { type: 'interactive-reply', kind: 'button', id: '1', title: 'x' },
        'UNSUPPORTED_CONTENT',
      ],
      ['unsupported', { type: 'unsupported', providerType: 'poll' }, 'UNSUPPORTED_CONTENT'],
      ['an image without a URL', { type: 'image', providerMediaId: 'abc' }, 'MEDIA_NOT_UPLOADED'],
      [
        'a document by file path',
        { type: 'document', url: 'file:///etc/passwd' },
        'MEDIA_NOT_UPLOADED',
      ],
    ])('refuses %s without calling the server', async (_name, content, code) => {
      const before = fake.requests.length;
      const error = await rejection(
        provider.send(context, { to: { phone: '+5511987654321' }, content }),
      );
      expect(error).toMatchObject({ code, retryable: false });
      expect(fake.requests.length).toBe(before);
    });

    it('refuses a recipient without digits', async () => {
      const error = await rejection(
        provider.send(context, {
          to: { phone: '(sem número)' },
          content: { type: 'text', text: 'x' },
        }),
      );
      expect(error).toMatchObject({ code: 'INVALID_RECIPIENT', retryable: false });
    });
  });

  it('maps a disconnected session (the server’s connection check) to retry later', async () => {
    const error = await rejection(
      provider.send(context, {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'x' },
      }),
    );
    expect(error).toMatchObject({
      code: 'WPPCONNECT_SESSION_DISCONNECTED',
      retryable: true,
      retryAfterMs: 30_000,
    });
  });

  it('maps a server that is not there to a retryable network error', async () => {
    await fake.close();
    const error = await rejection(
      provider.send(context, {
        to: { phone: '+5511987654321' },
        content: { type: 'text', text: 'x' },
      }),
    );
    expect(error).toMatchObject({ code: 'WPPCONNECT_NETWORK_ERROR', retryable: true });
    fake = await startFakeWppconnect(); // for afterEach
  });

  describe('media download', () => {
    const messageId = 'false_5511987654321@c.us_3A0B1C2D3E4F5A6B7C8F';
    const bytes = Buffer.from('%PDF-1.7\n'.padEnd(30_000, 'x'));
    let files: Server;
    let filesUrl: string;
    const fileRequests: Array<{ url: string; authorization: string | undefined }> = [];

    beforeAll(async () => {
      // Stands in for the S3 bucket WPPConnect uploads media to (WEBHOOK_UPLOAD_S3).
      files = createServer((request, response) => {
        fileRequests.push({ url: request.url ?? '', authorization: request.headers.authorization });
        if (request.url === '/gone.pdf') {
          response.writeHead(403).end('AccessDenied');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/pdf' }).end(bytes);
      });
      await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
      filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => files.close(() => resolve()));
    });

    it('gets the bytes through the server by message id', async () => {
      fake.storeMedia(messageId, bytes, 'application/pdf');
      const media = await provider.downloadMedia?.(
        context,
        { providerMediaId: messageId },
        { maxBytes: 1_000_000 },
      );
      expect(media?.bytes.equals(bytes)).toBe(true);
      expect(media?.mimeType).toBe('application/pdf');
      const call = fake.requests.at(-1);
      expect(call?.path).toBe(
        `/api/${fake.session}/get-media-by-message/${encodeURIComponent(messageId)}`,
      );
      expect(call?.headers.authorization).toMatch(/^Bearer /);
    });

    it('stops at the size limit, whether or not the base64 answer is over it', async () => {
      fake.storeMedia(messageId, bytes, 'application/pdf');
      for (const maxBytes of [29_999, 1_000]) {
        const error = await rejection(
          provider.downloadMedia?.(context, { providerMediaId: messageId }, { maxBytes }) ??
            Promise.resolve(),
        );
        expect(error).toMatchObject({ code: 'MEDIA_TOO_LARGE', retryable: false });
      }
    });

    it('fetches a public media link directly, never sending the session token there', async () => {
      const media = await provider.downloadMedia?.(
        context,
        { providerMediaId: messageId, url: `${filesUrl}/doc.pdf` },
        { maxBytes: 1_000_000 },
      );
      expect(media?.bytes.equals(bytes)).toBe(true);
      expect(fileRequests.at(-1)).toEqual({ url: '/doc.pdf', authorization: undefined });
      const limited = await rejection(
        provider.downloadMedia?.(context, { url: `${filesUrl}/doc.pdf` }, { maxBytes: 10_000 }) ??
          Promise.resolve(),
      );
      expect(limited.code).toBe('MEDIA_TOO_LARGE');
    });

    it('falls back to the server when the link fails', async () => {
      fake.storeMedia(messageId, bytes, 'application/pdf');
      const media = await provider.downloadMedia?.(
        context,
        { providerMediaId: messageId, url: `${filesUrl}/gone.pdf` },
        { maxBytes: 1_000_000 },
      );
      expect(media?.bytes.equals(bytes)).toBe(true);
      const onlyLink = await rejection(
        provider.downloadMedia?.(
          context,
          { url: `${filesUrl}/gone.pdf` },
          { maxBytes: 1_000_000 },
        ) ?? Promise.resolve(),
      );
      expect(onlyLink).toMatchObject({ code: 'WPPCONNECT_MEDIA_URL_FAILED', retryable: false });
    });

    it('says when the server has no such message, or no answer worth reading', async () => {
      const missing = await rejection(
        provider.downloadMedia?.(
          context,
          { providerMediaId: 'false_1@c.us_NOPE' },
          { maxBytes: 1_000 },
        ) ?? Promise.resolve(),
      );
      expect(missing).toMatchObject({ code: 'WPPCONNECT_MEDIA_UNAVAILABLE', retryable: false });
      fake.failNext('get-media-by-message', {
        status: 200,
        body: { base64: '###', mimetype: 'x' },
      });
      const garbled = await rejection(
        provider.downloadMedia?.(context, { providerMediaId: messageId }, { maxBytes: 1_000 }) ??
          Promise.resolve(),
      );
      expect(garbled).toMatchObject({ code: 'WPPCONNECT_INVALID_RESPONSE', retryable: true });
      const nothing = await rejection(
        provider.downloadMedia?.(context, {}, { maxBytes: 1_000 }) ?? Promise.resolve(),
      );
      expect(nothing).toMatchObject({ code: 'MEDIA_NOT_FOUND', retryable: false });
    });
  });

  describe('session lifecycle', () => {
    let receiver: Server;
    let receiverUrl: string;
    const received: WebhookRequest[] = [];

    beforeAll(async () => {
      // Recado's side of the webhook: what arrives is checked and parsed as the app would.
      receiver = createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const url = new URL(request.url ?? '/', 'http://receiver');
        received.push({
          method: request.method ?? 'POST',
          url: url.toString(),
          headers: { 'content-type': request.headers['content-type'] },
          query: Object.fromEntries(url.searchParams),
          rawBody: Buffer.concat(chunks),
        });
        response.writeHead(200).end('{}');
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/wppconnect/c1?token=${webhookToken}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });
    beforeEach(() => {
      received.length = 0;
    });

    /** The session states the webhooks received so far announce, verified and parsed. */
    function announced(): string[] {
      return received.flatMap((request) => {
        expect(provider.verifyWebhook(config, request, { webhookToken })).toBe(true);
        return provider
          .parseWebhook(config, request)
          .flatMap((event) => (event.kind === 'session' ? [event.state.status] : []));
      });
    }

    it('start → QR → connected → phone disconnects → start again', async () => {
      const sessions = provider.sessions;
      if (!sessions) throw new Error('no session control');
      expect(await sessions.status(context)).toEqual({ status: 'stopped', detail: 'CLOSED' });

      expect(await sessions.start(context, { url: receiverUrl })).toEqual({
        status: 'starting',
        detail: 'CLOSED',
      });
      expect(fake.requests.at(-1)).toMatchObject({
        route: 'start-session',
        body: { webhook: receiverUrl, waitQrCode: false },
      });
      expect(fake.webhookUrl()).toBe(receiverUrl);
      await fake.idle();
      expect(await sessions.status(context)).toEqual({ status: 'qr', detail: 'QRCODE' });
      expect(await sessions.qr(context)).toEqual({ png: fakeQrPng });
      fake.setQrFormat('json');
      expect(await sessions.qr(context)).toEqual({ png: fakeQrPng });
      expect(announced()).toEqual(['qr', 'qr']);

      await fake.scanQr();
      expect(await sessions.status(context)).toEqual({ status: 'connected', detail: 'CONNECTED' });
      expect(fake.requests.at(-1)?.route).toBe('check-connection-session');
      expect(announced().slice(2)).toEqual(['starting', 'connected', 'connected']);
      const qrGone = await rejection(sessions.qr(context));
      expect(qrGone).toMatchObject({ code: 'WPPCONNECT_QR_NOT_AVAILABLE' });
      expect(qrGone.message).toMatch(/CONNECTED/);

      fake.breakSocket(true);
      expect(await sessions.status(context)).toMatchObject({ status: 'failed' });
      fake.breakSocket(false);

      await fake.disconnectPhone();
      expect(announced().at(-1)).toBe('stopped');
      expect(await sessions.status(context)).toEqual({ status: 'stopped', detail: 'CLOSED' });

      // What the health check's automatic restart does: start again, a new QR code follows.
      expect(await sessions.start(context, { url: receiverUrl })).toMatchObject({
        status: 'starting',
      });
      await fake.idle();
      expect(await sessions.status(context)).toMatchObject({ status: 'qr' });
    });

    it('answers start on a running session with its state (the webhook stays as it was)', async () => {
      await connect();
      expect(await provider.sessions?.start(context, { url: receiverUrl })).toEqual({
        status: 'connected',
        detail: 'CONNECTED',
      });
      expect(fake.webhookUrl()).toBe('http://127.0.0.1:9/none');
    });

    it('stop closes the session, logout unpairs it; both announce it by webhook', async () => {
      await provider.sessions?.start(context, { url: receiverUrl });
      await fake.idle();
      await fake.scanQr();
      await provider.sessions?.stop(context);
      expect(fake.requests.at(-1)?.route).toBe('close-session');
      expect(fake.state()).toBe('CLOSED');
      expect(announced().at(-1)).toBe('stopped');
      await provider.sessions?.logout(context);
      expect(fake.requests.at(-1)?.route).toBe('logout-session');
      expect(announced().at(-1)).toBe('stopped');
      fake.failNext('close-session', { status: 200, body: { status: false, message: 'nope' } });
      const refused = await rejection(provider.sessions?.stop(context) ?? Promise.resolve());
      expect(refused).toMatchObject({ code: 'WPPCONNECT_SESSION_ERROR' });
      fake.failNext('logout-session', {
        status: 500,
        body: { status: false, message: 'Error closing session' },
      });
      const failed = await rejection(provider.sessions?.logout(context) ?? Promise.resolve());
      expect(failed).toMatchObject({ code: 'WPPCONNECT_SERVER_ERROR', retryable: true });
    });

    it('reads a QR code given only as the raw code, and says when there is none', async () => {
      fake.failNext('qrcode-session', {
        status: 200,
        body: { status: 'QRCODE', urlcode: fakeQrUrlCode },
      });
      expect(await provider.sessions?.qr(context)).toEqual({ value: fakeQrUrlCode });
      const none = await rejection(provider.sessions?.qr(context) ?? Promise.resolve());
      expect(none).toMatchObject({ code: 'WPPCONNECT_QR_NOT_AVAILABLE', retryable: true });
      expect(none.message).toMatch(/Session not started/);
    });
  });
});

describe('error mapping', () => {
  it.each([
    [
      400,
      { response: null, status: 'Connected', message: 'O número 5511 não existe.' },
      'WPPCONNECT_NUMBER_NOT_FOUND',
      false,
    ],
    [
      404,
      { response: null, status: 'Disconnected', message: 'A sessão do WhatsApp não está ativa.' },
      'WPPCONNECT_SESSION_DISCONNECTED',
      true,
    ],
    [404, { message: 'Cannot POST /api/x/send-anything' }, 'WPPCONNECT_NOT_FOUND', false],
    [
      401,
      { message: 'Token is not present. Check your header and try again' },
      'WPPCONNECT_UNAUTHORIZED',
      false,
    ],
    [403, undefined, 'WPPCONNECT_UNAUTHORIZED', false],
    [502, '<html>Bad gateway</html>', 'WPPCONNECT_SERVER_ERROR', true],
  ])('HTTP %i %j → %s', (status, body, code, retryable) => {
    expect(mapWppconnectError({ status, body })).toMatchObject({ code, retryable });
  });

  it('clips what the server says', () => {
    const error = mapWppconnectError({ status: 400, body: { message: 'x'.repeat(5_000) } });
    expect(error.message.length).toBeLessThan(400);
  });
});
