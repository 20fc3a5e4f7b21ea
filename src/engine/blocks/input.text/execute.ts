import type { BlockExecutor } from '../../types.js';
import { ask, notTextReason, receive, textOf } from '../input-common.js';
import type { InputTextOptions } from './definition.js';

const tooShort = {
  'pt-BR': 'Sua resposta está curta demais: envie pelo menos {min} caracteres.',
  'pt-PT': 'A sua resposta é demasiado curta: envie pelo menos {min} caracteres.',
  en: 'Your answer is too short: send at least {min} characters.',
};
const tooLong = {
  'pt-BR': 'Sua resposta está longa demais: envie no máximo {max} caracteres.',
  'pt-PT': 'A sua resposta é demasiado longa: envie no máximo {max} caracteres.',
  en: 'Your answer is too long: send at most {max} characters.',
};

export const executor: BlockExecutor<InputTextOptions> = {
  enter: (context) => ask(context),
  resume: (context, input, waiting) =>
    receive(context, input, waiting, ({ content }) => {
      const text = textOf(content)?.trim();
      if (!text) return { ok: false, code: 'not-text', reason: context.text(notTextReason) };
      const { minLength, maxLength } = context.options;
      if (text.length < minLength) {
        return {
          ok: false,
          code: 'too-short',
          reason: context.text(tooShort).replace('{min}', String(minLength)),
        };
      }
      if (text.length > maxLength) {
        return {
          ok: false,
          code: 'too-long',
          reason: context.text(tooLong).replace('{max}', String(maxLength)),
        };
      }
      return { ok: true, value: text };
    }),
};
