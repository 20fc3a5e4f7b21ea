import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../provider.port.js';
import { type FakeTwilio, startFakeTwilio } from './fixtures/twilio-fake-server.js';
import { twilioOutboundCases } from './fixtures/twilio-outbound.js';
import { type TwilioConfig, twilioProvider } from './twilio.provider.js';
import { buildMessagesUrl, buildTwilioSendForm } from './twilio.send.js';
import { readFormParams } from './twilio.signature.js';

/*
 * The adapter against the outside world: Twilio's own OpenAPI description of the 2010-04-01 API
 * (../shared/contracts/twilio-api-v2010.openapi.json, from twilio/twilio-oai), the signature
 * vectors of Twilio's Node library (../shared/fixtures/twilio, see SOURCES.md), and webhook
 * bodies in the shapes Twilio's documentation gives for WhatsApp.
 */

/** Twilio signs its webhooks: the URL token plays no part. */
const noToken = { webhookToken: 'unused' };

const contract = JSON.parse(
  readFileSync(
    new URL('../../../../shared/contracts/twilio-api-v2010.openapi.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

type Vector = {
  case: string;
  url: string;
  params: Record<string, string | string[]>;
  expected: string;
  body?: string;
};
const vectors = JSON.parse(
  readFileSync(
    new URL('../../../../shared/fixtures/twilio/signature-vectors.json', import.meta.url),
    'utf8',
  ),
) as { auth_token: string; vectors: Vector[] };

const accountSid = 'AC0123456789abcdef0123456789abcdef';
const config: TwilioConfig = twilioProvider.configSchema.parse({
  accountSid,
  authToken: vectors.auth_token,
  from: 'whatsapp:+5511900000000',
});
const statusCallback =
  'https://recado.example.com/webhooks/twilio/0b1c2d3e-0000-4000-8000-000000000001';

function webhookRequest(url: string, rawBody: string, signature: string): WebhookRequest {
  return {
    method: 'POST',
    url,
    headers: { 'x-twilio-signature': signature },
    query: Object.fromEntries(new URL(url).searchParams),
    rawBody: Buffer.from(rawBody),
  };
}

/** Follows `#/…` references of the contract, so a schema can be compiled on its own. */
function resolveRefs(value: unknown, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, seen));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$ref === 'string') {
    const ref = record.$ref;
    if (seen.includes(ref)) throw new Error(`circular $ref ${ref}`);
    let target: unknown = contract;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      target = (target as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return resolveRefs(target, [...seen, ref]);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, resolveRefs(item, seen)]),
  );
}

type Operation = {
  parameters: Array<{ name: string; in: string; schema: unknown }>;
  requestBody: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content: Record<string, { schema: unknown }> }>;
};
const paths = contract.paths as Record<string, Record<string, Operation>>;
const createMessage = paths['/2010-04-01/Accounts/{AccountSid}/Messages.json']?.post;
if (!createMessage) throw new Error('the contract has no CreateMessage');

const ajv = new Ajv({ strict: false, allErrors: true });
// The contract's own formats: E.164 or a channel address (`whatsapp:+…`), and absolute URIs.
ajv.addFormat('phone-number', /^(\+[1-9]\d{1,14}|[a-z]+:\+?[\w.@-]+)$/);
ajv.addFormat('uri', (value: string) => URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value));
ajv.addFormat('date-time', true);
ajv.addFormat('date-time-rfc-2822', (value: string) => !Number.isNaN(Date.parse(value)));
ajv.addFormat('currency', true);
ajv.addFormat('uri-map', true);

const requestSchema = resolveRefs(
  createMessage.requestBody.content['application/x-www-form-urlencoded']?.schema,
) as Record<string, unknown>;
const validateRequest = ajv.compile(requestSchema);
const validateAccountSid = ajv.compile(
  resolveRefs(createMessage.parameters.find((p) => p.name === 'AccountSid')?.schema) as object,
);
const validateMessage = ajv.compile(
  resolveRefs(createMessage.responses['201']?.content['application/json']?.schema) as object,
);

/** A form as the contract types it: list properties are lists, the rest single values. */
function toContractObject(form: URLSearchParams): Record<string, unknown> {
  const properties = requestSchema.properties as Record<string, { type?: string }>;
  const object: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(readFormParams(Buffer.from(form.toString())))) {
    const values = typeof value === 'string' ? [value] : [...value];
    object[name] = properties[name]?.type === 'array' ? values : values[0];
  }
  return object;
}

function describeErrors(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}

