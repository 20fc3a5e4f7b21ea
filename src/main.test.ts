import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecadoProcess } from '../test/helpers/recado-process.js';

const mainTs = fileURLToPath(new URL('./main.ts', import.meta.url));
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'recado-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function login(baseUrl: string, email: string, password: string) {
  return fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('recado CLI', () => {
  it('exits 1 listing every invalid variable', async () => {
    const result = await runCli(['start'], {
      PORT: 'abc',
      RECADO_ROLE: 'boss',
      DATABASE_URL: 'mysql://x',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'RECADO_ROLE', 'DATABASE_URL'])
      expect(result.stderr).toContain(`${name}:`);
  });

  it('first start creates the super admin with a password printed once; a restart keeps it', async () => {
    const first = await startRecadoProcess({ role: 'all', env: { DATA_DIR: dataDir } });
    const match = /Password: (\S+)/.exec(first.output());
    expect(match?.[1]).toHaveLength(20);
    const password = match?.[1] ?? '';
    expect(first.output()).toContain('admin@recado.local');
    expect((await login(first.baseUrl, 'admin@recado.local', password)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    // The password appears in stdout only: never in a log line.
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.join('\n')).not.toContain(password);

    const second = await startRecadoProcess({ role: 'all', env: { DATA_DIR: dataDir } });
    expect(second.output()).not.toContain('Password:');
    expect((await login(second.baseUrl, 'admin@recado.local', password)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 90_000);

  it('migrate, user create and user reset-password work on the embedded database', async () => {
    const migrate = await runCli(['migrate']);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('Migrations applied (pglite)');

    const create = await runCli([
      'user',
      'create',
      '--email',
      'ops@example.com',
      '--name',
      'Ops',
      '--role',
      'operator',
    ]);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/Password \(shown once\): \S{20}/);

    const duplicate = await runCli([
      'user',
      'create',
      '--email',
      'ops@example.com',
      '--name',
      'Ops',
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('EMAIL_TAKEN');

    const weak = await runCli([
      'user',
      'reset-password',
      '--email',
      'ops@example.com',
      '--password',
      'short',
    ]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 12 characters');

    const reset = await runCli([
      'user',
      'reset-password',
      '--email',
      'ops@example.com',
      '--password',
      'a brand new password',
    ]);
    expect(reset.code).toBe(0);
    const server = await startRecadoProcess({ role: 'all', env: { DATA_DIR: dataDir } });
    expect((await login(server.baseUrl, 'ops@example.com', 'a brand new password')).status).toBe(
      200,
    );
    await server.stop();

    const unknown = await runCli(['user', 'reset-password', '--email', 'nobody@example.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
  }, 120_000);
});
