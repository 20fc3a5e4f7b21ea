import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { findProvider } from '../../channels/index.js';
import type { Principal } from '../../platform/auth/principal.js';
import { createTemplatesService } from './templates.service.js';

/*
 * The template library over HTTP, on the real runtime, with a loopback stand-in for Meta's
 * Graph API: it lists `graphTemplates` two per page (whatever `limit` we ask) and accepts sends.
 */

type GraphTemplate = {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: Record<string, unknown>[];
  rejected_reason?: string;
};

const pageSize = 2;
let graphTemplates: GraphTemplate[] = [];
let graphFailure: { status: number; body: unknown } | undefined;
const templateRequests: URL[] = [];
const sends: Array<Record<string, unknown>> = [];
let server: Server;
let t: TestApp;
let token: string;
let tenantId: string;
let operatorToken: string;
let otherToken: string;
let channelId: string;
let sequence = 0;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(response: import('node:http').ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://graph.test');
    if (request.method === 'GET' && url.pathname.endsWith('/message_templates')) {
      templateRequests.push(url);
      if (graphFailure) return answer(response, graphFailure.status, graphFailure.body);
      const start = Number(url.searchParams.get('after') ?? '0');
      const end = start + pageSize;
      const hasMore = end < graphTemplates.length;
      return answer(response, 200, {
        data: graphTemplates.slice(start, end),
        paging: {
          cursors: { before: String(start), after: String(end) },
          ...(hasMore ? { next: `https://graph.facebook.com/next?after=${end}` } : {}),
        },
      });
    }
    sends.push(JSON.parse(await readBody(request)) as Record<string, unknown>);
    return answer(response, 200, { messages: [{ id: `wamid.tpl.${++sequence}` }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  t = await createTestApp();
  const session = await login(t.app, testAdmin);
  token = session.accessToken;
  tenantId = session.tenant.id;
  const operator = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(token),
    payload: {
      email: 'operador@example.com',
      name: 'Operador',
      role: 'operator',
      password: 'operator password!',
    },
  });
  if (operator.statusCode !== 201) throw new Error(operator.body);
  operatorToken = (
    await login(t.app, { email: 'operador@example.com', password: 'operator password!' })
  ).accessToken;
  const tenant = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: bearer(token),
    payload: {
      name: 'Outra',
      slug: 'outra',
      admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
    },
  });
  if (tenant.statusCode !== 201) throw new Error(tenant.body);
  otherToken = (await login(t.app, { email: 'admin@outra.example', password: 'another password!' }))
    .accessToken;

  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId: '1122334455667',
        wabaId: '99887766',
        accessToken: 'graph-token',
        appSecret: 'secret',
        verifyToken: 'verify',
        graphApiBaseUrl: `http://127.0.0.1:${port}`,
      },
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  channelId = created.json<{ id: string }>().id;
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  templateRequests.length = 0;
  sends.length = 0;
  graphFailure = undefined;
});

type TemplateView = {
  id: string;
  name: string;
  language: string;
  status: string;
  source: string;
  category: string;
  providerTemplateId: string | null;
  rejectedReason: string | null;
  syncedAt: string | null;
  updatedAt: string;
  components: Record<string, unknown>;
  variables: { header: string[]; body: string[] };
};
type Problem = { path: string; message: string };

const base = () => `/api/v1/channels/${channelId}/templates`;

