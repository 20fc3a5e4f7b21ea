import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type InboundMessageEvent,
  type OutboundMessage,
  ProviderError,
  type StatusEvent,
  type WebhookRequest,
} from '../provider.port.js';
import {
  accountUpdatePayload,
  buildEnvelope,
  buildMessage,
  buildMessagesPayload,
  buildStatusPayload,
  customerContact,
  customerUserId,
  customerWaId,
} from './fixtures/meta-cloud-webhooks.js';
import { mapMetaCloudError } from './meta-cloud.errors.js';
import { type MetaCloudConfig, metaCloudProvider } from './meta-cloud.provider.js';

/** Meta signs its webhooks: the URL token plays no part. */
const noToken = { webhookToken: 'unused' };

const config: MetaCloudConfig = metaCloudProvider.configSchema.parse({
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  accessToken: 'EAAG-test-token',
  appSecret: 'app-secret-for-tests',
  verifyToken: 'verify-me',
});

function webhookRequest(body: unknown, headers: Record<string, string> = {}): WebhookRequest {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    url: 'https://recado.test/webhooks/meta-cloud/1',
    headers,
    query: {},
    rawBody,
  };
}

function parse(body: unknown) {
  return metaCloudProvider.parseWebhook(config, webhookRequest(body));
}

function parseOneMessage(message: Record<string, unknown>): InboundMessageEvent {
  const events = parse(buildMessagesPayload([message]));
  expect(events).toHaveLength(1);
  const event = events[0];
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

describe('config', () => {
  it('fills the Graph API defaults and names the secrets', () => {
    expect(config.graphApiBaseUrl).toBe('https://graph.facebook.com');
    expect(config.apiVersion).toBe('v23.0');
    expect(metaCloudProvider.secretFields).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(metaCloudProvider.capabilities.defaultRatePerSecond).toBe(80);
  });

  it('rejects a config without credentials', () => {
    expect(metaCloudProvider.configSchema.safeParse({ phoneNumberId: '1' }).success).toBe(false);
  });
});

describe('parseWebhook: messages', () => {
  const cases: {
    name: string;
    type: string;
    fields: Record<string, unknown>;
    content: MessageContent;
  }[] = [
    {
      name: 'text',
      type: 'text',
      fields: { text: { body: 'Olá!' } },
      content: { type: 'text', text: 'Olá!' },
    },
    {
      name: 'image with caption',
      type: 'image',
      fields: { image: { id: 'm1', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'foto' } },
      content: {
        type: 'image',
        providerMediaId: 'm1',
        mimeType: 'image/jpeg',
        sha256: 'abc=',
        caption: 'foto',
      },
    },
    {
      name: 'voice note',
      type: 'audio',
      fields: { audio: { id: 'm2', mime_type: 'audio/ogg; codecs=opus', voice: true } },
      content: {
        type: 'audio',
        providerMediaId: 'm2',
        mimeType: 'audio/ogg; codecs=opus',
        isVoice: true,
      },
    },
    {
      name: 'video',
      type: 'video',
      fields: { video: { id: 'm3', mime_type: 'video/mp4' } },
      content: { type: 'video', providerMediaId: 'm3', mimeType: 'video/mp4' },
    },
    {
      name: 'document',
      type: 'document',
      fields: { document: { id: 'm4', mime_type: 'application/pdf', filename: 'nota.pdf' } },
      content: {
        type: 'document',
        providerMediaId: 'm4',
        mimeType: 'application/pdf',
        filename: 'nota.pdf',
      },
    },
    {
      name: 'animated sticker',
      type: 'sticker',
      fields: { sticker: { id: 'm5', mime_type: 'image/webp', animated: true } },
      content: { type: 'sticker', providerMediaId: 'm5', mimeType: 'image/webp', isAnimated: true },
    },
    {
      name: 'location',
      type: 'location',
      fields: {
        location: { latitude: -23.55, longitude: -46.63, name: 'Sé', address: 'Praça da Sé' },
      },
      content: {
        type: 'location',
        latitude: -23.55,
        longitude: -46.63,
        name: 'Sé',
        address: 'Praça da Sé',
      },
    },
    {
      name: 'contacts',
      type: 'contacts',
      fields: {
        contacts: [
          {
            name: { formatted_name: 'João Lima', first_name: 'João' },
            phones: [{ phone: '+55 11 91234-5678', wa_id: '5511912345678', type: 'CELL' }],
            emails: [{ email: 'joao@example.com', type: 'WORK' }],
            org: { company: 'Padaria' },
          },
        ],
      },
      content: {
        type: 'contacts',
        contacts: [
          {
            name: 'João Lima',
            phones: [{ phone: '+55 11 91234-5678', waId: '5511912345678', type: 'CELL' }],
            emails: ['joao@example.com'],
            organization: 'Padaria',
          },
        ],
      },
    },
    {
      name: 'button reply',
      type: 'interactive',
      fields: { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sim' } } },
      content: { type: 'interactive-reply', kind: 'button', id: 'yes', title: 'Sim' },
    },
    {
      name: 'list reply',
      type: 'interactive',
      fields: {
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'r2', title: 'Pizza', description: 'Grande' },
        },
      },
      content: {
        type: 'interactive-reply',
        kind: 'list',
        id: 'r2',
        title: 'Pizza',
        description: 'Grande',
      },
    },
    {
      name: 'template quick reply',
      type: 'button',
      fields: { button: { payload: 'STOP', text: 'Parar' } },
      content: { type: 'interactive-reply', kind: 'button', id: 'STOP', title: 'Parar' },
    },
    {
      name: 'reaction',
      type: 'reaction',
      fields: { reaction: { message_id: 'wamid.out1', emoji: '👍' } },
      content: { type: 'reaction', messageProviderId: 'wamid.out1', emoji: '👍' },
    },
    {
      name: 'removed reaction',
      type: 'reaction',
      fields: { reaction: { message_id: 'wamid.out1' } },
      content: { type: 'reaction', messageProviderId: 'wamid.out1', emoji: '' },
    },
    {
      name: 'unsupported with Meta error',
      type: 'unsupported',
      fields: {
        unsupported: { type: 'poll' },
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            error_data: { details: 'Not supported.' },
          },
        ],
      },
      content: {
        type: 'unsupported',
        providerType: 'poll',
        description: expect.stringContaining('Message type unknown') as unknown as string,
      },
    },
    {
      name: 'unknown type (order)',
      type: 'order',
      fields: { order: { catalog_id: '1', product_items: [] } },
      content: { type: 'unsupported', providerType: 'order' },
    },
  ];

  it.each(cases)('$name', ({ type, fields, content }) => {
    const event = parseOneMessage(buildMessage('wamid.in1', type, fields));
    expect(event.eventKey).toBe('meta-cloud:msg:wamid.in1');
    expect(event.providerMessageId).toBe('wamid.in1');
    expect(event.timestamp.toISOString()).toBe(new Date(1_760_000_000_000).toISOString());
    // Round-trip through JSON: fields left undefined are as good as absent once stored.
    expect(JSON.parse(JSON.stringify(event.content))).toEqual(content);
  });

  it('reads the sender identity from contacts[] and the quoted message from context', () => {
    const event = parseOneMessage(
      buildMessage('wamid.in2', 'text', {
        text: { body: 'oi' },
        context: { from: '15550001111', id: 'wamid.out9' },
      }),
    );
    expect(event.from).toEqual({
      waId: customerWaId,
      phone: `+${customerWaId}`,
      userId: customerUserId,
      name: 'Ana Souza',
    });
    expect(event.replyToProviderMessageId).toBe('wamid.out9');
  });

  it('matches a sender that only has a business-scoped user id', () => {
    const message = {
      id: 'wamid.in3',
      from_user_id: customerUserId,
      timestamp: '1760000000',
      type: 'text',
      text: { body: 'x' },
    };
    const events = parse(
      buildEnvelope({
        contacts: [{ profile: { name: 'Ana' }, user_id: customerUserId }],
        messages: [message],
      }),
    );
    expect(events[0]).toMatchObject({
      kind: 'message',
      from: { userId: customerUserId, name: 'Ana', waId: undefined },
    });
  });

  it('a message whose type-specific part is malformed stays a message, as unsupported', () => {
    const event = parseOneMessage(
      buildMessage('wamid.bad', 'location', { location: { latitude: 'north', longitude: 200 } }),
    );
    expect(event.content).toEqual({ type: 'unsupported', providerType: 'location' });
  });

  it('accepts coordinates sent as strings', () => {
    const event = parseOneMessage(
      buildMessage('wamid.loc', 'location', {
        location: { latitude: '-23.5', longitude: '-46.6' },
      }),
    );
    expect(event.content).toMatchObject({ type: 'location', latitude: -23.5, longitude: -46.6 });
  });

  it('an unreadable entry in messages[] is kept as a system event, not dropped', () => {
    const events = parse(buildMessagesPayload([{ from: customerWaId, type: 'text' }]));
    expect(events).toEqual([expect.objectContaining({ kind: 'system' })]);
  });

  it('reads every change of every entry', () => {
    const first = buildMessagesPayload([buildMessage('wamid.a', 'text', { text: { body: 'a' } })]);
    const second = buildStatusPayload([
      { id: 'wamid.b', status: 'sent', timestamp: '1760000001', recipient_id: customerWaId },
    ]);
    const entries = [...(first.entry as unknown[]), ...(second.entry as unknown[])];
    const events = parse({ object: 'whatsapp_business_account', entry: entries });
    expect(events.map((e) => e.eventKey)).toEqual([
      'meta-cloud:msg:wamid.a',
      'meta-cloud:status:wamid.b:sent',
    ]);
  });

  it('throws a clear error for a body that is not a WABA payload', () => {
    expect(() => parse({ object: 'page', entry: [] })).toThrow(/WhatsApp Business Account/);
    expect(() => parse('not json{')).toThrow(/not JSON/);
  });
});

