import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config/config.schema.js';

const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export type RecadoProcess = {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<port>`, once listening. */
  baseUrl: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts `recado start` from the sources in a child process (PORT=0: the OS picks the port) and
 * resolves when its health endpoint answers. Recado variables of the parent shell never leak in.
 */
export async function startRecadoProcess(options: {
  role: 'all' | 'api' | 'worker';
  env: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<RecadoProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete env[key];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', mainTs, 'start', '--role', options.role],
    {
      env: {
        ...env,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        WEB_ENABLED: 'false',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let baseUrl: string | undefined;
  while (!baseUrl) {
    // Every role logs "recado started" with its URL once listening.
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"recado started"/.exec(output);
    if (match?.[1]) baseUrl = match[1];
    else if (child.exitCode !== null)
      throw new Error(`recado ${options.role} exited early:\n${output}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`recado ${options.role} did not start in time:\n${output}`);
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ready = await fetch(`${baseUrl}/health/ready`);
  if (!ready.ok) throw new Error(`recado ${options.role} is not ready: ${await ready.text()}`);
  return {
    child,
    pid: child.pid ?? -1,
    baseUrl,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      // A process that ignores the signal must not outlive the test run.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
