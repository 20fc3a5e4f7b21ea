import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationTestFormatError,
  loadConversationTests,
  parseConversationTests,
} from './conversation-test.parser.js';

function problemsOf(text: string) {
  try {
    parseConversationTests(text, 'x.test.yaml');
  } catch (error) {
    if (error instanceof ConversationTestFormatError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConversationTests', () => {
  it('reads the short forms: a string is the user text or the exact bot text', () => {
    const { spec } = parseConversationTests(
      [
        'flow: demo.json',
        'tests:',
        '  - name: t',
        '    steps:',
        '      - user: oi',
        '      - bot: Olá!',
        '      - user: { button: Cadastro }',
        '      - wait: { minutes: 11 }',
        '      - bot: { none: true }',
      ].join('\n'),
      'x.test.yaml',
    );
    expect(spec.channel).toEqual({ buttons: true });
    expect(spec.tests[0]?.steps).toEqual([
      { user: { text: 'oi' } },
      { bot: { exact: 'Olá!' } },
      { user: { button: 'Cadastro' } },
      { wait: { minutes: 11 } },
      { bot: { none: true } },
    ]);
  });

  const header = ['flow: demo.json', 'tests:', '  - name: t', '    steps:'];
  it.each([
    [
      'a YAML syntax error',
      ['flow: demo.json', 'tests:', '  - name: a: b', '    steps: []'],
      { line: 3, path: '', message: expect.stringMatching(/^YAML: /) },
    ],
    [
      'a duplicated key',
      ['flow: demo.json', 'flow: other.json', 'tests: []'],
      { line: 2, path: '', message: expect.stringContaining('unique') },
    ],
    [
      'a misspelt expectation, with the key it meant',
      [...header, '      - user: oi', '      - bot: { exat: "Olá" }'],
      {
        line: 6,
        path: 'tests[0].steps[1].bot',
        message: 'unknown key "exat" (did you mean "exact"?)',
      },
    ],
    [
      'a step doing two things',
      [...header, '      - user: oi', '        bot: Olá'],
      {
        line: 5,
        path: 'tests[0].steps[0]',
        message: 'a step is one of user:, bot: or wait: (this one has user, bot)',
      },
    ],
    [
      'a user doing two things',
      [...header, '      - user: { text: oi, button: Sim }'],
      {
        line: 5,
        path: 'tests[0].steps[0].user',
        message: 'the user does one thing: text, button, file or location (here: text, button)',
      },
    ],
    [
      '"none" with something else',
      [...header, '      - bot: { none: true, contains: "x" }'],
      { line: 5, path: 'tests[0].steps[0].bot.none', message: expect.stringContaining('alone') },
    ],
    [
      'a regular expression that does not compile',
      [...header, '      - bot: { regex: "(" }'],
      {
        line: 5,
        path: 'tests[0].steps[0].bot.regex',
        message: expect.stringContaining('not a valid regular expression'),
      },
    ],
    [
      'a wait of nothing',
      [...header, '      - wait: {}'],
      { line: 5, path: 'tests[0].steps[0].wait', message: expect.stringContaining('how long') },
    ],
    [
      'two tests with one name',
      [...header, '      - user: oi', '  - name: t', '    steps:', '      - user: oi'],
      { line: 6, path: 'tests[1].name', message: 'another test is already named "t"' },
    ],
    [
      'no flow',
      ['tests:', '  - name: t', '    steps:', '      - user: oi'],
      { line: 1, path: 'flow', message: expect.any(String) },
    ],
  ])('reports %s with its line', (_, lines, expected) => {
    expect(problemsOf(lines.join('\n'))).toEqual([expect.objectContaining(expected)]);
  });

  it('names the file and the line in the error message', () => {
    expect(() =>
      parseConversationTests([...header, '      - bot: { exat: "Olá" }'].join('\n'), 'a.test.yaml'),
    ).toThrow('a.test.yaml:5:16 tests[0].steps[0].bot: unknown key "exat"');
  });
});

describe('loadConversationTests', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recado-conversation-'));
    await writeFile(
      path.join(dir, 'flow.json'),
      JSON.stringify({ schemaVersion: 1, name: 'F', start: 'a', blocks: {} }),
    );
    await writeFile(path.join(dir, 'broken.json'), '{ "name": ');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(lines: string[]) {
    const file = path.join(dir, 'x.test.yaml');
    await writeFile(file, lines.join('\n'));
    return loadConversationTests(file);
  }

  it('reads the flow beside the YAML file', async () => {
    const loaded = await load([
      'flow: flow.json',
      'tests:',
      '  - name: t',
      '    steps: [{ user: oi }]',
    ]);
    expect(loaded.flow).toMatchObject({ name: 'F' });
    expect(loaded.directory).toBe(dir);
  });

  it('reports a flow that is not JSON and a fixture that does not exist, with their lines', async () => {
    const error = await load([
      'flow: broken.json',
      'tests:',
      '  - name: t',
      '    steps:',
      '      - user: { file: fixtures/missing.jpg }',
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConversationTestFormatError);
    expect((error as ConversationTestFormatError).problems).toEqual([
      expect.objectContaining({
        line: 1,
        path: 'flow',
        message: expect.stringContaining('broken.json cannot be read as a flow document'),
      }),
      expect.objectContaining({
        line: 5,
        path: 'tests[0].steps[0].user.file',
        message: expect.stringContaining('fixtures/missing.jpg does not exist'),
      }),
    ]);
  });

  it('reports a portal page that does not exist, with its line', async () => {
    const error = await load([
      'flow: flow.json',
      'portal:',
      '  - { path: "/nfce/qrcode?p=1", file: pages/missing.html }',
      'tests:',
      '  - name: t',
      '    steps: [{ user: oi }]',
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConversationTestFormatError);
    expect((error as ConversationTestFormatError).problems).toEqual([
      expect.objectContaining({
        line: 3,
        path: 'portal[0].file',
        message: expect.stringContaining('pages/missing.html does not exist'),
      }),
    ]);
  });
});
