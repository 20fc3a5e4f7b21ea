import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../test/helpers/test-app.js';
import { connectEvents } from '../../test/helpers/ws-client.js';

let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

describe('realtime WebSocket', () => {
  it('refuses a connection without a valid token (close code 4401)', async () => {
    for (const token of ['', 'garbage']) {
      const client = await connectEvents(baseUrl, token);
      expect(await client.closed).toBe(4401);
    }
  });

  it("pushes only the connected user's tenant events", async () => {
    const root = await login(t.app, testAdmin);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: bearer(root.accessToken),
      payload: {
        name: 'Outra',
        slug: 'outra',
        admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
      },
    });
    const otherTenantId = created.json<{ tenant: { id: string } }>().tenant.id;
    const other = await login(t.app, {
      email: 'admin@outra.example',
      password: 'another password!',
    });

    const rootClient = await connectEvents(baseUrl, root.accessToken);
    const otherClient = await connectEvents(baseUrl, other.accessToken);
    await rootClient.waitFor((f) => f.type === 'ready');
    await otherClient.waitFor((f) => f.type === 'ready');

    await t.events.publish({ type: 'test.for-other', tenantId: otherTenantId, payload: { n: 1 } });
    await t.events.publish({ type: 'test.for-root', tenantId: root.tenant.id, payload: { n: 2 } });
    await t.events.publish({ type: 'test.platform', tenantId: null, payload: { n: 3 } });

    await otherClient.waitFor((f) => f.type === 'test.for-other');
    await rootClient.waitFor((f) => f.type === 'test.for-root');
    await rootClient.waitFor((f) => f.type === 'test.platform');
    // Give any misrouted frame the chance to arrive before asserting its absence.
    await t.events.publish({ type: 'test.barrier', tenantId: otherTenantId, payload: {} });
    await otherClient.waitFor((f) => f.type === 'test.barrier');
    expect(otherClient.frames.map((f) => f.type)).toEqual([
      'ready',
      'test.for-other',
      'test.barrier',
    ]);
    expect(rootClient.frames.map((f) => f.type)).not.toContain('test.for-other');
    rootClient.close();
    otherClient.close();
  });

  it('delivers the diagnostic round trip: request event, then the job result', async () => {
    const root = await login(t.app, testAdmin);
    const client = await connectEvents(baseUrl, root.accessToken);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/system/diagnostics',
      headers: bearer(root.accessToken),
    });
    expect(response.statusCode).toBe(202);
    const { requestId } = response.json<{ requestId: string }>();
    await client.waitFor(
      (f) => f.type === 'system.diagnostic.requested' && f.payload?.requestId === requestId,
    );
    const completed = await client.waitFor(
      (f) => f.type === 'system.diagnostic.completed' && f.payload?.requestId === requestId,
    );
    expect(completed.payload?.handledBy).toMatchObject({ role: 'all', pid: process.pid });
    client.close();
  });
});
