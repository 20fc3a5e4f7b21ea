import { classifyByKeywords } from '../../../nlu/index.js';
import type { BlockExecutor, Step } from '../../types.js';
import { textOf } from '../input-common.js';
import { type LogicSwitchIntentOptions, unknownPort } from './definition.js';

export const executor: BlockExecutor<LogicSwitchIntentOptions> = {
  enter: (context) => {
    const { prompt } = context.options;
    return prompt === undefined
      ? { next: { wait: 'input' } }
      : { send: [{ type: 'text', text: context.render(prompt) }], next: { wait: 'input' } };
  },
  resume: (context, input, waiting): Step => {
    if (input.kind !== 'message') return { next: { wait: 'input', attempts: waiting.attempts } };
    const { intents, minScore, variable } = context.options;
    const text = textOf(input.content) ?? '';
    const best = classifyByKeywords(text, intents)[0];
    const intent = best && best.score >= minScore ? best.intent : unknownPort;
    return {
      ...(variable === undefined ? {} : { set: { [variable]: intent } }),
      next: { go: intent },
      log: { event: 'intent-classified', detail: { intent, score: best?.score ?? 0 } },
    };
  },
};
