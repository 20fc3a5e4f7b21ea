import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../../src/config/config.schema.js';
import {
  type ChildExit,
  type ManagedChild,
  registerCleanup,
  spawnManaged,
  waitForHttpOk,
} from './child-processes.js';

export type RecadoEntryPreference = 'auto' | 'dist' | 'src';

export type RecadoEntry = {
  kind: 'dist' | 'src';
  /** Node arguments that start the server. */
  args: string[];
  label: string;
  /** Set when the entry may not be the code in the work tree. */
  warning?: string;
};

async function findNewestMtimeMs(directory: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}

/**
 * Which Recado to start: the built bundle (`dist/main.js`, what production runs) or the
 * sources through tsx. `auto` takes the bundle when it exists.
 */
export async function resolveRecadoEntry(
  preference: RecadoEntryPreference,
  repoRoot: string,
): Promise<RecadoEntry> {
  const distMain = path.join(repoRoot, 'dist', 'main.js');
  const srcMain = path.join(repoRoot, 'src', 'main.ts');
  const distInfo = await stat(distMain).catch(() => undefined);

  if (preference === 'dist' || (preference === 'auto' && distInfo)) {
    if (!distInfo)
      throw new Error('dist/main.js not found: run `npm run build` (or use --entry=src).');
    const isStale = (await findNewestMtimeMs(path.join(repoRoot, 'src'))) > distInfo.mtimeMs;
    return {
      kind: 'dist',
      args: [distMain, 'start'],
      label: 'dist/main.js (built bundle)',
      warning: isStale
        ? 'dist/main.js is older than files in src/: run `npm run build` to measure the current code.'
        : undefined,
    };
  }
  const srcInfo = await stat(srcMain).catch(() => undefined);
  if (!srcInfo) {
    throw new Error(
      'src/main.ts not found: the server is not there yet. Measure the baseline alone with --only=raw.',
    );
  }
  return { kind: 'src', args: ['--import', 'tsx', srcMain, 'start'], label: 'src/main.ts via tsx' };
}

/** A port that was free a moment ago (the OS picks it). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The parent's environment without any Recado setting (a DATABASE_URL or REDIS_URL in the
 * shell must not leak into an embedded-mode run), plus `settings`.
 */
export function buildRecadoEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete env[key];
  return { ...env, ...settings };
}

export type RecadoServer = {
  baseUrl: string;
  child: ManagedChild;
  pid: number;
  adminEmail: string;
  adminPassword: string;
  /** Graceful stop (SIGTERM), then removes the temporary DATA_DIR. */
  stop(): Promise<ChildExit>;
};

export type StartRecadoOptions = {
  name: string;
  entry: RecadoEntry;
  repoRoot: string;
  cpu?: number;
  /** External PostgreSQL; unset = embedded PGlite in DATA_DIR. */
  databaseUrl?: string;
  /** Redis for jobs, events and limits (scaled mode), with the key prefix to use. */
  redis?: { url: string; keyPrefix: string };
  /** RECADO_ROLE; default `all` (API, workers and web UI in one process). */
  role?: 'all' | 'api';
  /** DATA_DIR to reuse (the caller removes it); unset = a fresh temporary one, removed on stop. */
  dataDir?: string;
  readyTimeoutMs: number;
  echo?: boolean;
};

/** A temporary DATA_DIR, removed by the returned function (or on Ctrl-C). */
export async function createTemporaryDataDir(): Promise<{
  dataDir: string;
  remove: () => Promise<void>;
}> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-bench-'));
  const remove = registerCleanup(() => rm(dataDir, { recursive: true, force: true }));
  return { dataDir, remove };
}

/** Starts Recado (role `all`) and waits for /health/ready. */
export async function startRecado(options: StartRecadoOptions): Promise<RecadoServer> {
  const temporary = options.dataDir === undefined ? await createTemporaryDataDir() : undefined;
  const dataDir = options.dataDir ?? temporary?.dataDir ?? '';
  const port = await findFreePort();
  const adminEmail = 'bench@recado.dev';
  const adminPassword = randomBytes(18).toString('base64url');

  const settings: Record<string, string> = {
    NODE_ENV: 'production',
    RECADO_ROLE: options.role ?? 'all',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RECADO_ADMIN_EMAIL: adminEmail,
    RECADO_ADMIN_PASSWORD: adminPassword,
    // The limiter is per IP and every benchmark request comes from 127.0.0.1.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  };
  if (options.databaseUrl) {
    settings.DATABASE_URL = options.databaseUrl;
    // Scaled mode needs the key configured (embedded mode generates one into DATA_DIR).
    settings.ENCRYPTION_KEY = randomBytes(32).toString('base64');
  }
  if (options.redis) {
    settings.REDIS_URL = options.redis.url;
    settings.REDIS_KEY_PREFIX = options.redis.keyPrefix;
  }

  const child = spawnManaged({
    name: options.name,
    command: process.execPath,
    args: options.entry.args,
    env: buildRecadoEnv(settings),
    cwd: options.repoRoot,
    cpu: options.cpu,
    echo: options.echo,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    const exit = await child.stop(20_000);
    await temporary?.remove();
    return exit;
  };

  try {
    await waitForHttpOk(`${baseUrl}/health/ready`, { child, timeoutMs: options.readyTimeoutMs });
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.process.pid;
  if (pid === undefined) throw new Error(`${options.name} has no pid`);
  return { baseUrl, child, pid, adminEmail, adminPassword, stop };
}

const loginResponseSchema = z.object({ accessToken: z.string().min(1) });

/** Logs in and returns an access token. */
export async function loginToRecado(server: RecadoServer): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST /api/v1/auth/login answered ${response.status}: ${text.slice(0, 500)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`POST /api/v1/auth/login did not answer JSON: ${text.slice(0, 500)}`);
  }
  const parsed = loginResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`POST /api/v1/auth/login answered without accessToken: ${text.slice(0, 500)}`);
  }
  return parsed.data.accessToken;
}

/** One request before the load: the endpoint must answer 200, or the numbers mean nothing. */
export async function expectOk(url: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `GET ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 500)}`,
    );
  }
}