describe('X-Twilio-Signature: the vectors of Twilio’s Node library', () => {
  it('has all nine', () => {
    expect(vectors.vectors).toHaveLength(9);
  });

  it.each(vectors.vectors)('$case', (vector) => {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(vector.params)) {
      for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
    }
    const body = vector.body ?? form.toString();
    const verify = (signature: string, raw = body) =>
      twilioProvider.verifyWebhook(config, webhookRequest(vector.url, raw, signature), noToken);
    expect(verify(vector.expected)).toBe(true);
    // And the check can fail: another token, a changed body.
    const other = twilioProvider.verifyWebhook(
      { ...config, authToken: '54321' },
      webhookRequest(vector.url, body, vector.expected),
      noToken,
    );
    expect(other).toBe(false);
    expect(verify(vector.expected, `${body}${vector.body === undefined ? '&x=1' : ' '}`)).toBe(
      false,
    );
  });
});

describe('sends against the CreateMessage request schema', () => {
  it('the account SID fits the path parameter', () => {
    expect(validateAccountSid(accountSid)).toBe(true);
    expect(buildMessagesUrl(config)).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`,
    );
  });

  it.each(twilioOutboundCases)('$name: the form validates', ({ message }) => {
    const form = buildTwilioSendForm(config, message, statusCallback);
    const object = toContractObject(form);
    expect(validateRequest(object), describeErrors(validateRequest)).toBe(true);
    expect(object).toMatchObject({ To: 'whatsapp:+5511987654321', StatusCallback: statusCallback });
  });

  it('the schema can fail: a bad Content SID, no recipient, an unknown traffic type', () => {
    const [first] = twilioOutboundCases;
    if (!first) throw new Error('no outbound cases');
    const form = toContractObject(buildTwilioSendForm(config, first.message));
    for (const bad of [
      { ...form, ContentSid: 'HX123' },
      { ...form, To: undefined },
      { ...form, TrafficType: 'bulk' },
    ]) {
      const cleaned = Object.fromEntries(Object.entries(bad).filter(([, v]) => v !== undefined));
      expect(validateRequest(cleaned), JSON.stringify(cleaned)).toBe(false);
    }
    // The Message schema too: a SID of the wrong kind, a status Twilio does not have.
    expect(validateMessage({ sid: 'XX123', status: 'queued' })).toBe(false);
    expect(validateMessage({ sid: `SM${'a'.repeat(32)}`, status: 'lost' })).toBe(false);
    expect(validateMessage({ sid: `SM${'a'.repeat(32)}`, status: 'queued', price: null })).toBe(
      true,
    );
  });
});

describe('the loopback Twilio answers as the contract says', () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid, authToken: vectors.auth_token });
  });
  afterAll(async () => {
    await fake.close();
  });

  it.each(twilioOutboundCases)(
    '$name: its 201 validates as a Message resource',
    async ({ message }) => {
      const result = await twilioProvider.send(
        {
          config: { ...config, apiBaseUrl: fake.baseUrl },
          http: async (url, init) => {
            const response = await fetch(url, init);
            const body: unknown = await response.clone().json();
            expect(validateMessage(body), describeErrors(validateMessage)).toBe(true);
            return response;
          },
          webhookUrl: statusCallback,
        },
        message,
      );
      expect(result.providerMessageId).toMatch(/^(SM|MM)[0-9a-f]{32}$/);
    },
  );
});

/**
 * Webhook bodies with the parameters Twilio's documentation lists for WhatsApp (the incoming
 * message webhook and status callbacks), exactly as Twilio form-encodes them.
 */
const documentedWebhooks: Array<{ name: string; body: string; expected: Record<string, unknown> }> =
  [
    {
      name: 'text message',
      body:
        'SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ProfileName=Maria&MessageType=text' +
        '&SmsSid=SM0123456789abcdef0123456789abcdef&WaId=5511987654321&SmsStatus=received' +
        '&Body=Ol%C3%A1%2C+quero+saber+do+meu+pedido&To=whatsapp%3A%2B5511900000000&NumSegments=1' +
        '&ReferralNumMedia=0&MessageSid=SM0123456789abcdef0123456789abcdef' +
        `&AccountSid=${accountSid}&From=whatsapp%3A%2B5511987654321&ApiVersion=2010-04-01`,
      expected: {
        kind: 'message',
        providerMessageId: 'SM0123456789abcdef0123456789abcdef',
        from: { waId: '5511987654321', phone: '+5511987654321', name: 'Maria' },
        content: { type: 'text', text: 'Olá, quero saber do meu pedido' },
      },
    },
    {
      name: 'image',
      body:
        'MediaContentType0=image%2Fjpeg&SmsMessageSid=MM0123456789abcdef0123456789abcdef&NumMedia=1' +
        '&ProfileName=Maria&MessageType=image&SmsSid=MM0123456789abcdef0123456789abcdef&WaId=5511987654321' +
        '&SmsStatus=received&Body=&To=whatsapp%3A%2B5511900000000&NumSegments=1&ReferralNumMedia=0' +
        '&MessageSid=MM0123456789abcdef0123456789abcdef' +
        `&AccountSid=${accountSid}&From=whatsapp%3A%2B5511987654321` +
        `&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2F${accountSid}%2FMessages%2FMM0123456789abcdef0123456789abcdef%2FMedia%2FME0123456789abcdef0123456789abcdef` +
        '&ApiVersion=2010-04-01',
      expected: {
        kind: 'message',
        content: {
          type: 'image',
          mimeType: 'image/jpeg',
          providerMediaId: 'ME0123456789abcdef0123456789abcdef',
          url: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages/MM0123456789abcdef0123456789abcdef/Media/ME0123456789abcdef0123456789abcdef`,
        },
      },
    },
    {
      name: 'location',
      body:
        'Latitude=-23.5613&Longitude=-46.6565&Address=Av.+Paulista%2C+1000&Label=Escrit%C3%B3rio' +
        '&SmsMessageSid=SM1111111111111111111111111111111a&NumMedia=0&ProfileName=Maria' +
        '&MessageType=location&SmsSid=SM1111111111111111111111111111111a&WaId=5511987654321' +
        '&SmsStatus=received&Body=&To=whatsapp%3A%2B5511900000000&NumSegments=1&ReferralNumMedia=0' +
        `&MessageSid=SM1111111111111111111111111111111a&AccountSid=${accountSid}` +
        '&From=whatsapp%3A%2B5511987654321&ApiVersion=2010-04-01',
      expected: {
        content: {
          type: 'location',
          latitude: -23.5613,
          longitude: -46.6565,
          name: 'Escritório',
          address: 'Av. Paulista, 1000',
        },
      },
    },
    {
      name: 'quick reply to a template',
      body:
        'SmsMessageSid=SM2222222222222222222222222222222b&NumMedia=0&ProfileName=Maria' +
        '&MessageType=button&SmsSid=SM2222222222222222222222222222222b&WaId=5511987654321' +
        '&SmsStatus=received&Body=Sim%2C+confirmo&To=whatsapp%3A%2B5511900000000' +
        '&ButtonText=Sim%2C+confirmo&ButtonPayload=confirm&NumSegments=1&ReferralNumMedia=0' +
        '&OriginalRepliedMessageSender=whatsapp%3A%2B5511900000000' +
        '&OriginalRepliedMessageSid=SM3333333333333333333333333333333c' +
        `&MessageSid=SM2222222222222222222222222222222b&AccountSid=${accountSid}` +
        '&From=whatsapp%3A%2B5511987654321&ApiVersion=2010-04-01',
      expected: {
        replyToProviderMessageId: 'SM3333333333333333333333333333333c',
        content: {
          type: 'interactive-reply',
          kind: 'button',
          id: 'confirm',
          title: 'Sim, confirmo',
        },
      },
    },
    {
      name: 'status callback: read',
      body:
        'ChannelPrefix=whatsapp&ApiVersion=2010-04-01&MessageStatus=read' +
        '&SmsSid=SM4444444444444444444444444444444d&SmsStatus=read' +
        '&ChannelInstallSid=XE0123456789abcdef0123456789abcdef&To=whatsapp%3A%2B5511987654321' +
        '&From=whatsapp%3A%2B5511900000000&MessageSid=SM4444444444444444444444444444444d' +
        `&AccountSid=${accountSid}&ChannelToAddress=%2B55119876XXXX`,
      expected: {
        kind: 'status',
        eventKey: 'twilio:status:SM4444444444444444444444444444444d:read',
        status: 'read',
        recipient: { phone: '+5511987654321' },
      },
    },
    {
      name: 'status callback: undelivered with an error code',
      body:
        'ChannelPrefix=whatsapp&ApiVersion=2010-04-01&ErrorCode=63016&MessageStatus=undelivered' +
        '&SmsSid=SM5555555555555555555555555555555e&SmsStatus=undelivered' +
        '&ChannelInstallSid=XE0123456789abcdef0123456789abcdef&To=whatsapp%3A%2B5511987654321' +
        '&From=whatsapp%3A%2B5511900000000&MessageSid=SM5555555555555555555555555555555e' +
        `&AccountSid=${accountSid}&ChannelToAddress=%2B55119876XXXX`,
      expected: { kind: 'status', status: 'failed', error: { code: 'TWILIO_63016' } },
    },
  ];

describe('webhooks in the shapes Twilio documents', () => {
  it.each(documentedWebhooks)('$name', ({ body, expected }) => {
    const events = twilioProvider.parseWebhook(
      config,
      webhookRequest(statusCallback, body, 'unused'),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(expected);
  });
});
