import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useRealtime } from '../../realtime/realtime-context';
import { type MessagingEvent, parseMessagingEvent } from './messaging-events';

/** Calls `onEvent` for every message event on the live connection while mounted. */
export function useMessagingEvents(onEvent: (event: MessagingEvent) => void): void {
  const { subscribe } = useRealtime();
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  useEffect(
    () =>
      subscribe((raw) => {
        const event = parseMessagingEvent(raw);
        if (event) latest.current(event);
      }),
    [subscribe],
  );
}

/**
 * Events sent while the live connection was down are lost: when it comes back, refetch the
 * queries under `queryKeys` once.
 */
export function useRefetchAfterReconnect(queryKeys: readonly (readonly unknown[])[]): void {
  const { status } = useRealtime();
  const queryClient = useQueryClient();
  const hasDropped = useRef(false);
  const keys = useRef(queryKeys);
  useEffect(() => {
    keys.current = queryKeys;
  });
  useEffect(() => {
    if (status === 'closed') hasDropped.current = true;
    if (status !== 'open' || !hasDropped.current) return;
    hasDropped.current = false;
    for (const queryKey of keys.current) void queryClient.invalidateQueries({ queryKey });
  }, [status, queryClient]);
}
