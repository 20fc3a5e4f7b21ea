import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { childError, describeExit, type ManagedChild, spawnManaged } from './child-processes.js';

/**
 * A loopback server in its own process (fake provider, baseline): it reports its port over IPC
 * once listening (`{ kind: 'listening', port }`) and may answer queries over IPC (`ask`).
 * The script side uses `announceListening` and `answerQueries`.
 */

const listeningSchema = z.object({ kind: z.literal('listening'), port: z.int().positive() });

export type ChildServer = {
  baseUrl: string;
  child: ManagedChild;
  /** Sends `query` and resolves with the next message the server sends back. */
  ask<T>(query: object, schema: z.ZodType<T>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
};

export async function startChildServer(options: {
  name: string;
  script: URL;
  cwd: string;
  cpu?: number;
  env?: NodeJS.ProcessEnv;
  echo?: boolean;
  timeoutMs?: number;
}): Promise<ChildServer> {
  const child = spawnManaged({
    name: options.name,
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(options.script)],
    env: { ...(options.env ?? process.env), NODE_ENV: 'production' },
    cwd: options.cwd,
    cpu: options.cpu,
    ipc: true,
    echo: options.echo,
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(childError(child, `${options.name} did not listen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.process.once('message', (raw: unknown) => {
        clearTimeout(timer);
        const parsed = listeningSchema.safeParse(raw);
        if (parsed.success) resolve(parsed.data.port);
        else reject(new Error(`unexpected message from ${options.name}: ${JSON.stringify(raw)}`));
      });
      void child.exited.then((exit) => {
        clearTimeout(timer);
        reject(childError(child, `${options.name} ${describeExit(exit)}`));
      });
    });
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      child,
      ask: (query, schema, askTimeoutMs = 10_000) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${options.name} did not answer ${JSON.stringify(query)}`)),
            askTimeoutMs,
          );
          child.process.once('message', (raw: unknown) => {
            clearTimeout(timer);
            const parsed = schema.safeParse(raw);
            if (parsed.success) resolve(parsed.data);
            else
              reject(new Error(`unexpected answer from ${options.name}: ${JSON.stringify(raw)}`));
          });
          child.process.send(query);
        }),
      stop: async () => {
        await child.stop(5_000);
      },
    };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/** Script side: report the port to the parent (and exit with it). */
export function announceListening(server: import('node:net').Server): void {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({ kind: 'listening', port });
  const stop = () => {
    server.close(() => process.exit(0));
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') {
      server.closeAllConnections();
    }
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

/** Script side: answer each IPC query with `answer(query)`. */
export function answerQueries(answer: (query: unknown) => object): void {
  process.on('message', (query: unknown) => {
    process.send?.(answer(query));
  });
}
