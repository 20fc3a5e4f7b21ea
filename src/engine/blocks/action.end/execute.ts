import type { BlockExecutor } from '../../types.js';
import type { ActionEndOptions } from './definition.js';

export const executor: BlockExecutor<ActionEndOptions> = {
  enter: (context) => {
    const { message, reason } = context.options;
    const text = message === undefined ? '' : context.render(message);
    return {
      ...(text.trim() === '' ? {} : { send: [{ type: 'text', text }] }),
      next: { end: reason },
    };
  },
};
