import type { BlockExecutor } from '../../types.js';
import type { LogicJumpOptions } from './definition.js';

export const executor: BlockExecutor<LogicJumpOptions> = {
  enter: (context) => ({ next: { jump: context.options.to } }),
};
