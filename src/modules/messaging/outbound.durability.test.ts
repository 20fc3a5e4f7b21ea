import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { signMetaWebhook } from '../../../test/helpers/meta-webhook.js';
import { type RecadoProcess, startRecadoProcess } from '../../../test/helpers/recado-process.js';
import {
  createTestQueuePrefix,
  deleteRedisKeysWithPrefix,
} from '../../../test/helpers/redis-keys.js';
import { createTestDatabase } from '../../../test/helpers/test-database.js';
import { isServicesRun, testRedisUrl } from '../../../test/helpers/test-env.js';
import { type DbExecutor, openDatabase } from '../../platform/db/database.js';
import { startFakeGraphApi } from './testing/fake-graph-api.js';
import { buildMetaInboundBatch } from './testing/meta-inbound-batch.js';

/**
 * The outbound engine's durability proof, with the real CLI processes: 1,000 messages queued
 * through the API; the process sending them is SIGKILLed with provider calls in flight, then
 * restarted. Unit run: embedded mode (`start --role all` on a PGlite data dir, in-process queue:
 * the killed process holds the database). Services run: PostgreSQL + BullMQ, one API process
 * and two workers, one of which is killed and replaced.
 *
 * What "exactly once" can mean here: a call the provider received whose answer the sender never
 * committed cannot be told apart from one that never arrived (Meta's API takes no idempotency
 * key), so Recado sends it again after the row's lease runs out. The fake Graph API holds
 * every request from the 301st on, so at the kill each sender has all its slots (16) in such
 * calls; the test asserts that only those were delivered twice, and every other message once
 * (a call the fake answered 503 is not a delivery).
 */

const messageCount = 1_000;
const answeredBeforeHold = 300;
/** `messages.send` concurrency per process (create-runtime.ts). */
const sendConcurrency = 16;
const admin = { email: 'durability@example.com', password: 'durability password' };
const appSecret = 'durability-secret';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const keyOf = (i: number) => `durability ${i}`;
const phoneOf = (i: number) => `5511987${String(i).padStart(6, '0')}`;

