import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { ProviderContext, WebhookRequest } from '../provider.port.js';
import {
  componentSchema,
  correctWahaContract,
  loadWahaContract,
  type Schema,
  type WahaContract,
} from './fixtures/waha-contract.js';
import { wahaOutboundCases } from './fixtures/waha-outbound.js';
import { wahaCapabilitiesFor, wahaEngines } from './waha.config.js';
import { type WahaConfig, wahaProvider } from './waha.provider.js';
import { buildWahaSendRequest } from './waha.send.js';
import { isValidWahaHmac } from './waha.signature.js';

/*
 * The adapter against the outside world: WAHA's own OpenAPI description of its 2024.9 API
 * (../shared/contracts, corrected as fixtures/waha-contract.ts explains) and the HMAC vector of
 * WAHA's documentation (../shared/fixtures/waha).
 */

const raw = loadWahaContract();
const { contract, corrections } = correctWahaContract(raw);
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true, logger: false });

const config: WahaConfig = wahaProvider.configSchema.parse({
  baseUrl: 'http://waha.test:3000',
  apiKey: 'key',
  hmacKey: 'a-sixteen-char-key',
});

/** Every object with declared properties accepts no others: our bodies use only WAHA's fields. */
function closeObjects(document: WahaContract): WahaContract {
  const copy = structuredClone(document);
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Schema;
    if (schema.properties && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) visit(value);
  };
  visit(copy.components);
  return copy;
}

const closed = closeObjects(contract);

function requestValidator(document: WahaContract, path: string, method: string) {
  const operation = document.paths[path]?.[method.toLowerCase()] as
    | { requestBody?: { content: Record<string, { schema: Schema }> } }
    | undefined;
  const schema = operation?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`no JSON request body for ${method} ${path}`);
  return ajv.compile({ ...schema, components: document.components });
}

/** An example built from the schema: examples and defaults first, required fields only. */
function exampleOf(document: WahaContract, schema: Schema | undefined, all = false): unknown {
  if (!schema) return undefined;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1) ?? '';
    return exampleOf(document, document.components.schemas[name], all);
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleOf(document, part as Schema)));
  }
  if (schema.example !== undefined && schema.example !== null) return schema.example;
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.type === 'array') return [exampleOf(document, schema.items as Schema)];
  if (schema.type === 'object' || schema.properties) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const wanted = all ? Object.keys(properties) : ((schema.required ?? []) as string[]);
    return Object.fromEntries(wanted.map((name) => [name, exampleOf(document, properties[name])]));
  }
  if (schema.type === 'number' || schema.type === 'integer') return 0;
  if (schema.type === 'boolean') return false;
  return 'string';
}

describe('the contract as WAHA published it needs correcting', () => {
  it('finds the NestJS type slips it has to correct', () => {
    expect(corrections).toEqual(
      expect.arrayContaining([
        '#/components/schemas/VoiceRemoteFile/properties/mimetype: type object → string',
        '#/components/schemas/VideoRemoteFile/properties/filename: type object → string',
        '#/components/schemas/WebhookConfig/properties/events: items array → string',
        '#/components/schemas/WAHAWebhookMessage/properties/event: type object → string',
        '#/components/schemas/WAMedia/properties/error: nullable (example null)',
      ]),
    );
  });

  it('read literally, it refuses a voice note and a webhook registration WAHA accepts', () => {
    const voice = wahaOutboundCases.find((c) => c.name === 'voice note');
    if (!voice) throw new Error('no voice case');
    const body = buildWahaSendRequest(config, voice.message, '14155550123@c.us').body;
    const literal = requestValidator(raw, '/api/sendVoice', 'POST');
    expect(literal(body)).toBe(false);
    expect(requestValidator(contract, '/api/sendVoice', 'POST')(body)).toBe(true);
    const create = {
      name: 'default',
      config: { webhooks: [{ url: 'https://r.test', events: ['message'] }] },
    };
    expect(requestValidator(raw, '/api/sessions', 'POST')(create)).toBe(false);
    expect(requestValidator(contract, '/api/sessions', 'POST')(create)).toBe(true);
  });
});

