import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { RecadoServer } from './recado-server.js';

/** Calls the benchmarks make to a running Recado: set-up through the API, queue depth from /metrics. */

const createdSchema = z.object({ id: z.uuid() });

export type MetaChannelSettings = {
  appSecret: string;
  /** Where sends go (a loopback fake Graph API); Meta's own by default. */
  graphApiBaseUrl?: string;
  /** The API accepts 1..1000. */
  ratePerSecond?: number;
};

/** The numeric ids a meta-cloud channel needs; the fake Graph server accepts any. */
export const benchPhoneNumberId = '1122334455667';

/** Creates a meta-cloud channel through `POST /api/v1/channels`; returns its id. */
export async function createMetaChannel(
  server: RecadoServer,
  token: string,
  settings: MetaChannelSettings,
): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: 'meta-cloud',
      name: 'Bench',
      ratePerSecond: settings.ratePerSecond,
      config: {
        phoneNumberId: benchPhoneNumberId,
        wabaId: '99887766',
        accessToken: 'bench-graph-token',
        appSecret: settings.appSecret,
        verifyToken: 'bench-verify',
        ...(settings.graphApiBaseUrl ? { graphApiBaseUrl: settings.graphApiBaseUrl } : {}),
      },
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /api/v1/channels answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return createdSchema.parse(JSON.parse(text)).id;
}

/** Queue depth per job and state, from Prometheus text (`recado_queue_jobs{job, state}`). */
export function parseQueueJobs(metrics: string): Record<string, Record<string, number>> {
  const jobs: Record<string, Record<string, number>> = {};
  const pattern = /^recado_queue_jobs\{([^}]*)\}\s+(\S+)$/gm;
  for (const match of metrics.matchAll(pattern)) {
    const labels = Object.fromEntries(
      [...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]),
    );
    if (!labels.job || !labels.state) continue;
    jobs[labels.job] ??= {};
    (jobs[labels.job] as Record<string, number>)[labels.state] = Number(match[2]);
  }
  return jobs;
}

/** Jobs of `jobName` not finished yet (waiting, active or delayed). */
export function countUnfinishedJobs(
  jobs: Record<string, Record<string, number>>,
  jobName: string,
): number {
  const states = jobs[jobName] ?? {};
  return (states.waiting ?? 0) + (states.active ?? 0) + (states.delayed ?? 0);
}

export async function readQueueJobs(baseUrl: string) {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return parseQueueJobs(await response.text());
}

/** Polls /metrics until no `jobName` job is waiting, active or delayed; returns the wait. */
export async function waitForQueueIdle(
  baseUrl: string,
  jobName: string,
  timeoutMs: number,
): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    const jobs = await readQueueJobs(baseUrl);
    const unfinished = countUnfinishedJobs(jobs, jobName);
    if (unfinished === 0) return performance.now() - startedAt;
    if (performance.now() - startedAt > timeoutMs) {
      throw new Error(
        `${unfinished} ${jobName} jobs still unfinished after ${Math.round(timeoutMs / 1000)} s (${JSON.stringify(jobs[jobName])})`,
      );
    }
    await delay(250);
  }
}
