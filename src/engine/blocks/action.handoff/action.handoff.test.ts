import { describe, expect, it } from 'vitest';
import type { FlowLocale } from '../../../shared/flows/flow-document.js';
import { blockContext } from '../../testing/block-context.js';
import type { ResumeInput } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const variables = { cpf: '390.533.447-05', empty: '' };

describe('action.handoff', () => {
  it.each<[string, Record<string, unknown>, FlowLocale, unknown]>([
    [
      'the default message in pt-BR',
      {},
      'pt-BR',
      {
        send: [
          {
            type: 'text',
            text: 'Vou te transferir para um atendente. Aguarde um momento, por favor.',
          },
        ],
        effects: [{ kind: 'handoff' }],
      },
    ],
    [
      'the default message in pt-PT',
      { team: 'financeiro' },
      'pt-PT',
      {
        send: [
          {
            type: 'text',
            text: 'Vou transferir a sua conversa para um assistente. Aguarde um momento, por favor.',
          },
        ],
        effects: [{ kind: 'handoff', team: 'financeiro' }],
      },
    ],
    [
      'its own message and a note for the agent',
      { team: 'suporte', note: 'CPF {{cpf}}', message: 'Já chamo alguém, {{contact.name}}.' },
      'en',
      {
        send: [{ type: 'text', text: 'Já chamo alguém, Ana Souza.' }],
        effects: [{ kind: 'handoff', team: 'suporte', note: 'CPF 390.533.447-05' }],
      },
    ],
    [
      'nothing to say and a note that renders empty',
      { message: '', note: '{{empty}}' },
      'pt-BR',
      { effects: [{ kind: 'handoff' }] },
    ],
  ])('hands off with %s and waits', (_name, options, locale, expected) => {
    const step = executor.enter(blockContext(definition, options, { variables, locale }));
    expect(step).toEqual({
      ...(expected as object),
      next: { wait: 'input' },
      log: { event: 'handed-off', detail: { team: (options.team as string) ?? null } },
    });
  });

  it.each<[string, ResumeInput, unknown]>([
    ['an agent hands it back', { kind: 'resume' }, { go: 'next' }],
    [
      'a message comes',
      { kind: 'message', content: { type: 'text', text: 'alô?' } },
      { wait: 'input', attempts: 0 },
    ],
    ['a wake-up comes', { kind: 'wake', wakeId: 'w' }, { wait: 'input', attempts: 0 }],
  ])('when %s', (_name, input, next) => {
    const step = executor.resume?.(blockContext(definition, {}), input, {
      for: 'input',
      attempts: 0,
    });
    expect(step).toEqual({ next });
  });

  it('declares its templates and refuses a blank team', () => {
    const parsed = definition.optionsSchema.parse({ note: 'CPF {{cpf}}', message: 'Oi {{x}}' });
    expect(definition.templates?.(parsed)).toEqual([
      { path: ['message'], template: 'Oi {{x}}' },
      { path: ['note'], template: 'CPF {{cpf}}' },
    ]);
    expect(definition.optionsSchema.safeParse({ team: '  ' }).success).toBe(false);
  });
});