describe('send bodies validate against the 2024.9 request schemas (no undeclared fields)', () => {
  it('covers every kind any engine declares', () => {
    const declared = new Set(wahaEngines.flatMap((engine) => wahaCapabilitiesFor(engine).sends));
    const covered = new Set(wahaOutboundCases.map((c) => c.message.content.type));
    for (const kind of declared) expect(covered.has(kind), kind).toBe(true);
  });

  it.each(wahaOutboundCases)('$name', ({ path, message }) => {
    const request = buildWahaSendRequest(config, message, '14155550123@c.us');
    expect(request.path).toBe(path);
    const validate = requestValidator(closed, request.path, request.method);
    const valid = validate(request.body);
    expect(validate.errors ?? [], JSON.stringify(request.body)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('typing presence: startTyping and stopTyping take a ChatRequest', async () => {
    const bodies: Array<{ path: string; body: unknown }> = [];
    const context: ProviderContext<WahaConfig> = {
      config,
      http: async (url, init) => {
        bodies.push({ path: new URL(url).pathname, body: JSON.parse(String(init.body)) });
        return new Response('{}', { status: 201 });
      },
    };
    await wahaProvider.sendPresence?.(context, { phone: '+14155550123' }, 'typing');
    await wahaProvider.sendPresence?.(context, { phone: '+14155550123' }, 'paused');
    expect(bodies.map((b) => b.path)).toEqual(['/api/startTyping', '/api/stopTyping']);
    for (const { path, body } of bodies) {
      const validate = requestValidator(closed, path, 'POST');
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('the validator can fail: a missing chat id, an undeclared field', () => {
    const validate = requestValidator(closed, '/api/sendText', 'POST');
    expect(validate({ session: 'default', text: 'x' })).toBe(false);
    expect(validate({ session: 'default', chatId: '1@c.us', text: 'x', linkPreview: true })).toBe(
      false,
    );
  });
});

describe('session requests validate', () => {
  type Call = { method: string; path: string; query: URLSearchParams; body: unknown };

  /** Answers like WAHA from a script, recording what the adapter asked. */
  function scripted(answers: Array<{ status: number; body?: unknown }>) {
    const calls: Call[] = [];
    const context: ProviderContext<WahaConfig> = {
      config,
      http: async (url, init) => {
        const parsed = new URL(url);
        calls.push({
          method: String(init.method),
          path: parsed.pathname,
          query: parsed.searchParams,
          body: init.body ? JSON.parse(String(init.body)) : undefined,
        });
        const answer = answers.shift() ?? { status: 201, body: {} };
        return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
          status: answer.status,
          headers: { 'content-type': 'application/json' },
        });
      },
    };
    return { calls, context };
  }
  const sessions = wahaProvider.sessions;
  if (!sessions) throw new Error('WAHA has session control');
  const webhook = { url: 'https://recado.test/webhooks/waha/c?token=t' };

  it('creating a session (and pairing by code)', async () => {
    const { calls, context } = scripted([
      { status: 404, body: { statusCode: 404, message: 'not found' } },
      { status: 201, body: { name: 'default', status: 'STARTING' } },
      { status: 201, body: { code: 'ABCD-EFGH' } },
    ]);
    await sessions.start(context, webhook);
    await sessions.pairingCode?.(context, '+5511987654321');
    const create = requestValidator(closed, '/api/sessions', 'POST');
    expect(create(calls[1]?.body), JSON.stringify(create.errors)).toBe(true);
    const code = requestValidator(closed, '/api/{session}/auth/request-code', 'POST');
    expect(code(calls[2]?.body), JSON.stringify(code.errors)).toBe(true);
  });

  it('updating an existing one keeps what the contract allows in its config', async () => {
    const existing = exampleOf(contract, componentSchema(contract, 'SessionInfo'), true) as Schema;
    const { calls, context } = scripted([
      { status: 200, body: { ...existing, status: 'STOPPED' } },
      { status: 200, body: { name: 'default', status: 'STOPPED' } },
      { status: 201, body: { name: 'default', status: 'STARTING' } },
    ]);
    await sessions.start(context, webhook);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/sessions/default',
      'PUT /api/sessions/default',
      'POST /api/sessions/default/start',
    ]);
    const update = requestValidator(contract, '/api/sessions/{session}', 'PUT');
    expect(update(calls[1]?.body), JSON.stringify(update.errors)).toBe(true);
  });

  it('the QR is asked for in a format the contract lists', async () => {
    const { calls, context } = scripted([{ status: 200, body: { value: 'qr' } }]);
    await sessions.qr(context);
    const operation = contract.paths['/api/{session}/auth/qr']?.get as
      | { parameters: Array<{ name: string; schema: { enum: string[] } }> }
      | undefined;
    const formats = operation?.parameters.find((p) => p.name === 'format')?.schema.enum;
    expect(formats).toContain(calls[0]?.query.get('format'));
  });
});

describe('the HMAC vector of WAHA’s documentation', () => {
  const vector = JSON.parse(
    readFileSync(
      new URL('../../../../shared/fixtures/waha/hmac-vector.json', import.meta.url),
      'utf8',
    ),
  ) as { key: string; raw_body: string; x_webhook_hmac: string; header_algorithm: string };
  const algorithm = vector.header_algorithm.split(':')[1]?.trim();
  const request = (body: string, hmac: string): WebhookRequest => ({
    method: 'POST',
    url: 'https://recado.test/webhooks/waha/c',
    headers: { 'X-Webhook-Hmac': hmac, 'X-Webhook-Hmac-Algorithm': algorithm },
    query: {},
    rawBody: Buffer.from(body),
  });

  it('passes, through the provider’s own check', () => {
    expect(algorithm).toBe('sha512');
    expect(
      isValidWahaHmac(vector.key, Buffer.from(vector.raw_body), vector.x_webhook_hmac, algorithm),
    ).toBe(true);
    // The vector's key is shorter than Recado asks for; the check itself does not mind.
    const vectorConfig = { ...config, hmacKey: vector.key };
    expect(
      wahaProvider.verifyWebhook(vectorConfig, request(vector.raw_body, vector.x_webhook_hmac), {
        webhookToken: 'unused',
      }),
    ).toBe(true);
  });

  it('fails for another body, another key, or a flipped digit', () => {
    const flipped = `${vector.x_webhook_hmac.slice(0, -1)}${vector.x_webhook_hmac.endsWith('0') ? '1' : '0'}`;
    const check = (key: string, body: string, hmac: string) =>
      wahaProvider.verifyWebhook({ ...config, hmacKey: key }, request(body, hmac), {
        webhookToken: 'unused',
      });
    expect(
      check(vector.key, vector.raw_body.replace('WEBJS', 'NOWEB'), vector.x_webhook_hmac),
    ).toBe(false);
    expect(check(`${vector.key}!`, vector.raw_body, vector.x_webhook_hmac)).toBe(false);
    expect(check(vector.key, vector.raw_body, flipped)).toBe(false);
  });

  it('its body (an event without payload) is read as a notice, not an error', () => {
    const events = wahaProvider.parseWebhook(
      config,
      request(vector.raw_body, vector.x_webhook_hmac),
    );
    expect(events).toEqual([expect.objectContaining({ kind: 'system' })]);
  });
});

describe('inbound: events shaped as the contract documents them', () => {
  const envelope = (name: string) => {
    const event = exampleOf(contract, componentSchema(contract, name)) as Schema;
    event.me = exampleOf(contract, componentSchema(contract, 'MeInfo'), true);
    const validate = ajv.compile(componentSchema(contract, name));
    expect(validate(event), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    return event;
  };
  const parse = (event: Schema) =>
    wahaProvider.parseWebhook(config, {
      method: 'POST',
      url: '',
      headers: {},
      query: {},
      rawBody: Buffer.from(JSON.stringify(event)),
    });
  const schemaExample = (name: string) =>
    exampleOf(contract, componentSchema(contract, name), true);

  it('message: a text, from the contract’s own example ids', () => {
    const event = envelope('WAHAWebhookMessage');
    expect(event.event).toBe('message');
    expect(parse(event)).toEqual([
      expect.objectContaining({
        kind: 'message',
        providerMessageId: 'false_11111111111@c.us_AAAAAAAAAAAAAAAAAAAA',
        from: expect.objectContaining({ waId: '11111111111' }),
        timestamp: new Date(1_666_943_582_000),
        content: { type: 'text', text: 'string' },
      }),
    ]);
  });

  it('message: media, location, vCard and quoted reply in their documented shapes', () => {
    const base = envelope('WAHAWebhookMessage');
    const payload = base.payload as Schema;
    const withPayload = (extra: Schema) => ({ ...base, payload: { ...payload, ...extra } });
    const media = schemaExample('WAMedia') as Schema;
    expect(parse(withPayload({ hasMedia: true, body: '', media }))[0]).toMatchObject({
      content: { type: 'audio', url: media.url, mimeType: media.mimetype },
    });
    const location = { description: 'Office', latitude: '38.8937255', longitude: '-77.0969763' };
    expect(parse(withPayload({ body: '', location }))[0]).toMatchObject({
      content: { type: 'location', latitude: 38.8937255, longitude: -77.0969763, name: 'Office' },
    });
    const vcard = (schemaExample('VCardContact') as { vcard: string }).vcard;
    expect(parse(withPayload({ body: '', vCards: [vcard] }))[0]).toMatchObject({
      content: {
        type: 'contacts',
        contacts: [
          {
            name: 'Jane Doe',
            organization: 'Company Name',
            phones: [{ phone: '+91 11111 11111', waId: '911111111111' }],
          },
        ],
      },
    });
    const replyTo = schemaExample('ReplyToMessage') as Schema;
    expect(parse(withPayload({ replyTo }))[0]).toMatchObject({
      replyToProviderMessageId: `true_11111111111@c.us_${String(replyTo.id)}`,
    });
  });

  it('message.ack: levels to statuses', () => {
    const event = envelope('WAHAWebhookMessageAck');
    const payload = event.payload as Schema;
    expect(event.event).toBe('message.ack');
    const read = { ...event, payload: { ...payload, fromMe: true, ack: 3, ackName: 'READ' } };
    expect(parse(read)).toEqual([
      expect.objectContaining({
        kind: 'status',
        providerMessageId: 'false_11111111111@c.us_AAAAAAAAAAAAAAAAAAAA',
        status: 'read',
      }),
    ]);
    const failed = { ...event, payload: { ...payload, fromMe: true } };
    expect(parse(failed)[0]).toMatchObject({ status: 'failed' });
  });

  it('session.status: the statuses the contract lists', () => {
    const event = envelope('WAHAWebhookSessionStatus');
    const body = contract.components.schemas.WASessionStatusBody?.properties as
      | { status: { enum: string[] } }
      | undefined;
    const statuses = body?.status.enum ?? [];
    const mapped = statuses.map((status) => {
      const [parsed] = parse({ ...event, payload: { name: 'default', status } });
      return parsed?.kind === 'session' ? parsed.state.status : parsed?.kind;
    });
    expect(mapped).toEqual(['stopped', 'starting', 'qr', 'connected', 'failed']);
  });

  it('the other documented events are notices', () => {
    const names = Object.keys((raw as unknown as { webhooks: Record<string, unknown> }).webhooks);
    const handled = new Set(['message', 'message.any', 'message.ack', 'session.status']);
    for (const name of names.filter((event) => !handled.has(event))) {
      const [event] = parse({ event: name, session: 'default', payload: {} });
      expect(event, name).toMatchObject({ kind: 'system' });
    }
  });
});
