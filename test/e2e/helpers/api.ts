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