describe('parseWebhook: statuses and system events', () => {
  it.each(['sent', 'delivered', 'read'] as const)('status %s', (status) => {
    const events = parse(
      buildEnvelope({
        contacts: [customerContact],
        statuses: [
          { id: 'wamid.out1', status, timestamp: '1760000005', recipient_id: customerWaId },
        ],
      }),
    );
    expect(events).toEqual([
      {
        kind: 'status',
        eventKey: `meta-cloud:status:wamid.out1:${status}`,
        providerMessageId: 'wamid.out1',
        status,
        timestamp: new Date(1_760_000_005_000),
        recipient: {
          waId: customerWaId,
          phone: `+${customerWaId}`,
          userId: customerUserId,
          name: 'Ana Souza',
        },
        error: undefined,
      } satisfies StatusEvent,
    ]);
  });

  it('a failed status carries Meta’s code and a readable reason', () => {
    const [event] = parse(
      buildStatusPayload([
        {
          id: 'wamid.out2',
          status: 'failed',
          timestamp: '1760000006',
          recipient_id: customerWaId,
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              error_data: {
                details: 'Message failed to send because more than 24 hours have passed.',
              },
            },
          ],
        },
      ]),
    );
    expect(event).toMatchObject({
      kind: 'status',
      status: 'failed',
      error: { code: 'META_131047' },
    });
    const reason = event?.kind === 'status' ? event.error?.reason : '';
    expect(reason).toMatch(/24 hours/);
    expect(reason).toContain('Re-engagement message');
  });

  it('a repeated status has the same key; different statuses differ', () => {
    const status = (s: string) => ({
      id: 'wamid.out3',
      status: s,
      timestamp: '1760000007',
      recipient_id: customerWaId,
    });
    const keys = parse(
      buildStatusPayload([status('delivered'), status('delivered'), status('read')]),
    ).map((e) => e.eventKey);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('other webhook fields become system events with a stable key', () => {
    const first = parse(accountUpdatePayload);
    const again = parse(structuredClone(accountUpdatePayload));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'system', timestamp: new Date(1_760_000_100_000) });
    expect(first[0]?.eventKey).toMatch(/^meta-cloud:system:[0-9a-f]{32}$/);
    expect(again[0]?.eventKey).toBe(first[0]?.eventKey);
    if (first[0]?.kind === 'system') expect(first[0].description).toContain('VERIFIED_ACCOUNT');
  });

  it('a system message (number changed) is a system event', () => {
    const events = parse(
      buildMessagesPayload([
        buildMessage('wamid.sys', 'system', {
          system: { body: 'Ana changed her number', type: 'user_changed_number' },
        }),
      ]),
    );
    expect(events[0]).toMatchObject({
      kind: 'system',
      description: 'user_changed_number: Ana changed her number',
    });
  });
});

