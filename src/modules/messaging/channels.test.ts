import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';

let t: TestApp;
let rootToken: string;
let otherToken: string;

const metaConfig = {
  phoneNumberId: '1122334455667',
  wabaId: '1234567890987654321',
  accessToken: 'EAAG-secret-access-token',
  appSecret: 'app-secret-value',
  verifyToken: 'verify-token-value',
};

beforeAll(async () => {
  t = await createTestApp();
  rootToken = (await login(t.app, testAdmin)).accessToken;
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: bearer(rootToken),
    payload: {
      name: 'Outra',
      slug: 'outra',
      admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
    },
  });
  otherToken = (await login(t.app, { email: 'admin@outra.example', password: 'another password!' }))
    .accessToken;
});
afterAll(async () => {
  await t.close();
});

async function createChannel(token = rootToken, config: Record<string, unknown> = metaConfig) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: { provider: 'meta-cloud', name: 'Atendimento', config },
  });
}

describe('channels API', () => {
  it('creates a channel and never echoes its secrets', async () => {
    const response = await createChannel();
    expect(response.statusCode).toBe(201);
    const channel = response.json<{
      id: string;
      config: Record<string, unknown>;
      secretsSet: string[];
    }>();
    expect(channel.secretsSet).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(channel.config).toMatchObject({ phoneNumberId: '1122334455667', apiVersion: 'v23.0' });
    expect(response.body).not.toContain('EAAG-secret');
    expect(response.body).not.toContain('app-secret-value');
    const listed = await t.app.inject({ url: '/api/v1/channels', headers: bearer(rootToken) });
    expect(listed.body).not.toContain('EAAG-secret');
    // The first-boot sandbox channel and this one.
    expect(
      listed
        .json<{ items: Array<{ provider: string; webhookUrl: string | null }> }>()
        .items.map((item) => [item.provider, item.webhookUrl !== null])
        .sort(),
    ).toEqual([
      ['meta-cloud', true],
      ['sandbox', false],
    ]);
  });

  it('stores secrets sealed, and opens them only for the server', async () => {
    const { id } = (await createChannel()).json<{ id: string }>();
    const rows = (await t.database.db.execute(
      sql`select secrets::text as secrets from channels where id = ${id}`,
    )) as unknown as { rows: Array<{ secrets: string }> };
    const stored = rows.rows[0]?.secrets ?? '';
    expect(stored).toContain('"v1.');
    expect(stored).not.toContain('EAAG-secret');
    const session = await login(t.app, testAdmin);
    const opened = await t.runtime.channels.openChannel(id, session.tenant.id);
    expect(opened?.config).toMatchObject({ accessToken: 'EAAG-secret-access-token' });
  });

  it('rejects an invalid config with the path of each problem, and an unknown provider', async () => {
    const invalid = await createChannel(rootToken, {
      ...metaConfig,
      phoneNumberId: 'abc',
      accessToken: undefined,
    });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid
      .json<{ error: { details: Array<{ path: string }> } }>()
      .error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['config.phoneNumberId', 'config.accessToken']));
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(rootToken),
      payload: { provider: 'carrier-pigeon', name: 'X', config: {} },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('provider');
  });

  it('updates settings while keeping secrets that were not sent', async () => {
    const { id } = (await createChannel()).json<{ id: string }>();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/channels/${id}`,
      headers: bearer(rootToken),
      payload: {
        name: 'Cobrança',
        ratePerSecond: 20,
        config: { graphApiBaseUrl: 'http://127.0.0.1:9/' },
      },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Cobrança',
      ratePerSecond: 20,
      config: { graphApiBaseUrl: 'http://127.0.0.1:9/' },
    });
    const session = await login(t.app, testAdmin);
    const opened = await t.runtime.channels.openChannel(id, session.tenant.id);
    expect(opened?.config).toMatchObject({
      accessToken: 'EAAG-secret-access-token',
      appSecret: 'app-secret-value',
    });
  });

  it("hides another tenant's channels: 404 on read, change and delete", async () => {
    const { id } = (await createChannel()).json<{ id: string }>();
    for (const request of [
      { method: 'GET' as const, url: `/api/v1/channels/${id}` },
      { method: 'PATCH' as const, url: `/api/v1/channels/${id}`, payload: { name: 'mine now' } },
      { method: 'DELETE' as const, url: `/api/v1/channels/${id}` },
    ]) {
      const response = await t.app.inject({ ...request, headers: bearer(otherToken) });
      expect(response.statusCode).toBe(404);
    }
    const list = await t.app.inject({ url: '/api/v1/channels', headers: bearer(otherToken) });
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);
    const stillThere = await t.app.inject({
      url: `/api/v1/channels/${id}`,
      headers: bearer(rootToken),
    });
    expect(stillThere.statusCode).toBe(200);
  });

  it('deletes a channel', async () => {
    const { id } = (await createChannel()).json<{ id: string }>();
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/channels/${id}`,
          headers: bearer(rootToken),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ url: `/api/v1/channels/${id}`, headers: bearer(rootToken) }))
        .statusCode,
    ).toBe(404);
  });
});
