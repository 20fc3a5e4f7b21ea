import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecadoProcess, startRecadoProcess } from '../../test/helpers/recado-process.js';
import { createTestQueuePrefix, deleteRedisKeysWithPrefix } from '../../test/helpers/redis-keys.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { testRedisUrl } from '../../test/helpers/test-env.js';
import { connectEvents } from '../../test/helpers/ws-client.js';

/**
 * Scaled-out mode for real: two API processes and one worker on PostgreSQL and Redis, started
 * through the CLI exactly as deploy/compose.yml runs them.
 */
const admin = { email: 'ops@example.com', password: 'scaled mode password' };
let database: TestDatabase;
let api1: RecadoProcess;
let api2: RecadoProcess;
let worker: RecadoProcess;
const prefix = createTestQueuePrefix();

beforeAll(async () => {
  database = await createTestDatabase();
  const env = {
    DATABASE_URL: database.url ?? '',
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RECADO_ADMIN_EMAIL: admin.email,
    RECADO_ADMIN_PASSWORD: admin.password,
  };
  // Both API processes boot at once against an empty platform: bootstrap must happen once.
  [api1, api2, worker] = await Promise.all([
    startRecadoProcess({ role: 'api', env }),
    startRecadoProcess({ role: 'api', env }),
    startRecadoProcess({ role: 'worker', env }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([api1?.stop(), api2?.stop(), worker?.stop()]);
  await database?.destroy();
  await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
});

async function loginAt(baseUrl: string) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { accessToken: string };
}

async function requestDiagnostic(baseUrl: string, token: string) {
  const response = await fetch(`${baseUrl}/api/v1/system/diagnostics`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as {
    requestId: string;
    acceptedBy: { pid: number; role: string };
  };
}

describe('scaled mode: 2 API processes + 1 worker on PostgreSQL and Redis', () => {
  it('every process is ready and reports its dependencies', async () => {
    for (const process of [api1, api2, worker]) {
      const ready = await fetch(`${process.baseUrl}/health/ready`);
      expect(await ready.json()).toEqual({
        status: 'ok',
        checks: { database: 'ok', queue: 'ok', redis: 'ok' },
      });
    }
    // The worker serves health and metrics only, not the API.
    expect((await fetch(`${worker.baseUrl}/api/v1/me`)).status).toBe(404);
    expect((await fetch(`${worker.baseUrl}/metrics`)).status).toBe(200);
  });

  it('bootstrapped the platform once, and a token from one API works on the other', async () => {
    const printed = [api1, api2, worker].filter((p) =>
      p.output().includes('platform bootstrapped'),
    ).length;
    expect(printed).toBe(1);
    const { accessToken } = await loginAt(api1.baseUrl);
    const me = await fetch(`${api2.baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
  });

  it('a WebSocket client on API 1 receives an event published by API 2', async () => {
    const { accessToken } = await loginAt(api1.baseUrl);
    const client = await connectEvents(api1.baseUrl, accessToken);
    await client.waitFor((frame) => frame.type === 'ready');
    const { requestId, acceptedBy } = await requestDiagnostic(api2.baseUrl, accessToken);
    expect(acceptedBy).toMatchObject({ role: 'api', pid: api2.pid });
    const frame = await client.waitFor(
      (f) => f.type === 'system.diagnostic.requested' && f.payload?.requestId === requestId,
    );
    expect(frame.payload?.publishedBy).toMatchObject({ role: 'api', pid: api2.pid });
    client.close();
  });

  it('a job enqueued through API 1 runs on the worker', async () => {
    const { accessToken } = await loginAt(api1.baseUrl);
    const client = await connectEvents(api1.baseUrl, accessToken);
    await client.waitFor((frame) => frame.type === 'ready');
    const { requestId } = await requestDiagnostic(api1.baseUrl, accessToken);
    const frame = await client.waitFor(
      (f) => f.type === 'system.diagnostic.completed' && f.payload?.requestId === requestId,
      20_000,
    );
    expect(frame.payload?.handledBy).toMatchObject({ role: 'worker', pid: worker.pid });
    client.close();
  });

  it('shuts down gracefully on SIGTERM', async () => {
    expect(await api2.stop('SIGTERM')).toBe(0);
    expect(api2.output()).toContain('"msg":"stopped"');
  });
});
