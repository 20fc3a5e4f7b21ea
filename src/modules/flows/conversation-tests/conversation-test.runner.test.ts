import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../../test/helpers/test-app.js';
import { loadConversationTests } from './conversation-test.parser.js';
import {
  type ConversationTestOutcome,
  type ConversationTestRunner,
  createConversationTestRunner,
  describeFailure,
} from './conversation-test.runner.js';

/*
 * The runner's own behaviour on the real composition: it passes what the bot does, and every
 * way a conversation can go wrong fails at the right step, saying what was expected, what came
 * and what was said before.
 */

const flow = {
  schemaVersion: 1,
  name: 'Pausa',
  variables: { name: { type: 'string' } },
  start: 'menu',
  blocks: {
    menu: {
      type: 'message.buttons',
      options: {
        text: 'Oi! Vamos começar?',
        buttons: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      },
      on: { yes: 'ask-name', no: 'bye' },
    },
    'ask-name': {
      type: 'input.text',
      options: { prompt: 'Qual é o seu nome?', variable: 'name' },
      next: 'pause',
    },
    pause: { type: 'logic.wait', options: { minutes: 5 }, next: 'done' },
    done: { type: 'message.text', options: { text: 'Passaram 5 minutos, {{name}}.' } },
    bye: { type: 'action.end', options: { message: 'Tudo bem, até logo!' } },
  },
};

let t: TestApp;
let runner: ConversationTestRunner;
let dir: string;
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recado-runner-'));
  await writeFile(path.join(dir, 'pause.json'), JSON.stringify(flow));
  await writeFile(
    path.join(dir, 'invalid.json'),
    JSON.stringify({ ...flow, name: 'Quebrado', start: 'nowhere' }),
  );
  t = await createTestApp();
  const { tenant } = await login(t.app, testAdmin);
  runner = createConversationTestRunner({ ...t.runtime, db: t.database.db, tenantId: tenant.id });
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs one test written as YAML steps against `flowFile`. */
async function run(steps: string[], flowFile = 'pause.json'): Promise<ConversationTestOutcome> {
  const file = path.join(dir, `case-${++fileCount}.test.yaml`);
  await writeFile(
    file,
    [
      `flow: ${flowFile}`,
      'tests:',
      '  - name: case',
      '    steps:',
      ...steps.map((s) => `      - ${s}`),
    ].join('\n'),
  );
  const loaded = await loadConversationTests(file);
  const [test] = loaded.spec.tests;
  if (!test) throw new Error('no test');
  return runner.runTest(loaded, test);
}

function failureOf(outcome: ConversationTestOutcome) {
  if (outcome.ok) throw new Error('the test passed');
  return outcome.failure;
}

describe('the conversation test runner', () => {
  it('passes a conversation that goes as written, waits included', async () => {
    const outcome = await run([
      'user: oi',
      'bot: { exact: "Oi! Vamos começar?", buttons: [Sim, Não] }',
      'user: { button: sim }',
      'bot: Qual é o seu nome?',
      'user: Maria',
      'wait: { minutes: 4 }',
      'bot: { none: true }',
      'wait: { seconds: 61 }',
      'bot: Passaram 5 minutos, Maria.',
      'bot: { none: true }',
    ]);
    expect(outcome.ok ? 'passed' : describeFailure(outcome)).toBe('passed');
  });

  it('fails at a bot step that differs, with what was expected, what came and the conversation', async () => {
    const outcome = await run(['user: oi', 'bot: { contains: "Bom dia" }']);
    expect(failureOf(outcome)).toEqual({
      step: 2,
      stepKind: 'bot',
      message:
        'expected a text containing "Bom dia", but received "Oi! Vamos começar?" with buttons [Sim | Não]: the text does not contain "Bom dia"',
      transcript: ['user: "oi"', 'bot:  "Oi! Vamos começar?" with buttons [Sim | Não]'],
    });
    expect(describeFailure(outcome)).toContain('› case › step 2 (bot): expected a text containing');
  });

  it('fails when the bot said nothing more', async () => {
    const outcome = await run([
      'user: oi',
      'bot: { buttons: [Sim, Não] }',
      'bot: Mais alguma coisa?',
    ]);
    expect(failureOf(outcome)).toMatchObject({
      step: 3,
      message: 'expected the text "Mais alguma coisa?", but the bot said nothing more',
    });
  });

  it('fails when the bot said something the test does not expect before the user acts', async () => {
    const outcome = await run(['user: oi', 'user: { button: Sim }']);
    expect(failureOf(outcome)).toMatchObject({
      step: 2,
      stepKind: 'user',
      message: expect.stringContaining('the bot said 1 message(s) no bot: step expects'),
    });
  });

  it('fails "none" when the bot spoke', async () => {
    const outcome = await run(['user: oi', 'bot: { none: true }']);
    expect(failureOf(outcome).message).toContain('expected no more messages, but the bot said');
  });

  it('fails a tap on a button that was not offered, naming those that were', async () => {
    const outcome = await run([
      'user: oi',
      'bot: { buttons: [Sim, Não] }',
      'user: { button: Talvez }',
    ]);
    expect(failureOf(outcome)).toMatchObject({
      step: 3,
      message: 'the user cannot tap "Talvez": the bot offered only "Sim", "Não"',
    });
  });

  it('fails a wait that comes too early for the wake-up', async () => {
    const outcome = await run([
      'user: oi',
      'bot: { buttons: [Sim, Não] }',
      'user: Sim',
      'bot: Qual é o seu nome?',
      'user: Maria',
      'wait: { minutes: 4, seconds: 50 }',
      'bot: Passaram 5 minutos, Maria.',
    ]);
    expect(failureOf(outcome)).toMatchObject({
      step: 7,
      message: expect.stringContaining('said nothing more'),
    });
  });

  it('fails before the first step when the flow does not publish, with the problem', async () => {
    const outcome = await run(['user: oi'], 'invalid.json');
    expect(failureOf(outcome)).toMatchObject({
      step: null,
      message: expect.stringMatching(/^the flow invalid\.json cannot be published: .*\$\.start/),
    });
  });
});
