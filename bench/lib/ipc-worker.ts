import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { childError, describeExit, type ManagedChild, spawnManaged } from './child-processes.js';

/**
 * One-shot worker processes for benchmarks: the parent sends one request over IPC, the worker
 * does the work (usually pinned to a CPU) and answers with one result, then exits. The same
 * pattern as load-generator.ts / load-worker.ts, for any request and result.
 */

const replySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), result: z.unknown() }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);

export type RunIpcWorkerOptions<TResult> = {
  name: string;
  /** The worker script (a .ts file run through tsx); it calls `serveOneRequest`. */
  script: URL;
  request: unknown;
  resultSchema: z.ZodType<TResult>;
  cwd: string;
  cpu?: number;
  echo?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Called with the child once it is spawned (e.g. to stop it from elsewhere). */
  onSpawn?: (child: ManagedChild) => void;
  /**
   * Messages other than the result (e.g. "ready" in a start handshake); `child.process.send`
   * answers them. Without this handler such a message is an error.
   */
  onMessage?: (message: unknown, child: ManagedChild) => void;
};

export async function runIpcWorker<TResult>(
  options: RunIpcWorkerOptions<TResult>,
): Promise<TResult> {
  const child = spawnManaged({
    name: options.name,
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(options.script)],
    cwd: options.cwd,
    cpu: options.cpu,
    env: options.env,
    ipc: true,
    echo: options.echo,
  });
  options.onSpawn?.(child);
  const reply = new Promise<z.infer<typeof replySchema>>((resolve, reject) => {
    child.process.on('message', (raw: unknown) => {
      const parsed = replySchema.safeParse(raw);
      if (parsed.success) resolve(parsed.data);
      else if (options.onMessage) options.onMessage(raw, child);
      else reject(new Error(`unexpected message from ${options.name}: ${JSON.stringify(raw)}`));
    });
    void child.exited.then((exit) =>
      reject(childError(child, `${options.name} ${describeExit(exit)} without a result.`)),
    );
  });
  try {
    child.process.send(options.request as object);
    const answer = await reply;
    if (answer.kind === 'error') throw new Error(`${options.name}: ${answer.message}`);
    return options.resultSchema.parse(answer.result);
  } finally {
    await child.stop(5_000);
  }
}

/** What a worker may do besides answering: talk to the parent before its result. */
export type WorkerChannel = {
  send(message: object): void;
  /** The next message from the parent, validated. */
  receive<T>(schema: z.ZodType<T>): Promise<T>;
};

const workerChannel: WorkerChannel = {
  send: (message) => {
    process.send?.(message);
  },
  receive: (schema) =>
    new Promise((resolve, reject) => {
      process.once('message', (raw: unknown) => {
        const parsed = schema.safeParse(raw);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`unexpected message from the parent: ${JSON.stringify(raw)}`));
      });
    }),
};

/**
 * The worker side: waits for one request, validates it, runs `handle` and sends back its
 * result (or its error). Exits when the parent goes away.
 */
export function serveOneRequest<TRequest, TResult>(
  requestSchema: z.ZodType<TRequest>,
  handle: (request: TRequest, channel: WorkerChannel) => Promise<TResult>,
): void {
  process.on('disconnect', () => process.exit(0));
  process.once('message', async (raw: unknown) => {
    let message: z.infer<typeof replySchema>;
    try {
      message = { kind: 'result', result: await handle(requestSchema.parse(raw), workerChannel) };
    } catch (error) {
      message = {
        kind: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
    process.send?.(message, () => process.disconnect());
  });
}
