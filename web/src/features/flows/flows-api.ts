import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  channelFlowSettingsSchema,
  createTriggerRequestSchema,
  Flow,
  FlowSession,
  FlowSummary,
  FlowTrigger,
  FlowVersion,
  FlowVersionSummary,
  flowIssueSchema,
  flowSessionStatusSchema,
  flowValidationResponseSchema,
} from '../../../../src/shared/contracts/flows.contract';
import { useApiClient } from '../../api/api-context';
import type { Page } from '../../api/api-types';
import { usePagedList } from '../../api/resource-hooks';

export type { Flow, FlowSession, FlowSummary, FlowTrigger, FlowVersion, FlowVersionSummary };
export type FlowIssue = z.infer<typeof flowIssueSchema>;
export type FlowValidation = z.infer<typeof flowValidationResponseSchema>;
export type ChannelFlowSettings = z.infer<typeof channelFlowSettingsSchema>;
export type CreateTriggerInput = z.input<typeof createTriggerRequestSchema>;
export type FlowSessionStatus = z.infer<typeof flowSessionStatusSchema>;
export type FlowSessionFilters = {
  status?: FlowSessionStatus | undefined;
  flowId?: string | undefined;
  conversationId?: string | undefined;
};

export const flowsQueryKey = ['flows'] as const;
const flowQueryKey = (id: string) => ['flows', 'one', id] as const;
const flowVersionsQueryKey = (id: string) => ['flows', 'versions', id] as const;
export const channelFlowsQueryKey = ['channel-flows'] as const;
export const flowSessionsQueryKey = ['flow-sessions'] as const;

const flowPath = (id: string) => `/flows/${encodeURIComponent(id)}`;

/** The tenant's flows, newest first, page by page. */
export function useFlowsQuery() {
  return usePagedList<FlowSummary>([...flowsQueryKey, 'list'], '/flows');
}

/** One flow with its draft and the draft's problems. */
export function useFlowQuery(id: string) {
  const api = useApiClient();
  return useQuery({
    queryKey: flowQueryKey(id),
    queryFn: ({ signal }) => api.get<Flow>(flowPath(id), signal),
  });
}

/**
 * The server's check of a document (`POST /flows/validate`), for the text the editor holds;
 * `document` undefined while the text is not a JSON object. The last answer stays while the
 * next one is on its way, so the issue list does not flicker as the user types.
 */
export function useFlowValidation(text: string, document: Record<string, unknown> | undefined) {
  const api = useApiClient();
  return useQuery({
    queryKey: ['flows', 'validate', text],
    queryFn: ({ signal }) =>
      api.request<FlowValidation>('/flows/validate', {
        method: 'POST',
        body: { document },
        signal,
      }),
    enabled: document !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
  });
}

export function useCreateFlow() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (document: unknown) => api.post<Flow>('/flows', { document }),
    onSuccess: (flow) => {
      queryClient.setQueryData(flowQueryKey(flow.id), flow);
      return queryClient.invalidateQueries({ queryKey: [...flowsQueryKey, 'list'] });
    },
  });
}

export function useSaveFlow(id: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (document: Record<string, unknown>) =>
      // A work in progress is kept with its problems (listed under the editor).
      api.request<Flow>(flowPath(id), { method: 'PUT', body: { document, allowIssues: true } }),
    onSuccess: (flow) => {
      queryClient.setQueryData(flowQueryKey(id), flow);
      return queryClient.invalidateQueries({ queryKey: [...flowsQueryKey, 'list'] });
    },
  });
}

export function usePublishFlow(id: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<FlowVersion>(`${flowPath(id)}/publish`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: flowQueryKey(id) }),
        queryClient.invalidateQueries({ queryKey: flowVersionsQueryKey(id) }),
        queryClient.invalidateQueries({ queryKey: [...flowsQueryKey, 'list'] }),
      ]),
  });
}

/** Published versions, newest first (without their documents). */
export function useFlowVersionsQuery(id: string) {
  return usePagedList<FlowVersionSummary>(flowVersionsQueryKey(id), `${flowPath(id)}/versions`);
}

/** One published version with its document; nothing is fetched while `version` is null. */
export function useFlowVersionQuery(id: string, version: number | null) {
  const api = useApiClient();
  return useQuery({
    queryKey: [...flowVersionsQueryKey(id), version],
    queryFn: ({ signal }) => api.get<FlowVersion>(`${flowPath(id)}/versions/${version}`, signal),
    enabled: version !== null,
    // Published versions never change.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** What starts flows on each of the given channels (one request per channel). */
export function useChannelFlowsQueries(channelIds: readonly string[]) {
  const api = useApiClient();
  return useQueries({
    queries: channelIds.map((channelId) => ({
      queryKey: [...channelFlowsQueryKey, channelId],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<ChannelFlowSettings>(`/channels/${encodeURIComponent(channelId)}/flows`, signal),
    })),
  });
}

export function useAddTrigger() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channelId, trigger }: { channelId: string; trigger: CreateTriggerInput }) =>
      api.post<FlowTrigger>(`/channels/${encodeURIComponent(channelId)}/flows/triggers`, trigger),
    onSuccess: (_trigger, { channelId }) =>
      queryClient.invalidateQueries({ queryKey: [...channelFlowsQueryKey, channelId] }),
  });
}

export function useRemoveTrigger() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channelId, triggerId }: { channelId: string; triggerId: string }) =>
      api.delete(
        `/channels/${encodeURIComponent(channelId)}/flows/triggers/${encodeURIComponent(triggerId)}`,
      ),
    onSuccess: (_answer, { channelId }) =>
      queryClient.invalidateQueries({ queryKey: [...channelFlowsQueryKey, channelId] }),
  });
}

/** Flow sessions, latest activity first, filtered; page by page. */
export function useFlowSessionsQuery(filters: FlowSessionFilters) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: [...flowSessionsQueryKey, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: '50' });
      if (filters.status) query.set('status', filters.status);
      if (filters.flowId) query.set('flowId', filters.flowId);
      if (filters.conversationId) query.set('conversationId', filters.conversationId);
      if (pageParam) query.set('cursor', pageParam);
      return api.get<Page<FlowSession>>(`/flows/sessions?${query}`, signal);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export function useResetSession() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      api.post<FlowSession>(`/flows/sessions/${encodeURIComponent(sessionId)}/reset`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flowSessionsQueryKey }),
  });
}
