import { describe, expect, it } from 'vitest';
import type { ActionCatalog } from './types.js';
import { validateFlow } from './validate-flow.js';

const valid = {
  schemaVersion: 1,
  name: 'Cadastro',
  variables: { name: { type: 'string' }, cpf: { type: 'string' } },
  start: 'hello',
  blocks: {
    hello: { type: 'message.text', options: { text: 'Olá, {{contact.name}}!' }, next: 'ask-name' },
    'ask-name': {
      type: 'input.text',
      options: { prompt: 'Seu nome?', variable: 'name' },
      next: 'ask-cpf',
    },
    'ask-cpf': {
      type: 'input.validated',
      options: { prompt: 'CPF de {{name}}?', variable: 'cpf', validator: 'cpf' },
      next: 'bye',
      on: { invalid: 'bye' },
    },
    bye: { type: 'message.text', options: { text: 'Até logo, {{name | upper}}.' } },
  },
};

function issuesOf(flow: unknown, actions?: ActionCatalog) {
  const result = validateFlow(flow, actions ? { actions } : {});
  return result.ok
    ? []
    : result.issues.map(({ pointer, code, message }) => ({ pointer, code, message }));
}

function withBlocks(blocks: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...valid, ...extra, blocks: { ...valid.blocks, ...blocks } };
}

describe('validateFlow', () => {
  it('accepts a valid flow and applies the defaults', () => {
    const result = validateFlow(valid);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.flow.locale).toBe('pt-BR');
      expect(result.flow.blocks['ask-name']?.options).toEqual({
        prompt: 'Seu nome?',
        variable: 'name',
      });
    }
  });

  it('reports every envelope error with its path', () => {
    expect(issuesOf({ schemaVersion: 2, blocks: [] })).toEqual([
      expect.objectContaining({ pointer: '$.schemaVersion', code: 'invalid-document' }),
      expect.objectContaining({ pointer: '$.name', code: 'invalid-document' }),
      expect.objectContaining({ pointer: '$.start', code: 'invalid-document' }),
      expect.objectContaining({ pointer: '$.blocks', code: 'invalid-document' }),
    ]);
  });

  it('lists all problems of all blocks at once', () => {
    const issues = issuesOf(
      withBlocks(
        {
          hello: {
            type: 'message.text',
            options: { text: 'Oi {{nome}} {{ name | shout }}' },
            next: 'nowhere',
          },
          'ask-name': {
            type: 'input.text',
            options: { prompt: '', variable: 'name' },
            next: 'ask-cpf',
          },
          'ask-cpf': {
            type: 'input.validated',
            options: { prompt: 'CPF?', variable: 'age', validator: 'cpf' },
            next: 'bye',
            on: { invalid: 'bye', yes: 'bye' },
          },
          weird: { type: 'message.fancy', options: {} },
          broken: { type: 'message.text', options: { text: 'x' }, next: 'bad id!' },
        },
        { start: 'hello' },
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '$.blocks.hello.next', code: 'unknown-block' }),
        expect.objectContaining({
          pointer: '$.blocks.hello.options.text',
          code: 'undefined-variable',
          message: expect.stringContaining('"nome"'),
        }),
        expect.objectContaining({
          pointer: '$.blocks.hello.options.text',
          code: 'invalid-template',
          message: expect.stringContaining('unknown formatter "shout"'),
        }),
        expect.objectContaining({
          pointer: '$.blocks["ask-name"].options.prompt',
          code: 'invalid-options',
        }),
        expect.objectContaining({
          pointer: '$.blocks["ask-cpf"].options.variable',
          code: 'undefined-variable',
        }),
        expect.objectContaining({
          pointer: '$.blocks["ask-cpf"].on.yes',
          code: 'unknown-port',
          message: 'a input.validated block has no port "yes" (it has "invalid")',
        }),
        expect.objectContaining({ pointer: '$.blocks.weird.type', code: 'unknown-block-type' }),
        expect.objectContaining({ pointer: '$.blocks.weird', code: 'unreachable-block' }),
        expect.objectContaining({ pointer: '$.blocks.broken.next', code: 'invalid-document' }),
      ]),
    );
    // "bye" is unreachable once "hello" points nowhere... but "ask-*" still are not reached either.
    expect(
      issues.filter((issue) => issue.code === 'unreachable-block').map((issue) => issue.pointer),
    ).toEqual(expect.arrayContaining(['$.blocks["ask-name"]', '$.blocks.bye', '$.blocks.weird']));
  });

  it('checks the start block, variable types, defaults and validator options', () => {
    const issues = issuesOf({
      ...valid,
      start: 'missing',
      variables: {
        name: { type: 'number', default: 'x' },
        cpf: { type: 'string' },
        contact: { type: 'string' },
      },
      blocks: {
        ...valid.blocks,
        'ask-cpf': {
          type: 'input.validated',
          options: {
            prompt: 'CPF?',
            variable: 'cpf',
            validator: 'regex',
            validatorOptions: { pattern: 42 },
          },
          next: 'bye',
        },
      },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '$.start', code: 'unknown-block' }),
        expect.objectContaining({
          pointer: '$.variables.name.default',
          code: 'wrong-variable-type',
        }),
        expect.objectContaining({ pointer: '$.variables.contact', code: 'invalid-document' }),
        expect.objectContaining({
          pointer: '$.blocks["ask-name"].options.variable',
          code: 'wrong-variable-type',
          message: '"name" is declared as number; this block needs string',
        }),
        expect.objectContaining({
          pointer: '$.blocks["ask-cpf"].options.validatorOptions.pattern',
          code: 'invalid-options',
        }),
      ]),
    );
  });

  it('does not throw on anything', () => {
    for (const input of [
      null,
      42,
      'flow',
      [],
      { blocks: { a: null } },
      { ...valid, blocks: { a: 7 } },
    ]) {
      expect(validateFlow(input).ok).toBe(false);
    }
  });
});