describe('outbound durability', () => {
  it(`${isServicesRun ? 'postgres + bullmq, 1 api + 2 workers' : 'embedded (pglite + in-process queue)'}: a SIGKILLed sender loses no message and re-sends only its calls in flight`, async ({
    annotate,
  }) => {
    const fake = await startFakeGraphApi();
    cleanups.push(() => fake.close());
    // From the 301st call on the provider holds calls; one held 20 s is answered 503 (so no
    // sender times out while the test is still queueing), until the kill freezes them.
    fake.holdAfter(answeredBeforeHold + 1, { busyAfterMs: 20_000 });
    const cluster = await startCluster();
    const api = createClient(cluster.apiUrl());
    await api.login();

    const channel = await api.request('POST', '/api/v1/channels', {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId: '1122334455667',
        wabaId: '99887766',
        accessToken: 'graph-token',
        appSecret,
        verifyToken: 'verify',
        graphApiBaseUrl: fake.baseUrl,
      },
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const channelId = (channel.body as { id: string }).id;

    // 1,000 customers write first (10 batched deliveries), opening their 24-hour windows.
    const startedAt = Date.now();
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: messageCount / 10 }, (_, j) => b * (messageCount / 10) + j),
    );
    for (const batch of batches) {
      const body = buildMetaInboundBatch(
        batch.map((i) => ({ waId: phoneOf(i), wamid: `wamid.in.${i}`, text: 'Oi' })),
      );
      const response = await fetch(`${cluster.apiUrl()}/webhooks/meta-cloud/${channelId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signMetaWebhook(body, appSecret),
        },
        body,
      });
      expect(response.status).toBe(200);
    }
    for (const batch of batches) {
      // Events of a delivery are applied in order: the last sender's window opens last.
      const phone = encodeURIComponent(`+${phoneOf(batch.at(-1) ?? 0)}`);
      await waitFor('the inbound batches to open the windows', 120_000, async () => {
        const page = await api.request('GET', `/api/v1/conversations?phone=${phone}`);
        const items = (page.body as { items: Array<{ lastInboundAt: string | null }> }).items;
        return items.length === 1 && items[0]?.lastInboundAt !== null;
      });
    }
    const windowsOpenAt = Date.now();

    // The business answers all of them.
    const idByKey = new Map<string, string>();
    await runConcurrently(messageCount, 8, async (i) => {
      const response = await api.request('POST', '/api/v1/messages', {
        channelId,
        to: { phone: `+${phoneOf(i)}` },
        content: { type: 'text', text: keyOf(i) },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      idByKey.set(keyOf(i), (response.body as { id: string }).id);
    });
    expect(idByKey.size).toBe(messageCount);
    const queuedAt = Date.now();

    // Every sender ends up with all its slots in calls the provider holds: kill one now.
    const inFlightTarget = sendConcurrency * cluster.senderCount;
    await waitFor(`${inFlightTarget} provider calls in flight`, 120_000, async () => {
      return fake.heldCount() >= inFlightTarget;
    });
    fake.freezeHeld();
    expect(fake.heldCount()).toBe(inFlightTarget);
    await cluster.killSender();
    const killedAt = Date.now();
    const atKill = await cluster.readStatusesByKey();
    // Once the dead sender's connections are seen closed, answer the survivors' held calls.
    const countOrphaned = () =>
      fake.receipts.filter((r) => r.orphaned && r.status === undefined).length;
    await waitFor("the dead sender's calls to be orphaned", 10_000, async () => {
      return countOrphaned() >= sendConcurrency;
    });
    await sleep(200);
    fake.release();

    const receivedBeforeKill = new Set(
      fake.receipts.filter((r) => r.receivedAt <= killedAt).map((r) => r.key),
    );
    const inFlightAtKill = new Set(
      [...receivedBeforeKill].filter((key) => atKill.get(key) !== 'sent'),
    );
    const orphaned = new Set(
      fake.receipts.filter((r) => r.orphaned && r.status === undefined).map((r) => r.key),
    );
    // The kill landed mid-way: what was answered had been committed, the rest was left behind.
    expect([...atKill.values()].filter((s) => s === 'sent')).toHaveLength(answeredBeforeHold);
    expect([...atKill.values()].filter((s) => s === 'sending').length).toBeGreaterThanOrEqual(
      sendConcurrency,
    );
    expect(orphaned.size).toBe(sendConcurrency);
    for (const key of orphaned) expect(inFlightAtKill.has(key), key).toBe(true);

    await cluster.restartSender();
    const restartedAt = Date.now();
    const client = createClient(cluster.apiUrl(), api.token());
    await waitFor('every message to reach the provider', 240_000, async () => {
      return fake.okCountByKey().size === messageCount;
    });
    let views = new Map<string, { status: string; providerMessageId: string | null }>();
    await waitFor('every message to be sent', 120_000, async () => {
      views = await readViews(client, idByKey, views);
      return [...views.values()].every((view) => view.status === 'sent');
    });
    const doneAt = Date.now();

    // Nothing lost: every message is sent, with the id of the provider's (last) 200.
    const received = fake.deliveredCountByKey();
    for (let i = 0; i < messageCount; i++) {
      const key = keyOf(i);
      const lastOk = fake.receipts.filter((r) => r.key === key && r.status === 200).at(-1);
      expect(views.get(key), key).toEqual({ status: 'sent', providerMessageId: lastOk?.wamid });
      expect(received.get(key) ?? 0, key).toBeGreaterThanOrEqual(1);
    }
    // Duplicated only: calls in flight at the kill, at most twice each; the dead sender's
    // unanswered calls were indeed sent again once their lease ran out.
    const duplicated = [...received].filter(([, count]) => count > 1);
    for (const [key, count] of duplicated) {
      expect(count, key).toBe(2);
      expect(inFlightAtKill.has(key), key).toBe(true);
    }
    expect(duplicated.length).toBeLessThanOrEqual(inFlightAtKill.size);
    for (const key of orphaned) expect(received.get(key), key).toBe(2);
    expect([...received.values()].reduce((sum, count) => sum + count, 0)).toBe(
      messageCount + duplicated.length,
    );

    await annotate(
      [
        `windows opened in ${seconds(windowsOpenAt - startedAt)} s, 1,000 queued in ${seconds(queuedAt - windowsOpenAt)} s`,
        `killed after ${fake.receipts.filter((r) => r.receivedAt <= killedAt).length} provider calls; all sent ${seconds(doneAt - killedAt)} s after the kill (restart took ${seconds(restartedAt - killedAt)} s)`,
        `${duplicated.length} sent twice (in flight at the kill: ${inFlightAtKill.size}, orphaned: ${orphaned.size}); ${fake.receipts.filter((r) => r.status === 503).length} calls answered 503 while held`,
      ].join('; '),
    );
    await cluster.stop();
  }, 600_000);
});

const seconds = (ms: number) => (ms / 1000).toFixed(1);

type Cluster = {
  apiUrl(): string;
  /** Processes that send (embedded: the one process; scaled: the workers). */
  senderCount: number;
  killSender(): Promise<void>;
  restartSender(): Promise<void>;
  /** Outbound message statuses by text; for PGlite only while no process holds the data dir. */
  readStatusesByKey(): Promise<Map<string, string>>;
  stop(): Promise<void>;
};

function track(process: RecadoProcess): RecadoProcess {
  cleanups.push(async () => {
    await process.stop('SIGKILL');
  });
  return process;
}

async function startCluster(): Promise<Cluster> {
  const common = {
    RECADO_ADMIN_EMAIL: admin.email,
    RECADO_ADMIN_PASSWORD: admin.password,
    RATE_LIMIT_PER_MINUTE: '1000000',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  if (!isServicesRun) {
    // A PGlite data dir seeded from the migrated template (no initdb in the child).
    const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-outbound-durability-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const dump = await readFile(inject('pgliteTemplatePath'));
    const seed = await PGlite.create({
      dataDir: path.join(dataDir, 'pglite'),
      loadDataDir: new Blob([dump]),
    });
    await seed.close();
    const env = { ...common, DATA_DIR: dataDir };
    let all = track(await startRecadoProcess({ role: 'all', env }));
    return {
      apiUrl: () => all.baseUrl,
      senderCount: 1,
      killSender: async () => {
        await all.stop('SIGKILL');
      },
      restartSender: async () => {
        all = track(await startRecadoProcess({ role: 'all', env }));
      },
      // Reopening the data dir right after the SIGKILL is part of the proof: PGlite recovers.
      readStatusesByKey: async () => {
        const handle = await openDatabase({
          kind: 'pglite',
          dataDir: path.join(dataDir, 'pglite'),
        });
        try {
          return await readStatuses(handle.db);
        } finally {
          await handle.close();
        }
      },
      stop: async () => {
        expect(await all.stop()).toBe(0);
      },
    };
  }
  const database = await createTestDatabase();
  cleanups.push(() => database.destroy());
  const prefix = createTestQueuePrefix();
  cleanups.push(() => deleteRedisKeysWithPrefix(testRedisUrl, prefix));
  const env = {
    ...common,
    DATABASE_URL: database.url ?? '',
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
  const apiProcess = track(await startRecadoProcess({ role: 'api', env }));
  const workers = await Promise.all([
    startRecadoProcess({ role: 'worker', env }).then(track),
    startRecadoProcess({ role: 'worker', env }).then(track),
  ]);
  return {
    apiUrl: () => apiProcess.baseUrl,
    senderCount: workers.length,
    killSender: async () => {
      await workers[0]?.stop('SIGKILL');
    },
    restartSender: async () => {
      workers[0] = track(await startRecadoProcess({ role: 'worker', env }));
    },
    readStatusesByKey: () => readStatuses(database.db),
    stop: async () => {
      const codes = await Promise.all([apiProcess, ...workers].map((p) => p.stop()));
      expect(codes).toEqual([0, 0, 0]);
    },
  };
}

async function readStatuses(db: DbExecutor): Promise<Map<string, string>> {
  const result = (await db.execute(
    sql`select content->>'text' as key, status from messages where direction = 'outbound'`,
  )) as unknown as { rows: Array<{ key: string; status: string }> };
  return new Map(result.rows.map((row) => [row.key, row.status]));
}

type ApiClient = {
  login(): Promise<void>;
  token(): string;
  request(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }>;
};

function createClient(baseUrl: string, initialToken = ''): ApiClient {
  let accessToken = initialToken;
  async function request(method: string, url: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
  return {
    async login() {
      const response = await request('POST', '/api/v1/auth/login', admin);
      expect(response.status).toBe(200);
      accessToken = (response.body as { accessToken: string }).accessToken;
    },
    token: () => accessToken,
    request,
  };
}

/** Reads the messages not known to be sent yet. */
async function readViews(
  client: ApiClient,
  idByKey: Map<string, string>,
  previous: Map<string, { status: string; providerMessageId: string | null }>,
) {
  const views = new Map(previous);
  const pending = [...idByKey].filter(([key]) => views.get(key)?.status !== 'sent');
  await runConcurrently(pending.length, 8, async (index) => {
    const [key, id] = pending[index] ?? ['', ''];
    const response = await client.request('GET', `/api/v1/messages/${id}`);
    expect(response.status).toBe(200);
    const view = response.body as { status: string; providerMessageId: string | null };
    views.set(key, { status: view.status, providerMessageId: view.providerMessageId });
  });
  return views;
}

async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await task(index);
      }
    }),
  );
}

async function waitFor(what: string, timeoutMs: number, condition: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}
