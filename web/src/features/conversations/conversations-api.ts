import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Conversation,
  Message,
  sendMessageRequestSchema,
} from '../../../../src/shared/contracts/messages.contract';
import { useApiClient } from '../../api/api-context';
import type { Page } from '../../api/api-types';
import { fetchWithSession } from './session-fetch';

export type { Conversation, Message };
export type ConversationStatus = Conversation['status'];
export type MessageStatus = Message['status'];
export type SendMessageInput = z.input<typeof sendMessageRequestSchema>;

export type ConversationFilters = {
  channelId?: string | undefined;
  status?: ConversationStatus | undefined;
  /** Any common phone format; the server matches it as E.164. */
  phone?: string | undefined;
};

const pageSize = 30;
const threadPageSize = 40;

export const conversationsQueryKey = ['conversations'] as const;
export const conversationMessagesQueryKey = (conversationId: string) =>
  ['conversation-messages', conversationId] as const;

/** Conversations, most recent activity first, page by page. */
export function useConversationsQuery(filters: ConversationFilters) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: [...conversationsQueryKey, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (filters.channelId) query.set('channelId', filters.channelId);
      if (filters.status) query.set('status', filters.status);
      if (filters.phone) query.set('phone', filters.phone);
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<Conversation>>(`/conversations?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** A conversation's messages, newest first, page by page (older pages load on demand). */
export function useConversationMessagesQuery(conversationId: string | undefined) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: conversationMessagesQueryKey(conversationId ?? ''),
    enabled: conversationId !== undefined,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(threadPageSize) });
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<Message>>(
        `/conversations/${encodeURIComponent(conversationId ?? '')}/messages?${query}`,
        signal,
      );
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

/** The loaded messages of a thread, oldest first. */
export function threadMessagesOf(data: InfiniteData<Page<Message>> | undefined): Message[] {
  return (data?.pages.flatMap((page) => page.items) ?? []).slice().reverse();
}

export function useSendMessage() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SendMessageInput) => api.post<Message>('/messages', input),
    onSuccess: (message) =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: conversationMessagesQueryKey(message.conversationId),
        }),
        queryClient.invalidateQueries({ queryKey: conversationsQueryKey }),
      ]),
  });
}

/** A stored media object's bytes (`GET /media/:id/content`, with the session's token). */
export function useMediaBlobQuery(mediaId: string | undefined, isEnabled = true) {
  const api = useApiClient();
  return useQuery({
    queryKey: ['media', mediaId],
    enabled: mediaId !== undefined && isEnabled,
    // Stored media never changes.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const response = await fetchWithSession(
        api,
        `/media/${encodeURIComponent(mediaId ?? '')}/content`,
        { signal },
      );
      return response.blob();
    },
  });
}
