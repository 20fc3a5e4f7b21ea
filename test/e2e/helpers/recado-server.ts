import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { externalAdminEmail, externalAdminPassword, externalBaseUrl } from './e2e-env.js';

export type RecadoServer = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  stop(): Promise<void>;
};

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const readyTimeoutMs = 120_000;
const stopTimeoutMs = 10_000;
const keptOutputChars = 20_000;

/**
 * Starts the real server as `node --import tsx src/main.ts start` on a free port with a fresh
 * data directory, exactly as a new user does: no admin credentials configured, so the tests log
 * in with the password the first boot prints. Waits for `/health/ready`. The dashboard it
 * serves is `web/dist` (built here if missing; `npm run test:e2e` always rebuilds it).
 */
export async function startRecadoServer(): Promise<RecadoServer> {
  if (externalBaseUrl) {
    return {
      baseUrl: externalBaseUrl.replace(/\/$/, ''),
      adminEmail: externalAdminEmail,
      adminPassword: externalAdminPassword,
      stop: async () => {},
    };
  }

  await ensureWebBuild();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-e2e-'));
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminEmail = 'admin@recado.local';

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  delete env.RECADO_ADMIN_EMAIL;
  delete env.RECADO_ADMIN_PASSWORD;
  // Embedded mode whatever the developer's shell says.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.RECADO_ROLE;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keptOutputChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  let adminPassword: string;
  try {
    await waitForReady(baseUrl, child, () => output);
    const printed = /Password: (\S+)/.exec(output)?.[1];
    if (!printed) throw new Error(`the first boot printed no admin password:\n${output}`);
    adminPassword = printed;
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, adminEmail, adminPassword, stop };
}

async function ensureWebBuild(): Promise<void> {
  if (existsSync(path.join(repoRoot, 'web', 'dist', 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the probe port'));
      });
    });
  });
}

async function waitForReady(
  baseUrl: string,
  child: ChildProcess,
  getOutput: () => string,
): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${getOutput()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server was not ready after ${readyTimeoutMs} ms:\n${getOutput()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
