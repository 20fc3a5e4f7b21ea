import type { BlockExecutor, Step } from '../../types.js';
import { durationSeconds, type LogicWaitOptions } from './definition.js';
import { readUntil } from './until.js';

export const executor: BlockExecutor<LogicWaitOptions> = {
  enter: (context) => {
    const { options } = context;
    const now = context.env.now.getTime();
    let at: number | undefined;
    if (options.until === undefined) {
      at = now + durationSeconds(options) * 1000;
    } else {
      const until = context.render(options.until);
      at = readUntil(until, now, context.timeZone);
      if (at === undefined) {
        return { next: { go: 'next' }, log: { event: 'wait-skipped', detail: { until } } };
      }
    }
    const until = new Date(at).toISOString();
    if (at <= now) {
      return { next: { go: 'next' }, log: { event: 'wait-elapsed', detail: { until } } };
    }
    return {
      effects: [
        {
          kind: 'schedule-wake',
          // The runtime names wake-ups after the effect's once-only id; this is a stable stand-in.
          wakeId: `${context.blockId}:${context.turn}`,
          at: until,
          reason: 'wait',
        },
      ],
      next: { wait: 'wake', data: { until } },
      log: { event: 'waiting', detail: { until } },
    };
  },
  resume: (context, input, waiting): Step => {
    if (input.kind === 'wake' && (waiting.key === undefined || waiting.key === input.wakeId)) {
      return { next: { go: 'next' }, log: { event: 'wait-over' } };
    }
    if (input.kind === 'message' && context.options.interruptible) {
      return { next: { go: 'next' }, log: { event: 'wait-interrupted' } };
    }
    return {
      next:
        waiting.data === undefined
          ? { wait: 'wake', attempts: waiting.attempts }
          : { wait: 'wake', attempts: waiting.attempts, data: waiting.data },
    };
  },
};
