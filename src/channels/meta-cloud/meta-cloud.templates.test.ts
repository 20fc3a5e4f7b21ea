import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.port.js';
import { type MetaCloudConfig, metaCloudProvider } from './meta-cloud.provider.js';
import {
  mapMetaTemplateCategory,
  mapMetaTemplateStatus,
  parseMetaTemplatesPage,
} from './meta-cloud.templates.js';

const config: MetaCloudConfig = metaCloudProvider.configSchema.parse({
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  accessToken: 'EAAG-test-token',
  appSecret: 'app-secret-for-tests',
  verifyToken: 'verify-me',
});

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A loopback Graph API: answers each request with the next scripted reply, records the URLs. */
let server: Server;
let baseUrl: string;
const requested: Array<{ url: URL; authorization: string | undefined; userAgent?: string }> = [];
let replies: Reply[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requested.push({
      url: new URL(request.url ?? '/', 'http://loopback'),
      authorization: request.headers.authorization,
      userAgent: request.headers['user-agent'],
    });
    const reply = replies.shift() ?? { status: 500, body: { error: { message: 'no script' } } };
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requested.length = 0;
  replies = [];
});

const listTemplates = (overrides: Partial<MetaCloudConfig> = {}) => {
  const list = metaCloudProvider.listTemplates;
  if (!list) throw new Error('meta-cloud must implement listTemplates');
  return list({
    config: { ...config, graphApiBaseUrl: baseUrl, ...overrides },
    http: (url, init) => fetch(url, init),
  });
};

const firstPage = {
  data: [
    {
      id: '1001',
      name: 'pedido_confirmado',
      language: 'pt_BR',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
        {
          type: 'BODY',
          text: 'Olá {{1}}, seu pedido {{2}} foi confirmado.',
          example: { body_text: [['Ana', '123']] },
        },
        { type: 'FOOTER', text: 'Loja Exemplo' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Falar com atendente' },
            { type: 'URL', text: 'Acompanhar', url: 'https://loja.test/pedidos/{{1}}' },
            { type: 'PHONE_NUMBER', text: 'Ligar', phone_number: '+5511900000000' },
            { type: 'FLOW', text: 'Abrir', flow_id: '9' },
          ],
        },
      ],
    },
    {
      id: '1002',
      name: 'promo_outono',
      language: 'pt_BR',
      status: 'REJECTED',
      category: 'MARKETING',
      rejected_reason: 'INVALID_FORMAT',
      components: [{ type: 'BODY', text: 'Promoção!' }],
    },
  ],
  paging: {
    cursors: { before: 'QVFIUm', after: 'QVFIUn' },
    next: 'https://graph.facebook.com/v23.0/102290129340398/message_templates?after=QVFIUn',
  },
};

const secondPage = {
  data: [
    {
      id: '1003',
      name: 'codigo_acesso',
      language: 'en_US',
      status: 'PAUSED',
      category: 'AUTHENTICATION',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1h'] } },
        { type: 'BODY', text: '{{1}} is your verification code.' },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
    },
    { name: 'sem_id', language: 'pt_BR', status: 'APPROVED' },
  ],
  paging: { cursors: { before: 'QVFIUo', after: 'QVFIUp' } },
};

