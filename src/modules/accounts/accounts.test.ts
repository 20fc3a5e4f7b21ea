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

beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_IP: '6' });
  rootToken = (await login(t.app, testAdmin)).accessToken;
});
afterAll(async () => {
  await t.close();
});

async function createTenant(slug: string, adminEmail: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: bearer(rootToken),
    payload: {
      name: `Empresa ${slug}`,
      slug,
      admin: { email: adminEmail, name: 'Admin', password: 'tenant admin password' },
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ tenant: { id: string }; admin: { id: string } }>();
}

async function createUser(token: string, email: string, role: 'admin' | 'operator' | 'client') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(token),
    payload: { email, name: `User ${email}`, role },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ user: { id: string }; temporaryPassword: string }>();
}

describe('login', () => {
  it('returns tokens, the user, tenant and role', async () => {
    const session = await login(t.app, testAdmin);
    expect(session).toMatchObject({
      expiresIn: 900,
      user: { email: testAdmin.email, isSuperAdmin: true },
      tenant: { slug: 'default' },
      role: 'admin',
    });
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(session.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: testAdmin.email }, role: 'admin' });
  });

  it('accepts the e-mail in any case', async () => {
    await expect(login(t.app, { ...testAdmin, email: 'ROOT@Example.com' })).resolves.toBeDefined();
  });

  it('answers wrong password and unknown e-mail identically', async () => {
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: testAdmin.email, password: 'wrong password!' },
      remoteAddress: '10.2.0.1',
    });
    const unknownEmail = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.com', password: 'wrong password!' },
      remoteAddress: '10.2.0.1',
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownEmail.json());
    expect(wrongPassword.json().error.code).toBe('INVALID_CREDENTIALS');
    await login(t.app, testAdmin); // reset the admin's failure counter
  });
});

