import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { apiBasePath } from '../api/api-client';
import type { RealtimeEvent } from '../api/api-types';
import { computeReconnectDelay } from './reconnect-delay';

export type RealtimeStatus = 'connecting' | 'open' | 'closed';
export type RealtimeListener = (event: RealtimeEvent) => void;

export type RealtimeConnection = {
  status: RealtimeStatus;
  /** The most recent events, oldest first (at most `keepEvents`). */
  events: RealtimeEvent[];
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: RealtimeListener): () => void;
};

const keepEvents = 100;
/** Close code the server uses for a missing, invalid or expired token. */
const unauthenticatedCloseCode = 4401;

function realtimeUrl(token: string): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}${apiBasePath}/ws?token=${encodeURIComponent(token)}`;
}

function parseEvent(raw: unknown): RealtimeEvent | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && typeof (value as RealtimeEvent).type === 'string') {
      return value as RealtimeEvent;
    }
  } catch {
    // Not JSON: ignore it.
  }
  return undefined;
}

/**
 * Keeps one WebSocket to `/api/v1/ws` open while mounted: authenticates with a fresh access
 * token on every (re)connect, reconnects with exponential backoff, and reconnects at once when
 * the browser comes back online.
 */
export function useRealtimeConnection(api: ApiClient): RealtimeConnection {
  const [status, setStatus] = useState<RealtimeStatus>('connecting');
  const [events, setEvents] = useState<RealtimeEvent[]>([]);
  const listeners = useRef(new Set<RealtimeListener>());

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retryTimer: number | undefined;
    let attempt = 0;
    let isDisposed = false;
    let mustRefreshToken = false;

    const scheduleReconnect = () => {
      if (isDisposed) return;
      setStatus('closed');
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(connect, computeReconnectDelay(attempt));
      attempt += 1;
    };

    async function connect(): Promise<void> {
      if (isDisposed) return;
      setStatus('connecting');
      let token: string | null;
      try {
        token = await api.getFreshAccessToken({ forceRefresh: mustRefreshToken });
        mustRefreshToken = false;
      } catch {
        scheduleReconnect();
        return;
      }
      if (isDisposed) return;
      if (!token) {
        // Signed out: the layout unmounts and takes this hook with it.
        setStatus('closed');
        return;
      }
      const ws = new WebSocket(realtimeUrl(token));
      socket = ws;
      ws.addEventListener('open', () => {
        attempt = 0;
        setStatus('open');
      });
      ws.addEventListener('message', (message) => {
        const event = parseEvent(message.data);
        if (!event) return;
        setEvents((previous) => [...previous.slice(-(keepEvents - 1)), event]);
        for (const listener of listeners.current) listener(event);
      });
      ws.addEventListener('close', (close) => {
        if (socket !== ws) return;
        socket = undefined;
        if (close.code === unauthenticatedCloseCode) {
          // The token expired while connected: reconnect at once with a new one.
          mustRefreshToken = true;
          if (attempt === 0) {
            attempt = 1;
            void connect();
            return;
          }
        }
        scheduleReconnect();
      });
    }

    const onOnline = () => {
      if (socket) return;
      window.clearTimeout(retryTimer);
      attempt = 0;
      void connect();
    };

    window.addEventListener('online', onOnline);
    void connect();
    return () => {
      isDisposed = true;
      window.clearTimeout(retryTimer);
      window.removeEventListener('online', onOnline);
      const current = socket;
      socket = undefined;
      current?.close(1000);
    };
  }, [api]);

  const subscribe = useCallback((listener: RealtimeListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  return useMemo(() => ({ status, events, subscribe }), [status, events, subscribe]);
}
