import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type PooledHttpClient } from './http-client.js';

/** What the loopback server saw of the last request. */
type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer };

type Route = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

let server: Server;
let baseUrl = '';
let client: PooledHttpClient;
let seen: Seen[] = [];
const routes = new Map<string, Route>();
/** Responses the tests leave hanging, ended in afterAll so the server can close. */
const hanging = new Set<ServerResponse>();
/** The `/stream` response, held open until the test has read its first chunk. */
let heldStream: ServerResponse | undefined;
let heldHeadersOnly: ServerResponse | undefined;
/** `/large` sends half of a 256 KiB body, then waits for the test. */
const largeHalf = Buffer.alloc(128 * 1024, 7);
let heldLarge: ServerResponse | undefined;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body,
    });
    const route = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'no such route' } }));
      return;
    }
    route(request, response, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createHttpClient({ headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });

  routes.set('/echo', (request, response, body) => {
    response.writeHead(201, {
      'content-type': request.headers['content-type'] ?? 'application/octet-stream',
      'x-request-header': String(request.headers['x-custom'] ?? ''),
      'set-cookie': ['a=1', 'b=2'],
    });
    response.end(body);
  });
  routes.set('/status', (request, response) => {
    const code = Number(new URL(request.url ?? '', 'http://x').searchParams.get('code'));
    response.writeHead(code, { 'content-type': 'application/json', 'retry-after': '7' });
    response.end(code === 204 || code === 304 ? undefined : JSON.stringify({ code }));
  });
  routes.set('/redirect', (_request, response) => {
    response.writeHead(302, { location: '/echo' });
    response.end();
  });
  routes.set('/never', (_request, response) => {
    hanging.add(response); // Headers never come.
  });
  routes.set('/slow-body', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first;');
    hanging.add(response); // The rest never comes.
  });
  routes.set('/stalled-known-length', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    response.write('{"partial":');
    hanging.add(response); // 89 bytes never come.
  });
  routes.set('/large', (_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(2 * largeHalf.length),
    });
    response.write(largeHalf);
    heldLarge = response;
  });
  routes.set('/headers-only', (_request, response) => {
    response.writeHead(503, { 'content-type': 'text/html' });
    response.flushHeaders();
    heldHeadersOnly = response; // Chunked; the body comes only when the test says.
  });
  routes.set('/stream', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('one;');
    heldStream = response;
  });
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

function lastSeen(): Seen {
  const last = seen.at(-1);
  if (!last) throw new Error('the server saw no request');
  return last;
}

