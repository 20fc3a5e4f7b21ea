import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

describe('logic.jump', () => {
  it.each(['menu', 'ask-email', 'end_2'])('jumps to %s and declares it as a target', (to) => {
    const context = blockContext(definition, { to });
    expect(executor.enter(context)).toEqual({ next: { jump: to } });
    expect(definition.targets?.(context.options)).toEqual([{ path: ['to'], blockId: to }]);
  });

  it.each([[{}], [{ to: '' }], [{ to: '1menu' }], [{ to: 'menu', extra: 1 }]])(
    'refuses %j',
    (options) => {
      expect(definition.optionsSchema.safeParse(options).success).toBe(false);
    },
  );
});
