import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { z } from 'zod';
import { runClosedLoop } from './closed-loop.js';
import { runIpcWorker } from './ipc-worker.js';

/**
 * The outbound benchmark's client (its own process, outbound-driver-worker.ts): sends messages
 * through `POST /api/v1/messages` with a fixed concurrency and follows them on the realtime
 * WebSocket until every one is `sent` (the `message.status` event is published once the
 * status is stored). One batch per process: the warm-up and the measured batch are two runs.
 */

export const outboundDriverRequestSchema = z.object({
  baseUrl: z.url(),
  token: z.string().min(1),
  channelId: z.uuid(),
  /** The batch goes to recipients `firstRecipient` … `firstRecipient + count − 1` (recipientWaId). */
  firstRecipient: z.int().min(0),
  count: z.int().min(1),
  concurrency: z.int().min(1),
  timeoutSeconds: z.number().positive(),
});
export type OutboundDriverRequest = z.infer<typeof outboundDriverRequestSchema>;

const batchResultSchema = z.object({
  count: z.number(),
  /** 202 answers. */
  accepted: z.number(),
  rejected: z.number(),
  firstRejection: z.string().optional(),
  sent: z.number(),
  failed: z.number(),
  firstFailure: z.string().optional(),
  /** From the first POST to the last 202. */
  intakeMs: z.number(),
  /** From the first POST to the last `sent` event. */
  completeMs: z.number(),
  isComplete: z.boolean(),
});
export type OutboundBatchResult = z.infer<typeof batchResultSchema>;

/** The recipients' WhatsApp ids: distinct Brazilian mobiles, one per index. */
export function recipientWaId(index: number): string {
  return String(5511900000000 + index);
}

const statusEventSchema = z.object({
  type: z.literal('message.status'),
  payload: z.object({
    messageId: z.string(),
    status: z.string(),
    errorCode: z.string().nullable().optional(),
  }),
});

type Tracker = {
  /** Resolves when every id in `ids` has a final status, or after `timeoutMs`. */
  waitFor(ids: ReadonlySet<string>, timeoutMs: number): Promise<boolean>;
  sentAt: Map<string, number>;
  failed: Map<string, string>;
  close(): void;
};

async function trackStatuses(baseUrl: string, token: string): Promise<Tracker> {
  const socket = new WebSocket(
    `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws?token=${encodeURIComponent(token)}`,
  );
  const sentAt = new Map<string, number>();
  const failed = new Map<string, string>();
  /** Ids still awaited by `waitFor`, and what to call when an event settles one. */
  let remaining = new Set<string>();
  let onSettled: (() => void) | undefined;
  socket.on('message', (data) => {
    const parsed = statusEventSchema.safeParse(JSON.parse(String(data)));
    if (!parsed.success) return;
    const { messageId, status, errorCode } = parsed.data.payload;
    if (status === 'sent' && !sentAt.has(messageId)) sentAt.set(messageId, performance.now());
    else if (status === 'failed') failed.set(messageId, errorCode ?? 'failed');
    else return;
    if (remaining.delete(messageId) && remaining.size === 0) onSettled?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // The server says { type: 'ready' } first.
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`the WebSocket closed with ${code}`)));
  });
  return {
    sentAt,
    failed,
    waitFor: (ids, timeoutMs) =>
      new Promise((resolve) => {
        remaining = new Set([...ids].filter((id) => !sentAt.has(id) && !failed.has(id)));
        if (remaining.size === 0) {
          resolve(true);
          return;
        }
        const timer = setTimeout(() => {
          onSettled = undefined;
          resolve(false);
        }, timeoutMs);
        onSettled = () => {
          clearTimeout(timer);
          onSettled = undefined;
          resolve(true);
        };
      }),
    close: () => socket.close(),
  };
}

const acceptedSchema = z.object({ id: z.uuid(), status: z.string() });

async function sendBatch(
  input: OutboundDriverRequest,
  tracker: Tracker,
  agent: Agent,
  fromIndex: number,
  count: number,
): Promise<OutboundBatchResult> {
  const ids = new Set<string>();
  let rejected = 0;
  let firstRejection: string | undefined;
  let lastAcceptedAt = 0;
  const startedAt = performance.now();
  await runClosedLoop({
    concurrency: input.concurrency,
    total: count,
    task: async (offset) => {
      const index = fromIndex + offset;
      const response = await request(`${input.baseUrl}/api/v1/messages`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channelId: input.channelId,
          to: { phone: `+${recipientWaId(index)}` },
          content: { type: 'text', text: `Olá! Seu pedido ${index} saiu para entrega.` },
        }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 202) {
        rejected += 1;
        firstRejection ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
        return;
      }
      ids.add(acceptedSchema.parse(JSON.parse(text)).id);
      lastAcceptedAt = performance.now();
    },
  });
  const isComplete = await tracker.waitFor(ids, input.timeoutSeconds * 1000);
  let lastSentAt = 0;
  let sent = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  for (const id of ids) {
    const at = tracker.sentAt.get(id);
    if (at !== undefined) {
      sent += 1;
      lastSentAt = Math.max(lastSentAt, at);
    }
    const failure = tracker.failed.get(id);
    if (failure !== undefined) {
      failed += 1;
      firstFailure ??= failure;
    }
  }
  return {
    count,
    accepted: ids.size,
    rejected,
    firstRejection,
    sent,
    failed,
    firstFailure,
    intakeMs: lastAcceptedAt - startedAt,
    completeMs: lastSentAt - startedAt,
    isComplete,
  };
}

export async function runOutboundDriver(
  input: OutboundDriverRequest,
): Promise<OutboundBatchResult> {
  const tracker = await trackStatuses(input.baseUrl, input.token);
  const agent = new Agent({ connections: input.concurrency });
  try {
    return await sendBatch(input, tracker, agent, input.firstRecipient, input.count);
  } finally {
    tracker.close();
    await agent.close();
  }
}

export function runOutboundDriverInWorker(
  input: OutboundDriverRequest,
  options: { cwd: string; cpu?: number; echo?: boolean },
): Promise<OutboundBatchResult> {
  return runIpcWorker({
    name: 'outbound-driver',
    script: new URL('./outbound-driver-worker.ts', import.meta.url),
    request: input,
    resultSchema: batchResultSchema,
    ...options,
  });
}
