import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type InboundMessageEvent,
  mediaTooLargeErrorCode,
  ProviderError,
  type StatusEvent,
  type WebhookRequest,
} from '../provider.port.js';
import { type FakeTwilio, startFakeTwilio } from './fixtures/twilio-fake-server.js';
import {
  buildInboundFields,
  buildMediaSid,
  buildMediaUrl,
  buildMessageSid,
  buildStatusFields,
  customerNumber,
  encodeForm,
  type FormFields,
  testAccountSid,
  testAuthToken,
} from './fixtures/twilio-webhooks.js';
import { mapTwilioError } from './twilio.errors.js';
import { type TwilioConfig, twilioProvider } from './twilio.provider.js';
import { buildContentVariables } from './twilio.send.js';
import { computeTwilioSignature, listTwilioUrlVariants } from './twilio.signature.js';
import { mapTwilioComponents, parseTwilioContentPage } from './twilio.templates.js';

/** Twilio signs its webhooks: the URL token plays no part. */
const noToken = { webhookToken: 'unused' };
const webhookUrl =
  'https://recado.example.com/webhooks/twilio/0b1c2d3e-0000-4000-8000-000000000001';

const config: TwilioConfig = twilioProvider.configSchema.parse({
  accountSid: testAccountSid,
  authToken: testAuthToken,
  from: 'whatsapp:+5511900000000',
});

function webhookRequest(
  body: string,
  headers: Record<string, string> = {},
  url = webhookUrl,
): WebhookRequest {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    query: {},
    rawBody: Buffer.from(body),
  };
}

function parse(fields: FormFields) {
  return twilioProvider.parseWebhook(config, webhookRequest(encodeForm(fields)));
}