describe('verifyWebhook and answerChallenge', () => {
  const body = JSON.stringify(
    buildMessagesPayload([buildMessage('wamid.sig', 'text', { text: { body: 'hi' } })]),
  );
  const signature = `sha256=${createHmac('sha256', config.appSecret).update(body).digest('hex')}`;

  it('accepts the right signature (any header case)', () => {
    expect(
      metaCloudProvider.verifyWebhook(
        config,
        webhookRequest(body, { 'x-hub-signature-256': signature }),
        noToken,
      ),
    ).toBe(true);
    expect(
      metaCloudProvider.verifyWebhook(
        config,
        webhookRequest(body, { 'X-Hub-Signature-256': signature }),
        noToken,
      ),
    ).toBe(true);
  });

  it('rejects a body changed by one byte', () => {
    const tampered = body.replace('"hi"', '"hj"');
    expect(
      metaCloudProvider.verifyWebhook(
        config,
        webhookRequest(tampered, { 'x-hub-signature-256': signature }),
        noToken,
      ),
    ).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['without prefix', signature.slice(7)],
    ['sha1', signature.replace('sha256=', 'sha1=')],
    ['short', signature.slice(0, 40)],
    ['not hex', `sha256=${'z'.repeat(64)}`],
  ])('rejects a malformed header (%s)', (_name, header) => {
    const headers: Record<string, string> =
      header === undefined ? {} : { 'x-hub-signature-256': header };
    expect(metaCloudProvider.verifyWebhook(config, webhookRequest(body, headers), noToken)).toBe(
      false,
    );
  });

  const challengeRequest = (query: Record<string, string>): WebhookRequest => ({
    method: 'GET',
    url: 'https://recado.test/webhooks/meta-cloud/1',
    headers: {},
    query,
    rawBody: Buffer.alloc(0),
  });

  it('answers the subscription challenge with the right token only', () => {
    const answer = metaCloudProvider.answerChallenge?.bind(metaCloudProvider);
    expect(
      answer?.(
        config,
        challengeRequest({
          'hub.mode': 'subscribe',
          'hub.verify_token': 'verify-me',
          'hub.challenge': '1158201444',
        }),
      ),
    ).toBe('1158201444');
    expect(
      answer?.(
        config,
        challengeRequest({
          'hub.mode': 'subscribe',
          'hub.verify_token': 'wrong',
          'hub.challenge': '1',
        }),
      ),
    ).toBeUndefined();
    expect(
      answer?.(
        config,
        challengeRequest({
          'hub.mode': 'unsubscribe',
          'hub.verify_token': 'verify-me',
          'hub.challenge': '1',
        }),
      ),
    ).toBeUndefined();
  });
});