function request(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  authToken = token,
) {
  return t.app.inject({
    method,
    url,
    headers: bearer(authToken),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

const sync = (authToken = token) => request('POST', `${base()}/sync`, undefined, authToken);

async function listAll(query = ''): Promise<TemplateView[]> {
  const response = await request('GET', `${base()}?limit=200${query}`);
  expect(response.statusCode).toBe(200);
  return response.json<{ items: TemplateView[] }>().items;
}

async function findByName(name: string, language = 'pt_BR') {
  return (await listAll(`&search=${name}`)).find(
    (template) => template.name === name && template.language === language,
  );
}

const localTemplate = {
  name: 'boas_vindas',
  language: 'pt_BR',
  category: 'utility',
  components: {
    header: { format: 'text', text: 'Olá, {{1}}' },
    body: { text: 'Oi {{1}}, seu código é {{2}}. Até {{1}}!' },
    footer: { text: 'Loja Exemplo' },
    buttons: [
      { type: 'quick_reply', text: 'Parar' },
      { type: 'url', text: 'Abrir', url: 'https://loja.test/p/{{1}}' },
    ],
  },
};

describe('template library: writing templates', () => {
  it('creates a local template; on the official API it is a draft until Meta approves it', async () => {
    const response = await request('POST', base(), localTemplate);
    expect(response.statusCode).toBe(201);
    const template = response.json<TemplateView>();
    expect(template).toMatchObject({
      name: 'boas_vindas',
      language: 'pt_BR',
      category: 'utility',
      status: 'draft',
      source: 'local',
      providerTemplateId: null,
      components: localTemplate.components,
      variables: { header: ['1'], body: ['1', '2'] },
    });
    const fetched = await request('GET', `${base()}/${template.id}`);
    expect(fetched.json()).toEqual(template);
  });

  it('accepts named variables, and refuses a second template with the same name and language', async () => {
    const named = await request('POST', base(), {
      name: 'lembrete',
      language: 'pt_BR',
      category: 'marketing',
      components: { body: { text: 'Oi {{first_name}}, falta {{dias}} dia(s)' } },
    });
    expect(named.statusCode).toBe(201);
    expect(named.json<TemplateView>().variables).toEqual({
      header: [],
      body: ['first_name', 'dias'],
    });
    const again = await request('POST', base(), { ...localTemplate, name: 'lembrete' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0].path).toBe('body.name');
    const otherLanguage = await request('POST', base(), {
      ...localTemplate,
      name: 'lembrete',
      language: 'en_US',
    });
    expect(otherLanguage.statusCode).toBe(201);
  });

  it.each([
    {
      name: 'numbered and named variables mixed',
      components: { body: { text: 'Oi {{1}}, seu pedido {{pedido}}' } },
      path: 'body.components.body.text',
      message: /mixes numbered.*named/,
    },
    {
      name: 'a header numbered and a body named',
      components: {
        header: { format: 'text', text: 'Pedido {{1}}' },
        body: { text: 'Oi {{nome}}' },
      },
      path: 'body.components',
      message: /different kinds of variables/,
    },
    {
      name: 'a gap in the numbers',
      components: { body: { text: 'Oi {{1}}, pedido {{3}}' } },
      path: 'body.components.body.text',
      message: /from \{\{1\}\} without gaps.*expected \{\{1\}\}, \{\{2\}\}/,
    },
    {
      name: 'numbers not starting at 1',
      components: { body: { text: 'Oi {{2}}' } },
      path: 'body.components.body.text',
      message: /without gaps/,
    },
    {
      name: 'a placeholder that is not a variable',
      components: { body: { text: 'Oi {{Nome Completo}}' } },
      path: 'body.components.body.text',
      message: /\{\{Nome Completo\}\} is not a variable/,
    },
    {
      name: 'a text header without text',
      components: { header: { format: 'text' }, body: { text: 'Oi' } },
      path: 'body.components.header.text',
      message: /needs its text/,
    },
    {
      name: 'an image header with text',
      components: { header: { format: 'image', text: 'x' }, body: { text: 'Oi' } },
      path: 'body.components.header.text',
      message: /has no text/,
    },
    {
      name: 'a url button without url',
      components: { body: { text: 'Oi' }, buttons: [{ type: 'url', text: 'Abrir' }] },
      path: 'body.components.buttons.0.url',
      message: /needs its url/,
    },
    {
      name: 'no body',
      components: { footer: { text: 'x' } },
      path: 'body.components.body',
      message: /./,
    },
    {
      name: 'a body over 1024 characters',
      components: { body: { text: 'a'.repeat(1025) } },
      path: 'body.components.body.text',
      message: /1024/,
    },
  ])('rejects $name with 400 and the path', async ({ components, path, message }) => {
    const response = await request('POST', base(), {
      name: 'invalido',
      language: 'pt_BR',
      category: 'utility',
      components,
    });
    expect(response.statusCode).toBe(400);
    const error = response.json<{ error: { code: string; details: Problem[] } }>().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path, message: expect.stringMatching(message) }),
      ]),
    );
  });

  it('rejects bad names, languages, categories and wrong types with the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...localTemplate, name: 'Boas Vindas' }, 'body.name'],
      [{ ...localTemplate, language: 'portuguese' }, 'body.language'],
      [{ ...localTemplate, category: 'promo' }, 'body.category'],
      [{ ...localTemplate, components: 'body' }, 'body.components'],
      [{ ...localTemplate, components: { body: { text: 42 } } }, 'body.components.body.text'],
    ];
    for (const [payload, path] of cases) {
      const response = await request('POST', base(), payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.details.map((d: Problem) => d.path)).toContain(path);
    }
  });

  it('answers malformed JSON, a huge body and bad ids with a 4xx', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: base(),
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
    const huge = await request('POST', base(), {
      ...localTemplate,
      components: { body: { text: 'a'.repeat(2_000_000) } },
    });
    expect(huge.statusCode).toBe(413);
    expect((await request('GET', `${base()}/not-a-uuid`)).statusCode).toBe(400);
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await request(method, `${base()}/${unknownId}`);
      expect(response.statusCode).toBe(404);
    }
    const patch = await request('PATCH', `${base()}/${unknownId}`, { category: 'marketing' });
    expect(patch.statusCode).toBe(404);
    const unknownChannel = await request(
      'GET',
      `/api/v1/channels/${unknownId}/templates`,
      undefined,
    );
    expect(unknownChannel.statusCode).toBe(404);
  });

  it('changes a local template, re-checking its variables and its name', async () => {
    const created = (
      await request('POST', base(), { ...localTemplate, name: 'para_editar' })
    ).json<TemplateView>();
    const patched = await request('PATCH', `${base()}/${created.id}`, {
      category: 'marketing',
      components: { body: { text: 'Agora só {{1}}' } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      category: 'marketing',
      status: 'draft',
      components: { body: { text: 'Agora só {{1}}' } },
      variables: { header: [], body: ['1'] },
    });
    const mixed = await request('PATCH', `${base()}/${created.id}`, {
      components: { body: { text: '{{1}} e {{nome}}' } },
    });
    expect(mixed.statusCode).toBe(400);
    const taken = await request('PATCH', `${base()}/${created.id}`, { name: 'boas_vindas' });
    expect(taken.statusCode).toBe(409);
    expect((await request('PATCH', `${base()}/${created.id}`, {})).statusCode).toBe(400);

    expect((await request('DELETE', `${base()}/${created.id}`)).statusCode).toBe(204);
    expect((await request('GET', `${base()}/${created.id}`)).statusCode).toBe(404);
  });

  it('lists with a status filter, a literal name search and cursor pages', async () => {
    for (const name of ['lista_a', 'lista_b', 'listaxc']) {
      const response = await request('POST', base(), { ...localTemplate, name });
      expect(response.statusCode).toBe(201);
    }
    const search = (await listAll('&search=lista_')).map((template) => template.name);
    expect(search.sort()).toEqual(['lista_a', 'lista_b']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = cursor ? `&cursor=${cursor}` : '';
      const page = await request('GET', `${base()}?search=lista&limit=2${query}`);
      const body = page.json<{ items: TemplateView[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((template) => template.name));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect([...seen].sort()).toEqual(['lista_a', 'lista_b', 'listaxc']);

    const drafts = await listAll('&status=draft');
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts.every((template) => template.status === 'draft')).toBe(true);
    expect(await listAll('&status=approved')).toEqual([]);
    expect((await request('GET', `${base()}?status=great`)).statusCode).toBe(400);
    const badCursor = await request('GET', `${base()}?cursor=bm9wZQ`);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details[0].path).toBe('cursor');
  });

  it('lets operators read the library but only admins change it', async () => {
    expect((await request('GET', base(), undefined, operatorToken)).statusCode).toBe(200);
    const create = await request('POST', base(), { ...localTemplate, name: 'x' }, operatorToken);
    expect(create.statusCode).toBe(403);
    expect((await sync(operatorToken)).statusCode).toBe(403);
  });

  it("hides another tenant's channel and templates: 404 everywhere", async () => {
    const template = await findByName('boas_vindas');
    const url = `${base()}/${template?.id}`;
    for (const [method, path, payload] of [
      ['GET', base(), undefined],
      ['POST', base(), { ...localTemplate, name: 'invasor' }],
      ['POST', `${base()}/sync`, undefined],
      ['GET', url, undefined],
      ['PATCH', url, { category: 'marketing' }],
      ['DELETE', url, undefined],
    ] as const) {
      const response = await request(method, path, payload, otherToken);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
    }
    expect(templateRequests).toHaveLength(0);
    expect(await findByName('boas_vindas')).toEqual(template);
    expect(await findByName('invasor')).toBeUndefined();
  });
});

