import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  SandboxThread,
  sandboxInboundRequestSchema,
  sandboxInboundResponseSchema,
} from '../../../../src/shared/contracts/sandbox.contract';
import { useApiClient } from '../../api/api-context';
import { fetchWithSession } from '../conversations/session-fetch';

export type { SandboxThread };
export type SandboxThreadMessage = SandboxThread['messages'][number];
export type SandboxInbound = z.input<typeof sandboxInboundRequestSchema>;
type SandboxInboundAnswer = z.infer<typeof sandboxInboundResponseSchema>;

/** What the simulated user sends: JSON (text, a tap, a location) or a file with a caption. */
export type SandboxSend =
  | { kind: 'json'; body: SandboxInbound }
  | { kind: 'file'; from: string; name?: string | undefined; caption?: string; file: File };

const threadLimit = 100;

export const sandboxThreadQueryKey = (channelId: string, phone: string) =>
  ['sandbox-thread', channelId, phone] as const;

/** The thread as the simulated user's phone shows it (the last `threadLimit` messages). */
export function useSandboxThreadQuery(channelId: string | undefined, phone: string | undefined) {
  const api = useApiClient();
  return useQuery({
    queryKey: sandboxThreadQueryKey(channelId ?? '', phone ?? ''),
    enabled: Boolean(channelId && phone),
    queryFn: ({ signal }) =>
      api.get<SandboxThread>(
        `/sandbox/${encodeURIComponent(channelId ?? '')}/conversations/${encodeURIComponent(
          phone ?? '',
        )}?limit=${threadLimit}`,
        signal,
      ),
    // Keep showing the thread while a refetch (after an event) is under way.
    placeholderData: (previous) => previous,
  });
}

/** Sends as the simulated user; the message shows once the inbound pipeline has stored it. */
export function useSandboxSend(channelId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const path = `/sandbox/${encodeURIComponent(channelId)}/inbound`;
  return useMutation({
    mutationFn: async (input: SandboxSend): Promise<SandboxInboundAnswer> => {
      if (input.kind === 'json') return api.post<SandboxInboundAnswer>(path, input.body);
      // Fields first, the file last: the server reads the fields that precede the file.
      const form = new FormData();
      form.set('from', input.from);
      if (input.name) form.set('name', input.name);
      if (input.caption) form.set('caption', input.caption);
      form.set('file', input.file, input.file.name);
      const response = await fetchWithSession(api, path, { method: 'POST', body: form });
      return (await response.json()) as SandboxInboundAnswer;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sandbox-thread', channelId] }),
  });
}