type Captured = { method: string; url: string; headers: IncomingMessage['headers']; body: unknown };
type Reply = { status: number; body: unknown; headers?: Record<string, string> };

describe('send (loopback Graph API)', () => {
  let server: Server;
  let baseUrl: string;
  const captured: Captured[] = [];
  let reply: Reply = { status: 200, body: {} };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        captured.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    captured.length = 0;
    reply = {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: customerWaId, wa_id: customerWaId }],
        messages: [{ id: 'wamid.sent1' }],
      },
    };
  });

  const send = (message: OutboundMessage) =>
    metaCloudProvider.send(
      { config: { ...config, graphApiBaseUrl: baseUrl }, http: (url, init) => fetch(url, init) },
      message,
    );

  const to = { phone: '+55 11 98765-4321' };

  const bodies: { name: string; content: MessageContent; expected: Record<string, unknown> }[] = [
    {
      name: 'text',
      content: { type: 'text', text: 'Oi https://x.test', previewUrl: true },
      expected: { type: 'text', text: { body: 'Oi https://x.test', preview_url: true } },
    },
    {
      name: 'image by id',
      content: { type: 'image', providerMediaId: '123', caption: 'c' },
      expected: { type: 'image', image: { id: '123', caption: 'c' } },
    },
    {
      name: 'document by link',
      content: { type: 'document', url: 'https://files.test/a.pdf', filename: 'a.pdf' },
      expected: {
        type: 'document',
        document: { link: 'https://files.test/a.pdf', filename: 'a.pdf' },
      },
    },
    {
      name: 'audio',
      content: { type: 'audio', providerMediaId: '9', caption: 'ignored' },
      expected: { type: 'audio', audio: { id: '9' } },
    },
    {
      name: 'video',
      content: { type: 'video', url: 'https://files.test/v.mp4' },
      expected: { type: 'video', video: { link: 'https://files.test/v.mp4' } },
    },
    {
      name: 'sticker',
      content: { type: 'sticker', providerMediaId: '7' },
      expected: { type: 'sticker', sticker: { id: '7' } },
    },
    {
      name: 'location',
      content: { type: 'location', latitude: -23.5, longitude: -46.6, name: 'Loja' },
      expected: {
        type: 'location',
        location: { latitude: '-23.5', longitude: '-46.6', name: 'Loja' },
      },
    },
    {
      name: 'contacts',
      content: {
        type: 'contacts',
        contacts: [
          {
            name: 'João',
            phones: [{ phone: '+5511912345678', type: 'WORK' }],
            emails: ['j@x.test'],
          },
        ],
      },
      expected: {
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'João', first_name: 'João' },
            phones: [{ phone: '+5511912345678', type: 'WORK' }],
            emails: [{ email: 'j@x.test' }],
          },
        ],
      },
    },
    {
      name: 'buttons',
      content: {
        type: 'buttons',
        body: 'Confirma?',
        header: 'Pedido',
        buttons: [
          { id: 'y', title: 'Sim' },
          { id: 'n', title: 'Não' },
        ],
      },
      expected: {
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Pedido' },
          body: { text: 'Confirma?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'y', title: 'Sim' } },
              { type: 'reply', reply: { id: 'n', title: 'Não' } },
            ],
          },
        },
      },
    },
    {
      name: 'list',
      content: {
        type: 'list',
        body: 'Escolha',
        footer: 'rodapé',
        buttonText: 'Ver',
        sections: [{ title: 'Pizzas', rows: [{ id: 'p1', title: 'Calabresa', description: 'G' }] }],
      },
      expected: {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Escolha' },
          footer: { text: 'rodapé' },
          action: {
            button: 'Ver',
            sections: [
              { title: 'Pizzas', rows: [{ id: 'p1', title: 'Calabresa', description: 'G' }] },
            ],
          },
        },
      },
    },
    {
      name: 'template',
      content: {
        type: 'template',
        name: 'pedido_pronto',
        language: 'pt_BR',
        header: [{ type: 'image', url: 'https://files.test/h.png' }],
        body: [
          { type: 'text', text: 'Ana' },
          { type: 'currency', fallback: 'R$ 10,00', code: 'BRL', amount1000: 10000 },
        ],
        buttons: [{ index: 1, subType: 'quick_reply', payload: 'OK' }],
      },
      expected: {
        type: 'template',
        template: {
          name: 'pedido_pronto',
          language: { policy: 'deterministic', code: 'pt_BR' },
          components: [
            {
              type: 'header',
              parameters: [{ type: 'image', image: { link: 'https://files.test/h.png' } }],
            },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Ana' },
                {
                  type: 'currency',
                  currency: { fallback_value: 'R$ 10,00', code: 'BRL', amount_1000: 10000 },
                },
              ],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '1',
              parameters: [{ type: 'payload', payload: 'OK' }],
            },
          ],
        },
      },
    },
    {
      name: 'reaction',
      content: { type: 'reaction', messageProviderId: 'wamid.in1', emoji: '❤️' },
      expected: { type: 'reaction', reaction: { message_id: 'wamid.in1', emoji: '❤️' } },
    },
  ];

  it.each(bodies)(
    'posts $name to /{version}/{phone-number-id}/messages',
    async ({ content, expected }) => {
      await expect(send({ to, content })).resolves.toEqual({ providerMessageId: 'wamid.sent1' });
      expect(captured).toHaveLength(1);
      const request = captured[0];
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/v23.0/106540352242922/messages');
      expect(request?.headers.authorization).toBe('Bearer EAAG-test-token');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '5511987654321',
        ...expected,
      });
    },
  );

  it('prefers the WhatsApp id and quotes the replied message', async () => {
    await send({
      to: { phone: '+5511987654321', waId: '551187654321' },
      content: { type: 'text', text: 'ok' },
      replyToProviderMessageId: 'wamid.q',
    });
    expect(captured[0]?.body).toMatchObject({
      to: '551187654321',
      context: { message_id: 'wamid.q' },
    });
  });

  it.each([
    { type: 'interactive-reply', kind: 'button', id: 'a', title: 'A' },
    { type: 'unsupported', providerType: 'order' },
  ] satisfies MessageContent[])('refuses to send $type without calling Meta', async (content) => {
    const error = await send({ to, content }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_CONTENT', retryable: false });
    expect(captured).toHaveLength(0);
  });

  it('a 500 is retryable', async () => {
    reply = { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } };
    await expect(send({ to, content: { type: 'text', text: 'x' } })).rejects.toMatchObject({
      retryable: true,
      code: 'META_1',
    });
  });

  it('a 429 honours retry-after', async () => {
    reply = {
      status: 429,
      headers: { 'retry-after': '12' },
      body: {
        error: {
          message: '(#130429) Rate limit hit',
          code: 130429,
          error_data: { details: 'Cloud API message throughput has been reached.' },
        },
      },
    };
    await expect(send({ to, content: { type: 'text', text: 'x' } })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 12_000,
      code: 'META_130429',
    });
  });

  it('131047 (outside the 24 h window) is permanent, with a readable reason', async () => {
    reply = {
      status: 400,
      body: {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { details: 'More than 24 hours have passed.' },
        },
      },
    };
    const error = await send({ to, content: { type: 'text', text: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, code: 'META_131047', retryAfterMs: undefined });
    expect((error as Error).message).toMatch(/24 hours.*template/);
    expect((error as Error).message).toContain('More than 24 hours have passed.');
  });

  it('a refused connection is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await metaCloudProvider
      .send(
        {
          config: { ...config, graphApiBaseUrl: `http://127.0.0.1:${port}` },
          http: (url, init) => fetch(url, init),
        },
        { to, content: { type: 'text', text: 'x' } },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, code: 'META_NETWORK_ERROR' });
  });

  it('a 200 without a message id is not retried (it may have been sent)', async () => {
    reply = { status: 200, body: { messaging_product: 'whatsapp' } };
    await expect(send({ to, content: { type: 'text', text: 'x' } })).rejects.toMatchObject({
      retryable: false,
      code: 'META_INVALID_RESPONSE',
    });
  });
});