describe('brute-force protection', () => {
  it('locks an account after repeated failures, even with the right password afterwards', async () => {
    const { tenant } = await createTenant('lockout', 'lock@example.com');
    expect(tenant.id).toBeDefined();
    const attempt = (password: string, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'lock@example.com', password },
        remoteAddress: ip,
      });
    for (let i = 0; i < 3; i++)
      expect((await attempt('bad password!!', `10.3.0.${i}`)).statusCode).toBe(401);
    const locked = await attempt('tenant admin password', '10.3.0.9');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('blocks an IP after repeated failures across accounts', async () => {
    const ip = '10.4.0.1';
    for (let i = 0; i < 6; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `guess${i}@example.com`, password: 'guess password' },
        remoteAddress: ip,
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: testAdmin,
      remoteAddress: ip,
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    // Another IP still logs in.
    await expect(login(t.app, testAdmin, '10.4.0.2')).resolves.toBeDefined();
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh token works once and yields a new pair', async () => {
    const first = await login(t.app, testAdmin);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json<{ accessToken: string; refreshToken: string }>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(second.accessToken) });
    expect(me.statusCode).toBe(200);
  });

  it('reuse of a used token revokes the whole family', async () => {
    const first = await login(t.app, testAdmin);
    const second = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: first.refreshToken },
      })
    ).json<{ refreshToken: string }>();
    // An attacker replays the first token.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('INVALID_REFRESH_TOKEN');
    // The legitimate holder's newer token is now revoked too.
    const victim = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: second.refreshToken },
    });
    expect(victim.statusCode).toBe(401);
    expect(t.logs.text).toContain('refresh token reused');
  });

  it('logout revokes the refresh token', async () => {
    const session = await login(t.app, testAdmin);
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refreshToken: session.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('rejects an unknown refresh token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: 'made-up' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('tenants and users', () => {
  it('isolates tenants: an admin sees and changes only their own users', async () => {
    const a = await createTenant('acme', 'admin@acme.example');
    const b = await createTenant('globex', 'admin@globex.example');
    const tokenA = (
      await login(t.app, { email: 'admin@acme.example', password: 'tenant admin password' })
    ).accessToken;
    const tokenB = (
      await login(t.app, { email: 'admin@globex.example', password: 'tenant admin password' })
    ).accessToken;
    const created = await createUser(tokenA, 'agent@acme.example', 'operator');
    expect(created.temporaryPassword).toHaveLength(20);

    const listA = (await t.app.inject({ url: '/api/v1/users', headers: bearer(tokenA) })).json<{
      items: Array<{ email: string }>;
    }>();
    expect(listA.items.map((u) => u.email).sort()).toEqual([
      'admin@acme.example',
      'agent@acme.example',
    ]);
    const listB = (await t.app.inject({ url: '/api/v1/users', headers: bearer(tokenB) })).json<{
      items: Array<{ email: string }>;
    }>();
    expect(listB.items.map((u) => u.email)).toEqual(['admin@globex.example']);

    // Tenant B's admin cannot touch tenant A's user, nor learn it exists.
    for (const request of [
      {
        method: 'PATCH' as const,
        url: `/api/v1/users/${created.user.id}`,
        payload: { role: 'admin' },
      },
      { method: 'DELETE' as const, url: `/api/v1/users/${created.user.id}` },
      {
        method: 'PATCH' as const,
        url: `/api/v1/users/${a.admin.id}`,
        payload: { status: 'disabled' },
      },
    ]) {
      const response = await t.app.inject({ ...request, headers: bearer(tokenB) });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    // The tenant id in a body is ignored: the principal decides.
    const sneaky = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(tokenB),
      payload: {
        email: 'mole@globex.example',
        name: 'Mole',
        role: 'operator',
        tenantId: a.tenant.id,
      },
    });
    expect(sneaky.statusCode).toBe(201);
    const listAAfter = (
      await t.app.inject({ url: '/api/v1/users', headers: bearer(tokenA) })
    ).json<{ items: unknown[] }>();
    expect(listAAfter.items).toHaveLength(2);
    expect(b.tenant.id).not.toBe(a.tenant.id);
  });

  it('enforces roles: operators and clients cannot manage users; only the super admin manages tenants', async () => {
    await createTenant('initech', 'admin@initech.example');
    const adminToken = (
      await login(t.app, { email: 'admin@initech.example', password: 'tenant admin password' })
    ).accessToken;
    const operator = await createUser(adminToken, 'op@initech.example', 'operator');
    const operatorToken = (
      await login(t.app, { email: 'op@initech.example', password: operator.temporaryPassword })
    ).accessToken;
    const forbidden = await t.app.inject({ url: '/api/v1/users', headers: bearer(operatorToken) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const tenants = await t.app.inject({ url: '/api/v1/tenants', headers: bearer(adminToken) });
    expect(tenants.statusCode).toBe(403);
    const asRoot = await t.app.inject({ url: '/api/v1/tenants', headers: bearer(rootToken) });
    expect(asRoot.statusCode).toBe(200);
    expect(
      asRoot
        .json<{ items: Array<{ slug: string; userCount: number }> }>()
        .items.find((x) => x.slug === 'initech')?.userCount,
    ).toBe(2);
  });

  it('keeps at least one active admin per tenant', async () => {
    const { admin } = await createTenant('solo', 'admin@solo.example');
    const token = (
      await login(t.app, { email: 'admin@solo.example', password: 'tenant admin password' })
    ).accessToken;
    for (const request of [
      { method: 'PATCH' as const, url: `/api/v1/users/${admin.id}`, payload: { role: 'operator' } },
      {
        method: 'PATCH' as const,
        url: `/api/v1/users/${admin.id}`,
        payload: { status: 'disabled' },
      },
      { method: 'DELETE' as const, url: `/api/v1/users/${admin.id}` },
    ]) {
      const response = await t.app.inject({ ...request, headers: bearer(token) });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('LAST_ADMIN');
    }
  });

  it('refuses a taken e-mail or slug with 409 and the field', async () => {
    const duplicateSlug = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: bearer(rootToken),
      payload: { name: 'Again', slug: 'acme', admin: { email: 'new@x.example', name: 'X' } },
    });
    expect(duplicateSlug.statusCode).toBe(409);
    expect(duplicateSlug.json().error).toMatchObject({
      code: 'SLUG_TAKEN',
      details: [{ path: 'slug' }],
    });
    const duplicateEmail = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(rootToken),
      payload: { email: 'ADMIN@acme.example', name: 'X', role: 'client' },
    });
    expect(duplicateEmail.statusCode).toBe(409);
    expect(duplicateEmail.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('a suspended tenant cannot log in or refresh', async () => {
    const { tenant } = await createTenant('paused', 'admin@paused.example');
    const session = await login(t.app, {
      email: 'admin@paused.example',
      password: 'tenant admin password',
    });
    const suspend = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${tenant.id}`,
      headers: bearer(rootToken),
      payload: { status: 'suspended' },
    });
    expect(suspend.json()).toMatchObject({ status: 'suspended' });
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@paused.example', password: 'tenant admin password' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('TENANT_SUSPENDED');
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('a disabled user cannot log in and loses their sessions', async () => {
    await createTenant('umbrella', 'admin@umbrella.example');
    const adminToken = (
      await login(t.app, { email: 'admin@umbrella.example', password: 'tenant admin password' })
    ).accessToken;
    const client = await createUser(adminToken, 'client@umbrella.example', 'client');
    const session = await login(t.app, {
      email: 'client@umbrella.example',
      password: client.temporaryPassword,
    });
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${client.user.id}`,
      headers: bearer(adminToken),
      payload: { status: 'disabled' },
    });
    expect(disable.json()).toMatchObject({ status: 'disabled' });
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'client@umbrella.example', password: client.temporaryPassword },
    });
    expect(relogin.statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(session.accessToken) });
    expect(me.statusCode).toBe(401);
  });

  it('rejects unknown ids, bad ids and bad cursors with clear 4xx', async () => {
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/tenants/00000000-0000-4000-8000-000000000000',
      headers: bearer(rootToken),
      payload: { name: 'X' },
    });
    expect(unknown.statusCode).toBe(404);
    const badId = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/users/not-a-uuid',
      headers: bearer(rootToken),
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details[0].path).toBe('params.id');
    const badCursor = await t.app.inject({
      url: '/api/v1/users?cursor=zzz',
      headers: bearer(rootToken),
    });
    expect(badCursor.statusCode).toBe(400);
    const emptyPatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/00000000-0000-4000-8000-000000000000`,
      headers: bearer(rootToken),
      payload: {},
    });
    expect(emptyPatch.statusCode).toBe(400);
  });

  it('paginates with a cursor', async () => {
    const all = (
      await t.app.inject({ url: '/api/v1/tenants?limit=200', headers: bearer(rootToken) })
    ).json<{ items: Array<{ id: string }> }>();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await t.app.inject({
          url: `/api/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(rootToken),
        })
      ).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((x) => x.id));
    expect(seen.length).toBeGreaterThan(3);
  });

  it('never logs passwords, tokens or e-mails', () => {
    expect(t.logs.text).not.toContain('tenant admin password');
    expect(t.logs.text).not.toContain(testAdmin.password);
    expect(t.logs.text).not.toContain('admin@acme.example');
    expect(t.logs.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
