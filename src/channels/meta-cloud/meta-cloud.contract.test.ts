import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import type { InboundEvent, OutboundMessage, WebhookRequest } from '../provider.port.js';
import { metaCloudOutboundCases } from './fixtures/meta-cloud-outbound.js';
import { type MetaCloudConfig, metaCloudProvider } from './meta-cloud.provider.js';
import { buildMetaSendBody, metaCloudUserAgent } from './meta-cloud.send.js';
import { parseMetaTemplatesPage } from './meta-cloud.templates.js';

/** Meta signs its webhooks: the URL token plays no part. */
const noToken = { webhookToken: 'unused' };

/*
 * The adapter against the outside world: real Cloud API webhook envelopes and signature vector
 * (../shared/fixtures/meta-cloud, see SOURCES.md) and Meta's own OpenAPI description of the
 * messages endpoint (../shared/contracts).
 */

const fixturesDir = new URL('../../../../shared/fixtures/meta-cloud/', import.meta.url);
const contractFile = new URL(
  '../../../../shared/contracts/meta-cloud-api.v23.openapi.yaml',
  import.meta.url,
);

const config: MetaCloudConfig = metaCloudProvider.configSchema.parse({
  phoneNumberId: '1122334455667',
  wabaId: '1234567890987654321',
  accessToken: 'token',
  appSecret: 'unused',
  verifyToken: 'unused',
});

function request(rawBody: Buffer, headers: Record<string, string> = {}): WebhookRequest {
  return {
    method: 'POST',
    url: 'https://recado.test/webhooks/meta-cloud/1',
    headers,
    query: {},
    rawBody,
  };
}

const contact = {
  waId: '972987654321',
  phone: '+972987654321',
  userId: 'US.13491208655302741918',
  name: 'Test Name',
};
const message = (content: MessageContent, extra: Record<string, unknown> = {}) => ({
  kind: 'message',
  from: contact,
  content,
  ...extra,
});
const media = (type: string, fields: Record<string, unknown>) =>
  message(expect.objectContaining({ type, ...fields }) as MessageContent);
const status = (value: string, extra: Record<string, unknown> = {}) => ({
  kind: 'status',
  eventKey: `meta-cloud:status:wamid.xyzxyz:${value}`,
  providerMessageId: 'wamid.xyzxyz',
  ...extra,
});

