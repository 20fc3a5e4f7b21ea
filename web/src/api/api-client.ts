import { ApiError, networkErrorCode, readApiError, sessionExpiredCode } from './api-error';
import type { AuthResponse } from './api-types';
import type { TokenStore } from './token-store';

export const apiBasePath = '/api/v1';

/** What the dashboard knows about the signed-in user: the auth answer without its tokens. */
export type Session = Omit<AuthResponse, 'accessToken' | 'refreshToken' | 'expiresIn'>;

export type SessionListener = (session: Session | null) => void;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type RequestOptions = {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
};

export type ApiClient = {
  /** Calls `/api/v1<path>` with the access token; on a 401 refreshes once and retries. */
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  login(credentials: { email: string; password: string }): Promise<Session>;
  logout(): Promise<void>;
  /** At start-up: trades a stored refresh token for a session, or null when there is none. */
  restoreSession(): Promise<Session | null>;
  /**
   * A valid access token (refreshing first when it is about to expire, or always with
   * `forceRefresh` after the server rejected it), or null if signed out.
   */
  getFreshAccessToken(options?: { forceRefresh?: boolean }): Promise<string | null>;
  /** Drops the in-memory session without calling the server (another tab signed out). */
  forgetSession(): void;
  onSessionChange(listener: SessionListener): () => void;
};

export type ApiClientDeps = {
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** Serialises refreshes across tabs (rotating refresh tokens must not be used twice). */
  locks?: LockManager | undefined;
};

const refreshLockName = 'recado.auth-refresh';

export function createApiClient(deps: ApiClientDeps): ApiClient {
  const { tokens } = deps;
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const listeners = new Set<SessionListener>();
  let refreshInFlight: Promise<Session | null> | undefined;
  let hasSession = false;

  function emit(session: Session | null): void {
    for (const listener of listeners) listener(session);
  }

  function acceptAuth(auth: AuthResponse): Session {
    tokens.setTokens(auth);
    hasSession = true;
    const session: Session = { user: auth.user, tenant: auth.tenant, role: auth.role };
    emit(session);
    return session;
  }

  /** Forgets the tokens; listeners hear about it once, and only if there was a session. */
  function endSession(): void {
    tokens.clear();
    if (!hasSession) return;
    hasSession = false;
    emit(null);
  }

  async function send(path: string, options: RequestOptions, token?: string): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await doFetch(`${apiBasePath}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError({
        code: networkErrorCode,
        status: 0,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async function parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw await readApiError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function refreshNow(): Promise<Session | null> {
    const refreshToken = tokens.getRefreshToken();
    if (!refreshToken) {
      endSession();
      return null;
    }
    const response = await send('/auth/refresh', { method: 'POST', body: { refreshToken } });
    if (response.ok) return acceptAuth((await response.json()) as AuthResponse);
    const error = await readApiError(response);
    // 4xx: the token is invalid, expired or revoked. 5xx: keep it and let the caller retry.
    if (response.status >= 400 && response.status < 500) {
      endSession();
      return null;
    }
    throw error;
  }

  /** One refresh at a time in this tab, and (where Web Locks exist) across tabs. */
  function refreshSession(): Promise<Session | null> {
    if (!refreshInFlight) {
      const run = deps.locks ? holdingLock(deps.locks, refreshNow) : refreshNow();
      refreshInFlight = run.finally(() => {
        refreshInFlight = undefined;
      });
    }
    return refreshInFlight;
  }

  async function getFreshAccessToken(options?: { forceRefresh?: boolean }): Promise<string | null> {
    if (!options?.forceRefresh && !tokens.isAccessTokenStale()) {
      return tokens.getAccessToken() ?? null;
    }
    if (!tokens.getRefreshToken()) return null;
    await refreshSession();
    return tokens.getAccessToken() ?? null;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const token = await getFreshAccessToken();
    const response = await send(path, options, token ?? undefined);
    if (response.status !== 401) return parse<T>(response);

    const session = await refreshSession();
    if (!session) {
      throw new ApiError({ code: sessionExpiredCode, status: 401, message: 'Session expired' });
    }
    return parse<T>(await send(path, options, tokens.getAccessToken()));
  }

  return {
    request,
    get: (path, signal) => request(path, signal ? { signal } : {}),
    post: (path, body) => request(path, { method: 'POST', body }),
    patch: (path, body) => request(path, { method: 'PATCH', body }),
    delete: (path) => request<void>(path, { method: 'DELETE' }),

    async login(credentials) {
      const response = await send('/auth/login', { method: 'POST', body: credentials });
      return acceptAuth(await parse<AuthResponse>(response));
    },

    async logout() {
      const refreshToken = tokens.getRefreshToken();
      const accessToken = tokens.getAccessToken();
      endSession();
      if (!refreshToken) return;
      try {
        await send('/auth/logout', { method: 'POST', body: { refreshToken } }, accessToken);
      } catch {
        // Signing out locally is what matters; the token expires on its own.
      }
    },

    async restoreSession() {
      if (!tokens.getRefreshToken()) return null;
      return refreshSession();
    },

    getFreshAccessToken,

    forgetSession: endSession,

    onSessionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

async function holdingLock<T>(locks: LockManager, task: () => Promise<T>): Promise<T> {
  // The lock is held until the task's promise settles.
  return await locks.request(refreshLockName, task);
}
