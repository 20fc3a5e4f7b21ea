import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxFlowDocumentBytes } from '../../shared/contracts/flows.contract.js';
import {
  createFlow,
  createFlowsApiFixture,
  type ErrorView,
  type FlowsApiFixture,
  type FlowView,
  validFlow,
} from './testing/flows-api-fixture.js';

/* Flow definitions and versions over HTTP, on the real runtime (PGlite). */

let f: FlowsApiFixture;
beforeAll(async () => {
  f = await createFlowsApiFixture();
});
afterAll(async () => {
  await f.close();
});

type VersionView = {
  id: string;
  flowId: string;
  version: number;
  document?: Record<string, unknown>;
  publishedBy: string | null;
};
type Page<T> = { items: T[]; nextCursor: string | null };

/** A flow with three problems in different places. */
const brokenFlow = () =>
  validFlow('Quebrado', {
    blocks: {
      ola: { type: 'message.text', options: { text: 'Oi {{apelido}}' }, next: 'sumiu' },
      nome: { type: 'input.nada', options: {} },
    },
  });

describe('creating a flow', () => {
  it('stores the document as the draft and names the flow after it', async () => {
    const document = validFlow('Atendimento');
    const response = await f.call('POST', '/api/v1/flows', { document });
    expect(response.statusCode).toBe(201);
    const flow = response.json<FlowView>();
    expect(flow).toMatchObject({ name: 'Atendimento', latestVersion: 0, issues: [] });
    expect(flow.draft).toEqual(document);

    const read = await f.call('GET', `/api/v1/flows/${flow.id}`, undefined, f.operator);
    expect(read.statusCode).toBe(200);
    expect(read.json<FlowView>().draft).toEqual(document);
  });

  it('refuses a document with problems: 400 listing every one with its path', async () => {
    const response = await f.call('POST', '/api/v1/flows', { document: brokenFlow() });
    expect(response.statusCode).toBe(400);
    const { error } = response.json<ErrorView>();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(
      (error.details as FlowView['issues']).map(({ pointer, code }) => ({ pointer, code })),
    ).toEqual(
      expect.arrayContaining([
        { pointer: '$.blocks.ola.options.text', code: 'undefined-variable' },
        { pointer: '$.blocks.ola.next', code: 'unknown-block' },
        { pointer: '$.blocks.nome.type', code: 'unknown-block-type' },
      ]),
    );
    const listed = (await f.call('GET', '/api/v1/flows?limit=200')).json<Page<FlowView>>().items;
    expect(listed.some((flow) => flow.name === 'Quebrado')).toBe(false);
  });

  it('keeps a draft with problems when asked, and returns every one with its path', async () => {
    const response = await f.call('POST', '/api/v1/flows', {
      document: brokenFlow(),
      allowIssues: true,
    });
    expect(response.statusCode).toBe(201);
    const { issues } = response.json<FlowView>();
    expect(issues.map(({ pointer, code }) => ({ pointer, code }))).toEqual(
      expect.arrayContaining([
        { pointer: '$.blocks.ola.options.text', code: 'undefined-variable' },
        { pointer: '$.blocks.ola.next', code: 'unknown-block' },
        { pointer: '$.blocks.nome.type', code: 'unknown-block-type' },
      ]),
    );
  });

  it('refuses a second flow with the same name, whatever its case', async () => {
    await createFlow(f, validFlow('Cobrança'));
    for (const name of ['Cobrança', 'cobrança', 'COBRANçA']) {
      const taken = await f.call('POST', '/api/v1/flows', { document: validFlow(name) });
      expect(taken.statusCode, name).toBe(409);
      expect(taken.json<ErrorView>().error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`already has a flow named "${name}"`),
      });
    }
  });

  it('lets another tenant use the same name', async () => {
    await createFlow(f, validFlow('Compartilhado'));
    const response = await f.call(
      'POST',
      '/api/v1/flows',
      { document: validFlow('Compartilhado') },
      f.otherAdmin,
    );
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['a string', { document: 'não é objeto' }, 'body.document'],
    ['a list', { document: [validFlow()] }, 'body.document'],
    ['null', { document: null }, 'body.document'],
    ['missing', {}, 'body.document'],
    ['without a name', { document: { ...validFlow(), name: undefined } }, 'body.document.name'],
    ['with a number as name', { document: { ...validFlow(), name: 42 } }, 'body.document.name'],
    ['with a blank name', { document: { ...validFlow(), name: '   ' } }, 'body.document.name'],
  ])('refuses a document that is %s (400, naming the field)', async (_case, payload, path) => {
    const response = await f.call('POST', '/api/v1/flows', payload);
    expect(response.statusCode).toBe(400);
    const { error } = response.json<ErrorView>();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining(path) })]),
    );
  });

  it('answers a malformed JSON body with 400 MALFORMED_JSON, not a 500', async () => {
    const response = await f.t.app.inject({
      method: 'POST',
      url: '/api/v1/flows',
      headers: { authorization: `Bearer ${f.admin}`, 'content-type': 'application/json' },
      payload: '{"document": {"name": "Meio", "blocks": {',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorView>().error.code).toBe('MALFORMED_JSON');
  });

  it('refuses a document over the size limit with 400, and a far larger body with 413', async () => {
    const padding = 'x'.repeat(maxFlowDocumentBytes);
    const over = await f.call('POST', '/api/v1/flows', {
      document: { ...validFlow('Enorme'), description: padding },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json<ErrorView>().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(`the largest accepted is ${maxFlowDocumentBytes}`),
    });
    const far = await f.call('POST', '/api/v1/flows', {
      document: { ...validFlow('Gigante'), description: padding.repeat(3) },
    });
    expect(far.statusCode).toBe(413);
    const validated = await f.call('POST', '/api/v1/flows/validate', {
      document: { ...validFlow('Enorme'), description: padding },
    });
    expect(validated.statusCode).toBe(400);
  });

  it('is for admins: an operator gets 403 and nothing is stored', async () => {
    const response = await f.call(
      'POST',
      '/api/v1/flows',
      { document: validFlow('Da operadora') },
      f.operator,
    );
    expect(response.statusCode).toBe(403);
    const list = await f.call('GET', '/api/v1/flows?limit=200');
    expect(list.json<Page<FlowView>>().items.map((flow) => flow.name)).not.toContain(
      'Da operadora',
    );
  });
});

