import type { LightMyRequestResponse } from 'fastify';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../../test/helpers/test-app.js';

/**
 * A running app for the flows API tests: an admin (the bootstrapped tenant's), an operator of
 * the same tenant, the admin of another tenant, and a sandbox channel in each tenant.
 */
export type FlowsApiFixture = {
  t: TestApp;
  admin: string;
  operator: string;
  otherAdmin: string;
  channelId: string;
  otherChannelId: string;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    token?: string,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

async function expectCreated(response: Promise<LightMyRequestResponse>) {
  const answer = await response;
  if (answer.statusCode !== 201) throw new Error(`${answer.statusCode} ${answer.body}`);
  return answer;
}

export async function createFlowsApiFixture(): Promise<FlowsApiFixture> {
  const t = await createTestApp();
  const admin = (await login(t.app, testAdmin)).accessToken;
  const call: FlowsApiFixture['call'] = (method, url, payload, token = admin) =>
    t.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  await expectCreated(
    call('POST', '/api/v1/users', {
      email: 'operadora@example.com',
      name: 'Operadora',
      role: 'operator',
      password: 'operator password!',
    }),
  );
  const operator = (
    await login(t.app, { email: 'operadora@example.com', password: 'operator password!' })
  ).accessToken;
  await expectCreated(
    call('POST', '/api/v1/tenants', {
      name: 'Outra',
      slug: 'outra',
      admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
    }),
  );
  const otherAdmin = (
    await login(t.app, { email: 'admin@outra.example', password: 'another password!' })
  ).accessToken;

  const sandbox = (token: string) =>
    expectCreated(
      call(
        'POST',
        '/api/v1/channels',
        { provider: 'sandbox', name: 'Bots', config: { deliveredAfterMs: 0, readAfterMs: 0 } },
        token,
      ),
    ).then((response) => response.json<{ id: string }>().id);

  return {
    t,
    admin,
    operator,
    otherAdmin,
    channelId: await sandbox(admin),
    otherChannelId: await sandbox(otherAdmin),
    call,
    close: () => t.close(),
  };
}

/** A small valid flow: greets, asks the person's name, thanks. */
export function validFlow(name = 'Boas-vindas', extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    name,
    variables: { nome: { type: 'string' } },
    start: 'ola',
    blocks: {
      ola: { type: 'message.text', options: { text: 'Olá! Eu sou o assistente.' }, next: 'nome' },
      nome: {
        type: 'input.text',
        options: { prompt: 'Como você se chama?', variable: 'nome' },
        next: 'fim',
      },
      fim: { type: 'message.text', options: { text: 'Obrigado, {{nome}}!' } },
    },
    ...extra,
  };
}

export type FlowView = {
  id: string;
  name: string;
  latestVersion: number;
  issues: Array<{ path: (string | number)[]; pointer: string; code: string; message: string }>;
  draft: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
};

export type ErrorView = { error: { code: string; message: string; details?: unknown } };

/** Creates a flow (201 expected) and, with `publish`, publishes it once. */
export async function createFlow(
  fixture: FlowsApiFixture,
  document: Record<string, unknown>,
  options: { publish?: boolean; token?: string; allowIssues?: boolean } = {},
): Promise<FlowView> {
  const body = options.allowIssues ? { document, allowIssues: true } : { document };
  const created = await expectCreated(fixture.call('POST', '/api/v1/flows', body, options.token));
  const flow = created.json<FlowView>();
  if (options.publish) {
    await expectCreated(
      fixture.call('POST', `/api/v1/flows/${flow.id}/publish`, undefined, options.token),
    );
  }
  return flow;
}