/** What each named fixture case must parse to (every case in the files must be listed). */
const expectations: Record<string, Record<string, unknown>[]> = {
  'callback_button/button': [
    message(
      { type: 'interactive-reply', kind: 'button', id: 'callback_data', title: 'title' },
      { providerMessageId: 'wamid.xyzxyz', replyToProviderMessageId: 'wamid.xyzxyz' },
    ),
  ],
  'callback_button/quick_reply': [
    message(
      { type: 'interactive-reply', kind: 'button', id: 'callback_data', title: 'title' },
      { eventKey: 'meta-cloud:msg:wamid.xsidjw', replyToProviderMessageId: 'wamid.xyzxyz==' },
    ),
  ],
  'callback_button/quick_reply_without_context': [
    message(
      { type: 'interactive-reply', kind: 'button', id: 'callback_data', title: 'title' },
      { providerMessageId: 'wamid.xsidjx', replyToProviderMessageId: undefined },
    ),
  ],
  'callback_selection/callback': [
    message({ type: 'interactive-reply', kind: 'list', id: 'callback_data', title: 'title' }),
  ],
  'callback_selection/description': [
    message({
      type: 'interactive-reply',
      kind: 'list',
      id: 'callback_data',
      title: 'title',
      description: 'description',
    }),
  ],
  'message/text': [
    message(
      { type: 'text', text: 'Body Text' },
      { eventKey: 'meta-cloud:msg:wamid.xyzxyz', timestamp: new Date(1_697_043_223_000) },
    ),
  ],
  'message/image': [
    media('image', { providerMediaId: '65463453', mimeType: 'image/jpeg', sha256: '4654+8g=' }),
  ],
  'message/media_with_url': [media('image', { providerMediaId: '65463453' })],
  'message/video': [
    media('video', { providerMediaId: '765756756', mimeType: 'video/mp4', caption: 'caption' }),
  ],
  'message/document': [
    media('document', {
      providerMediaId: '1234567890987654321',
      filename: 'filename.pdf',
      caption: 'caption',
    }),
  ],
  'message/audio': [media('audio', { isVoice: false, mimeType: 'audio/ogg; codecs=opus' })],
  'message/voice': [media('audio', { isVoice: true })],
  'message/static_sticker': [media('sticker', { isAnimated: false, mimeType: 'image/webp' })],
  'message/animated_sticker': [media('sticker', { isAnimated: true })],
  'message/reaction': [
    message({ type: 'reaction', messageProviderId: 'wamid.yzxyzx=', emoji: '😮' }),
  ],
  'message/unreaction_empty': [
    message({ type: 'reaction', messageProviderId: 'wamid.yzxyzx=', emoji: '' }),
  ],
  'message/unreaction_no_emoji': [
    message({ type: 'reaction', messageProviderId: 'wamid.yzxyzx=', emoji: '' }),
  ],
  'message/current_location': [
    message(expect.objectContaining({ type: 'location', latitude: 12.25089, longitude: 43.90539 })),
  ],
  'message/chosen_location': [
    message(
      expect.objectContaining({
        type: 'location',
        latitude: 37.4611978,
        longitude: -122.2164385,
        name: 'Facebook HQ',
        address: '1 Hacker Way, Menlo Park, CA 94025',
      }),
    ),
  ],
  'message/contacts': [
    message({
      type: 'contacts',
      contacts: [
        expect.objectContaining({
          name: 'Chandler Bing',
          phones: [{ phone: '+1 555-555-5555', waId: '972987654321', type: 'CELL' }],
        }),
        expect.objectContaining({ name: 'Monica' }),
        expect.objectContaining({ name: 'Rachel Green' }),
      ],
    }),
  ],
  'message/order': [
    message(expect.objectContaining({ type: 'unsupported', providerType: 'order' })),
  ],
  'message/unsupported': [
    message({
      type: 'unsupported',
      providerType: 'unsupported',
      description: expect.stringMatching(/131051.*Message type unknown.*not supported/),
    }),
  ],
  'message/unsupported_with_type': [
    message(expect.objectContaining({ type: 'unsupported', providerType: 'pool' })),
  ],
  'message/reply': [
    message({ type: 'text', text: 'replied text' }, { replyToProviderMessageId: 'wamid.xyzxyz==' }),
  ],
  'message/forwarded': [
    message({ type: 'text', text: 'forwarded text' }, { replyToProviderMessageId: undefined }),
  ],
  'message/forwarded_many_times': [message({ type: 'text', text: 'text forwarded many times' })],
  'message/interactive_message_with_err': [
    message(expect.objectContaining({ type: 'unsupported', providerType: 'interactive' }), {
      providerMessageId: 'wamid.wegrchytvwcggt=',
      replyToProviderMessageId: 'wamid.gvwegfretge==',
    }),
    { kind: 'system', description: expect.stringContaining('Unsupported webhook payload') },
  ],
  'message/referral': [message({ type: 'text', text: 'BODY' }, { providerMessageId: 'wamid.ID' })],
  'message_status/sent': [
    status('sent', {
      status: 'sent',
      timestamp: new Date(1_698_266_945_000),
      recipient: contact,
      error: undefined,
    }),
  ],
  'message_status/delivered': [status('delivered', { status: 'delivered' })],
  'message_status/read': [
    status('read', { status: 'read', timestamp: new Date(1_689_380_458_000) }),
  ],
  'message_status/played': [status('played', { status: 'read' })],
  'message_status/failed': [
    status('failed', {
      status: 'failed',
      error: { code: 'META_130472', reason: expect.stringMatching(/experiment/) },
    }),
  ],
  'message_status/with_tracker': [status('sent', { status: 'sent' })],
  'message_status/group': [
    {
      kind: 'status',
      eventKey: 'meta-cloud:status:<WHATSAPP_MESSAGE_ID>:read',
      status: 'read',
      recipient: expect.objectContaining({ waId: 'fowefinoewcnw' }),
    },
  ],
  'system/phone_number_change': [
    { kind: 'system', description: expect.stringMatching(/user_changed_number: User A changed/) },
  ],
  'system/identity_change': [
    { kind: 'system', description: 'customer_identity_changed: User identity changed' },
  ],
};

const fixtureFiles = readdirSync(fixturesDir).filter((name) => /^webhook-.*\.json$/.test(name));
const fixtureCases = fixtureFiles.flatMap((file) => {
  const cases = JSON.parse(readFileSync(new URL(file, fixturesDir), 'utf8')) as Record<
    string,
    unknown
  >;
  const group = file.replace(/^webhook-/, '').replace(/\.json$/, '');
  return Object.entries(cases).map(([name, payload]) => ({ id: `${group}/${name}`, payload }));
});