describe('listing and reading flows', () => {
  it('pages through the flows, newest first, with each draft’s issues', async () => {
    const names = ['Lista A', 'Lista B', 'Lista C'];
    for (const name of names) await createFlow(f, validFlow(name));
    const first = await f.call('GET', '/api/v1/flows?limit=2', undefined, f.operator);
    expect(first.statusCode).toBe(200);
    const page = first.json<Page<FlowView>>();
    expect(page.items.map((flow) => flow.name)).toEqual(['Lista C', 'Lista B']);
    expect(page.items[0]).not.toHaveProperty('draft');
    expect(page.nextCursor).not.toBeNull();
    const second = await f.call(
      'GET',
      `/api/v1/flows?limit=2&cursor=${page.nextCursor}`,
      undefined,
      f.operator,
    );
    expect(second.json<Page<FlowView>>().items[0]?.name).toBe('Lista A');

    const all = (await f.call('GET', '/api/v1/flows?limit=200')).json<Page<FlowView>>().items;
    expect(all.find((flow) => flow.name === 'Quebrado')?.issues.length).toBeGreaterThan(0);
    expect(all.find((flow) => flow.name === 'Lista A')?.issues).toEqual([]);
  });

  it('shows a tenant only its own flows', async () => {
    const mine = await createFlow(f, validFlow('Só meu'));
    const theirs = (await f.call('GET', '/api/v1/flows?limit=200', undefined, f.otherAdmin)).json<
      Page<FlowView>
    >();
    expect(theirs.items.map((flow) => flow.id)).not.toContain(mine.id);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/flows/${mine.id}`, undefined],
      ['PUT', `/api/v1/flows/${mine.id}`, { document: validFlow('Roubado') }],
      ['DELETE', `/api/v1/flows/${mine.id}`, undefined],
      ['POST', `/api/v1/flows/${mine.id}/publish`, undefined],
      ['GET', `/api/v1/flows/${mine.id}/versions`, undefined],
    ] as const) {
      const response = await f.call(method, url, payload, f.otherAdmin);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json<ErrorView>().error.code).toBe('NOT_FOUND');
    }
  });

  it('answers unknown ids with 404 and ids that are not UUIDs with 400', async () => {
    const unknown = await f.call('GET', '/api/v1/flows/0b7c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e');
    expect(unknown.statusCode).toBe(404);
    const malformed = await f.call('GET', '/api/v1/flows/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<ErrorView>().error.code).toBe('VALIDATION_FAILED');
    const badCursor = await f.call('GET', '/api/v1/flows?cursor=nonsense');
    expect(badCursor.statusCode).toBe(400);
  });
});

describe('updating and deleting', () => {
  it('replaces the draft and renames the flow; a name clash is 409', async () => {
    const flow = await createFlow(f, validFlow('Antigo'));
    const renamed = await f.call('PUT', `/api/v1/flows/${flow.id}`, {
      document: validFlow('Novo nome', { description: 'Segunda versão' }),
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<FlowView>()).toMatchObject({
      name: 'Novo nome',
      draft: { description: 'Segunda versão' },
    });
    await createFlow(f, validFlow('Ocupado'));
    const clash = await f.call('PUT', `/api/v1/flows/${flow.id}`, {
      document: validFlow('ocupado'),
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<ErrorView>().error.code).toBe('CONFLICT');
    expect((await f.call('GET', `/api/v1/flows/${flow.id}`)).json<FlowView>().name).toBe(
      'Novo nome',
    );
    const unknown = await f.call('PUT', '/api/v1/flows/0b7c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e', {
      document: validFlow('Qualquer'),
    });
    expect(unknown.statusCode).toBe(404);
    const wrongType = await f.call('PUT', `/api/v1/flows/${flow.id}`, { document: 'texto' });
    expect(wrongType.statusCode).toBe(400);
  });

  it('deletes a flow (admins only)', async () => {
    const flow = await createFlow(f, validFlow('Descartável'), { publish: true });
    const byOperator = await f.call('DELETE', `/api/v1/flows/${flow.id}`, undefined, f.operator);
    expect(byOperator.statusCode).toBe(403);
    const deleted = await f.call('DELETE', `/api/v1/flows/${flow.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await f.call('GET', `/api/v1/flows/${flow.id}`)).statusCode).toBe(404);
    expect((await f.call('GET', `/api/v1/flows/${flow.id}/versions/1`)).statusCode).toBe(404);
    expect((await f.call('DELETE', `/api/v1/flows/${flow.id}`)).statusCode).toBe(404);
  });
});