describe('mapMetaCloudError', () => {
  const body = (code: number, details?: string) => ({
    error: { message: `(#${code}) Error`, code, error_data: details ? { details } : undefined },
  });

  it.each([
    { status: 400, code: 130429, retryAfter: undefined, retryAfterMs: 1_000 },
    { status: 400, code: 131056, retryAfter: undefined, retryAfterMs: 6_000 },
    { status: 400, code: 131056, retryAfter: '2', retryAfterMs: 6_000 },
    { status: 400, code: 131056, retryAfter: '30', retryAfterMs: 30_000 },
    { status: 400, code: 80007, retryAfter: undefined, retryAfterMs: 60_000 },
    { status: 403, code: 4, retryAfter: undefined, retryAfterMs: 60_000 },
    { status: 400, code: 613, retryAfter: '5', retryAfterMs: 5_000 },
    { status: 400, code: 80004, retryAfter: undefined, retryAfterMs: 60_000 },
  ])(
    'throttling code $code is retryable after $retryAfterMs ms',
    ({ status, code, retryAfter, retryAfterMs }) => {
      expect(mapMetaCloudError({ status, body: body(code), retryAfter })).toMatchObject({
        retryable: true,
        retryAfterMs,
        code: `META_${code}`,
      });
    },
  );

  it.each([
    { code: 131026, text: /undeliverable/i },
    { code: 131047, text: /24 hours/ },
    { code: 131051, text: /Unsupported message type/ },
    { code: 132000, text: /parameter count/ },
    { code: 132001, text: /does not exist/ },
    { code: 100, text: /Invalid parameter/ },
    { code: 190, text: /token expired/i },
    { code: 131030, text: /allowed list/ },
  ])('code $code is permanent with a readable reason', ({ code, text }) => {
    const error = mapMetaCloudError({
      status: code === 190 ? 401 : 400,
      body: body(code, 'Meta details here'),
    });
    expect(error).toMatchObject({
      retryable: false,
      code: `META_${code}`,
      retryAfterMs: undefined,
    });
    expect(error.message).toMatch(text);
    expect(error.message).toContain('Meta details here');
  });

  it('a 503 without a JSON body is retryable with an HTTP code', () => {
    expect(mapMetaCloudError({ status: 503, body: undefined })).toMatchObject({
      retryable: true,
      code: 'META_HTTP_503',
    });
  });

  it('a plain 429 without Retry-After still backs off', () => {
    expect(mapMetaCloudError({ status: 429, body: undefined })).toMatchObject({
      retryable: true,
      retryAfterMs: 1_000,
    });
  });

  it('reads an HTTP-date Retry-After', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      mapMetaCloudError({
        status: 429,
        body: undefined,
        retryAfter: 'Thu, 01 Jan 2026 00:00:09 GMT',
        now,
      }),
    ).toMatchObject({ retryAfterMs: 9_000 });
  });
});
