import { describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient, type Session } from './api-client';
import { isApiError } from './api-error';
import { createTokenStore, refreshTokenStorageKey } from './token-store';

type Call = { method: string; path: string; body: unknown; authorization: string | undefined };
type Handler = (call: Call) => Response | Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function authBody(suffix: string) {
  return {
    accessToken: `access-${suffix}`,
    refreshToken: `refresh-${suffix}`,
    expiresIn: 900,
    user: { id: 'u1', email: 'ana@example.com', name: 'Ana', isSuperAdmin: false, locale: 'pt-BR' },
    tenant: { id: 't1', name: 'Acme', slug: 'acme' },
    role: 'admin',
  };
}

function setup(handler: Handler, stored?: string) {
  const storage = new Map<string, string>();
  if (stored) storage.set(refreshTokenStorageKey, stored);
  const calls: Call[] = [];
  const tokens = createTokenStore({
    getItem: (key) => storage.get(key) ?? null,
    setItem: (key, value) => void storage.set(key, value),
    removeItem: (key) => void storage.delete(key),
  });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const call: Call = {
      method: init?.method ?? 'GET',
      path: String(input),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      authorization: headers.get('authorization') ?? undefined,
    };
    calls.push(call);
    return handler(call);
  };
  const api: ApiClient = createApiClient({ tokens, fetch: fetch as typeof globalThis.fetch });
  const sessions: (Session | null)[] = [];
  api.onSessionChange((session) => sessions.push(session));
  return { api, calls, storage, sessions };
}

describe('createApiClient', () => {
  it('keeps the access token in memory and the refresh token in storage after login', async () => {
    const { api, calls, storage, sessions } = setup((call) =>
      call.path === '/api/v1/auth/login' ? json(200, authBody('1')) : json(200, { ok: true }),
    );
    const session = await api.login({ email: 'ana@example.com', password: 'secret' });

    expect(session.user.name).toBe('Ana');
    expect(sessions).toEqual([session]);
    expect(storage.get(refreshTokenStorageKey)).toBe('refresh-1');
    await api.get('/me');
    expect(calls.at(-1)?.authorization).toBe('Bearer access-1');
  });

  it('turns an error body into an ApiError with the code, status and wait time', async () => {
    const { api } = setup(() =>
      json(423, {
        error: { code: 'ACCOUNT_LOCKED', message: 'Locked', details: { retryAfterSeconds: 90 } },
      }),
    );
    const error = await api.login({ email: 'a@b.co', password: 'x' }).catch((e: unknown) => e);

    expect(isApiError(error) && [error.code, error.status, error.retryAfterSeconds]).toEqual([
      'ACCOUNT_LOCKED',
      423,
      90,
    ]);
  });

  it('refreshes once on a 401 and retries the call with the new token', async () => {
    let refreshes = 0;
    const { api, calls } = setup((call) => {
      if (call.path === '/api/v1/auth/login') return json(200, authBody('1'));
      if (call.path === '/api/v1/auth/refresh') {
        refreshes += 1;
        return json(200, authBody('2'));
      }
      return call.authorization === 'Bearer access-2'
        ? json(200, { items: [] })
        : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } });
    });
    await api.login({ email: 'ana@example.com', password: 'secret' });

    const [first, second] = await Promise.all([api.get('/users'), api.get('/tenants')]);
    expect(first).toEqual({ items: [] });
    expect(second).toEqual({ items: [] });
    // Two calls failed at the same time, but a rotating refresh token is spent only once.
    expect(refreshes).toBe(1);
    expect(calls.find((c) => c.path === '/api/v1/auth/refresh')?.body).toEqual({
      refreshToken: 'refresh-1',
    });
  });

  it('ends the session once when the refresh token is rejected', async () => {
    const { api, storage, sessions } = setup((call) => {
      if (call.path === '/api/v1/auth/login') return json(200, authBody('1'));
      if (call.path === '/api/v1/auth/refresh') {
        return json(401, { error: { code: 'INVALID_REFRESH_TOKEN', message: 'no' } });
      }
      return json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    });
    const session = await api.login({ email: 'ana@example.com', password: 'secret' });

    const error = await api.get('/me').catch((e: unknown) => e);
    expect(isApiError(error) && error.code).toBe('SESSION_EXPIRED');
    expect(storage.has(refreshTokenStorageKey)).toBe(false);
    expect(sessions).toEqual([session, null]);
  });

  it('keeps the refresh token when the server fails while refreshing', async () => {
    const { api, storage, sessions } = setup(
      () => json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'later' } }),
      'kept',
    );

    const error = await api.restoreSession().catch((e: unknown) => e);
    expect(isApiError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
    expect(storage.get(refreshTokenStorageKey)).toBe('kept');
    expect(sessions).toEqual([]);
  });

  it('restores a session from the stored refresh token at start-up', async () => {
    const { api, storage } = setup(() => json(200, authBody('2')), 'refresh-1');

    const session = await api.restoreSession();
    expect(session?.tenant.slug).toBe('acme');
    expect(storage.get(refreshTokenStorageKey)).toBe('refresh-2');
    expect(await api.getFreshAccessToken()).toBe('access-2');
  });

  it('signs out locally and revokes the refresh token on the server', async () => {
    const { api, calls, storage, sessions } = setup((call) =>
      call.path === '/api/v1/auth/login'
        ? json(200, authBody('1'))
        : new Response(null, { status: 204 }),
    );
    await api.login({ email: 'ana@example.com', password: 'secret' });
    await api.logout();

    expect(calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/logout',
      body: { refreshToken: 'refresh-1' },
    });
    expect(storage.has(refreshTokenStorageKey)).toBe(false);
    expect(sessions.at(-1)).toBeNull();
    expect(await api.getFreshAccessToken()).toBeNull();
  });
});
