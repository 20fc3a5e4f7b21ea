/** localStorage key of the refresh token (the access token never leaves memory). */
export const refreshTokenStorageKey = 'recado.refresh-token';

/** Refresh this long before the access token expires, to absorb clock skew and latency. */
const expiryMarginMs = 30_000;

export type TokenStore = {
  getAccessToken(): string | undefined;
  /** True when there is no access token or it expires within the safety margin. */
  isAccessTokenStale(): boolean;
  getRefreshToken(): string | undefined;
  setTokens(tokens: { accessToken: string; refreshToken: string; expiresIn: number }): void;
  clear(): void;
};

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createTokenStore(storage: TokenStorage, now: () => number = Date.now): TokenStore {
  let accessToken: string | undefined;
  let accessTokenExpiresAt = 0;

  return {
    getAccessToken: () => accessToken,
    isAccessTokenStale: () => !accessToken || now() >= accessTokenExpiresAt - expiryMarginMs,
    getRefreshToken: () => readStorage(storage) ?? undefined,
    setTokens(tokens) {
      accessToken = tokens.accessToken;
      accessTokenExpiresAt = now() + tokens.expiresIn * 1000;
      writeStorage(storage, tokens.refreshToken);
    },
    clear() {
      accessToken = undefined;
      accessTokenExpiresAt = 0;
      writeStorage(storage, undefined);
    },
  };
}

function readStorage(storage: TokenStorage): string | null {
  try {
    return storage.getItem(refreshTokenStorageKey);
  } catch {
    // Storage can be unavailable (private mode, blocked cookies): the session lives in memory.
    return null;
  }
}

function writeStorage(storage: TokenStorage, value: string | undefined): void {
  try {
    if (value === undefined) storage.removeItem(refreshTokenStorageKey);
    else storage.setItem(refreshTokenStorageKey, value);
  } catch {
    // See readStorage.
  }
}
