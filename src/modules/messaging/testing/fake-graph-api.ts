import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Meta's Graph API `POST /{version}/{phone-number-id}/messages`, for
 * the reliability tests. It counts what it receives per message (the text body, unique per
 * message in these tests) and can misbehave on purpose:
 *
 * - `refuse()`: stops listening and drops its connections (connection refused), `listen()`
 *   takes the same port back;
 * - `setAnswer('unavailable')`: answers 503 with Meta's "service temporarily unavailable";
 * - `holdAfter(n)`: from the n-th request on, takes requests and does not answer them until
 *   `release()` (a provider call in flight when a worker is killed). A held request whose
 *   connection closes before it is answered is `orphaned`: the sender died not knowing. With
 *   `busyAfterMs`, a request held that long is answered 503 with `Retry-After: 1` (before the
 *   sender's own timeout, which would orphan it); `freezeHeld()` stops that.
 *
 * A request counts as delivered when it was answered 200 or orphaned (the provider may well
 * have sent it); a 503 is not a delivery.
 */

export type FakeGraphReceipt = {
  /** Position in arrival order, from 1. */
  sequence: number;
  /** `text.body` of the request (each test message has its own), else the whole body. */
  key: string;
  to: string;
  receivedAt: number;
  /** What the fake answered: 200, 503, or undefined while held or when orphaned. */
  status: number | undefined;
  /** The message id the fake gave on 200. */
  wamid: string | undefined;
  held: boolean;
  orphaned: boolean;
};

export type FakeGraphApi = {
  baseUrl: string;
  receipts: FakeGraphReceipt[];
  /** Requests received per key. */
  countByKey(): Map<string, number>;
  /** 200 answers per key. */
  okCountByKey(): Map<string, number>;
  /** Deliveries per key: answered 200, or orphaned. */
  deliveredCountByKey(): Map<string, number>;
  setAnswer(answer: 'ok' | 'unavailable'): void;
  /** Runs before each 200 answer (e.g. to post a delivery report ahead of the answer). */
  beforeOk(hook: ((receipt: FakeGraphReceipt) => Promise<void>) | undefined): void;
  holdAfter(count: number, options?: { busyAfterMs?: number }): void;
  /** Held requests still waiting for an answer, with their sender connected. */
  heldCount(): number;
  /** Held requests wait for `release()` however long it takes. */
  freezeHeld(): void;
  /** Answers 200 to every held request whose sender is still connected; stops holding. */
  release(): void;
  /** Connection refused from now on (closes the listener and every open connection). */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  listen(): Promise<void>;
  close(): Promise<void>;
};

type Held = {
  receipt: FakeGraphReceipt;
  response: ServerResponse;
  busyTimer: NodeJS.Timeout | undefined;
};

export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const receipts: FakeGraphReceipt[] = [];
  let answer: 'ok' | 'unavailable' = 'ok';
  let holdFrom: number | undefined;
  let busyAfterMs: number | undefined;
  let held: Held[] = [];
  let hook: ((receipt: FakeGraphReceipt) => Promise<void>) | undefined;
  let isListening = false;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: String(error), code: 1 } }));
      }
    });
  });
  // Keep-alive connections would outlive `server.close()`: track them to drop them in refuse().
  server.keepAliveTimeout = 60_000;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || !/^\/v\d+\.\d+\/\d+\/messages$/.test(request.url ?? '')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Unknown path', code: 100 } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      to?: string;
      text?: { body?: string };
    };
    const receipt: FakeGraphReceipt = {
      sequence: receipts.length + 1,
      key: body.text?.body ?? JSON.stringify(body),
      to: body.to ?? '',
      receivedAt: Date.now(),
      status: undefined,
      wamid: undefined,
      held: false,
      orphaned: false,
    };
    receipts.push(receipt);
    response.on('close', () => {
      if (!response.writableFinished) receipt.orphaned = true;
    });
    if (holdFrom !== undefined && receipt.sequence >= holdFrom) {
      receipt.held = true;
      const entry: Held = { receipt, response, busyTimer: undefined };
      if (busyAfterMs !== undefined) {
        entry.busyTimer = setTimeout(() => {
          held = held.filter((other) => other !== entry);
          if (!response.destroyed) answerUnavailable(receipt, response, { 'retry-after': '1' });
        }, busyAfterMs);
      }
      held.push(entry);
      return;
    }
    if (answer === 'unavailable') {
      answerUnavailable(receipt, response);
      return;
    }
    await answerOk(receipt, response);
  }

  function answerUnavailable(
    receipt: FakeGraphReceipt,
    response: ServerResponse,
    headers: Record<string, string> = {},
  ) {
    receipt.status = 503;
    response.writeHead(503, { 'content-type': 'application/json', ...headers });
    response.end(
      JSON.stringify({ error: { message: 'Service temporarily unavailable', code: 2 } }),
    );
  }

  async function answerOk(receipt: FakeGraphReceipt, response: ServerResponse) {
    receipt.wamid = `wamid.fake.${receipt.sequence}`;
    await hook?.(receipt);
    if (response.destroyed) return;
    receipt.status = 200;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: receipt.to, wa_id: receipt.to }],
        messages: [{ id: receipt.wamid }],
      }),
    );
  }

  async function listen(port = 0) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    isListening = true;
  }

  await listen();
  const { port } = server.address() as AddressInfo;

  const countBy = (filter: (receipt: FakeGraphReceipt) => boolean) => {
    const counts = new Map<string, number>();
    for (const receipt of receipts) {
      if (filter(receipt)) counts.set(receipt.key, (counts.get(receipt.key) ?? 0) + 1);
    }
    return counts;
  };

  async function stopListening() {
    if (!isListening) return;
    isListening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    receipts,
    countByKey: () => countBy(() => true),
    okCountByKey: () => countBy((receipt) => receipt.status === 200),
    deliveredCountByKey: () =>
      countBy(
        (receipt) => receipt.status === 200 || (receipt.orphaned && receipt.status === undefined),
      ),
    setAnswer(next) {
      answer = next;
    },
    beforeOk(next) {
      hook = next;
    },
    holdAfter(count, options = {}) {
      holdFrom = count;
      busyAfterMs = options.busyAfterMs;
    },
    heldCount: () => held.filter((entry) => !entry.receipt.orphaned).length,
    freezeHeld() {
      busyAfterMs = undefined;
      for (const entry of held) clearTimeout(entry.busyTimer);
    },
    release() {
      holdFrom = undefined;
      const waiting = held;
      held = [];
      for (const { receipt, response, busyTimer } of waiting) {
        clearTimeout(busyTimer);
        if (!receipt.orphaned && !response.destroyed) void answerOk(receipt, response);
      }
    },
    refuse: stopListening,
    listen: () => listen(port),
    async close() {
      for (const { response, busyTimer } of held) {
        clearTimeout(busyTimer);
        response.destroy();
      }
      held = [];
      await stopListening();
    },
  };
}