describe('createHttpClient: requests and responses', () => {
  it('sends JSON with headers and reads status, headers and JSON back', async () => {
    const response = await client(`${baseUrl}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'olá-mundo'.normalize() },
      body: JSON.stringify({ to: '5511987654321', text: { body: 'Olá' } }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-header')).toBe('olá-mundo'.normalize());
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ to: '5511987654321', text: { body: 'Olá' } });
    expect(lastSeen().method).toBe('POST');
    expect(lastSeen().headers['content-length']).toBe(String(lastSeen().body.length));
    expect(lastSeen().headers.accept).toBe('*/*');
  });

  it('accepts Headers objects and header pairs, and lower-case standard methods', async () => {
    await client(`${baseUrl}/echo`, {
      method: 'post',
      headers: new Headers({ Authorization: 'Bearer graph-token' }),
      body: 'x',
    });
    expect(lastSeen()).toMatchObject({ method: 'POST' });
    expect(lastSeen().headers.authorization).toBe('Bearer graph-token');
    expect(lastSeen().headers['content-type']).toBe('text/plain;charset=UTF-8');

    await client(`${baseUrl}/echo`, {
      headers: [
        ['x-custom', 'a'],
        ['X-Custom', 'b'],
      ],
    });
    expect(lastSeen()).toMatchObject({ method: 'GET' });
    expect(lastSeen().headers['x-custom']).toBe('a, b');
  });

  it('sends and receives binary bodies byte for byte (Buffer, Uint8Array view, ArrayBuffer)', async () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, index) => index % 256);
    const inputs: BodyInit[] = [Buffer.from(bytes), bytes.subarray(10, 300), bytes.buffer];
    const expected = [bytes, bytes.subarray(10, 300), bytes];
    for (const [index, body] of inputs.entries()) {
      const response = await client(`${baseUrl}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(expected[index]);
    }
  });

  it('sends URL-encoded and multipart forms with the content type fetch would set', async () => {
    await client(`${baseUrl}/echo`, {
      method: 'POST',
      body: new URLSearchParams({ To: 'whatsapp:+5511987654321', Body: 'Olá & até' }),
    });
    expect(lastSeen().headers['content-type']).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
    expect(Object.fromEntries(new URLSearchParams(lastSeen().body.toString('utf8')))).toEqual({
      To: 'whatsapp:+5511987654321',
      Body: 'Olá & até',
    });

    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('file', new Blob([Buffer.from([0, 1, 2, 255])], { type: 'image/png' }), 'a.png');
    await client(`${baseUrl}/echo`, { method: 'POST', body: form });
    const contentType = String(lastSeen().headers['content-type']);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(lastSeen().headers['content-length']).toBe(String(lastSeen().body.length));
    const parsed = await new Response(Uint8Array.from(lastSeen().body), {
      headers: { 'content-type': contentType },
    }).formData();
    expect(parsed.get('messaging_product')).toBe('whatsapp');
    const file = parsed.get('file');
    expect(file).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (file as Blob).arrayBuffer())).toEqual(
      new Uint8Array([0, 1, 2, 255]),
    );
  });

  it('streams a request body given as a ReadableStream', async () => {
    const chunks = ['alpha,', 'beta,', 'gamma'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const response = await client(`${baseUrl}/echo`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/csv' },
      duplex: 'half',
    } as RequestInit);
    expect(await response.text()).toBe('alpha,beta,gamma');
    expect(lastSeen().headers['transfer-encoding']).toBe('chunked');
  });

  it('resolves before the response body has ended and streams it', async () => {
    // The server holds the body open after its first chunk until the test has read that chunk.
    const response = await client(`${baseUrl}/stream`);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('one;');
    heldStream?.end('two');
    let rest = '';
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      rest += new TextDecoder().decode(next.value);
    }
    expect(rest).toBe('two');
  });

  it('cancels a streamed body before its first chunk without an uncaught error', async () => {
    // Cancel destroys the body; the late chunk and end must not surface anywhere.
    const response = await client(`${baseUrl}/headers-only`);
    expect(response.status).toBe(503);
    await response.body?.cancel();
    heldHeadersOnly?.end('<html>late</html>');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await client(`${baseUrl}/stream`);
    const reader = after.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('one;');
    await reader?.cancel();
    heldStream?.end();
  });

  it('streams a large body even when its length is known', async () => {
    const response = await client(`${baseUrl}/large`);
    expect(response.headers.get('content-length')).toBe(String(2 * largeHalf.length));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let received = 0;
    while (received < largeHalf.length) {
      const chunk = await reader.read();
      received += chunk.value?.length ?? 0;
    }
    heldLarge?.end(largeHalf);
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += chunk.value.length;
    }
    expect(received).toBe(2 * largeHalf.length);
  });

  it('resolves error statuses like fetch (ok false, body and Retry-After readable)', async () => {
    for (const code of [400, 404, 429, 500, 503]) {
      const response = await client(`${baseUrl}/status?code=${code}`, { method: 'POST' });
      expect(response.status).toBe(code);
      expect(response.ok).toBe(false);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual({ code });
    }
  });

  it('gives no body for 204, 304 and HEAD, and keeps the connection usable', async () => {
    for (const code of [204, 304]) {
      const response = await client(`${baseUrl}/status?code=${code}`);
      expect(response.status).toBe(code);
      expect(response.body).toBeNull();
    }
    const head = await client(`${baseUrl}/status?code=200`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect((await client(`${baseUrl}/status?code=200`)).status).toBe(200);
  });

  it('follows redirects by default and returns them with redirect: manual', async () => {
    const followed = await client(`${baseUrl}/redirect`);
    expect(followed.status).toBe(201);
    expect(lastSeen().url).toBe('/echo');

    const manual = await client(`${baseUrl}/redirect`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');

    await expect(client(`${baseUrl}/redirect`, { redirect: 'error' })).rejects.toThrow(
      /unexpected redirect/,
    );
  });

  it('reuses keep-alive connections across sequential requests', async () => {
    const ports = new Set<number>();
    const onConnection = (socket: { remotePort?: number }) => {
      if (socket.remotePort) ports.add(socket.remotePort);
    };
    server.on('connection', onConnection);
    try {
      for (let index = 0; index < 20; index += 1) {
        await (await client(`${baseUrl}/status?code=200`)).json();
      }
    } finally {
      server.off('connection', onConnection);
    }
    expect(ports.size).toBeLessThanOrEqual(1);
  });
});

