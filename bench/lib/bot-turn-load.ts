import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { z } from 'zod';
import { percentile, runClosedLoop } from './closed-loop.js';
import { runIpcWorker } from './ipc-worker.js';
import { runPacedLoad } from './paced-load.js';

/**
 * The flows benchmark's simulated WhatsApp users (run in their own process,
 * bot-turn-load-worker.ts). Each user is a phone writing to a sandbox channel
 * (`POST /api/v1/sandbox/:channelId/inbound`) whose default flow answers every message; a
 * turn ends when the reply reaches the provider — the realtime WebSocket's `message.status`
 * event with status `sent`, published once the sandbox provider took the message and the
 * status is stored.
 *
 * Replies are matched to users by conversation: the `message.received` event of a user's
 * message names its conversation (its preview is the text, which names the user), and a
 * conversation's replies come in the order of its messages, one per message — so each
 * `sent` takes the oldest message of that user still waiting.
 *
 * Phases, in order, on one WebSocket:
 *   closed  `concurrency` users each write again as soon as they have their answer (for a
 *           duration or a number of messages): the most the server sustains
 *   paced   an open loop at a steady rate (paced-load.ts), users in turn; latency from each
 *           message's due time, so a stall is charged to every message queued behind it
 * Without `websocketUrl` (the baseline) the HTTP answer ends the turn.
 */

const closedPhaseSchema = z.object({
  kind: z.literal('closed'),
  label: z.string(),
  concurrency: z.int().min(1),
  seconds: z.number().positive().optional(),
  total: z.int().min(1).optional(),
});
const pacedPhaseSchema = z.object({
  kind: z.literal('paced'),
  label: z.string(),
  ratePerSecond: z.number().positive(),
  seconds: z.number().positive(),
  maxInFlight: z.int().min(1),
});
export const botTurnPhaseSchema = z.discriminatedUnion('kind', [
  closedPhaseSchema,
  pacedPhaseSchema,
]);
export type BotTurnPhase = z.infer<typeof botTurnPhaseSchema>;

export const botTurnLoadRequestSchema = z.object({
  /** Where the users' messages are posted. */
  url: z.url(),
  /** The realtime WebSocket (with its token); unset = the HTTP answer ends the turn. */
  websocketUrl: z.string().optional(),
  token: z.string(),
  users: z.int().min(1),
  replyTimeoutSeconds: z.number().positive(),
  phases: z.array(botTurnPhaseSchema).min(1),
});
export type BotTurnLoadRequest = z.infer<typeof botTurnLoadRequestSchema>;

