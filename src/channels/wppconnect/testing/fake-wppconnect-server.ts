import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback WPPConnect Server (2.10) for tests: the routes Recado uses, answering as the real
 * server's controllers do (status codes, body shapes, its Portuguese messages), its auth
 * middleware (a bearer token from `generate-token`, refused with 401 once revoked), its
 * connection check before sends (404 "Disconnected", 400 "O número X não existe."), and its
 * webhooks (`{ event, session, ...data }` POSTed to the URL given at `start-session`).
 *
 * Stricter than the real server in one way: a send without its required fields is answered
 * 400 instead of failing inside the browser, so a wrong request shape fails the test.
 */

/** A 1×1 PNG: what `qrcode-session` serves while the session waits for a scan. */
export const fakeQrPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
export const fakeQrUrlCode = '2@fakeQrCodeRef,fakeNoiseKey,fakeIdentityKey,fakeAdvSecret';

export type FakeWppconnectState = 'CLOSED' | 'INITIALIZING' | 'QRCODE' | 'CONNECTED';

export type FakeWppconnectRequest = {
  method: string;
  /** The route below `/api/<session>/` (e.g. `send-message`), or the full path elsewhere. */
  route: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: unknown;
};

export type FakeWppconnectSend = {
  route: string;
  body: Record<string, unknown>;
  /** The serialized id the fake gave the message. */
  id: string;
};

export type FakeWppconnectDelivery = { url: string; body: string; status: number };

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export type FakeWppconnect = {
  baseUrl: string;
  session: string;
  secretKey: string;
  /** The business's own number (digits). */
  phone: string;
  requests: FakeWppconnectRequest[];
  sends: FakeWppconnectSend[];
  deliveries: FakeWppconnectDelivery[];
  tokensIssued(): number;
  state(): FakeWppconnectState;
  webhookUrl(): string | undefined;
  /** Every token issued so far stops working (a server restarted with another key). */
  revokeTokens(): void;
  /** `qrcode-session` answers a PNG (default), or JSON `{ qrcode: "data:image/png;base64,…" }`. */
  setQrFormat(format: 'png' | 'json'): void;
  /** The next `times` calls to `route` get this answer instead. */
  failNext(route: string, answer: Answer, times?: number): void;
  /** Numbers the connection check says are not on WhatsApp (digits). */
  markUnknownNumber(phone: string): void;
  /** `check-connection-session` says Disconnected while the status still says CONNECTED. */
  breakSocket(isBroken: boolean): void;
  /** The phone scans the QR code: qrReadSuccess, then isLogged and inChat. */
  scanQr(): Promise<void>;
  /** The phone removes the linked device: desconnectedMobile, the session closes. */
  disconnectPhone(): Promise<void>;
  /** A person writes to the business: an `onmessage` webhook; returns the message id. */
  receive(input: FakeIncoming): Promise<string>;
  /** The recipient's phone reports an ack level for a message the business sent. */
  ack(messageId: string, level: number): Promise<void>;
  /** Bytes `get-media-by-message` serves for an inbound message. */
  storeMedia(messageId: string, bytes: Buffer, mimetype: string): void;
  /** Any webhook, as the server would post it. */
  emit(event: string, data: Record<string, unknown>): Promise<void>;
  /** Resolves once the webhooks the server posts on its own (after start-session) are out. */
  idle(): Promise<void>;
  close(): Promise<void>;
};

export type FakeIncoming = {
  from: string;
  name?: string;
  type?: string;
  body?: string;
  /** Extra Message fields (caption, mimetype, lat, lng, listResponse, quotedMsgId...). */
  fields?: Record<string, unknown>;
};

