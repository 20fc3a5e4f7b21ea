import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

describe('action.end', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['ends as completed by default, silently', {}, { next: { end: 'completed' } }],
    [
      'says goodbye first',
      { message: 'Obrigado, {{contact.name}}! Até logo.' },
      {
        send: [{ type: 'text', text: 'Obrigado, Ana Souza! Até logo.' }],
        next: { end: 'completed' },
      },
    ],
    ['ends as cancelled', { reason: 'cancelled' }, { next: { end: 'cancelled' } }],
    [
      'sends nothing when the message renders empty',
      { message: '{{nothing}}' },
      { next: { end: 'completed' } },
    ],
  ])('%s', (_name, options, step) => {
    expect(executor.enter(blockContext(definition, options))).toEqual(step);
  });

  it.each([[{ reason: 'error' }], [{ message: '' }], [{ other: 1 }]])('refuses %j', (options) => {
    expect(definition.optionsSchema.safeParse(options).success).toBe(false);
  });

  it('declares its message as a template', () => {
    const parsed = definition.optionsSchema.parse({ message: 'Tchau {{x}}' });
    expect(definition.templates?.(parsed)).toEqual([
      { path: ['message'], template: 'Tchau {{x}}' },
    ]);
  });
});
