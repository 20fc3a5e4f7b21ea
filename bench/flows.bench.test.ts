import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { validateFlow } from '../src/engine/index.js';
import { botBenchFlowDocument, parseFlowsBenchArgs, summarizeEngineTurns } from './flows.bench.js';
import {
  createReplyTracker,
  parseUserMessage,
  runBotTurnLoad,
  userMessage,
  userPhone,
} from './lib/bot-turn-load.js';
import {
  engineBenchFlowDocument,
  loadEngineBenchFlow,
  runEngineTurns,
  signupConversation,
} from './lib/engine-turns.js';

describe('parseFlowsBenchArgs', () => {
  it('defaults to both parts and both modes, scaled first, against the local services', () => {
    expect(parseFlowsBenchArgs([], {})).toMatchObject({
      only: ['engine', 'bot'],
      turns: 200_000,
      engineWarmupTurns: 20_000,
      users: 1000,
      concurrency: 32,
      warmupSeconds: 5,
      durationSeconds: 10,
      halfSeconds: 20,
      modes: ['scaled', 'embedded'],
      entry: 'auto',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
      isStrict: false,
    });
  });

  it('reads sizes, modes and the services from the environment', () => {
    const options = parseFlowsBenchArgs(
      ['--only=bot', '--users=40', '--concurrency=8', '--duration=2', '--modes=embedded'],
      { BENCH_DATABASE_URL: 'postgres://u@db:5432/postgres', BENCH_VERBOSE: '1' },
    );
    expect(options).toMatchObject({
      only: ['bot'],
      users: 40,
      concurrency: 8,
      durationSeconds: 2,
      modes: ['embedded'],
      databaseUrl: 'postgres://u@db:5432/postgres',
      isVerbose: true,
    });
  });

  it('rejects unknown parts and modes, bad numbers and unknown options', () => {
    expect(() => parseFlowsBenchArgs(['--only=engine,db'], {})).toThrow(/unknown value "db"/);
    expect(() => parseFlowsBenchArgs(['--modes=cluster'], {})).toThrow(/--modes/);
    expect(() => parseFlowsBenchArgs(['--turns=0'], {})).toThrow(/--turns/);
    expect(() => parseFlowsBenchArgs(['--users=4', '--concurrency=8'], {})).toThrow(/--users/);
    expect(() => parseFlowsBenchArgs(['--fast'], {})).toThrow();
  });
});

describe('the benchmark flows', () => {
  it('validate as publishing would', () => {
    expect(validateFlow(engineBenchFlowDocument)).toMatchObject({ ok: true });
    expect(validateFlow(botBenchFlowDocument)).toMatchObject({ ok: true });
  });
});

describe('runEngineTurns', () => {
  it('walks the script turn by turn as written, conversation after conversation', () => {
    const result = runEngineTurns(loadEngineBenchFlow(), {
      turns: signupConversation.length * 3,
      warmupTurns: signupConversation.length,
    });
    expect(result).toMatchObject({ turns: 33, conversations: 3, mismatches: 0 });
    expect(result.turnMicros).toHaveLength(33);
    expect(result.persistMicros).toHaveLength(33);
    expect(result.turnMicros[0]).toBeLessThanOrEqual(result.turnMicros[32] ?? 0);
  });

  it('counts turns that end elsewhere than the script says', () => {
    const wrong = signupConversation.map((step, index) =>
      index === 2 ? { ...step, waitsOn: 'ask-cpf' } : step,
    );
    const result = runEngineTurns(loadEngineBenchFlow(), { turns: 11, warmupTurns: 0 }, wrong);
    expect(result.mismatches).toBe(1);
    expect(result.firstMismatch).toMatch(/step 2: waits on ask-email \(expected ask-cpf\)/);
  });

  it('summarizes in µs with percentiles and the mean', () => {
    const summary = summarizeEngineTurns({
      turns: 4,
      conversations: 1,
      turnMicros: [10, 20, 30, 100],
      persistMicros: [5, 5, 5, 5],
      mismatches: 0,
    });
    expect(summary.turn).toEqual({ p50: 20, p99: 100, max: 100, mean: 40 });
    expect(summary.persist.p50).toBe(5);
  });
});

