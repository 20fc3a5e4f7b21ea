import { Agent as NodeAgent, request as nodeRequest } from 'node:http';
import { Readable } from 'node:stream';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { createHttpClient } from '../../src/platform/http-client/http-client.js';

/**
 * The ways a provider adapter could POST a send to the Graph API, each reading the JSON answer
 * and its message id, so bench/http-client.bench.ts (and the outbound baseline) compare like
 * with like. Each sender keeps one pool of keep-alive connections, sized to the concurrency.
 */

export const clientVariants = [
  'node-http',
  'undici-request',
  'http-client',
  'node-http-response',
  'fetch',
] as const;
export type ClientVariant = (typeof clientVariants)[number];

export const clientVariantLabels: Record<ClientVariant, string> = {
  'node-http': 'node:http + keep-alive Agent (raw, baseline)',
  'undici-request': 'undici request + Agent (raw)',
  'http-client': 'createHttpClient (undici → Response)',
  'node-http-response': 'node:http + Agent → Response (alternative)',
  fetch: 'global fetch (Node 20)',
};

export type SendTarget = { url: string; headers: Record<string, string> };

export type Sender = {
  /** POSTs `body`, reads the JSON answer and returns `messages[0].id`. */
  send(body: string): Promise<string>;
  close(): Promise<void>;
};

function readMessageId(json: unknown, status: number): string {
  const id = (json as { messages?: Array<{ id?: unknown }> } | undefined)?.messages?.[0]?.id;
  if (status !== 200 || typeof id !== 'string') {
    throw new Error(`HTTP ${status}: ${JSON.stringify(json).slice(0, 200)}`);
  }
  return id;
}

function createNodeHttpSender(target: SendTarget, concurrency: number): Sender {
  const agent = new NodeAgent({ keepAlive: true, maxSockets: concurrency });
  return {
    send: (body) =>
      new Promise((resolve, reject) => {
        const request = nodeRequest(
          target.url,
          {
            method: 'POST',
            agent,
            headers: { ...target.headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              try {
                const json: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                resolve(readMessageId(json, response.statusCode ?? 0));
              } catch (error) {
                reject(error);
              }
            });
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    close: async () => agent.destroy(),
  };
}

function createUndiciSender(target: SendTarget, concurrency: number): Sender {
  const agent = new UndiciAgent({ connections: concurrency });
  return {
    send: async (body) => {
      const response = await undiciRequest(target.url, {
        method: 'POST',
        headers: target.headers,
        body,
        dispatcher: agent,
      });
      return readMessageId(await response.body.json(), response.statusCode);
    },
    close: () => agent.close(),
  };
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

function createFetchLikeSender(target: SendTarget, client: FetchLike, close: () => Promise<void>) {
  return {
    send: async (body: string) => {
      const response = await client(target.url, { method: 'POST', headers: target.headers, body });
      return readMessageId(await response.json(), response.status);
    },
    close,
  };
}

/** What an adapter client on node:http would look like: fetch's shape over a keep-alive Agent. */
function createNodeHttpFetchLike(concurrency: number): { client: FetchLike; agent: NodeAgent } {
  const agent = new NodeAgent({ keepAlive: true, maxSockets: concurrency });
  const client: FetchLike = (url, init) =>
    new Promise((resolve, reject) => {
      const request = nodeRequest(
        url,
        {
          method: init.method ?? 'GET',
          agent,
          headers: init.headers as Record<string, string>,
          signal: init.signal ?? undefined,
        },
        (response) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (Array.isArray(value)) for (const item of value) headers.append(name, item);
            else if (value !== undefined) headers.append(name, value);
          }
          resolve(
            new Response(Readable.toWeb(response) as ReadableStream<Uint8Array>, {
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      request.on('error', reject);
      request.end(typeof init.body === 'string' ? init.body : undefined);
    });
  return { client, agent };
}

export function createSender(
  variant: ClientVariant,
  target: SendTarget,
  concurrency: number,
): Sender {
  switch (variant) {
    case 'node-http':
      return createNodeHttpSender(target, concurrency);
    case 'undici-request':
      return createUndiciSender(target, concurrency);
    case 'http-client': {
      const client = createHttpClient({ connectionsPerOrigin: concurrency });
      return createFetchLikeSender(target, client, () => client.close());
    }
    case 'node-http-response': {
      const { client, agent } = createNodeHttpFetchLike(concurrency);
      return createFetchLikeSender(target, client, async () => agent.destroy());
    }
    case 'fetch':
      return createFetchLikeSender(
        target,
        (url, init) => fetch(url, init),
        async () => {},
      );
  }
}

/** A Meta text send as the adapter builds it, to a distinct recipient per index. */
export function buildSendBody(index: number): string {
  return JSON.stringify({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: String(5511900000000 + index),
    type: 'text',
    text: { body: `Olá! Mensagem de teste número ${index}.` },
  });
}

export function buildSendTarget(baseUrl: string): SendTarget {
  return {
    url: `${baseUrl}/v23.0/1122334455667/messages`,
    headers: {
      authorization: 'Bearer bench-token',
      'content-type': 'application/json',
      'user-agent': 'recado/0.1.0',
    },
  };
}
