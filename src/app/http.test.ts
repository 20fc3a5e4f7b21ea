import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../test/helpers/test-app.js';
import { isServicesRun } from '../../test/helpers/test-env.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
});
afterAll(async () => {
  await t.close();
});

describe('HTTP surface', () => {
  it('answers health checks', async () => {
    expect((await t.app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: isServicesRun
        ? { database: 'ok', queue: 'ok', redis: 'ok' }
        : { database: 'ok', queue: 'ok' },
    });
  });

  it('reports not-ready with 503 when the database is gone', async () => {
    const other = await createTestApp();
    await other.database.close();
    const ready = await other.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'failing', checks: { database: 'failing' } });
    await other.close();
  });

  it('exposes Prometheus metrics with the HTTP latency histogram', async () => {
    await t.app.inject({ url: '/health/live' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toMatch(/route="\/health\/live"/);
    expect(metrics.body).toMatch(/recado_queue_jobs\{job="system.diagnostic",state="waiting"\} 0/);
  });

  it('serves OpenAPI 3.1 describing the API, and Swagger UI', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/me',
        '/api/v1/users',
        '/api/v1/tenants',
      ]),
    );
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sets security headers and a request id', async () => {
    const response = await t.app.inject({
      url: '/health/live',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-request-id']).toBe('abc-123');
    const generated = await t.app.inject({ url: '/health/live' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'No route GET /api/v1/nothing-here.' },
    });
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", "password":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MALFORMED_JSON');
  });

  it('rejects an oversized body with 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(10_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects wrong types with 400 and says which field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 42, password: ['x'] },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: { code: string; details: Array<{ path: string }> } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['body.email', 'body.password']),
    );
  });

  it('rejects an unsupported content type with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a request with no token, a bad token or a malformed header with 401', async () => {
    for (const headers of [{}, bearer('not-a-jwt'), { authorization: 'Token abc' }]) {
      const response = await t.app.inject({ url: '/api/v1/me', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('rate-limits per IP for anonymous requests and per user when authenticated', async () => {
    const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await limited.app.inject({ url: '/api/v1/me', remoteAddress: '10.1.1.1' })).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = await limited.app.inject({ url: '/api/v1/me', remoteAddress: '10.1.1.2' });
    expect(other.statusCode).toBe(401);
    const blocked = await limited.app.inject({ url: '/api/v1/me', remoteAddress: '10.1.1.1' });
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(blocked.headers['retry-after']).toBeDefined();
    // An authenticated user has their own bucket, whatever the IP.
    const session = await login(limited.app, testAdmin, '10.9.9.9');
    const me = await limited.app.inject({
      url: '/api/v1/me',
      headers: bearer(session.accessToken),
      remoteAddress: '10.1.1.1',
    });
    expect(me.statusCode).toBe(200);
    await limited.close();
  });

  it('serves the dashboard with its content policy and falls back to index.html for app routes', async () => {
    const webDir = await mkdtemp(path.join(tmpdir(), 'recado-web-'));
    await mkdir(path.join(webDir, 'assets'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Recado</title>');
    await writeFile(path.join(webDir, 'assets', 'app-abc.js'), 'console.log(1)');
    const web = await createTestApp({}, { webDistDir: webDir });
    try {
      const index = await web.app.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('<title>Recado</title>');
      expect(index.headers['content-security-policy']).toContain("default-src 'self'");
      const deepLink = await web.app.inject({ url: '/users', headers: { accept: 'text/html' } });
      expect(deepLink.statusCode).toBe(200);
      expect(deepLink.headers['content-security-policy']).toContain("script-src 'self'");
      const asset = await web.app.inject({ url: '/assets/app-abc.js' });
      expect(asset.headers['cache-control']).toContain('immutable');
      // API paths never fall back to the page.
      const api = await web.app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await web.close();
      await rm(webDir, { recursive: true, force: true });
    }
  });
});
