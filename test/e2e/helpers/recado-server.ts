import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRecadoProcess } from '../../helpers/recado-process.js';
import { externalAdminEmail, externalAdminPassword, externalBaseUrl } from './e2e-env.js';

export type RecadoServer = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  stop(): Promise<void>;
};

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Starts the real server (`recado start`, role all, embedded mode) with a fresh data directory,
 * exactly as a new user does: no admin credentials configured, so the tests log in with the
 * password the first boot prints. The dashboard it serves is `web/dist` (built here if missing;
 * `npm run test:e2e` always rebuilds it).
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
  try {
    const server = await startRecadoProcess({
      role: 'all',
      env: { DATA_DIR: dataDir, WEB_ENABLED: 'true' },
      readyTimeoutMs: 120_000,
    });
    const adminPassword = /Password: (\S+)/.exec(server.output())?.[1];
    if (!adminPassword) {
      await server.stop();
      throw new Error(`the first boot printed no admin password:\n${server.output()}`);
    }
    return {
      baseUrl: server.baseUrl,
      adminEmail: 'admin@recado.local',
      adminPassword,
      stop: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function ensureWebBuild(): Promise<void> {
  if (existsSync(path.join(repoRoot, 'web', 'dist', 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
}