describe('Meta webhook fixtures (pywa, real Cloud API envelopes)', () => {
  it('covers every fixture case and only those', () => {
    expect(fixtureCases.length).toBeGreaterThan(30);
    expect(fixtureCases.map((c) => c.id).sort()).toEqual(Object.keys(expectations).sort());
  });

  it.each(fixtureCases)('$id', ({ id, payload }) => {
    const events: InboundEvent[] = metaCloudProvider.parseWebhook(
      config,
      request(Buffer.from(JSON.stringify(payload))),
    );
    expect(events).toEqual((expectations[id] ?? []).map((event) => expect.objectContaining(event)));
    for (const event of events) {
      expect(event.eventKey).toMatch(/^meta-cloud:(msg|status|system):\S+$/);
      expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
    }
  });
});

describe('signature vector (pywa)', () => {
  const vector = JSON.parse(
    readFileSync(new URL('signature-vector.json', fixturesDir), 'utf8'),
  ) as {
    app_secret: string;
    raw_body: string;
    x_hub_signature_256: string;
  };
  const vectorConfig = { ...config, appSecret: vector.app_secret };
  const signed = (body: Buffer) =>
    request(body, { 'X-Hub-Signature-256': vector.x_hub_signature_256 });

  it('verifies the published signature', () => {
    expect(
      metaCloudProvider.verifyWebhook(vectorConfig, signed(Buffer.from(vector.raw_body)), noToken),
    ).toBe(true);
  });

  it('fails when one byte of the body changes', () => {
    const body = Buffer.from(vector.raw_body);
    body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x01;
    expect(metaCloudProvider.verifyWebhook(vectorConfig, signed(body), noToken)).toBe(false);
  });

  it('the signed body parses to the text message', () => {
    expect(
      metaCloudProvider.parseWebhook(vectorConfig, signed(Buffer.from(vector.raw_body))),
    ).toEqual([
      expect.objectContaining({
        kind: 'message',
        content: { type: 'text', text: 'Hey there! I am using PyWa.' },
        from: expect.objectContaining({ waId: '972544401243', name: 'PyWa Tests' }),
      }),
    ]);
  });
});

/* ---------- send bodies against the OpenAPI request schema ---------- */

type Schema = Record<string, unknown>;
type OpenApi = {
  components: { schemas: Record<string, Schema>; parameters: Record<string, Schema> };
  paths: Record<string, Record<string, Schema>>;
};

const ignoredKeywords = new Set(['discriminator', 'example', 'examples', 'description', 'title']);

/**
 * Inlines `$ref`s and merges `allOf`, so that the contract's `allOf: [Base, {additionalProperties:
 * false, ...}]` means what its authors meant (no properties beyond the union) instead of
 * rejecting every base property, which a literal JSON Schema reading would do.
 */
function resolveSchema(document: OpenApi, node: unknown, stack: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveSchema(document, item, stack));
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Schema;
  if (typeof record.$ref === 'string') {
    const name = record.$ref.split('/').pop() ?? '';
    if (stack.includes(name)) return {};
    return resolveSchema(document, document.components.schemas[name], [...stack, name]);
  }
  const resolved: Schema = {};
  for (const [key, value] of Object.entries(record)) {
    if (ignoredKeywords.has(key)) continue;
    resolved[key] =
      key === 'properties'
        ? resolveProperties(document, value, stack)
        : resolveSchema(document, value, stack);
  }
  if (!Array.isArray(resolved.allOf)) return resolved;
  const { allOf, ...rest } = resolved;
  return mergeSchemas([rest, ...(allOf as Schema[])]);
}

function resolveProperties(document: OpenApi, value: unknown, stack: string[]): Schema {
  return Object.fromEntries(
    Object.entries(value as Schema).map(([name, schema]) => [
      name,
      resolveSchema(document, schema, stack),
    ]),
  );
}