describe('validating', () => {
  it('checks a document without storing it', async () => {
    const ok = await f.call(
      'POST',
      '/api/v1/flows/validate',
      { document: validFlow('Rascunho solto') },
      f.operator,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, issues: [] });
    const broken = await f.call('POST', '/api/v1/flows/validate', { document: brokenFlow() });
    expect(broken.statusCode).toBe(200);
    const body = broken.json<{ ok: boolean; issues: FlowView['issues'] }>();
    expect(body.ok).toBe(false);
    expect(body.issues.map((issue) => issue.pointer)).toEqual(
      expect.arrayContaining(['$.blocks.ola.options.text', '$.blocks.ola.next']),
    );
    const list = await f.call('GET', '/api/v1/flows?limit=200');
    expect(list.json<Page<FlowView>>().items.map((flow) => flow.name)).not.toContain(
      'Rascunho solto',
    );
    const notObject = await f.call('POST', '/api/v1/flows/validate', { document: 7 });
    expect(notObject.statusCode).toBe(400);
  });
});

describe('publishing', () => {
  it('refuses a draft with problems: 400 listing every problem with its path', async () => {
    const flow = await createFlow(
      f,
      validFlow('Malformado', {
        start: 'inexistente',
        blocks: {
          ola: { type: 'message.text', options: {} },
          nome: { type: 'input.text', options: { prompt: 'Nome?', variable: 'idade' } },
          x: { type: 'logic.set', next: 'y' },
        },
      }),
      { allowIssues: true },
    );
    const response = await f.call('POST', `/api/v1/flows/${flow.id}/publish`);
    expect(response.statusCode).toBe(400);
    const { error } = response.json<ErrorView>();
    expect(error.code).toBe('VALIDATION_FAILED');
    const details = error.details as FlowView['issues'];
    expect(details).toEqual(flow.issues);
    expect(details.map((issue) => issue.pointer)).toEqual(
      expect.arrayContaining([
        '$.start',
        '$.blocks.ola.options.text',
        '$.blocks.nome.options.variable',
        '$.blocks.x.next',
      ]),
    );
    for (const issue of details) {
      expect(issue).toEqual({
        path: expect.any(Array),
        pointer: expect.stringMatching(/^\$/),
        code: expect.any(String),
        message: expect.any(String),
      });
    }
    expect(error.message).toContain('$.start');
    expect((await f.call('GET', `/api/v1/flows/${flow.id}`)).json<FlowView>().latestVersion).toBe(
      0,
    );
  });

  it('publishes numbered, immutable versions with defaults applied', async () => {
    const admin = await f.call('GET', '/api/v1/me');
    const userId = admin.json<{ user: { id: string } }>().user.id;
    const flow = await createFlow(f, validFlow('Versionado'));
    const first = await f.call('POST', `/api/v1/flows/${flow.id}/publish`);
    expect(first.statusCode).toBe(201);
    const v1 = first.json<VersionView>();
    expect(v1).toMatchObject({ flowId: flow.id, version: 1, publishedBy: userId });
    expect(v1.document).toMatchObject({ name: 'Versionado', locale: 'pt-BR', settings: {} });

    await f.call('PUT', `/api/v1/flows/${flow.id}`, {
      document: validFlow('Versionado', { description: 'mudou' }),
    });
    const second = await f.call('POST', `/api/v1/flows/${flow.id}/publish`);
    expect(second.json<VersionView>().version).toBe(2);
    expect((await f.call('GET', `/api/v1/flows/${flow.id}`)).json<FlowView>().latestVersion).toBe(
      2,
    );

    const old = await f.call('GET', `/api/v1/flows/${flow.id}/versions/1`, undefined, f.operator);
    expect(old.statusCode).toBe(200);
    expect(old.json<VersionView>().document).toEqual(v1.document);
    expect(old.json<VersionView>().document).not.toHaveProperty('description');

    const list = await f.call('GET', `/api/v1/flows/${flow.id}/versions`, undefined, f.operator);
    expect(list.statusCode).toBe(200);
    const versions = list.json<Page<VersionView>>();
    expect(versions.items.map((version) => version.version)).toEqual([2, 1]);
    expect(versions.items[0]).not.toHaveProperty('document');

    // No route changes a published version.
    for (const method of ['PUT', 'DELETE'] as const) {
      const response = await f.call(method, `/api/v1/flows/${flow.id}/versions/1`, {
        document: validFlow('Versionado'),
      });
      expect(response.statusCode).toBe(404);
    }
    expect((await f.call('GET', `/api/v1/flows/${flow.id}/versions/1`)).json()).toEqual(old.json());
    expect((await f.call('GET', `/api/v1/flows/${flow.id}/versions/9`)).statusCode).toBe(404);
    expect((await f.call('GET', `/api/v1/flows/${flow.id}/versions/zero`)).statusCode).toBe(400);
  });

  it('pages versions by number', async () => {
    const flow = await createFlow(f, validFlow('Paginado'));
    for (let i = 0; i < 3; i++) await f.call('POST', `/api/v1/flows/${flow.id}/publish`);
    const first = (await f.call('GET', `/api/v1/flows/${flow.id}/versions?limit=2`)).json<
      Page<VersionView>
    >();
    expect(first.items.map((version) => version.version)).toEqual([3, 2]);
    expect(first.nextCursor).toBe('2');
    const second = (
      await f.call('GET', `/api/v1/flows/${flow.id}/versions?limit=2&cursor=${first.nextCursor}`)
    ).json<Page<VersionView>>();
    expect(second).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
  });

  it('gives concurrent publishes distinct versions', async () => {
    const flow = await createFlow(f, validFlow('Concorrido'));
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => f.call('POST', `/api/v1/flows/${flow.id}/publish`)),
    );
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = responses.map((response) => response.json<VersionView>().version);
    expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await f.call('GET', `/api/v1/flows/${flow.id}`)).json<FlowView>().latestVersion).toBe(
      5,
    );
  });

  it('is for admins', async () => {
    const flow = await createFlow(f, validFlow('Só admin publica'));
    const response = await f.call(
      'POST',
      `/api/v1/flows/${flow.id}/publish`,
      undefined,
      f.operator,
    );
    expect(response.statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents the flows routes', async () => {
    const response = await f.t.app.inject({ url: '/api/openapi.json' });
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/flows',
        '/api/v1/flows/validate',
        '/api/v1/flows/{id}',
        '/api/v1/flows/{id}/publish',
        '/api/v1/flows/{id}/versions',
        '/api/v1/flows/{id}/versions/{version}',
        '/api/v1/channels/{id}/flows',
        '/api/v1/channels/{id}/flows/triggers',
        '/api/v1/channels/{id}/flows/triggers/{triggerId}',
        '/api/v1/channels/{id}/flows/commands',
        '/api/v1/flows/sessions',
        '/api/v1/flows/sessions/{id}',
        '/api/v1/flows/sessions/{id}/reset',
      ]),
    );
  });
});
