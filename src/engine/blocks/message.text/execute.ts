import type { BlockExecutor } from '../../types.js';
import type { MessageTextOptions } from './definition.js';

export const executor: BlockExecutor<MessageTextOptions> = {
  enter: (context) => ({
    send: [{ type: 'text', text: context.render(context.options.text) }],
    next: { go: 'next' },
  }),
};
