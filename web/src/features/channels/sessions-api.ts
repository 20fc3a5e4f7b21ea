import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelSession } from '../../../../src/shared/contracts/sessions.contract';
import type { ApiClient } from '../../api/api-client';
import { useApiClient } from '../../api/api-context';
import { fetchWithSession } from '../conversations/session-fetch';
import { channelsQueryKey } from './channels-api';
import { type QrAnswer, qrImageSource } from './qr-image';

/** Session control of QR channels: `/api/v1/channels/:id/session/...`. */

export const channelSessionQueryKey = (channelId: string) =>
  ['channel-sessions', channelId] as const;
const channelQrQueryKey = (channelId: string) => ['channel-sessions', channelId, 'qr'] as const;

const sessionPath = (channelId: string) => `/channels/${encodeURIComponent(channelId)}/session`;

/**
 * A QR channel's session as its provider reports it now (each read asks the provider).
 * `pollMs`: ask again that often while mounted.
 */
export function useChannelSessionQuery(
  channelId: string,
  options: { isEnabled?: boolean; pollMs?: number | false } = {},
) {
  const api = useApiClient();
  return useQuery({
    queryKey: channelSessionQueryKey(channelId),
    enabled: options.isEnabled ?? true,
    queryFn: ({ signal }) => api.get<ChannelSession>(sessionPath(channelId), signal),
    refetchInterval: options.pollMs ?? false,
    // A provider that does not answer now is shown as such; the next poll asks again.
    retry: false,
  });
}

export type SessionCommand = 'start' | 'stop' | 'logout' | 'restart';

async function runCommand(
  api: ApiClient,
  channelId: string,
  command: SessionCommand,
): Promise<ChannelSession> {
  if (command === 'restart') {
    await api.post<ChannelSession>(`${sessionPath(channelId)}/stop`);
    return api.post<ChannelSession>(`${sessionPath(channelId)}/start`);
  }
  return api.post<ChannelSession>(`${sessionPath(channelId)}/${command}`);
}

/**
 * Start, stop, log out, or restart (stop then start) a session (admins). The answer replaces
 * the cached report (a poll already in flight is cancelled, so it cannot bring back the old
 * state) and the channel list is refreshed, since the channel's status follows the session.
 */
export function useSessionCommand() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channelId, command }: { channelId: string; command: SessionCommand }) =>
      runCommand(api, channelId, command),
    onSuccess: async (session, { channelId }) => {
      await queryClient.cancelQueries({ queryKey: channelSessionQueryKey(channelId), exact: true });
      queryClient.setQueryData(channelSessionQueryKey(channelId), session);
      await queryClient.invalidateQueries({ queryKey: channelsQueryKey });
    },
  });
}

async function fetchQr(api: ApiClient, channelId: string, signal: AbortSignal): Promise<string> {
  const response = await fetchWithSession(api, `${sessionPath(channelId)}/qr`, { signal });
  const type = response.headers.get('content-type') ?? '';
  const answer: QrAnswer = type.startsWith('image/')
    ? { kind: 'image', type, bytes: new Uint8Array(await response.arrayBuffer()) }
    : { kind: 'text', value: ((await response.json()) as { value?: unknown }).value };
  return qrImageSource(answer);
}

/**
 * The QR code to scan, as an image source (the provider's PNG, or its text drawn here), asked
 * for again every `refreshMs` (QR codes expire), sooner after the provider had none to give.
 */
export function useChannelQrQuery(
  channelId: string,
  options: { isEnabled: boolean; refreshMs: number; retryMs: number },
) {
  const api = useApiClient();
  return useQuery({
    queryKey: channelQrQueryKey(channelId),
    enabled: options.isEnabled,
    queryFn: ({ signal }) => fetchQr(api, channelId, signal),
    refetchInterval: (query) =>
      query.state.status === 'error' ? options.retryMs : options.refreshMs,
    retry: false,
    // An old code is useless: never show a cached one when the dialog opens again.
    gcTime: 0,
    staleTime: 0,
  });
}

/** A code to type on the phone instead of scanning (where the provider supports it). */
export function usePairingCode() {
  const api = useApiClient();
  return useMutation({
    mutationFn: ({ channelId, phone }: { channelId: string; phone: string }) =>
      api.post<{ code: string }>(`${sessionPath(channelId)}/pairing-code`, { phone }),
  });
}