function mergeSchemas(members: Schema[]): Schema {
  const merged: Schema = {};
  const properties: Record<string, Schema[]> = {};
  const required = new Set<string>();
  const extra: Schema[] = [];
  let closed = false;
  for (const member of members) {
    for (const [key, value] of Object.entries(member)) {
      if (key === 'properties') {
        for (const [name, schema] of Object.entries(value as Schema)) {
          properties[name] = [...(properties[name] ?? []), schema as Schema];
        }
      } else if (key === 'required') {
        for (const name of value as string[]) required.add(name);
      } else if (key === 'additionalProperties' && value === false) {
        closed = true;
      } else if (key in merged) {
        extra.push({ [key]: value });
      } else {
        merged[key] = value;
      }
    }
  }
  if (Object.keys(properties).length > 0) {
    merged.properties = Object.fromEntries(
      Object.entries(properties).map(([name, schemas]) => [
        name,
        schemas.length === 1 ? schemas[0] : { allOf: schemas },
      ]),
    );
  }
  if (required.size > 0) merged.required = [...required];
  if (closed) merged.additionalProperties = false;
  if (extra.length > 0) merged.allOf = extra;
  return merged;
}

const contract = parseYaml(readFileSync(contractFile, 'utf8')) as OpenApi;
const messagesPath = contract.paths['/{Version}/{Phone-Number-ID}/messages'];
const requestSchema = (
  (messagesPath?.post?.requestBody as Schema | undefined)?.content as Record<string, Schema>
)?.['application/json']?.schema;
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true, logger: false });
const validateMessage = ajv.compile(resolveSchema(contract, requestSchema) as Schema);

const outbound = metaCloudOutboundCases;
describe('send bodies validate against the v23 messages request schema', () => {
  it('sends every kind the provider declares', () => {
    const kinds = new Set(outbound.map((c) => c.message.content.type));
    expect([...kinds].sort()).toEqual([...metaCloudProvider.capabilities.sends].sort());
  });

  it.each(outbound)('$name', ({ message }) => {
    const body = buildMetaSendBody(message);
    const valid = validateMessage(body);
    expect(validateMessage.errors ?? [], JSON.stringify(body)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('a malformed body is rejected (the validator can fail)', () => {
    expect(
      validateMessage({
        messaging_product: 'whatsapp',
        to: '1',
        type: 'text',
        text: { body: 'x' },
      }),
    ).toBe(false);
    expect(
      validateMessage({
        ...buildMetaSendBody(outbound[0]?.message as OutboundMessage),
        surprise: true,
      }),
    ).toBe(false);
  });

  it('the User-Agent matches the contract’s pattern', () => {
    const pattern = contract.components.parameters.UserAgent?.schema as
      | { pattern: string }
      | undefined;
    expect(metaCloudUserAgent).toMatch(new RegExp(pattern?.pattern ?? '^$'));
  });
});

/* ---------- template sync against the v23 message_templates listing ---------- */

describe('template listing: the contract’s example answer parses', () => {
  const listing = contract.paths['/{Version}/{WABA-ID}/message_templates']?.get as
    | { responses: Record<string, { content: Record<string, Schema> }> }
    | undefined;
  const answer = listing?.responses['200']?.content['application/json'] as
    | { schema: Schema; examples: Record<string, { value: unknown }> }
    | undefined;
  const example = answer?.examples['Example response']?.value;

  it('the example is valid against the contract’s own response schema', () => {
    const validate = ajv.compile(resolveSchema(contract, answer?.schema) as Schema);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ data: 'not a list' })).toBe(false);
  });

  it('maps every template of the example, and reads it as the last page', () => {
    const page = parseMetaTemplatesPage(example);
    expect(page.after).toBeUndefined();
    expect(page.templates).toEqual([
      {
        providerTemplateId: '1192339204654487',
        name: 'hello_world',
        language: 'en_US',
        category: 'marketing',
        status: 'approved',
        rejectedReason: undefined,
        components: {
          header: { format: 'text', text: 'Hello World' },
          body: { text: expect.stringMatching(/^Welcome and congratulations!!/) },
          footer: { text: 'WhatsApp Business API Team' },
        },
      },
      expect.objectContaining({
        providerTemplateId: '920070352646140',
        name: '2023_april_promo',
        status: 'approved',
        components: {
          header: { format: 'text', text: 'Fall Sale' },
          body: { text: expect.stringMatching(/^Hi \{\{1\}\}, .*code \{\{2\}\}/) },
          footer: { text: 'Not interested in any of our sales? Tap Stop Promotions' },
          buttons: [{ type: 'quick_reply', text: 'Stop promotions' }],
        },
      }),
    ]);
  });

  it('the schema’s example page (a rejected template) parses too', () => {
    const schema = answer?.schema as { properties: { data: { example: unknown[] } } };
    const page = parseMetaTemplatesPage({ data: schema.properties.data.example });
    expect(page.templates).toEqual([
      expect.objectContaining({ name: '2023_april_promo', status: 'rejected' }),
    ]);
  });
});