describe('createHttpClient: failures reject like fetch', () => {
  it('rejects with the reason when the signal is already aborted, sending nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client(`${baseUrl}/echo`, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(seen).toHaveLength(0);
  });

  it('rejects with the reason when aborted while waiting for the answer', async () => {
    const controller = new AbortController();
    const pending = client(`${baseUrl}/never`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('errors the body stream when aborted while the body is read', async () => {
    const controller = new AbortController();
    const response = await client(`${baseUrl}/slow-body`, { signal: controller.signal });
    const text = response.text();
    controller.abort();
    await expect(text).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with the reason when aborted while a small body is read', async () => {
    const controller = new AbortController();
    const pending = client(`${baseUrl}/stalled-known-length`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('gave up')), 50);
    await expect(pending).rejects.toThrow('gave up');
  });

  it('rejects with TimeoutError on AbortSignal.timeout, as fetch does', async () => {
    await expect(
      client(`${baseUrl}/never`, { signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with a TypeError when the headers do not come within headersTimeoutMs', async () => {
    const impatient = createHttpClient({ headersTimeoutMs: 150 });
    try {
      const error = await impatient(`${baseUrl}/never`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/never failed/);
      expect((error as TypeError).cause).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    } finally {
      await impatient.close();
    }
  });

  it('errors the body when it stalls longer than bodyTimeoutMs', async () => {
    const impatient = createHttpClient({ bodyTimeoutMs: 150 });
    try {
      const response = await impatient(`${baseUrl}/slow-body`);
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    } finally {
      await impatient.close();
    }
  });

  it('rejects with a TypeError when a small body stalls longer than bodyTimeoutMs', async () => {
    const impatient = createHttpClient({ bodyTimeoutMs: 150 });
    try {
      const error = await impatient(`${baseUrl}/stalled-known-length`).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).cause).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    } finally {
      await impatient.close();
    }
  });

  it('rejects with a TypeError naming the cause when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await client(`http://127.0.0.1:${port}/v23.0/1/messages?access_token=secret`, {
      method: 'POST',
      body: '{}',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain('ECONNREFUSED');
    // The URL is named without its query string (Graph URLs may carry tokens).
    expect((error as TypeError).message).toContain(`http://127.0.0.1:${port}/v23.0/1/messages`);
    expect((error as TypeError).message).not.toContain('secret');
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with a TypeError on a malformed URL', async () => {
    await expect(client('not a url')).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects when the connection drops before the answer', async () => {
    routes.set('/drop', (request) => request.socket.destroy());
    const error = await client(`${baseUrl}/drop`, { method: 'POST', body: '{}' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(/failed: (other side closed|socket hang up)/);
  });
});