const approvedOrder: GraphTemplate = {
  id: '5001',
  name: 'pedido_confirmado',
  language: 'pt_BR',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
    { type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} foi confirmado.' },
    { type: 'FOOTER', text: 'Loja Exemplo' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Falar com atendente' }] },
  ],
};
const pendingPromo: GraphTemplate = {
  id: '5002',
  name: 'promo_outono',
  language: 'pt_BR',
  status: 'PENDING',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Promoção de outono para {{nome}}!' }],
};
const rejectedCoupon: GraphTemplate = {
  id: '5003',
  name: 'cupom',
  language: 'pt_BR',
  status: 'REJECTED',
  rejected_reason: 'INVALID_FORMAT',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Seu cupom: {{1}}' }],
};
const receipt: GraphTemplate = {
  id: '5004',
  name: 'recibo',
  language: 'pt_BR',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'DOCUMENT' },
    { type: 'BODY', text: 'Segue o recibo do pedido {{1}}.' },
  ],
};
/** A provider template with the name and language of a local one: the local one stays. */
const clashing: GraphTemplate = {
  id: '5005',
  name: 'boas_vindas',
  language: 'pt_BR',
  status: 'APPROVED',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Versão da Meta' }],
};

describe('template sync from Meta (loopback Graph API)', () => {
  it('follows both pages and creates the provider templates', async () => {
    graphTemplates = [approvedOrder, pendingPromo, rejectedCoupon, clashing];
    const response = await sync();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ created: 3, updated: 0, disabled: 0, skipped: 1, total: 4 });
    expect(templateRequests.map((url) => url.searchParams.get('after'))).toEqual([null, '2']);
    expect(templateRequests[0]?.pathname).toBe('/v23.0/99887766/message_templates');

    expect(await findByName('pedido_confirmado')).toMatchObject({
      source: 'provider',
      status: 'approved',
      category: 'utility',
      providerTemplateId: '5001',
      syncedAt: expect.any(String),
      components: {
        header: { format: 'text', text: 'Pedido {{1}}' },
        body: { text: 'Olá {{1}}, seu pedido {{2}} foi confirmado.' },
        footer: { text: 'Loja Exemplo' },
        buttons: [{ type: 'quick_reply', text: 'Falar com atendente' }],
      },
      variables: { header: ['1'], body: ['1', '2'] },
    });
    expect(await findByName('cupom')).toMatchObject({
      status: 'rejected',
      rejectedReason: 'INVALID_FORMAT',
    });
    expect(await findByName('boas_vindas')).toMatchObject({
      source: 'local',
      status: 'draft',
      components: localTemplate.components,
    });
  });

  it('a second sync takes status changes, disables vanished templates, keeps local ones', async () => {
    const before = await findByName('pedido_confirmado');
    graphTemplates = [approvedOrder, { ...pendingPromo, status: 'APPROVED' }, receipt, clashing];
    const response = await sync();
    expect(response.json()).toEqual({ created: 1, updated: 1, disabled: 1, skipped: 1, total: 4 });
    expect(templateRequests).toHaveLength(2);

    expect(await findByName('promo_outono')).toMatchObject({ status: 'approved' });
    expect(await findByName('cupom')).toMatchObject({ status: 'disabled', source: 'provider' });
    expect(await findByName('recibo')).toMatchObject({
      status: 'approved',
      components: { header: { format: 'document' } },
    });
    const unchanged = await findByName('pedido_confirmado');
    expect(unchanged?.updatedAt).toBe(before?.updatedAt);
    expect(new Date(unchanged?.syncedAt ?? 0).getTime()).toBeGreaterThan(
      new Date(before?.syncedAt ?? 0).getTime(),
    );
    const locals = (await listAll()).filter((template) => template.source === 'local');
    expect(locals.length).toBeGreaterThan(3);
    expect(locals.every((template) => template.status === 'draft')).toBe(true);

    // Nothing changed at Meta: nothing changes here.
    expect((await sync()).json()).toEqual({
      created: 0,
      updated: 0,
      disabled: 0,
      skipped: 1,
      total: 4,
    });
  });

  it('refuses to change a synced template; a deleted one comes back with the next sync', async () => {
    const receiptRow = await findByName('recibo');
    const patch = await request('PATCH', `${base()}/${receiptRow?.id}`, { category: 'marketing' });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error.message).toMatch(/provider/);
    expect((await request('DELETE', `${base()}/${receiptRow?.id}`)).statusCode).toBe(204);
    expect((await sync()).json()).toMatchObject({ created: 1 });
    expect(await findByName('recibo')).toMatchObject({ status: 'approved' });
  });

  it('a Graph API failure is a 502 with the provider’s code, and changes nothing', async () => {
    const before = await listAll();
    graphFailure = {
      status: 401,
      body: { error: { message: 'Error validating access token', code: 190 } },
    };
    const response = await sync();
    expect(response.statusCode).toBe(502);
    expect(response.json().error).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringMatching(/access token/i),
      details: { providerCode: 'META_190', retryable: false },
    });
    expect(response.body).not.toContain('graph-token');
    expect(await listAll()).toEqual(before);
  });

  it('a provider without template sync answers 409 and says so', async () => {
    const meta = findProvider('meta-cloud');
    if (!meta) throw new Error('meta-cloud is registered');
    const withoutSync = { ...meta, listTemplates: undefined };
    const service = createTemplatesService({
      db: t.database.db,
      logger: t.runtime.logger,
      channels: {
        getChannel: t.runtime.channels.getChannel,
        openChannel: async (id, tenant) => {
          const opened = await t.runtime.channels.openChannel(id, tenant);
          return opened && { ...opened, provider: withoutSync };
        },
      },
    });
    const principal: Principal = { userId: 'u', tenantId, role: 'admin', isSuperAdmin: false };
    await expect(service.syncTemplates(principal, channelId)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/meta-cloud provider has no template sync/),
    });
    // Elsewhere a template the library lacks is sent as the caller wrote it.
    const content = { type: 'template' as const, name: 'fora_da_biblioteca', language: 'pt_BR' };
    await expect(
      service.prepareTemplateContent({ tenantId, channelId, provider: withoutSync, content }),
    ).resolves.toEqual(content);
  });
});