function parseOneMessage(fields: FormFields): InboundMessageEvent {
  const events = parse(fields);
  expect(events).toHaveLength(1);
  const event = events[0];
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

function parseOneStatus(fields: FormFields): StatusEvent {
  const events = parse(fields);
  expect(events).toHaveLength(1);
  const event = events[0];
  if (event?.kind !== 'status') throw new Error(`expected a status, got ${event?.kind}`);
  return event;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError: ${error}`);
  return error;
}

describe('config', () => {
  it('fills the API defaults, names the secret and declares the window', () => {
    expect(config.apiBaseUrl).toBe('https://api.twilio.com');
    expect(config.contentApiBaseUrl).toBe('https://content.twilio.com');
    expect(twilioProvider.secretFields).toEqual(['authToken']);
    expect(twilioProvider.capabilities).toMatchObject({
      hasServiceWindow: true,
      requiresTemplatesOutsideWindow: true,
      hasQrSession: false,
    });
    expect(twilioProvider.capabilities.sends).not.toContain('buttons');
    expect(twilioProvider.capabilities.sends).toContain('template');
  });

  it.each([
    ['a wrong Account SID', { accountSid: 'AC123' }],
    ['an API key instead of the Account SID', { accountSid: `SK${'0'.repeat(32)}` }],
    ['a sender without the whatsapp: prefix', { from: '+5511900000000' }],
    ['a sender that is not a number', { from: 'whatsapp:+55abc' }],
    ['an empty auth token', { authToken: '' }],
    ['a base URL that is not http(s)', { apiBaseUrl: 'ftp://api.twilio.com' }],
  ])('rejects %s', (_name, change) => {
    const result = twilioProvider.configSchema.safeParse({
      accountSid: testAccountSid,
      authToken: testAuthToken,
      from: 'whatsapp:+5511900000000',
      ...change,
    });
    expect(result.success).toBe(false);
  });
});

describe('verifyWebhook (X-Twilio-Signature)', () => {
  const fields = {
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    From: 'whatsapp:+5511987654321',
    Body: 'Olá, tudo bem? 50% off & mais',
    WaId: '5511987654321',
    ProfileName: 'Ana Souza',
    NumMedia: '0',
    SmsStatus: 'received',
  };
  const body = encodeForm(fields);
  // Computed independently (Python's hmac) over the URL and the sorted, decoded parameters.
  const expected = 'Ma+KyNtlJuPb9Nwdnt5mUbuTJQg=';
  const expectedWithPort = '0WixNFve4c8kL/hPd5/Jj7F3AUw=';
  const verify = (headers: Record<string, string>, raw = body, url = webhookUrl) =>
    twilioProvider.verifyWebhook(config, webhookRequest(raw, headers, url), noToken);

  it('computes Twilio’s signature over the URL and the decoded, sorted parameters', () => {
    expect(computeTwilioSignature(testAuthToken, webhookUrl, fields)).toBe(expected);
  });

  it('accepts the right signature, whatever the header’s case', () => {
    expect(verify({ 'x-twilio-signature': expected })).toBe(true);
    expect(verify({ 'X-Twilio-Signature': expected })).toBe(true);
  });

  it('accepts a signature made over the URL with its default port written out', () => {
    expect(verify({ 'x-twilio-signature': expectedWithPort })).toBe(true);
    const withPort = webhookUrl.replace('.com/', '.com:443/');
    expect(verify({ 'x-twilio-signature': expected }, body, withPort)).toBe(true);
  });

  it('lists the URL spellings Twilio may have signed', () => {
    expect(listTwilioUrlVariants("https://a.test/x?Body=It's")).toEqual([
      "https://a.test/x?Body=It's",
      'https://a.test/x?Body=It%27s',
      'https://a.test:443/x?Body=It%27s',
    ]);
    expect(listTwilioUrlVariants('http://a.test:8080/x')).toEqual(['http://a.test:8080/x']);
  });

  it('rejects the wrong auth token, a changed parameter and another URL', () => {
    const wrongToken = computeTwilioSignature('another-token', webhookUrl, fields);
    expect(verify({ 'x-twilio-signature': wrongToken })).toBe(false);
    const changed = encodeForm({ ...fields, Body: 'Olá, tudo bem? 51% off & mais' });
    expect(verify({ 'x-twilio-signature': expected }, changed)).toBe(false);
    const added = encodeForm({ ...fields, Extra: '' });
    expect(verify({ 'x-twilio-signature': expected }, added)).toBe(false);
    const otherChannel = webhookUrl.replace(/1$/, '2');
    expect(verify({ 'x-twilio-signature': expected }, body, otherChannel)).toBe(false);
    expect(verify({ 'x-twilio-signature': expected }, body, `${webhookUrl}?x=1`)).toBe(false);
  });

  it.each([
    ['missing', {}],
    ['empty', { 'x-twilio-signature': '' }],
    ['not base64', { 'x-twilio-signature': 'not a signature at all!!!!!' }],
    ['hex instead of base64', { 'x-twilio-signature': 'a'.repeat(40) }],
    ['truncated', { 'x-twilio-signature': expected.slice(0, 20) }],
    ['repeated (joined by the server)', { 'x-twilio-signature': `${expected}, ${expected}` }],
    ['Meta’s header instead', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }],
  ])('rejects a %s header', (_name, headers) => {
    expect(verify(headers)).toBe(false);
  });

  it('checks bodySHA256 for JSON bodies signed over the URL only', () => {
    const json = '{"event":"x"}';
    const hash = createHash('sha256').update(json).digest('hex');
    const url = `${webhookUrl}?bodySHA256=${hash}`;
    const signature = computeTwilioSignature(testAuthToken, url, {});
    expect(verify({ 'x-twilio-signature': signature }, json, url)).toBe(true);
    expect(verify({ 'x-twilio-signature': signature }, '{"event":"y"}', url)).toBe(false);
    const badHash = `${webhookUrl}?bodySHA256=zz`;
    const badSignature = computeTwilioSignature(testAuthToken, badHash, {});
    expect(verify({ 'x-twilio-signature': badSignature }, json, badHash)).toBe(false);
  });
});

describe('parseWebhook: incoming messages', () => {
  const sid = buildMessageSid('in-1');

  it('reads a text message and the sender’s identities', () => {
    const event = parseOneMessage(buildInboundFields({ messageSid: sid, body: 'Olá!' }));
    expect(event).toMatchObject({
      kind: 'message',
      eventKey: `twilio:msg:${sid}`,
      providerMessageId: sid,
      from: { waId: '5511987654321', phone: '+5511987654321', name: 'Ana Souza' },
      content: { type: 'text', text: 'Olá!' },
    });
    expect(event.timestamp).toBeInstanceOf(Date);
    expect(event.replyToProviderMessageId).toBeUndefined();
  });

  it('keeps the quoted message of a reply', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: 'Sim',
        extra: {
          OriginalRepliedMessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          OriginalRepliedMessageSender: 'whatsapp:+5511900000000',
        },
      }),
    );
    expect(event.replyToProviderMessageId).toBe('SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  });

  it('uses WaId when it differs from the number (Brazilian ids without the ninth digit)', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: 'Oi',
        from: '+551187654321',
        extra: { WaId: '551187654321' },
      }),
    );
    expect(event.from).toMatchObject({ waId: '551187654321', phone: '+551187654321' });
  });

  const mediaSid = buildMediaSid('m1');
  const mediaUrl = buildMediaUrl('https://api.twilio.com', sid, mediaSid);
  const mediaCases: {
    name: string;
    messageType: string;
    contentType: string;
    body?: string;
    content: Partial<MessageContent>;
  }[] = [
    {
      name: 'image with caption',
      messageType: 'image',
      contentType: 'image/jpeg',
      body: 'foto da nota',
      content: { type: 'image', mimeType: 'image/jpeg', caption: 'foto da nota' },
    },
    {
      name: 'voice note',
      messageType: 'audio',
      contentType: 'audio/ogg',
      content: { type: 'audio', mimeType: 'audio/ogg' },
    },
    {
      name: 'video',
      messageType: 'video',
      contentType: 'video/mp4',
      content: { type: 'video', mimeType: 'video/mp4' },
    },
    {
      name: 'document',
      messageType: 'document',
      contentType: 'application/pdf',
      body: 'nota.pdf',
      content: { type: 'document', mimeType: 'application/pdf', caption: 'nota.pdf' },
    },
    {
      name: 'sticker',
      messageType: 'sticker',
      contentType: 'image/webp',
      content: { type: 'sticker', mimeType: 'image/webp' },
    },
    {
      name: 'media of an unknown message type, by its MIME type',
      messageType: 'whatever',
      contentType: 'video/3gpp',
      content: { type: 'video', mimeType: 'video/3gpp' },
    },
    {
      name: 'a shared contact card (vCard)',
      messageType: 'contacts',
      contentType: 'text/vcard',
      content: { type: 'document', mimeType: 'text/vcard' },
    },
  ];

  it.each(mediaCases)('reads $name as media to download', (testCase) => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: testCase.body ?? '',
        messageType: testCase.messageType,
        extra: { NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: testCase.contentType },
      }),
    );
    expect(event.content).toEqual({
      ...testCase.content,
      url: mediaUrl,
      providerMediaId: mediaSid,
    });
  });

  it('makes one message per media when several come (the first keeps SID and caption)', () => {
    const second = buildMediaUrl('https://api.twilio.com', sid, buildMediaSid('m2'));
    const events = parse(
      buildInboundFields({
        messageSid: sid,
        body: 'duas fotos',
        messageType: 'image',
        extra: {
          NumMedia: '2',
          MediaUrl0: mediaUrl,
          MediaContentType0: 'image/jpeg',
          MediaUrl1: second,
          MediaContentType1: 'image/png',
        },
      }),
    );
    expect(events.map((event) => event.eventKey)).toEqual([
      `twilio:msg:${sid}`,
      `twilio:msg:${sid}:media:1`,
    ]);
    expect(events[0]).toMatchObject({ content: { caption: 'duas fotos', url: mediaUrl } });
    expect(events[1]).toMatchObject({ content: { type: 'image', url: second } });
    expect((events[1] as InboundMessageEvent).content).not.toHaveProperty('caption');
  });

  it('reads a shared location with its label and address', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        messageType: 'location',
        extra: {
          Latitude: '-23.5505',
          Longitude: '-46.6333',
          Label: 'Padaria Central',
          Address: 'Praça da Sé, São Paulo',
        },
      }),
    );
    expect(event.content).toEqual({
      type: 'location',
      latitude: -23.5505,
      longitude: -46.6333,
      name: 'Padaria Central',
      address: 'Praça da Sé, São Paulo',
    });
  });

  it('a location with coordinates out of range is unsupported, not a wrong place', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        messageType: 'location',
        extra: { Latitude: '123', Longitude: '-46.6' },
      }),
    );
    expect(event.content).toMatchObject({ type: 'unsupported', providerType: 'location' });
  });

  it('reads a template quick reply (MessageType button) as a button tap', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: 'Confirmar',
        messageType: 'button',
        extra: { ButtonText: 'Confirmar', ButtonPayload: 'confirm_order_42' },
      }),
    );
    expect(event.content).toEqual({
      type: 'interactive-reply',
      kind: 'button',
      id: 'confirm_order_42',
      title: 'Confirmar',
    });
  });

  it('reads a quick-reply button tap (MessageType interactive)', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: 'Não',
        messageType: 'interactive',
        extra: { ButtonText: 'Não', ButtonPayload: 'no' },
      }),
    );
    expect(event.content).toEqual({
      type: 'interactive-reply',
      kind: 'button',
      id: 'no',
      title: 'Não',
    });
  });

  it('reads a list-picker choice', () => {
    const event = parseOneMessage(
      buildInboundFields({
        messageSid: sid,
        body: 'Pizza',
        messageType: 'interactive',
        extra: { ListId: 'item_2', ListTitle: 'Pizza', ListDescription: 'Grande' },
      }),
    );
    expect(event.content).toEqual({
      type: 'interactive-reply',
      kind: 'list',
      id: 'item_2',
      title: 'Pizza',
      description: 'Grande',
    });
  });

  it('keeps a message type it does not model as unsupported, with its text', () => {
    const event = parseOneMessage(
      buildInboundFields({ messageSid: sid, body: '', messageType: 'reaction' }),
    );
    expect(event.content).toEqual({ type: 'unsupported', providerType: 'reaction' });
    const withText = parseOneMessage(
      buildInboundFields({ messageSid: sid, body: 'pedido #12', messageType: 'order' }),
    );
    expect(withText.content).toEqual({
      type: 'unsupported',
      providerType: 'order',
      description: 'pedido #12',
    });
  });

  it('a redelivery has the same key', () => {
    const fields = buildInboundFields({ messageSid: sid, body: 'Oi' });
    expect(parse(fields)[0]?.eventKey).toBe(parse(fields)[0]?.eventKey);
  });
});

describe('parseWebhook: status callbacks', () => {
  const sid = buildMessageSid('out-1');

  it.each([
    ['queued', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
  ])('maps %s to %s', (twilioStatus, status) => {
    const event = parseOneStatus(buildStatusFields({ messageSid: sid, status: twilioStatus }));
    expect(event).toMatchObject({
      eventKey: `twilio:status:${sid}:${twilioStatus}`,
      providerMessageId: sid,
      status,
      recipient: { phone: customerNumber },
    });
    expect(event.error).toBeUndefined();
  });

  it('a failure outside the window carries the code and a readable reason', () => {
    const event = parseOneStatus(
      buildStatusFields({ messageSid: sid, status: 'failed', errorCode: '63016' }),
    );
    expect(event.status).toBe('failed');
    expect(event.error?.code).toBe('TWILIO_63016');
    expect(event.error?.reason).toMatch(/24-hour window/);
  });

  it('undelivered is a failure, with Twilio’s own message when it sends one', () => {
    const event = parseOneStatus(
      buildStatusFields({
        messageSid: sid,
        status: 'undelivered',
        errorCode: '63024',
        extra: { ErrorMessage: 'Invalid message recipient' },
      }),
    );
    expect(event).toMatchObject({ status: 'failed', error: { code: 'TWILIO_63024' } });
    expect(event.error?.reason).toContain('Twilio: Invalid message recipient');
  });

  it('a failure without an error code still says what happened', () => {
    const event = parseOneStatus(buildStatusFields({ messageSid: sid, status: 'failed' }));
    expect(event.error).toEqual({
      code: 'TWILIO_FAILED',
      reason: 'Twilio reported the message failed without an error code',
    });
  });

  it('a repeated status has the same key; different statuses differ', () => {
    const delivered = buildStatusFields({ messageSid: sid, status: 'delivered' });
    const read = buildStatusFields({ messageSid: sid, status: 'read' });
    expect(parse(delivered)[0]?.eventKey).toBe(parse(delivered)[0]?.eventKey);
    expect(parse(delivered)[0]?.eventKey).not.toBe(parse(read)[0]?.eventKey);
  });

  it('a status Recado does not track becomes a system event', () => {
    const events = parse(buildStatusFields({ messageSid: sid, status: 'partially_delivered' }));
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'system',
        eventKey: `twilio:system:${sid}:partially_delivered`,
      }),
    ]);
  });
});

describe('parseWebhook: bodies that are not Twilio messaging webhooks', () => {
  it.each([
    ['a JSON body', '{"MessageSid":"SM1"}'],
    ['a form without a MessageSid', 'Body=hello&From=whatsapp%3A%2B5511987654321'],
    ['a malformed MessageSid', 'MessageSid=SM%27%3B--&SmsStatus=received&Body=x'],
    ['a status-less, body-less form', 'MessageSid=SM1234&AccountSid=AC1'],
    ['random bytes', '\u0000\u0001\u0002'],
  ])('throws a clear error for %s', (_name, body) => {
    expect(() => twilioProvider.parseWebhook(config, webhookRequest(body))).toThrow(
      /Twilio (messaging )?webhook/,
    );
  });
});

describe('send and downloads (loopback Twilio)', () => {
  let fake: FakeTwilio;
  let channelConfig: TwilioConfig;
  const statusCallback = webhookUrl;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    channelConfig = { ...config, apiBaseUrl: fake.baseUrl, contentApiBaseUrl: fake.baseUrl };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.media.clear();
    fake.contents.length = 0;
    fake.approvals.clear();
  });

  const context = (webhook: string | undefined = statusCallback) => ({
    config: channelConfig,
    http: (url: string, init: RequestInit) => fetch(url, init),
    webhookUrl: webhook,
  });
  const send = (content: MessageContent, webhook?: string) =>
    twilioProvider.send(context(webhook), { to: { phone: '+55 11 98765-4321' }, content });

  const sendCases: { name: string; content: MessageContent; form: FormFields }[] = [
    {
      name: 'text',
      content: { type: 'text', text: 'Olá! Seu pedido saiu 🚚 & chega hoje' },
      form: { Body: 'Olá! Seu pedido saiu 🚚 & chega hoje' },
    },
    {
      name: 'image with caption',
      content: {
        type: 'image',
        url: 'https://recado.example.com/m/1?sig=a&exp=2',
        caption: 'nota',
      },
      form: { MediaUrl: 'https://recado.example.com/m/1?sig=a&exp=2', Body: 'nota' },
    },
    {
      name: 'document',
      content: { type: 'document', url: 'https://files.test/a.pdf', filename: 'a.pdf' },
      form: { MediaUrl: 'https://files.test/a.pdf' },
    },
    {
      name: 'video',
      content: { type: 'video', url: 'https://files.test/v.mp4', caption: 'vídeo' },
      form: { MediaUrl: 'https://files.test/v.mp4', Body: 'vídeo' },
    },
    {
      name: 'audio (no caption on WhatsApp)',
      content: { type: 'audio', url: 'https://files.test/a.ogg', caption: 'ignored' },
      form: { MediaUrl: 'https://files.test/a.ogg' },
    },
    {
      name: 'location',
      content: {
        type: 'location',
        latitude: -23.5505,
        longitude: -46.6333,
        name: 'Loja Centro',
        address: 'Praça da Sé',
      },
      form: {
        PersistentAction: 'geo:-23.5505,-46.6333|Loja Centro',
        Body: 'Loja Centro — Praça da Sé',
      },
    },
    {
      name: 'location without a name',
      content: { type: 'location', latitude: 1.5, longitude: 2 },
      form: { PersistentAction: 'geo:1.5,2', Body: '1.5,2' },
    },
    {
      name: 'template by Content SID with variables',
      content: {
        type: 'template',
        name: 'HX0123456789abcdef0123456789abcdef',
        language: 'pt_BR',
        body: [
          { type: 'text', text: 'Ana' },
          { type: 'currency', fallback: 'R$ 10,00', code: 'BRL', amount1000: 10000 },
        ],
      },
      form: {
        ContentSid: 'HX0123456789abcdef0123456789abcdef',
        ContentVariables: '{"1":"Ana","2":"R$ 10,00"}',
      },
    },
    {
      name: 'template without variables',
      content: { type: 'template', name: 'HX0123456789abcdef0123456789abcdef', language: 'en' },
      form: { ContentSid: 'HX0123456789abcdef0123456789abcdef' },
    },
  ];

  it.each(sendCases)('sends $name as Twilio documents it', async ({ content, form }) => {
    const result = await send(content);
    expect(result.providerMessageId).toMatch(/^(SM|MM)[0-9a-f]{32}$/);
    const [request] = fake.sends();
    expect(request?.path).toBe(`/2010-04-01/Accounts/${testAccountSid}/Messages.json`);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${testAccountSid}:${testAuthToken}`).toString('base64')}`,
    );
    expect(request?.form).toEqual({
      To: 'whatsapp:+5511987654321',
      From: 'whatsapp:+5511900000000',
      StatusCallback: statusCallback,
      ...form,
    });
  });

  it('numbers header, body and URL-button variables in one sequence; names stay names', () => {
    expect(
      buildContentVariables({
        type: 'template',
        name: 'HX0123456789abcdef0123456789abcdef',
        language: 'pt_BR',
        header: [{ type: 'text', text: 'Pedido 42' }],
        body: [
          { type: 'text', text: 'Ana' },
          { type: 'date_time', fallback: '1 de maio' },
        ],
        buttons: [
          { index: 1, subType: 'url', payload: 'track/42' },
          { index: 0, subType: 'quick_reply', payload: 'stop' },
        ],
      }),
    ).toEqual({ '1': 'Pedido 42', '2': 'Ana', '3': '1 de maio', '4': 'track/42' });
    expect(
      buildContentVariables({
        type: 'template',
        name: 'HX0123456789abcdef0123456789abcdef',
        language: 'pt_BR',
        body: [{ type: 'text', text: 'Ana', name: 'first_name' }],
      }),
    ).toEqual({ first_name: 'Ana' });
  });

  it('sends no StatusCallback when the channel has no public webhook URL', async () => {
    await send({ type: 'text', text: 'Oi' }, '');
    expect(fake.sends()[0]?.form).not.toHaveProperty('StatusCallback');
  });

  it.each<[string, MessageContent, string]>([
    [
      'buttons',
      { type: 'buttons', body: 'Escolha', buttons: [{ id: 'a', title: 'A' }] },
      'UNSUPPORTED_CONTENT',
    ],
    [
      'a list',
      {
        type: 'list',
        body: 'Escolha',
        buttonText: 'Ver',
        sections: [{ rows: [{ id: 'a', title: 'A' }] }],
      },
      'UNSUPPORTED_CONTENT',
    ],
    [
      'contacts',
      { type: 'contacts', contacts: [{ name: 'João', phones: [{ phone: '+5511912345678' }] }] },
      'UNSUPPORTED_CONTENT',
    ],
    [
      'a reaction',
      { type: 'reaction', messageProviderId: 'SM1', emoji: '👍' },
      'UNSUPPORTED_CONTENT',
    ],
    [
      'an interactive reply',
      { type: 'interactive-reply', kind: 'button', id: 'a', title: 'A' },
      'UNSUPPORTED_CONTENT',
    ],
    ['media without a URL', { type: 'image', providerMediaId: '123' }, 'MEDIA_NOT_UPLOADED'],
    [
      'a template named, not by Content SID',
      { type: 'template', name: 'pedido_enviado', language: 'pt_BR' },
      'TWILIO_CONTENT_SID_REQUIRED',
    ],
  ])('refuses %s without calling Twilio', async (_name, content, code) => {
    const error = await rejection(send(content));
    expect(error).toMatchObject({ code, retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a recipient that is not a phone number', async () => {
    const error = await rejection(
      twilioProvider.send(context(), {
        to: { phone: 'abc' },
        content: { type: 'text', text: 'x' },
      }),
    );
    expect(error).toMatchObject({ code: 'TWILIO_INVALID_RECIPIENT', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  const twilioErrorBody = (code: number, message: string, status: number) => ({
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });

  it('63016 (outside the 24-hour window) is permanent, with a readable reason', async () => {
    fake.sendScript.push({
      status: 400,
      body: twilioErrorBody(
        63016,
        'Failed to send freeform message because you are outside the allowed window.',
        400,
      ),
    });
    const error = await rejection(send({ type: 'text', text: 'Oi' }));
    expect(error).toMatchObject({
      code: 'TWILIO_63016',
      retryable: false,
      retryAfterMs: undefined,
    });
    expect(error.message).toMatch(/24-hour window.*template/);
    expect(error.message).toContain('outside the allowed window');
  });

  it('63018 (WhatsApp rate limit) is retryable with a backoff', async () => {
    fake.sendScript.push({
      status: 429,
      body: twilioErrorBody(63018, 'Rate limit exceeded for Channel', 429),
    });
    const error = await rejection(send({ type: 'text', text: 'Oi' }));
    expect(error).toMatchObject({ code: 'TWILIO_63018', retryable: true, retryAfterMs: 10_000 });
  });

  it('20429 honours Retry-After', async () => {
    fake.sendScript.push({
      status: 429,
      body: twilioErrorBody(20429, 'Too Many Requests', 429),
      headers: { 'retry-after': '7' },
    });
    const error = await rejection(send({ type: 'text', text: 'Oi' }));
    expect(error).toMatchObject({ code: 'TWILIO_20429', retryable: true, retryAfterMs: 7_000 });
  });

  it('21211 (invalid number) is permanent', async () => {
    fake.sendScript.push({
      status: 400,
      body: twilioErrorBody(
        21211,
        "The 'To' number whatsapp:+5511 is not a valid phone number.",
        400,
      ),
    });
    const error = await rejection(send({ type: 'text', text: 'Oi' }));
    expect(error).toMatchObject({ code: 'TWILIO_21211', retryable: false });
  });

  it('wrong credentials are permanent and say what to check', async () => {
    const error = await rejection(
      twilioProvider.send(
        { ...context(), config: { ...channelConfig, authToken: 'wrong' } },
        { to: { phone: customerNumber }, content: { type: 'text', text: 'x' } },
      ),
    );
    expect(error).toMatchObject({ code: 'TWILIO_20003', retryable: false });
    expect(error.message).toMatch(/Account SID and auth token/);
  });

  it('a 500 is retryable; a 503 without a JSON body too', async () => {
    fake.sendScript.push({
      status: 500,
      body: twilioErrorBody(20500, 'Internal Server Error', 500),
    });
    expect(await rejection(send({ type: 'text', text: 'Oi' }))).toMatchObject({
      code: 'TWILIO_20500',
      retryable: true,
    });
    fake.sendScript.push({ status: 503, body: 'upstream unavailable' });
    expect(await rejection(send({ type: 'text', text: 'Oi' }))).toMatchObject({
      code: 'TWILIO_HTTP_503',
      retryable: true,
    });
  });

  it('a refused connection is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      twilioProvider.send(
        { ...context(), config: { ...channelConfig, apiBaseUrl: `http://127.0.0.1:${port}` } },
        { to: { phone: customerNumber }, content: { type: 'text', text: 'x' } },
      ),
    );
    expect(error).toMatchObject({ code: 'TWILIO_NETWORK_ERROR', retryable: true });
  });

  it('a 201 without a SID is not retried (the message may have gone)', async () => {
    fake.sendScript.push({ status: 201, body: { status: 'queued' } });
    expect(await rejection(send({ type: 'text', text: 'Oi' }))).toMatchObject({
      code: 'TWILIO_INVALID_RESPONSE',
      retryable: false,
    });
  });

  describe('downloadMedia', () => {
    const messageSid = buildMessageSid('with-media', 'MM');
    const mediaSid = buildMediaSid('photo');
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4_000, 7)]);
    const urlOf = (sid = mediaSid) => buildMediaUrl(fake.baseUrl, messageSid, sid);

    it('fetches with the credentials, then follows the redirect to the media host without them', async () => {
      fake.media.set(mediaSid, { bytes: photo, contentType: 'image/jpeg' });
      const downloaded = await twilioProvider.downloadMedia?.(
        context(),
        { url: urlOf(), providerMediaId: mediaSid },
        { maxBytes: 1_000_000 },
      );
      expect(downloaded?.bytes.equals(photo)).toBe(true);
      expect(downloaded?.mimeType).toBe('image/jpeg');
      expect(fake.requests[0]?.headers.authorization).toMatch(/^Basic /);
      expect(fake.mediaHostRequests).toHaveLength(1);
      expect(fake.mediaHostRequests[0]?.headers.authorization).toBeUndefined();
    });

    it('stops at the size limit announced by the media host', async () => {
      fake.media.set(mediaSid, { bytes: photo, contentType: 'image/jpeg' });
      const error = await rejection(
        Promise.resolve(
          twilioProvider.downloadMedia?.(context(), { url: urlOf() }, { maxBytes: 1_000 }),
        ),
      );
      expect(error).toMatchObject({ code: mediaTooLargeErrorCode, retryable: false });
    });

    it('stops at the size limit while reading when no size is announced', async () => {
      fake.media.set(mediaSid, { bytes: photo, contentType: 'image/jpeg', isChunked: true });
      const error = await rejection(
        Promise.resolve(
          twilioProvider.downloadMedia?.(context(), { url: urlOf() }, { maxBytes: 3_000 }),
        ),
      );
      expect(error).toMatchObject({ code: mediaTooLargeErrorCode, retryable: false });
      const whole = await twilioProvider.downloadMedia?.(
        context(),
        { url: urlOf() },
        { maxBytes: photo.length },
      );
      expect(whole?.bytes.length).toBe(photo.length);
    });

    it('media Twilio no longer has is not found, for good', async () => {
      const error = await rejection(
        Promise.resolve(
          twilioProvider.downloadMedia?.(
            context(),
            { url: urlOf(buildMediaSid('gone')) },
            {
              maxBytes: 1_000,
            },
          ),
        ),
      );
      expect(error).toMatchObject({ code: 'MEDIA_NOT_FOUND', retryable: false });
    });

    it('never sends the credentials to a URL that is not Twilio’s API', async () => {
      for (const url of [
        `${fake.mediaHostUrl}/media/x`,
        'https://evil.test/Media/ME1',
        undefined,
      ]) {
        const error = await rejection(
          Promise.resolve(twilioProvider.downloadMedia?.(context(), { url }, { maxBytes: 1_000 })),
        );
        expect(error).toMatchObject({ code: 'MEDIA_NOT_FOUND', retryable: false });
      }
      expect(fake.requests).toHaveLength(0);
      expect(fake.mediaHostRequests).toHaveLength(0);
    });

    it('a redirect loop ends with a retryable error', async () => {
      const looping = createServer((request, response) => {
        response.writeHead(302, { location: request.url ?? '/' });
        response.end();
      });
      await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(looping.address() as AddressInfo).port}`;
      try {
        const error = await rejection(
          Promise.resolve(
            twilioProvider.downloadMedia?.(
              { ...context(), config: { ...channelConfig, apiBaseUrl: base } },
              { url: buildMediaUrl(base, messageSid, mediaSid) },
              { maxBytes: 1_000 },
            ),
          ),
        );
        expect(error).toMatchObject({ code: 'TWILIO_INVALID_RESPONSE', retryable: true });
      } finally {
        await new Promise<void>((resolve) => looping.close(() => resolve()));
      }
    });
  });

  describe('listTemplates (Content API)', () => {
    const sid = (n: number) => `HX${n.toString(16).padStart(32, '0')}`;
    const textContent = (n: number, extra: Record<string, unknown> = {}) => ({
      sid: sid(n),
      account_sid: testAccountSid,
      friendly_name: `template_${n}`,
      language: 'pt_BR',
      variables: { '1': 'nome' },
      types: { 'twilio/text': { body: `Olá {{1}}, mensagem ${n}` } },
      url: `https://content.twilio.com/v1/Content/${sid(n)}`,
      date_created: '2025-01-01T00:00:00Z',
      date_updated: '2025-01-01T00:00:00Z',
      links: {},
      ...extra,
    });

    it('reads every page against the configured base URL, with each approval', async () => {
      fake.contentPageSize = 2;
      for (let n = 1; n <= 5; n++) fake.contents.push(textContent(n));
      fake.approvals.set(sid(1), { name: 'template_1', category: 'UTILITY', status: 'approved' });
      fake.approvals.set(sid(2), {
        name: 'template_2',
        category: 'MARKETING',
        status: 'rejected',
        rejection_reason: 'Promotional content in a utility template',
      });
      fake.approvals.set(sid(3), { category: 'AUTHENTICATION', status: 'pending' });
      fake.approvals.set(sid(4), { category: 'TRANSACTIONAL', status: 'paused' });
      // 5 was never submitted: no approval resource.
      const templates = (await twilioProvider.listTemplates?.(context())) ?? [];
      expect(
        templates.map((template) => [template.name, template.status, template.category]),
      ).toEqual([
        ['template_1', 'approved', 'utility'],
        ['template_2', 'rejected', 'marketing'],
        ['template_3', 'pending', 'authentication'],
        ['template_4', 'paused', 'utility'],
        ['template_5', 'disabled', 'marketing'],
      ]);
      expect(templates[0]).toEqual({
        providerTemplateId: sid(1),
        name: 'template_1',
        language: 'pt_BR',
        category: 'utility',
        status: 'approved',
        components: { body: { text: 'Olá {{1}}, mensagem 1' } },
        rejectedReason: undefined,
      });
      expect(templates[1]?.rejectedReason).toBe('Promotional content in a utility template');
      expect(templates[4]?.rejectedReason).toBe('Not submitted to WhatsApp for approval');
      const pages = fake.requests.filter((request) => request.path.startsWith('/v1/Content?'));
      expect(pages.map((request) => request.path)).toEqual([
        '/v1/Content?PageSize=100',
        '/v1/Content?PageSize=2&Page=1&PageToken=PT1',
        '/v1/Content?PageSize=2&Page=2&PageToken=PT2',
      ]);
      expect(pages.every((request) => request.headers.authorization?.startsWith('Basic '))).toBe(
        true,
      );
    });

    it('maps rich content types to header, body, footer and buttons', () => {
      expect(
        mapTwilioComponents({
          'twilio/card': {
            title: 'Pedido {{1}} confirmado',
            subtitle: 'Padaria Central',
            media: ['https://example.com/{{2}}.png'],
            actions: [
              { type: 'URL', title: 'Acompanhar', url: 'https://x.test/{{3}}' },
              { type: 'PHONE_NUMBER', title: 'Ligar', phone: '+5511900000000' },
              { type: 'VOICE_CALL', title: 'Chamar' },
            ],
          },
          'twilio/text': { body: 'fallback' },
        }),
      ).toEqual({
        header: { format: 'image' },
        body: { text: 'Pedido {{1}} confirmado' },
        footer: { text: 'Padaria Central' },
        buttons: [
          { type: 'url', text: 'Acompanhar', url: 'https://x.test/{{3}}' },
          { type: 'phone_number', text: 'Ligar', phoneNumber: '+5511900000000' },
        ],
      });
      expect(
        mapTwilioComponents({
          'whatsapp/card': {
            header_text: 'Olá {{1}}',
            body: 'Seu boleto vence amanhã',
            footer: 'Responda SAIR para sair',
            actions: [{ title: 'Pagar', id: 'pay' }],
          },
        }),
      ).toEqual({
        header: { format: 'text', text: 'Olá {{1}}' },
        body: { text: 'Seu boleto vence amanhã' },
        footer: { text: 'Responda SAIR para sair' },
        buttons: [{ type: 'quick_reply', text: 'Pagar' }],
      });
      expect(
        mapTwilioComponents({
          'twilio/media': { body: 'Sua nota', media: ['https://example.com/nota.pdf'] },
        }),
      ).toEqual({ header: { format: 'document' }, body: { text: 'Sua nota' } });
      expect(
        mapTwilioComponents({
          'whatsapp/authentication': {
            add_security_recommendation: true,
            actions: [{ type: 'COPY_CODE', copy_code_text: 'Copiar código' }],
          },
        }),
      ).toEqual({
        body: { text: '{{1}} is your verification code.' },
        buttons: [{ type: 'copy_code', text: 'Copiar código' }],
      });
      expect(mapTwilioComponents({})).toEqual({ body: { text: '' } });
    });

    it('skips entries it cannot store and refuses an answer that is not a page', () => {
      const page = parseTwilioContentPage({
        contents: [textContent(1), { sid: 'not-a-sid', language: 'en' }, { sid: sid(2) }],
        meta: { next_page_url: null },
      });
      expect(page.contents.map((content) => content.sid)).toEqual([sid(1)]);
      expect(page.nextPageUrl).toBeUndefined();
      expect(() => parseTwilioContentPage({ error: 'nope' })).toThrow(ProviderError);
      expect(() => parseTwilioContentPage(undefined)).toThrow(ProviderError);
    });

    it('maps a failure of the Content API', async () => {
      const error = await rejection(
        Promise.resolve(
          twilioProvider.listTemplates?.({
            ...context(),
            config: { ...channelConfig, authToken: 'wrong' },
          }),
        ),
      );
      expect(error).toMatchObject({ code: 'TWILIO_20003', retryable: false });
    });

    it('a next page that repeats ends with an error instead of looping', async () => {
      const looping = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            contents: [],
            meta: { next_page_url: 'https://content.twilio.com/v1/Content?Page=1&PageToken=same' },
          }),
        );
      });
      await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(looping.address() as AddressInfo).port}`;
      try {
        const error = await rejection(
          Promise.resolve(
            twilioProvider.listTemplates?.({
              ...context(),
              config: { ...channelConfig, contentApiBaseUrl: base },
            }),
          ),
        );
        expect(error).toMatchObject({ code: 'TWILIO_INVALID_RESPONSE', retryable: false });
      } finally {
        await new Promise<void>((resolve) => looping.close(() => resolve()));
      }
    });
  });
});

describe('mapTwilioError', () => {
  const map = (status: number, code?: number, headers?: string) =>
    mapTwilioError({
      status,
      body: code === undefined ? undefined : { code, message: `Twilio says ${code}`, status },
      retryAfter: headers,
    });

  it.each([
    [21211, /not a valid phone number/],
    [21408, /geo permissions/],
    [21610, /unsubscribed/],
    [63003, /not be on WhatsApp/],
    [63024, /Invalid message recipient/],
    [63016, /24-hour window/],
  ])('%i is permanent with a readable reason', (code, reason) => {
    const error = map(400, code);
    expect(error).toMatchObject({ code: `TWILIO_${code}`, retryable: false });
    expect(error.message).toMatch(reason);
    expect(error.message).toContain(`Twilio says ${code}`);
  });

  it('rate limits back off: 63018 and 20429 by default, Retry-After when given', () => {
    expect(map(429, 63018)).toMatchObject({ retryable: true, retryAfterMs: 10_000 });
    expect(map(429, 20429)).toMatchObject({ retryable: true, retryAfterMs: 1_000 });
    expect(map(429, 20429, '3')).toMatchObject({ retryAfterMs: 3_000 });
    expect(map(429)).toMatchObject({
      code: 'TWILIO_HTTP_429',
      retryable: true,
      retryAfterMs: 1_000,
    });
  });

  it('reads an HTTP-date Retry-After', () => {
    const error = mapTwilioError({
      status: 429,
      body: undefined,
      retryAfter: 'Wed, 21 Oct 2015 07:28:30 GMT',
      now: Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'),
    });
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('an unknown 4xx is permanent, an unknown 5xx retryable', () => {
    expect(map(400, 12345)).toMatchObject({ code: 'TWILIO_12345', retryable: false });
    expect(map(400, 12345).message).toBe('Twilio error (code 12345): Twilio says 12345');
    expect(map(502)).toMatchObject({ code: 'TWILIO_HTTP_502', retryable: true });
  });
});
