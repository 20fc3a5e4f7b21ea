import { Agent, request as httpRequest } from 'node:http';

/**
 * An open-loop load at a steady rate: request k is due at `start + k / rate`, whether or not
 * earlier ones have been answered, and its latency counts from when it was due (so a server
 * that stalls is charged for the requests that queued behind the stall). Unlike autocannon's
 * `overallRate`, which lets every connection send its share of each second back to back at
 * the top of the second, this spreads the requests evenly over the second.
 */

export type PacedRequest = {
  body: string;
  headers: Record<string, string>;
  /** Called once with the answer's status (0 when the request failed) and when it came. */
  onSettled?: (status: number, settledAt: number) => void;
};

export type PacedLoadOptions = {
  url: string;
  ratePerSecond: number;
  durationSeconds: number;
  /** Sockets to open at most; requests beyond wait for one (their latency keeps counting). */
  maxInFlight: number;
  /** The request due at `dueAt` (performance.now() time). */
  nextRequest: (dueAt: number) => PacedRequest;
};

export type PacedLoadResult = {
  sent: number;
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Every answered request's latency from its due time, ascending. */
  latenciesMs: number[];
  /** Answers per second over the run (first due time to last answer). */
  achievedPerSecond: number;
  firstError?: string;
};

/** How many requests are due `elapsedMs` after the start (request 0 is due at once). */
export function countDueRequests(elapsedMs: number, ratePerSecond: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000) + 1);
}

export async function runPacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const total = Math.max(1, Math.floor(options.ratePerSecond * options.durationSeconds));
  const intervalMs = 1000 / options.ratePerSecond;
  const latenciesMs: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let firstError: string | undefined;
  let lastAnswerAt = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const { body, headers, onSettled } = options.nextRequest(dueAt);
      const outgoing = httpRequest(
        options.url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const now = performance.now();
            lastAnswerAt = now;
            const status = response.statusCode ?? 0;
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              ok += 1;
              latenciesMs.push(now - dueAt);
            } else {
              non2xx += 1;
            }
            onSettled?.(status, now);
            resolve();
          });
        },
      );
      outgoing.on('error', (error) => {
        errors += 1;
        firstError ??= error.message;
        onSettled?.(0, performance.now());
        resolve();
      });
      outgoing.end(body);
    });

  const startedAt = performance.now();
  let issued = 0;
  try {
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = countDueRequests(performance.now() - startedAt, options.ratePerSecond, total);
        while (issued < due) {
          const pending = send(startedAt + issued * intervalMs);
          inFlight.add(pending);
          void pending.then(() => inFlight.delete(pending));
          issued += 1;
        }
        if (issued >= total) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 1);
      tick();
    });
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  latenciesMs.sort((a, b) => a - b);
  const spanMs = Math.max(1, lastAnswerAt - startedAt);
  return {
    sent: issued,
    ok,
    non2xx,
    errors,
    statusCodes,
    latenciesMs,
    achievedPerSecond: ((ok + non2xx) * 1000) / spanMs,
    firstError,
  };
}
