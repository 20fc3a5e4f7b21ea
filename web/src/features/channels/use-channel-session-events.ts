import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useRealtime } from '../../realtime/realtime-context';
import { useRefetchAfterReconnect } from '../conversations/use-messaging-events';
import { parseChannelSessionEvent } from './channel-session';
import { channelsQueryKey } from './channels-api';
import { channelSessionQueryKey } from './sessions-api';

const allSessionsKey = ['channel-sessions'] as const;

/**
 * Keeps the Channels page live: a `channel.connected` / `channel.disconnected` event refreshes
 * the channel list and that channel's session (an open pairing dialog sees it at once); after
 * the live connection was down, everything is read again.
 */
export function useChannelSessionEvents(): void {
  const { subscribe } = useRealtime();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribe((raw) => {
        const event = parseChannelSessionEvent(raw);
        if (!event) return;
        void queryClient.invalidateQueries({ queryKey: channelsQueryKey });
        void queryClient.invalidateQueries({
          queryKey: channelSessionQueryKey(event.channelId),
          exact: true,
        });
      }),
    [subscribe, queryClient],
  );
  useRefetchAfterReconnect([channelsQueryKey, allSessionsKey]);
}