export type FakeWppconnectOptions = {
  session?: string;
  secretKey?: string;
  phone?: string;
  /** How webhooks reach Recado; by default a real POST to the registered URL. */
  deliverWebhook?: (url: string, body: string) => Promise<number>;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The routes that pass the real server's `statusConnection` middleware (connected session). */
const sendRoutes = new Set([
  'send-message',
  'send-reply',
  'send-image',
  'send-file',
  'send-file-base64',
  'send-voice',
  'send-sticker',
  'send-location',
  'send-list-message',
  'react-message',
]);

const requiredFields: Record<string, string[]> = {
  'send-message': ['phone', 'message'],
  'send-reply': ['phone', 'message', 'messageId'],
  'send-image': ['phone'],
  'send-file': ['phone'],
  'send-file-base64': ['phone', 'base64'],
  'send-voice': ['phone', 'path'],
  'send-sticker': ['phone', 'path'],
  'send-location': ['phone', 'lat', 'lng'],
  'send-list-message': ['phone', 'buttonText', 'sections'],
  'react-message': ['msgId'],
};

export async function startFakeWppconnect(
  options: FakeWppconnectOptions = {},
): Promise<FakeWppconnect> {
  const session = options.session ?? 'recado';
  const secretKey = options.secretKey ?? 'THISISMYSECURETOKEN';
  const phone = options.phone ?? '5511900000000';
  const requests: FakeWppconnectRequest[] = [];
  const sends: FakeWppconnectSend[] = [];
  const deliveries: FakeWppconnectDelivery[] = [];
  const validTokens = new Set<string>();
  const scripted = new Map<string, Answer[]>();
  const unknownNumbers = new Set<string>();
  const media = new Map<string, { bytes: Buffer; mimetype: string }>();
  let issued = 0;
  let state: FakeWppconnectState | null = null;
  let webhook: string | undefined;
  let qrFormat: 'png' | 'json' = 'png';
  let isSocketBroken = false;
  let background: Promise<void> = Promise.resolve();
  let starts = 0;
  const urlCode = () => `${fakeQrUrlCode},${starts}`;

  const deliver =
    options.deliverWebhook ??
    (async (url: string, body: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    });

  /** Like the real server (axios, errors only logged), a failed delivery is not retried. */
  async function emit(event: string, data: Record<string, unknown>) {
    if (!webhook) return;
    const body = JSON.stringify({ event, session, ...data });
    const status = await deliver(webhook, body).catch(() => 0);
    deliveries.push({ url: webhook, body, status });
  }

  function json(response: ServerResponse, status: number, body: unknown, headers = {}) {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }

  function sentMessage(route: string, body: Record<string, unknown>) {
    const to = `${String(body.phone).replace(/\D/g, '')}@${body.isLid === true ? 'lid' : 'c.us'}`;
    const id = `true_${to}_3EB0${hex(8)}`;
    sends.push({ route, body, id });
    return {
      id,
      ack: 0,
      body: typeof body.message === 'string' ? body.message : '',
      type: route === 'send-message' || route === 'send-reply' ? 'chat' : 'document',
      t: Math.floor(Date.now() / 1000),
      from: `${phone}@c.us`,
      to,
      self: 'out',
      isNewMsg: true,
      fromMe: true,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readBody(request);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const match = /^\/api\/([^/]+)\/(.+)$/.exec(url.pathname);
    const pathSession = match ? decodeURIComponent(match[1] ?? '') : '';
    const rest = match?.[2] ?? url.pathname;
    const tokenRoute = /^([^/]+)\/generate-token$/.exec(rest);
    const route = tokenRoute ? 'generate-token' : (rest.split('/')[0] ?? rest);
    requests.push({ method: request.method ?? 'GET', route, path: url.pathname, headers, body });

    if (tokenRoute) {
      if (decodeURIComponent(tokenRoute[1] ?? '') !== secretKey) {
        return json(response, 400, { response: false, message: 'The SECRET_KEY is incorrect' });
      }
      const token = `$2b$10$${hex(20)}`.replace(/\//g, '_').replace(/\+/g, '-');
      validTokens.add(`${pathSession}:${token}`);
      issued++;
      return json(response, 201, {
        status: 'success',
        session: pathSession,
        token,
        full: `${pathSession}:${token}`,
      });
    }
    if (!match) return json(response, 404, { message: 'Not found' });

    const authorization = headers.authorization ?? '';
    const token = authorization.split(' ')[1];
    if (!token) {
      return json(response, 401, {
        message: 'Token is not present. Check your header and try again',
      });
    }
    if (!validTokens.has(`${pathSession}:${token}`)) {
      return json(response, 401, { error: 'Check that the Session and Token are correct' });
    }
    if (pathSession !== session) {
      return json(response, 200, { status: 'CLOSED', qrcode: null });
    }

    const queue = scripted.get(route);
    const next = queue?.shift();
    if (next) {
      if (queue?.length === 0) scripted.delete(route);
      return json(response, next.status, next.body, next.headers);
    }

    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (sendRoutes.has(route)) {
      if (state !== 'CONNECTED') {
        return json(response, 404, {
          response: null,
          status: 'Disconnected',
          message: 'A sessão do WhatsApp não está ativa.',
        });
      }
      const missing = (requiredFields[route] ?? []).filter((field) => record[field] === undefined);
      if (route === 'send-image' || route === 'send-file') {
        if (record.path === undefined && record.base64 === undefined) {
          return json(response, 401, { message: 'Sending the file is mandatory' });
        }
      }
      if (missing.length > 0) {
        return json(response, 400, {
          status: 'error',
          message: `fake: ${missing.join(', ')} required`,
        });
      }
      const target = String(record.phone ?? '').replace(/\D/g, '');
      if (record.phone !== undefined && unknownNumbers.has(target)) {
        return json(response, 400, {
          response: null,
          status: 'Connected',
          message: `O número ${target} não existe.`,
        });
      }
      if (route === 'react-message') {
        sends.push({ route, body: record, id: '' });
        return json(response, 200, { status: 'success', response: { message: 'Reaction sended' } });
      }
      return json(response, 201, {
        status: 'success',
        response: [sentMessage(route, record)],
        mapper: 'return',
      });
    }

    switch (route) {
      case 'start-session': {
        const answer =
          state === null || state === 'CLOSED'
            ? { status: 'CLOSED', qrcode: null }
            : { status: state, qrcode: null, urlcode: null, version: '2.10.4' };
        json(response, 200, answer);
        if (state === null || state === 'CLOSED') {
          webhook = typeof record.webhook === 'string' ? record.webhook : undefined;
          state = 'INITIALIZING';
          // The browser opens after the answer; the QR code follows as webhooks.
          background = background.then(async () => {
            await new Promise((resolve) => setImmediate(resolve));
            state = 'QRCODE';
            await emit('status-find', { status: 'notLogged' });
            // Each start shows a new code (the image stays the same 1×1 PNG here).
            starts++;
            await emit('qrcode', { qrcode: fakeQrPng.toString('base64'), urlcode: urlCode() });
          });
        }
        return;
      }
      case 'status-session':
        if (state === null || state === 'CLOSED') {
          return json(response, 200, { status: 'CLOSED', qrcode: null });
        }
        return json(response, 200, {
          status: state,
          qrcode:
            state === 'QRCODE' ? `data:image/png;base64,${fakeQrPng.toString('base64')}` : null,
          urlcode: state === 'QRCODE' ? urlCode() : null,
          version: '2.10.4',
        });
      case 'check-connection-session':
        return state === 'CONNECTED' && !isSocketBroken
          ? json(response, 200, { status: true, message: 'Connected' })
          : json(response, 200, { status: false, message: 'Disconnected' });
      case 'qrcode-session':
        if (state === 'QRCODE') {
          if (qrFormat === 'json') {
            return json(response, 200, {
              status: 'QRCODE',
              qrcode: `data:image/png;base64,${fakeQrPng.toString('base64')}`,
              urlcode: urlCode(),
            });
          }
          response.writeHead(200, {
            'content-type': 'image/png',
            'content-length': String(fakeQrPng.length),
          });
          response.end(fakeQrPng);
          return;
        }
        if (state === null) {
          return json(response, 200, {
            status: null,
            message:
              'Session not started. Please, use the /start-session route, for initialization your session',
          });
        }
        return json(response, 200, { status: state, message: 'QRCode is not available...' });
      case 'close-session':
        if (state === null) {
          return json(response, 500, { status: false, message: 'Error closing session' });
        }
        state = 'CLOSED';
        // The real server posts the webhook and answers without waiting; here, webhook first.
        await emit('closesession', {
          message: `Session: ${session} disconnected`,
          connected: false,
        });
        return json(response, 200, { status: true, message: 'Session successfully closed' });
      case 'logout-session':
        state = 'CLOSED';
        await emit('logoutsession', {
          message: `Session: ${session} logged out`,
          connected: false,
        });
        return json(response, 200, { status: true, message: 'Session successfully closed' });
      case 'typing':
        return json(response, 200, { status: 'success', response: { value: record.value } });
      case 'get-media-by-message': {
        const id = decodeURIComponent(rest.slice('get-media-by-message/'.length));
        const stored = media.get(id);
        if (!stored) return json(response, 400, { status: 'error', message: 'Message not found' });
        return json(response, 200, {
          base64: stored.bytes.toString('base64'),
          mimetype: stored.mimetype,
        });
      }
      default:
        return json(response, 404, { message: `fake: no route ${route}` });
    }
  }

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { status: 'error', message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    session,
    secretKey,
    phone,
    requests,
    sends,
    deliveries,
    tokensIssued: () => issued,
    state: () => state ?? 'CLOSED',
    webhookUrl: () => webhook,
    revokeTokens: () => validTokens.clear(),
    setQrFormat(format) {
      qrFormat = format;
    },
    failNext(route, answer, times = 1) {
      scripted.set(route, [...(scripted.get(route) ?? []), ...Array(times).fill(answer)]);
    },
    markUnknownNumber(number) {
      unknownNumbers.add(number);
    },
    breakSocket(isBroken) {
      isSocketBroken = isBroken;
    },
    async scanQr() {
      await emit('status-find', { status: 'qrReadSuccess' });
      state = 'CONNECTED';
      await emit('status-find', { status: 'isLogged' });
      await emit('status-find', { status: 'inChat' });
    },
    async disconnectPhone() {
      state = 'CLOSED';
      await emit('status-find', { status: 'desconnectedMobile' });
    },
    async receive(input) {
      const from = `${input.from.replace(/\D/g, '')}@c.us`;
      const id = `false_${from}_${hex(10)}`;
      const t = Math.floor(Date.now() / 1000);
      await emit('onmessage', {
        id,
        body: input.body ?? '',
        type: input.type ?? 'chat',
        t,
        notifyName: input.name ?? '',
        from,
        to: `${phone}@c.us`,
        self: 'in',
        ack: 1,
        isNewMsg: true,
        star: false,
        recvFresh: true,
        broadcast: false,
        mentionedJidList: [],
        isForwarded: false,
        labels: [],
        sender: {
          id: from,
          pushname: input.name,
          type: 'in',
          isBusiness: false,
          isEnterprise: false,
          isUser: true,
          isWAContact: true,
        },
        timestamp: t,
        content: input.body ?? '',
        isGroupMsg: false,
        isMedia: false,
        isNotification: false,
        isPSA: false,
        chatId: from,
        mediaData: {},
        ...input.fields,
      });
      return id;
    },
    async ack(messageId, level) {
      const sent = sends.find((send) => send.id === messageId);
      const [, remote = '', raw = ''] = /^true_([^_]+)_(.+)$/.exec(messageId) ?? [];
      await emit('onack', {
        id: { fromMe: true, remote, id: raw, _serialized: messageId },
        body: typeof sent?.body.message === 'string' ? sent.body.message : '',
        type: 'chat',
        t: Math.floor(Date.now() / 1000),
        from: `${phone}@c.us`,
        to: remote,
        self: 'out',
        ack: level,
        isNewMsg: false,
        star: false,
        mentionedJidList: [],
        isForwarded: false,
        labels: [],
      });
    },
    storeMedia(messageId, bytes, mimetype) {
      media.set(messageId, { bytes, mimetype });
    },
    emit,
    idle: () => background,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