const latencySummarySchema = z.object({
  count: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

const phaseResultSchema = z.object({
  label: z.string(),
  kind: z.enum(['closed', 'paced']),
  /** Paced phases: the rate asked for. */
  targetPerSecond: z.number().optional(),
  sent: z.number(),
  /** 2xx answers to the POSTs. */
  accepted: z.number(),
  /** Non-2xx answers and errors. */
  refused: z.number(),
  firstError: z.string().optional(),
  /** Turns whose reply came within the timeout. */
  replied: z.number(),
  timedOut: z.number(),
  /** Replies per second, from the phase's start to its last reply. */
  repliesPerSecond: z.number(),
  /** Message (due or posted) → reply handed to the provider. */
  reply: latencySummarySchema,
  /** Message (due or posted) → the POST's answer. */
  intake: latencySummarySchema,
});
export type BotTurnPhaseResult = z.infer<typeof phaseResultSchema>;

const loadResultSchema = z.object({
  phases: z.array(phaseResultSchema),
  /** `sent` events of conversations no user of this run wrote in (expected 0). */
  unattributed: z.number(),
  /** `sent` events with no message of that user waiting (expected 0). */
  unexpected: z.number(),
  /** Replies that came after their turn had timed out. */
  late: z.number(),
});
export type BotTurnLoadResult = z.infer<typeof loadResultSchema>;

/** The users' phones: distinct Brazilian mobiles, one per index. */
export function userPhone(index: number): string {
  return `+55119${String(index).padStart(8, '0')}`;
}

/** What user `index` writes as its `sequence`-th message; the preview names the user. */
export function userMessage(index: number, sequence: number): string {
  return `cliente ${index}: mensagem ${sequence}`;
}

export function parseUserMessage(preview: string): number | undefined {
  const match = /^cliente (\d+): /.exec(preview);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function summarizeLatencies(latenciesMs: number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

type Waiter = {
  dueAt: number;
  isAbandoned: boolean;
  settle?: (repliedAt: number) => void;
};

/**
 * Per-user queues of messages waiting for their reply, fed by the WebSocket's events. With no
 * WebSocket every `expect` stays pending until cancelled (the baseline does not use it).
 */
export type ExpectedReply = {
  /** Resolves with the time (performance.now()) the reply was seen. */
  replied: Promise<number>;
  /** The message was refused: no reply will come. */
  cancel(): void;
  /** The turn timed out: a reply that still comes is counted late, not taken for the next. */
  abandon(): void;
};

export type ReplyTracker = {
  /** Registers a message due at `dueAt` (before it is posted: the reply may beat the answer). */
  expect(user: number, dueAt: number): ExpectedReply;
  counters: { unattributed: number; unexpected: number; late: number };
  /** Applies one realtime event. */
  handle(event: unknown, at: number): void;
};

const eventSchema = z.object({
  type: z.string(),
  payload: z
    .object({
      conversationId: z.string().optional(),
      status: z.string().optional(),
      preview: z.string().optional(),
    })
    .optional(),
});

export function createReplyTracker(): ReplyTracker {
  const userOfConversation = new Map<string, number>();
  const waiting = new Map<number, Waiter[]>();
  const counters = { unattributed: 0, unexpected: 0, late: 0 };

  const handle = (raw: unknown, at: number) => {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) return;
    const { type, payload } = parsed.data;
    const conversationId = payload?.conversationId;
    if (!conversationId) return;
    if (type === 'message.received') {
      const user = parseUserMessage(payload?.preview ?? '');
      if (user !== undefined) userOfConversation.set(conversationId, user);
      return;
    }
    if (type !== 'message.status' || payload?.status !== 'sent') return;
    const user = userOfConversation.get(conversationId);
    if (user === undefined) {
      counters.unattributed += 1;
      return;
    }
    const waiter = waiting.get(user)?.shift();
    if (!waiter) counters.unexpected += 1;
    else if (waiter.isAbandoned) counters.late += 1;
    else waiter.settle?.(at);
  };

  return {
    expect(user, dueAt) {
      const waiter: Waiter = { dueAt, isAbandoned: false };
      const replied = new Promise<number>((resolve) => {
        waiter.settle = resolve;
      });
      const queue = waiting.get(user) ?? [];
      queue.push(waiter);
      waiting.set(user, queue);
      return {
        replied,
        cancel: () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
        },
        abandon: () => {
          waiter.isAbandoned = true;
        },
      };
    },
    counters,
    handle,
  };
}

/** Opens the WebSocket, waits for its `ready` frame and feeds every event to the tracker. */
async function connectTracker(
  websocketUrl: string,
): Promise<{ tracker: ReplyTracker; close(): void }> {
  const tracker = createReplyTracker();
  const socket = new WebSocket(websocketUrl);
  socket.on('message', (data) => {
    const at = performance.now();
    try {
      tracker.handle(JSON.parse(String(data)), at);
    } catch {
      // Not JSON: not an event.
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // The server says { type: 'ready' } first.
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`the WebSocket closed with ${code}`)));
  });
  return { tracker, close: () => socket.close() };
}

