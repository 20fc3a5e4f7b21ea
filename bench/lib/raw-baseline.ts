import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { childError, describeExit, type ManagedChild, spawnManaged } from './child-processes.js';

const serverPath = fileURLToPath(new URL('./raw-server.ts', import.meta.url));

const listeningSchema = z.object({ kind: z.literal('listening'), port: z.int().positive() });

export type RawBaselineServer = { baseUrl: string; child: ManagedChild };

/** Starts the node:http baseline (raw-server.ts) in a child process and waits for its port. */
export async function startRawBaseline(options: {
  cpu?: number;
  cwd: string;
  timeoutMs?: number;
}): Promise<RawBaselineServer> {
  const child = spawnManaged({
    name: 'raw-node-http',
    command: process.execPath,
    args: ['--import', 'tsx', serverPath],
    env: { ...process.env, NODE_ENV: 'production' },
    cwd: options.cwd,
    cpu: options.cpu,
    ipc: true,
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(childError(child, `the baseline server did not listen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.process.once('message', (raw: unknown) => {
        clearTimeout(timer);
        const parsed = listeningSchema.safeParse(raw);
        if (parsed.success) resolve(parsed.data.port);
        else
          reject(new Error(`unexpected message from the baseline server: ${JSON.stringify(raw)}`));
      });
      void child.exited.then((exit) => {
        clearTimeout(timer);
        reject(childError(child, `the baseline server ${describeExit(exit)}`));
      });
    });
    return { baseUrl: `http://127.0.0.1:${port}`, child };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}
