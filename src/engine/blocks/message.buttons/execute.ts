import type { BlockContext, BlockExecutor } from '../../types.js';
import {
  askChoice,
  type ChoiceOffer,
  chooseOptionText,
  numberedOptionTitle,
  receiveChoice,
  renderLabel,
  truncateText,
  unrecognizedChoiceReason,
} from '../choice-common.js';
import type { MessageButtonsOptions } from './definition.js';

/** WhatsApp's limits for reply buttons. */
const limits = { body: 1024, header: 60, footer: 60, title: 20 };

export function buildButtonsOffer(context: BlockContext<MessageButtonsOptions>): ChoiceOffer {
  const { options, locale } = context;
  const buttons = options.buttons.map((button, index) => ({
    id: button.id,
    title: renderLabel(context, button.title, limits.title, numberedOptionTitle(locale, index)),
  }));
  const legend = options.buttons.flatMap((button, index) => {
    const description = button.description ? context.render(button.description).trim() : '';
    return description === '' ? [] : [`*${buttons[index]?.title}*: ${description}`];
  });
  const text = context.render(options.text).trim();
  const body = [text, legend.join('\n')].filter((part) => part !== '').join('\n\n');
  const header = options.header ? renderLabel(context, options.header, limits.header) : '';
  const footer = options.footer ? renderLabel(context, options.footer, limits.footer) : '';
  return {
    content: {
      type: 'buttons',
      body: truncateText(body === '' ? context.text(chooseOptionText) : body, limits.body),
      ...(header ? { header } : {}),
      ...(footer ? { footer } : {}),
      buttons,
    },
    offered: buttons,
    aliases: new Map(options.buttons.map((button) => [button.id, [context.render(button.title)]])),
  };
}

export const executor: BlockExecutor<MessageButtonsOptions> = {
  enter: (context) => askChoice(buildButtonsOffer(context)),
  resume: (context, input, waiting) =>
    receiveChoice(
      context,
      {
        prompt: context.options.text,
        variable: context.options.variable,
        maxAttempts: context.options.maxAttempts,
      },
      input,
      waiting,
      () => buildButtonsOffer(context),
      () => unrecognizedChoiceReason(context, 'buttons'),
    ),
};
