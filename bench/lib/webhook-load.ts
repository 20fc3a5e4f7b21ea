import autocannon from 'autocannon';
import { z } from 'zod';
import { percentile } from './closed-loop.js';
import { runIpcWorker } from './ipc-worker.js';
import { runPacedLoad } from './paced-load.js';
import { createWebhookSource, type WebhookSource } from './webhook-bodies.js';

/**
 * Load of signed Meta webhooks (run in its own process, webhook-load-worker.ts): phases in
 * order, all drawing distinct bodies from one source —
 *   max    autocannon, as fast as the server answers (connections in a closed loop)
 *   rate   autocannon with `overallRate` (each connection sends its share of every second)
 *   paced  an open loop at a steady rate, latency from each request's due time (paced-load.ts)
 */

const phaseBase = { label: z.string().min(1), seconds: z.number().positive() };
export const webhookPhaseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('max'), ...phaseBase }),
  z.object({ kind: z.literal('rate'), ratePerSecond: z.number().positive(), ...phaseBase }),
  z.object({
    kind: z.literal('paced'),
    ratePerSecond: z.number().positive(),
    maxInFlight: z.int().min(1),
    ...phaseBase,
  }),
]);
export type WebhookPhase = z.infer<typeof webhookPhaseSchema>;

export const webhookLoadRequestSchema = z.object({
  url: z.url(),
  appSecret: z.string().min(1),
  idPrefix: z.string().min(1),
  senders: z.int().min(1),
  pregenerate: z.int().min(0),
  connections: z.int().min(1),
  phases: z.array(webhookPhaseSchema).min(1),
});
export type WebhookLoadRequest = z.infer<typeof webhookLoadRequestSchema>;

export const webhookPhaseResultSchema = z.object({
  label: z.string(),
  kind: z.enum(['max', 'rate', 'paced']),
  /** Answers per second. */
  requestsPerSecond: z.number(),
  /** Requests written to the socket (some may be unanswered when a timed run stops). */
  sent: z.number(),
  ok: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  statusCodes: z.record(z.string(), z.number()),
  latencyP50Ms: z.number(),
  latencyP99Ms: z.number(),
  latencyMaxMs: z.number(),
  firstError: z.string().optional(),
});
export type WebhookPhaseResult = z.infer<typeof webhookPhaseResultSchema>;

export const webhookLoadResultSchema = z.object({
  phases: z.array(webhookPhaseResultSchema),
  /** Bodies made during the runs because the pregenerated ones ran out. */
  generatedLate: z.number(),
});
export type WebhookLoadResult = z.infer<typeof webhookLoadResultSchema>;

async function runAutocannonPhase(
  request: WebhookLoadRequest,
  phase: Extract<WebhookPhase, { kind: 'max' | 'rate' }>,
  source: WebhookSource,
): Promise<WebhookPhaseResult> {
  const path = new URL(request.url).pathname;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: phase.seconds,
    overallRate: phase.kind === 'rate' ? Math.max(1, Math.round(phase.ratePerSecond)) : undefined,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (built) => {
          const next = source.next();
          return {
            ...built,
            body: next.body,
            headers: {
              ...built.headers,
              'content-type': 'application/json',
              'x-hub-signature-256': next.signature,
            },
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats)) {
    statusCodes[code] = stats.count;
  }
  return {
    label: phase.label,
    kind: phase.kind,
    requestsPerSecond: result.requests.average,
    sent: result.requests.sent,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

async function runPacedPhase(
  request: WebhookLoadRequest,
  phase: Extract<WebhookPhase, { kind: 'paced' }>,
  source: WebhookSource,
): Promise<WebhookPhaseResult> {
  const result = await runPacedLoad({
    url: request.url,
    ratePerSecond: phase.ratePerSecond,
    durationSeconds: phase.seconds,
    maxInFlight: phase.maxInFlight,
    nextRequest: () => {
      const next = source.next();
      return {
        body: next.body,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': next.signature },
      };
    },
  });
  return {
    label: phase.label,
    kind: 'paced',
    requestsPerSecond: result.achievedPerSecond,
    sent: result.sent,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: result.statusCodes,
    latencyP50Ms: percentile(result.latenciesMs, 50),
    latencyP99Ms: percentile(result.latenciesMs, 99),
    latencyMaxMs: result.latenciesMs.at(-1) ?? Number.NaN,
    firstError: result.firstError,
  };
}

export async function runWebhookLoad(request: WebhookLoadRequest): Promise<WebhookLoadResult> {
  const source = createWebhookSource({
    appSecret: request.appSecret,
    idPrefix: request.idPrefix,
    senders: request.senders,
    pregenerate: request.pregenerate,
  });
  const phases: WebhookPhaseResult[] = [];
  for (const phase of request.phases) {
    phases.push(
      phase.kind === 'paced'
        ? await runPacedPhase(request, phase, source)
        : await runAutocannonPhase(request, phase, source),
    );
  }
  return { phases, generatedLate: source.generatedLate };
}

export function runWebhookLoadInWorker(
  request: WebhookLoadRequest,
  options: { cwd: string; cpu?: number; echo?: boolean },
): Promise<WebhookLoadResult> {
  return runIpcWorker({
    name: 'webhook-load',
    script: new URL('./webhook-load-worker.ts', import.meta.url),
    request,
    resultSchema: webhookLoadResultSchema,
    ...options,
  });
}
