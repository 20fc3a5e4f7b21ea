import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Channel,
  ChannelProvider,
  createChannelRequestSchema,
  updateChannelRequestSchema,
} from '../../../../src/shared/contracts/channels.contract';
import { useApiClient } from '../../api/api-context';
import { useInvalidatingMutation } from '../../api/resource-hooks';

export type { Channel, ChannelProvider };
export type ChannelStatus = Channel['status'];
export type CreateChannelInput = z.input<typeof createChannelRequestSchema>;
export type UpdateChannelInput = z.input<typeof updateChannelRequestSchema>;

export const channelsQueryKey = ['channels'] as const;
const providersQueryKey = ['channel-providers'] as const;

/** The tenant's channels (a short list: not paginated). */
export function useChannelsQuery() {
  const api = useApiClient();
  return useQuery({
    queryKey: channelsQueryKey,
    queryFn: ({ signal }) => api.get<{ items: Channel[] }>('/channels', signal),
    select: (answer) => answer.items,
  });
}

/** The providers this server runs; they change only with a new server version. */
export function useChannelProvidersQuery() {
  const api = useApiClient();
  return useQuery({
    queryKey: providersQueryKey,
    queryFn: ({ signal }) => api.get<{ items: ChannelProvider[] }>('/channel-providers', signal),
    select: (answer) => answer.items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreateChannel() {
  return useInvalidatingMutation(channelsQueryKey, (api, input: CreateChannelInput) =>
    api.post<Channel>('/channels', input),
  );
}

export function useUpdateChannel() {
  return useInvalidatingMutation(
    channelsQueryKey,
    (api, { id, changes }: { id: string; changes: UpdateChannelInput }) =>
      api.patch<Channel>(`/channels/${encodeURIComponent(id)}`, changes),
  );
}

export function useDeleteChannel() {
  return useInvalidatingMutation(channelsQueryKey, (api, id: string) =>
    api.delete(`/channels/${encodeURIComponent(id)}`),
  );
}