describe('listTemplates (loopback Graph API)', () => {
  it('follows every page and maps each template to the neutral shape', async () => {
    replies = [
      { status: 200, body: firstPage },
      { status: 200, body: secondPage },
    ];
    const templates = await listTemplates();

    expect(requested).toHaveLength(2);
    const [first, second] = requested;
    expect(first?.url.pathname).toBe('/v23.0/102290129340398/message_templates');
    expect(first?.url.searchParams.get('fields')).toContain('components');
    expect(first?.url.searchParams.get('limit')).toBe('100');
    expect(first?.url.searchParams.has('after')).toBe(false);
    expect(first?.authorization).toBe('Bearer EAAG-test-token');
    expect(first?.userAgent).toMatch(/^recado\/\d+\.\d+\.\d+$/);
    // The next page is asked of our configured base URL, never of the `next` host.
    expect(second?.url.pathname).toBe('/v23.0/102290129340398/message_templates');
    expect(second?.url.searchParams.get('after')).toBe('QVFIUn');

    expect(templates).toEqual([
      {
        providerTemplateId: '1001',
        name: 'pedido_confirmado',
        language: 'pt_BR',
        category: 'utility',
        status: 'approved',
        rejectedReason: undefined,
        components: {
          header: { format: 'text', text: 'Pedido {{1}}' },
          body: { text: 'Olá {{1}}, seu pedido {{2}} foi confirmado.' },
          footer: { text: 'Loja Exemplo' },
          buttons: [
            { type: 'quick_reply', text: 'Falar com atendente' },
            { type: 'url', text: 'Acompanhar', url: 'https://loja.test/pedidos/{{1}}' },
            { type: 'phone_number', text: 'Ligar', phoneNumber: '+5511900000000' },
          ],
        },
      },
      {
        providerTemplateId: '1002',
        name: 'promo_outono',
        language: 'pt_BR',
        category: 'marketing',
        status: 'rejected',
        rejectedReason: 'INVALID_FORMAT',
        components: { body: { text: 'Promoção!' } },
      },
      {
        providerTemplateId: '1003',
        name: 'codigo_acesso',
        language: 'en_US',
        category: 'authentication',
        status: 'paused',
        rejectedReason: undefined,
        components: {
          header: { format: 'image' },
          body: { text: '{{1}} is your verification code.' },
          buttons: [{ type: 'copy_code', text: 'Copy code' }],
        },
      },
    ]);
  });

  it('maps a Graph API error through the shared error mapping', async () => {
    replies = [
      {
        status: 401,
        body: { error: { message: 'Error validating access token', code: 190 } },
      },
    ];
    const error = await listTemplates().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'META_190', retryable: false });
    expect((error as ProviderError).message).toMatch(/access token/i);
  });

  it('a throttled page is retryable with the Retry-After hint', async () => {
    replies = [
      { status: 200, body: firstPage },
      {
        status: 429,
        body: { error: { message: 'Too many calls', code: 80004 } },
        headers: { 'retry-after': '30' },
      },
    ];
    await expect(listTemplates()).rejects.toMatchObject({
      code: 'META_80004',
      retryable: true,
      retryAfterMs: 30_000,
    });
  });

  it('refuses an answer that is not a page, and a cursor that never ends', async () => {
    replies = [{ status: 200, body: '<html>proxy error</html>' }];
    await expect(listTemplates()).rejects.toMatchObject({ code: 'META_INVALID_RESPONSE' });

    const looping = { data: [], paging: { cursors: { after: 'SAME' }, next: 'x' } };
    replies = [
      { status: 200, body: looping },
      { status: 200, body: looping },
    ];
    await expect(listTemplates()).rejects.toMatchObject({ code: 'META_INVALID_RESPONSE' });
    expect(requested.length).toBeLessThanOrEqual(3);
  });

  it('an unreachable Graph API is a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      listTemplates({ graphApiBaseUrl: `http://127.0.0.1:${port}` }),
    ).rejects.toMatchObject({ code: 'META_NETWORK_ERROR', retryable: true });
  });
});

describe('Meta template statuses and categories', () => {
  it.each([
    ['APPROVED', 'approved'],
    ['PENDING', 'pending'],
    ['IN_APPEAL', 'pending'],
    ['REJECTED', 'rejected'],
    ['PAUSED', 'paused'],
    ['DISABLED', 'disabled'],
    ['PENDING_DELETION', 'disabled'],
    ['SOMETHING_NEW', 'disabled'],
    [undefined, 'disabled'],
  ])('status %s → %s', (meta, ours) => {
    expect(mapMetaTemplateStatus(meta)).toBe(ours);
  });

  it.each([
    ['MARKETING', 'marketing'],
    ['UTILITY', 'utility'],
    ['AUTHENTICATION', 'authentication'],
    ['ACCOUNT_UPDATE', 'utility'],
    ['TRANSACTIONAL', 'utility'],
    ['OTP', 'authentication'],
    ['SOMETHING_NEW', 'marketing'],
  ])('category %s → %s', (meta, ours) => {
    expect(mapMetaTemplateCategory(meta)).toBe(ours);
  });

  it('keeps no rejection reason on an approved template, nor Meta’s NONE', () => {
    const page = parseMetaTemplatesPage({
      data: [
        { id: '1', name: 'a', language: 'en', status: 'APPROVED', rejected_reason: 'NONE' },
        { id: '2', name: 'b', language: 'en', status: 'REJECTED', rejected_reason: 'NONE' },
      ],
    });
    expect(page.templates.map((template) => template.rejectedReason)).toEqual([
      undefined,
      undefined,
    ]);
    expect(page.after).toBeUndefined();
  });
});