function withTimeout(promise: Promise<number>, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

type PhaseState = {
  sent: number;
  accepted: number;
  refused: number;
  firstError?: string;
  replied: number;
  timedOut: number;
  lastReplyAt: number;
  replyMs: number[];
  intakeMs: number[];
};

function newPhaseState(): PhaseState {
  return {
    sent: 0,
    accepted: 0,
    refused: 0,
    replied: 0,
    timedOut: 0,
    lastReplyAt: 0,
    replyMs: [],
    intakeMs: [],
  };
}

function finishPhase(
  phase: BotTurnPhase,
  state: PhaseState,
  startedAt: number,
): BotTurnPhaseResult {
  const spanMs = Math.max(1, state.lastReplyAt - startedAt);
  return {
    label: phase.label,
    kind: phase.kind,
    ...(phase.kind === 'paced' ? { targetPerSecond: phase.ratePerSecond } : {}),
    sent: state.sent,
    accepted: state.accepted,
    refused: state.refused,
    firstError: state.firstError,
    replied: state.replied,
    timedOut: state.timedOut,
    repliesPerSecond: state.replied === 0 ? 0 : (state.replied * 1000) / spanMs,
    reply: summarizeLatencies(state.replyMs),
    intake: summarizeLatencies(state.intakeMs),
  };
}

export async function runBotTurnLoad(input: BotTurnLoadRequest): Promise<BotTurnLoadResult> {
  const connection = input.websocketUrl ? await connectTracker(input.websocketUrl) : undefined;
  const tracker = connection?.tracker;
  const headers = {
    authorization: `Bearer ${input.token}`,
    'content-type': 'application/json',
  };
  const replyTimeoutMs = input.replyTimeoutSeconds * 1000;
  const sequences = new Array<number>(input.users).fill(0);
  let nextUser = 0;
  /** The next user in turn and the body of its next message. */
  const nextMessage = () => {
    const user = nextUser;
    nextUser = (nextUser + 1) % input.users;
    const sequence = (sequences[user] ?? 0) + 1;
    sequences[user] = sequence;
    const body = JSON.stringify({ from: userPhone(user), text: userMessage(user, sequence) });
    return { user, body };
  };
  /** Waits for the reply and records it (the HTTP answer already arrived or failed). */
  const awaitReply = async (state: PhaseState, waiter: ExpectedReply, dueAt: number) => {
    const repliedAt = await withTimeout(waiter.replied, replyTimeoutMs);
    if (repliedAt === undefined) {
      waiter.abandon();
      state.timedOut += 1;
      return false;
    }
    state.replied += 1;
    state.lastReplyAt = Math.max(state.lastReplyAt, repliedAt);
    state.replyMs.push(repliedAt - dueAt);
    return true;
  };
  const refuse = (state: PhaseState, message: string) => {
    state.refused += 1;
    state.firstError ??= message;
  };

  const agent = new Agent({ connections: 256 });
  const results: BotTurnPhaseResult[] = [];
  try {
    for (const phase of input.phases) {
      const state = newPhaseState();
      const startedAt = performance.now();
      if (phase.kind === 'closed') {
        await runClosedLoop({
          concurrency: phase.concurrency,
          ...(phase.total === undefined ? {} : { total: phase.total }),
          ...(phase.seconds === undefined ? {} : { durationMs: phase.seconds * 1000 }),
          task: async () => {
            const { user, body } = nextMessage();
            const dueAt = performance.now();
            const waiter = tracker?.expect(user, dueAt);
            state.sent += 1;
            let status = 0;
            try {
              const response = await request(input.url, {
                method: 'POST',
                dispatcher: agent,
                headers,
                body,
              });
              status = response.statusCode;
              const text = await response.body.text();
              if (status < 200 || status >= 300) {
                refuse(state, `HTTP ${status}: ${text.slice(0, 300)}`);
              }
            } catch (error) {
              refuse(state, error instanceof Error ? error.message : String(error));
            }
            const answeredAt = performance.now();
            if (status < 200 || status >= 300) {
              waiter?.cancel();
              return;
            }
            state.accepted += 1;
            state.intakeMs.push(answeredAt - dueAt);
            if (!waiter) {
              state.replied += 1;
              state.lastReplyAt = answeredAt;
              state.replyMs.push(answeredAt - dueAt);
              return;
            }
            await awaitReply(state, waiter, dueAt);
          },
        });
      } else {
        const pending: Promise<unknown>[] = [];
        await runPacedLoad({
          url: input.url,
          ratePerSecond: phase.ratePerSecond,
          durationSeconds: phase.seconds,
          maxInFlight: phase.maxInFlight,
          nextRequest: (dueAt) => {
            const { user, body } = nextMessage();
            const waiter = tracker?.expect(user, dueAt);
            state.sent += 1;
            return {
              body,
              headers,
              onSettled: (status, settledAt) => {
                if (status < 200 || status >= 300) {
                  refuse(state, status === 0 ? 'request failed' : `HTTP ${status}`);
                  waiter?.cancel();
                  return;
                }
                state.accepted += 1;
                state.intakeMs.push(settledAt - dueAt);
                if (!waiter) {
                  state.replied += 1;
                  state.lastReplyAt = Math.max(state.lastReplyAt, settledAt);
                  state.replyMs.push(settledAt - dueAt);
                  return;
                }
                pending.push(awaitReply(state, waiter, dueAt));
              },
            };
          },
        });
        await Promise.all(pending);
      }
      results.push(finishPhase(phase, state, startedAt));
    }
  } finally {
    connection?.close();
    await agent.close();
  }
  return {
    phases: results,
    unattributed: tracker?.counters.unattributed ?? 0,
    unexpected: tracker?.counters.unexpected ?? 0,
    late: tracker?.counters.late ?? 0,
  };
}

export function runBotTurnLoadInWorker(
  input: BotTurnLoadRequest,
  options: { cwd: string; cpu?: number; echo?: boolean },
): Promise<BotTurnLoadResult> {
  return runIpcWorker({
    name: 'bot-turn-load',
    script: new URL('./bot-turn-load-worker.ts', import.meta.url),
    request: input,
    resultSchema: loadResultSchema,
    ...options,
  });
}
