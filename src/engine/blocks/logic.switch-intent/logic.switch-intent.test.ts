import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = {
  prompt: 'Olá, {{contact.name}}! Como posso ajudar?',
  intents: [
    { id: 'cancel', keywords: ['cancelar', 'desistir'] },
    { id: 'human', keywords: ['atendente', 'falar com uma pessoa'] },
    { id: 'refund', examples: ['quero meu dinheiro de volta'] },
  ],
  variable: 'intent',
};

const waiting = { for: 'input', attempts: 0 } as const;
const text = (value: string): MessageContent => ({ type: 'text', text: value });

describe('logic.switch-intent', () => {
  it('asks with the rendered prompt and waits; without a prompt it only waits', () => {
    expect(executor.enter(blockContext(definition, options))).toEqual({
      send: [{ type: 'text', text: 'Olá, Ana Souza! Como posso ajudar?' }],
      next: { wait: 'input' },
    });
    const { prompt: _prompt, ...silent } = options;
    expect(executor.enter(blockContext(definition, silent))).toEqual({ next: { wait: 'input' } });
  });

  it.each<[string, MessageContent, string]>([
    ['a keyword', text('Quero CANCELAR'), 'cancel'],
    ['a stemmed keyword', text('cancelamento da reserva'), 'cancel'],
    ['a phrase', text('posso falar com uma pessoa?'), 'human'],
    ['an example', text('quero o dinheiro de volta'), 'refund'],
    ['a negated keyword', text('não quero cancelar'), 'unknown'],
    ['nothing known', text('qual o horário de funcionamento?'), 'unknown'],
    ['a photo without caption', { type: 'image', mediaId: 'm1' }, 'unknown'],
    [
      'a photo whose caption says it',
      { type: 'image', mediaId: 'm1', caption: 'atendente' },
      'human',
    ],
    [
      'a button reply title',
      { type: 'interactive-reply', kind: 'button', id: 'x', title: 'Desistir' },
      'cancel',
    ],
  ])('routes %s', (_name, content, intent) => {
    const step = executor.resume?.(
      blockContext(definition, options),
      { kind: 'message', content },
      waiting,
    );
    expect(step?.next).toEqual({ go: intent });
    expect(step?.set).toEqual({ intent });
    expect(step?.log?.event).toBe('intent-classified');
  });

  it('needs minScore: a loose match is unknown under a strict block', () => {
    const input = { kind: 'message', content: text('quero dinheiro') } as const;
    const loose = executor.resume?.(
      blockContext(definition, { ...options, minScore: 0.3 }),
      input,
      waiting,
    );
    const strict = executor.resume?.(
      blockContext(definition, { ...options, minScore: 0.9 }),
      input,
      waiting,
    );
    expect(loose?.next).toEqual({ go: 'refund' });
    expect(strict?.next).toEqual({ go: 'unknown' });
  });

  it('keeps waiting for anything but a message, and stores nothing without a variable', () => {
    const { variable: _variable, ...bare } = options;
    const wake = executor.resume?.(
      blockContext(definition, bare),
      { kind: 'wake', wakeId: 'w' },
      waiting,
    );
    expect(wake).toEqual({ next: { wait: 'input', attempts: 0 } });
    const step = executor.resume?.(
      blockContext(definition, bare),
      { kind: 'message', content: text('atendente') },
      waiting,
    );
    expect(step?.set).toBeUndefined();
    expect(step?.next).toEqual({ go: 'human' });
  });

  it('offers a port per intent plus unknown, and writes the variable as text', () => {
    const parsed = definition.optionsSchema.parse(options);
    expect(definition.ports(parsed)).toEqual(['cancel', 'human', 'refund', 'unknown']);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['variable'], name: 'intent', types: ['string'] },
    ]);
  });

  it.each([
    [{ intents: [] }, ['intents']],
    [{ intents: [{ id: 'a' }] }, ['intents', 0, 'keywords']],
    [{ intents: [{ id: 'unknown', keywords: ['x'] }] }, ['intents', 0, 'id']],
    [
      {
        intents: [
          { id: 'a', keywords: ['x'] },
          { id: 'a', keywords: ['y'] },
        ],
      },
      ['intents', 1, 'id'],
    ],
    [{ intents: [{ id: 'a', keywords: ['  '] }] }, ['intents', 0, 'keywords', 0]],
    [{ intents: [{ id: 'a', keywords: ['x'] }], minScore: 0 }, ['minScore']],
  ])('refuses %j at %j', (bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });
});
