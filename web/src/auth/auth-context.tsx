import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/api-client';
import { useApiClient } from '../api/api-context';
import { refreshTokenStorageKey } from '../api/token-store';
import { languageForLocale, readStoredLanguage } from '../i18n/i18n';

export type AuthState =
  | { status: 'restoring' }
  | { status: 'unreachable'; error: unknown }
  | { status: 'signed-out'; isExpired: boolean }
  | { status: 'signed-in'; session: Session };

type AuthContextValue = {
  state: AuthState;
  login(credentials: { email: string; password: string }): Promise<Session>;
  logout(): Promise<void>;
  /** Tries again to restore the stored session (after the server was unreachable). */
  retryRestore(): void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const { i18n } = useTranslation();
  const [state, setState] = useState<AuthState>({ status: 'restoring' });
  const isLoggingOut = useRef(false);

  useEffect(
    () =>
      api.onSessionChange((session) => {
        if (session) {
          setState({ status: 'signed-in', session });
          // Follow the account's language unless this browser has an explicit choice.
          if (!readStoredLanguage())
            void i18n.changeLanguage(languageForLocale(session.user.locale));
          return;
        }
        const isExpired = !isLoggingOut.current;
        isLoggingOut.current = false;
        setState((previous) => ({
          status: 'signed-out',
          isExpired: isExpired && previous.status === 'signed-in',
        }));
        queryClient.clear();
      }),
    [api, queryClient, i18n],
  );

  const retryRestore = useCallback(() => {
    setState({ status: 'restoring' });
    api.restoreSession().then(
      (session) => {
        if (!session) setState({ status: 'signed-out', isExpired: false });
      },
      (error: unknown) => setState({ status: 'unreachable', error }),
    );
  }, [api]);

  useEffect(() => retryRestore(), [retryRestore]);

  // Another tab signed out (the shared refresh token disappeared): follow it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || (event.key === refreshTokenStorageKey && event.newValue === null)) {
        api.forgetSession();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [api]);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      login: (credentials) => api.login(credentials),
      logout: async () => {
        isLoggingOut.current = true;
        await api.logout();
      },
      retryRestore,
    }),
    [api, state, retryRestore],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside AuthProvider');
  return value;
}

/** The signed-in session; only for components rendered behind RequireAuth. */
export function useSession(): Session {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useSession needs a signed-in user');
  return state.session;
}
