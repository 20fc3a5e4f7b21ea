/** Direct API calls for arranging data that a test is not about. */

type LoginAnswer = { accessToken: string };

export async function signInThroughApi(
  baseUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const answer = await call<LoginAnswer>(baseUrl, 'POST', '/api/v1/auth/login', {
    email,
    password,
  });
  return answer.accessToken;
}

export async function createTenantThroughApi(
  baseUrl: string,
  accessToken: string,
  input: { name: string; slug: string; admin: { name: string; email: string; password: string } },
): Promise<void> {
  await call(baseUrl, 'POST', '/api/v1/tenants', input, accessToken);
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  accessToken?: string,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export async function createUserThroughApi(
  baseUrl: string,
  accessToken: string,
  input: { name: string; email: string; role: 'admin' | 'operator' | 'client'; password: string },
): Promise<void> {
  await call(baseUrl, 'POST', '/api/v1/users', input, accessToken);
}

export type ApiChannel = { id: string; provider: string; name: string };

export async function listChannelsThroughApi(
  baseUrl: string,
  accessToken: string,
): Promise<ApiChannel[]> {
  const answer = await call<{ items: ApiChannel[] }>(
    baseUrl,
    'GET',
    '/api/v1/channels',
    undefined,
    accessToken,
  );
  return answer.items;
}

/** `POST /api/v1/messages`: queues a message from the business. */
export async function sendMessageThroughApi(
  baseUrl: string,
  accessToken: string,
  input: { channelId: string; to: { phone: string } | { contactId: string }; content: unknown },
): Promise<{ id: string; conversationId: string }> {
  return call(baseUrl, 'POST', '/api/v1/messages', input, accessToken);
}

/** `POST /api/v1/channels` (admins): a channel with its provider settings. */
export async function createChannelThroughApi(
  baseUrl: string,
  accessToken: string,
  input: { provider: string; name: string; config: Record<string, unknown>; pacing?: unknown },
): Promise<ApiChannel> {
  return call(baseUrl, 'POST', '/api/v1/channels', input, accessToken);
}
