import { type ApiClient, apiBasePath } from '../../api/api-client';
import { ApiError, networkErrorCode, readApiError, sessionExpiredCode } from '../../api/api-error';

/**
 * A raw `fetch` of `/api/v1<path>` with the session's access token, for what the JSON client
 * does not do: binary downloads (media) and multipart uploads. Like the client, a 401 refreshes
 * the session once and retries; a non-2xx answer becomes an ApiError.
 */
export async function fetchWithSession(
  api: ApiClient,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: FormData; signal?: AbortSignal } = {},
): Promise<Response> {
  const send = async (token: string | null) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await fetch(`${apiBasePath}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body ?? null,
        signal: init.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError({
        code: networkErrorCode,
        status: 0,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };

  let response = await send(await api.getFreshAccessToken());
  if (response.status === 401) {
    const token = await api.getFreshAccessToken({ forceRefresh: true });
    if (!token) {
      throw new ApiError({ code: sessionExpiredCode, status: 401, message: 'Session expired' });
    }
    response = await send(token);
  }
  if (!response.ok) throw await readApiError(response);
  return response;
}
