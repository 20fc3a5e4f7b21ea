import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `recado flow test <file...>` as a person runs it: a child process on the sources, with no
 * configuration at all (it makes its own temporary Recado), printing ✓/✗ and exiting 1 when
 * anything fails.
 */

const mainTs = fileURLToPath(new URL('../main.ts', import.meta.url));
let dir: string;

const flow = {
  schemaVersion: 1,
  name: 'Saudação',
  start: 'hello',
  blocks: {
    hello: { type: 'message.text', options: { text: 'Olá! Tudo bem?' }, next: 'ask' },
    ask: {
      type: 'input.choice',
      options: {
        prompt: 'Quer continuar?',
        variable: 'answer',
        choices: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      },
      on: { yes: 'bye', no: 'bye' },
    },
    bye: { type: 'message.text', options: { text: 'Até logo!' } },
  },
  variables: { answer: { type: 'string' } },
};

function runCli(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // Nothing of the parent's environment but PATH: the command needs no configuration.
    const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], {
      env: { PATH: process.env.PATH ?? '' },
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

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recado-flow-cli-'));
  await writeFile(path.join(dir, 'hello.json'), JSON.stringify(flow));
  const header = ['flow: hello.json', 'tests:'];
  await writeFile(
    path.join(dir, 'good.test.yaml'),
    [
      ...header,
      '  - name: says hello and takes a tap',
      '    steps:',
      '      - user: oi',
      '      - bot: Olá! Tudo bem?',
      '      - bot: { exact: Quer continuar?, buttons: [Sim, Não] }',
      '      - user: { button: Sim }',
      '      - bot: Até logo!',
      '  - name: takes the number on a channel without buttons',
      '    channel: { buttons: false }',
      '    steps:',
      '      - user: oi',
      '      - bot: Olá! Tudo bem?',
      '      - bot: { contains: ["1. Sim", "2. Não"] }',
      '      - user: "2"',
      '      - bot: Até logo!',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'bad.test.yaml'),
    [
      ...header,
      '  - name: expects another greeting',
      '    steps:',
      '      - user: oi',
      '      - bot: Bom dia!',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'malformed.test.yaml'),
    [...header, '  - name: typo', '    steps:', '      - usr: oi'].join('\n'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recado flow test', () => {
  it('prints each passing test and exits 0', async () => {
    const result = await runCli(['flow', 'test', path.join(dir, 'good.test.yaml')]);
    expect(result.stdout).toContain('good.test.yaml (2 tests)');
    expect(result.stdout).toMatch(/✓ says hello and takes a tap \(\d+ ms\)/);
    expect(result.stdout).toMatch(/✓ takes the number on a channel without buttons/);
    expect(result.stdout).toContain('2 passed, 0 failed');
    expect(result.code).toBe(0);
  }, 120_000);

  it('prints what failed where, with the conversation, and exits 1', async () => {
    const result = await runCli([
      'flow',
      'test',
      path.join(dir, 'bad.test.yaml'),
      path.join(dir, 'malformed.test.yaml'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ expects another greeting');
    expect(result.stdout).toContain(
      'bad.test.yaml › expects another greeting › step 2 (bot): expected the text "Bom dia!", but received "Olá! Tudo bem?"',
    );
    expect(result.stdout).toContain('user: "oi"');
    expect(result.stdout).toContain(
      'malformed.test.yaml:5:9 tests[0].steps[0]: unknown key "usr" (did you mean "user"?)',
    );
    expect(result.stdout).toContain('0 passed, 1 failed, 1 file(s) could not be read');
  }, 120_000);
});
