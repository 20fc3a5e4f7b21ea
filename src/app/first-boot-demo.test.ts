import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../test/helpers/test-app.js';
import type { SandboxThread } from '../shared/contracts/sandbox.contract.js';
import { bootstrapPlatform } from './create-runtime.js';

/* A fresh install answers on its sandbox at once: the demo flow is bound there on first boot. */

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await createTestApp({}, { demoFlow: true });
  token = (await login(t.app, testAdmin)).accessToken;
});

afterAll(async () => {
  await t.close();
});

async function get<T>(url: string): Promise<T> {
  const response = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
  expect(response.statusCode).toBe(200);
  return response.json<T>();
}

describe('first boot', () => {
  it('binds the demo flow to the sandbox, which greets "oi" with its buttons', async () => {
    const channels = await get<{ items: { id: string; provider: string }[] }>('/api/v1/channels');
    const sandbox = channels.items.find((channel) => channel.provider === 'sandbox');
    if (!sandbox) throw new Error('no sandbox channel');
    const inbound = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sandbox/${sandbox.id}/inbound`,
      headers: bearer(token),
      payload: { from: '+5511987650001', name: 'Ana', text: 'oi' },
    });
    expect(inbound.statusCode).toBe(202);
    const thread = await eventually(
      () => get<SandboxThread>(`/api/v1/sandbox/${sandbox.id}/conversations/%2B5511987650001`),
      (found) => found.messages.some((message) => message.direction === 'outbound'),
    );
    const greeting = thread.messages.find((message) => message.direction === 'outbound');
    expect(greeting?.content).toMatchObject({
      type: 'buttons',
      body: expect.stringContaining('Olá! 👋 Eu sou o assistente virtual da Recado.'),
      buttons: [
        { id: 'signup', title: 'Fazer cadastro' },
        { id: 'human', title: 'Falar com atendente' },
      ],
    });
  });

  it('installs the demo once: a later boot leaves the flows alone', async () => {
    const before = await get<{ items: { name: string; latestVersion: number }[] }>('/api/v1/flows');
    expect(before.items).toEqual([
      expect.objectContaining({ name: 'Demonstração', latestVersion: 1 }),
    ]);
    const again = await bootstrapPlatform(t.runtime, {
      adminEmail: testAdmin.email,
      adminPassword: testAdmin.password,
    });
    expect(again.created).toBe(false);
    expect((await get<{ items: unknown[] }>('/api/v1/flows')).items).toHaveLength(1);
  });
});