type MessageView = {
  id: string;
  status: string;
  content: Record<string, unknown>;
  errorCode: string | null;
};

function sendTemplate(content: Record<string, unknown>, phone = '+5511977776666') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(token),
    payload: { channelId, to: { phone }, content: { type: 'template', ...content } },
  });
}

async function settled(id: string): Promise<MessageView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = (
      await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
    ).json<MessageView>();
    if (view.status !== 'queued' && view.status !== 'sending') return view;
    if (Date.now() > deadline) throw new Error(`message ${id} still ${view.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sending a template from the library', () => {
  it('fills renderedText and sends the template with its parameters', async () => {
    const response = await sendTemplate({
      name: 'pedido_confirmado',
      language: 'pt_BR',
      header: [{ type: 'text', text: '#123' }],
      body: [
        { type: 'text', text: 'Ana' },
        { type: 'text', text: '#123' },
      ],
      renderedText: 'whatever the caller says',
    });
    expect(response.statusCode).toBe(202);
    const message = await settled(response.json<{ id: string }>().id);
    expect(message.status).toBe('sent');
    expect(message.content.renderedText).toBe('Olá Ana, seu pedido #123 foi confirmado.');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      type: 'template',
      template: {
        name: 'pedido_confirmado',
        language: { code: 'pt_BR' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#123' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '#123' },
            ],
          },
        ],
      },
    });
  });

  it('named variables are filled by name', async () => {
    const response = await sendTemplate({
      name: 'promo_outono',
      language: 'pt_BR',
      body: [{ type: 'text', name: 'nome', text: 'Bia' }],
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().content.renderedText).toBe('Promoção de outono para Bia!');
    expect((await settled(response.json<{ id: string }>().id)).status).toBe('sent');
    const unnamed = await sendTemplate({
      name: 'promo_outono',
      language: 'pt_BR',
      body: [{ type: 'text', text: 'Bia' }],
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.details[0].path).toBe('body.content.body.0.name');
  });

  it('a wrong parameter count is a 400 with the path and the expected count', async () => {
    const response = await sendTemplate({
      name: 'pedido_confirmado',
      language: 'pt_BR',
      header: [{ type: 'text', text: '#1' }],
      body: [{ type: 'text', text: 'Ana' }],
    });
    expect(response.statusCode).toBe(400);
    const error = response.json<{ error: { code: string; details: Problem[] } }>().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([
      {
        path: 'body.content.body',
        message: expect.stringMatching(/2 variables \(\{\{1\}\}, \{\{2\}\}\).*expected 2.*got 1/),
      },
    ]);
    const missingHeader = await sendTemplate({
      name: 'pedido_confirmado',
      language: 'pt_BR',
      body: [
        { type: 'text', text: 'Ana' },
        { type: 'text', text: '1' },
      ],
    });
    expect(missingHeader.statusCode).toBe(400);
    expect(missingHeader.json().error.details[0].path).toBe('body.content.header');
    const wrongMedia = await sendTemplate({
      name: 'recibo',
      language: 'pt_BR',
      header: [{ type: 'image', url: 'https://files.test/a.png' }],
      body: [{ type: 'text', text: '#9' }],
    });
    expect(wrongMedia.statusCode).toBe(400);
    expect(wrongMedia.json().error.details[0].message).toMatch(/type document/);
    await t.runtime.queue.whenIdle(10_000);
    expect(sends).toHaveLength(0);
  });

  it('an unapproved template is a 422 TEMPLATE_NOT_APPROVED', async () => {
    for (const name of ['cupom', 'boas_vindas']) {
      const response = await sendTemplate({
        name,
        language: 'pt_BR',
        body: [{ type: 'text', text: 'X' }],
      });
      expect(response.statusCode, name).toBe(422);
      expect(response.json().error.code).toBe('TEMPLATE_NOT_APPROVED');
    }
    const rejected = await sendTemplate({ name: 'cupom', language: 'pt_BR' });
    expect(rejected.json().error.details).toEqual({
      status: 'disabled',
      rejectedReason: 'INVALID_FORMAT',
    });
  });

  it('a template Meta never listed is a 422 TEMPLATE_NOT_FOUND with the advice to sync', async () => {
    for (const content of [
      { name: 'nao_existe', language: 'pt_BR' },
      { name: 'pedido_confirmado', language: 'en_US' },
    ]) {
      const response = await sendTemplate(content);
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('TEMPLATE_NOT_FOUND');
      expect(response.json().error.details.advice).toMatch(/[Ss]ync/);
    }
    await t.runtime.queue.whenIdle(10_000);
    expect(sends).toHaveLength(0);
  });
});
