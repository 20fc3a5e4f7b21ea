import { runValidator } from '../../../shared/validators/index.js';
import type { BlockExecutor } from '../../types.js';
import { ask, notTextReason, receive, textOf } from '../input-common.js';
import type { InputValidatedOptions } from './definition.js';

export const executor: BlockExecutor<InputValidatedOptions> = {
  enter: (context) => ask(context),
  resume: (context, input, waiting) =>
    receive(context, input, waiting, ({ content }) => {
      const text = textOf(content);
      if (text === undefined) {
        return { ok: false, code: 'not-text', reason: context.text(notTextReason) };
      }
      const result = runValidator(
        context.options.validator,
        text,
        context.options.validatorOptions,
        {
          now: context.env.now,
          ...(context.locale === 'en' ? {} : { locale: context.locale }),
          timeZone: context.timeZone,
        },
      );
      if (result.ok) return { ok: true, value: result.value as string };
      return {
        ok: false,
        code: result.reason,
        reason: context.locale === 'en' ? result.message.en : result.message['pt-BR'],
      };
    }),
};