describe('createReplyTracker', () => {
  const received = (conversationId: string, user: number) => ({
    type: 'message.received',
    payload: { conversationId, preview: userMessage(user, 1) },
  });
  const sent = (conversationId: string) => ({
    type: 'message.status',
    payload: { conversationId, status: 'sent' },
  });

  it('gives each conversation’s replies to its user’s messages, oldest first', async () => {
    const tracker = createReplyTracker();
    const first = tracker.expect(7, 0);
    const second = tracker.expect(7, 5);
    tracker.handle(received('c7', 7), 1);
    tracker.handle(
      { type: 'message.status', payload: { conversationId: 'c7', status: 'read' } },
      2,
    );
    tracker.handle(sent('c7'), 3);
    tracker.handle(sent('c7'), 9);
    await expect(first.replied).resolves.toBe(3);
    await expect(second.replied).resolves.toBe(9);
    expect(tracker.counters).toEqual({ unattributed: 0, unexpected: 0, late: 0 });
  });

  it('counts replies of unknown conversations, unasked replies and late ones', () => {
    const tracker = createReplyTracker();
    tracker.handle(sent('elsewhere'), 1);
    tracker.handle(received('c1', 1), 1);
    tracker.handle(sent('c1'), 2);
    const timedOut = tracker.expect(1, 3);
    timedOut.abandon();
    const refused = tracker.expect(1, 4);
    refused.cancel();
    tracker.handle(sent('c1'), 5);
    expect(tracker.counters).toEqual({ unattributed: 1, unexpected: 1, late: 1 });
  });

  it('names users in phones and messages it can read back', () => {
    expect(userPhone(17)).toBe('+5511900000017');
    expect(parseUserMessage(userMessage(17, 3))).toBe(17);
    expect(parseUserMessage('oi')).toBeUndefined();
  });
});

describe('runBotTurnLoad against a fake Recado', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Answers 202 and, a little later, publishes what Recado would: received, then sent. */
  async function startFakeRecado(options: { refuseEvery?: number } = {}) {
    let posts = 0;
    const conversations = new Map<string, string>();
    const fake = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        posts += 1;
        if (options.refuseEvery && posts % options.refuseEvery === 0) {
          response.writeHead(400).end('{}');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { from: string; text: string };
        const conversationId = conversations.get(body.from) ?? randomUUID();
        conversations.set(body.from, conversationId);
        response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
        const publish = (event: object) => {
          for (const client of sockets.clients) client.send(JSON.stringify(event));
        };
        publish({ type: 'message.received', payload: { conversationId, preview: body.text } });
        setTimeout(() => {
          publish({ type: 'message.created', payload: { conversationId } });
          publish({ type: 'message.status', payload: { conversationId, status: 'sent' } });
        }, 5);
      });
    });
    const sockets = new WebSocketServer({ server: fake });
    sockets.on('connection', (socket) => socket.send(JSON.stringify({ type: 'ready' })));
    server = fake;
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const { port } = fake.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/inbound`, websocketUrl: `ws://127.0.0.1:${port}/ws` };
  }

  it('measures closed and open loops from the message to its reply', async () => {
    const fake = await startFakeRecado();
    const result = await runBotTurnLoad({
      ...fake,
      token: 'test',
      users: 6,
      replyTimeoutSeconds: 5,
      phases: [
        { kind: 'closed', label: 'first', concurrency: 3, total: 6 },
        { kind: 'paced', label: 'paced', ratePerSecond: 40, seconds: 0.5, maxInFlight: 8 },
      ],
    });
    const [closed, paced] = result.phases;
    expect(closed).toMatchObject({ sent: 6, accepted: 6, replied: 6, refused: 0, timedOut: 0 });
    expect(closed?.reply.p50Ms).toBeGreaterThanOrEqual(4);
    expect(paced).toMatchObject({ sent: 20, replied: 20, timedOut: 0, targetPerSecond: 40 });
    expect(paced?.reply.count).toBe(20);
    expect(result).toMatchObject({ unattributed: 0, unexpected: 0, late: 0 });
  });

  it('counts refused messages without waiting for their reply', async () => {
    const fake = await startFakeRecado({ refuseEvery: 3 });
    const result = await runBotTurnLoad({
      ...fake,
      token: 'test',
      users: 4,
      replyTimeoutSeconds: 5,
      phases: [{ kind: 'closed', label: 'run', concurrency: 2, total: 9 }],
    });
    expect(result.phases[0]).toMatchObject({ sent: 9, accepted: 6, refused: 3, replied: 6 });
    expect(result.phases[0]?.firstError).toMatch(/HTTP 400/);
  });

  it('takes the HTTP answer as the reply without a WebSocket (the baseline)', async () => {
    const fake = await startFakeRecado();
    const result = await runBotTurnLoad({
      url: fake.url,
      token: 'test',
      users: 3,
      replyTimeoutSeconds: 5,
      phases: [{ kind: 'paced', label: 'raw', ratePerSecond: 50, seconds: 0.2, maxInFlight: 4 }],
    });
    expect(result.phases[0]).toMatchObject({ sent: 10, accepted: 10, replied: 10 });
    expect(result.phases[0]?.reply.p50Ms).toBe(result.phases[0]?.intake.p50Ms);
  });
});
