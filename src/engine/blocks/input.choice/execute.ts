import { renderNumberedText } from '../../../shared/messaging/interactive-fallback.js';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import type { BlockContext, BlockExecutor } from '../../types.js';
import {
  askChoice,
  type ChoiceOffer,
  chooseOptionText,
  numberedOptionTitle,
  receiveChoice,
  renderBody,
  renderLabel,
  truncateText,
  unrecognizedChoiceReason,
} from '../choice-common.js';
import { choiceDisplayOf, type InputChoiceOptions } from './definition.js';

const titleLimit = { buttons: 20, list: 24, text: 100 };
const defaultButtonText = { 'pt-BR': 'Ver opções', 'pt-PT': 'Ver opções', en: 'See options' };

function renderButtonText(context: BlockContext<InputChoiceOptions>): string {
  const fallback = context.text(defaultButtonText);
  const { buttonText } = context.options;
  return buttonText ? renderLabel(context, buttonText, 20, fallback) : fallback;
}

export function buildChoiceOffer(context: BlockContext<InputChoiceOptions>): ChoiceOffer {
  const { options, locale } = context;
  const display = choiceDisplayOf(options);
  const offered = options.choices.map((choice, index) => ({
    id: choice.id,
    title: renderLabel(
      context,
      choice.title,
      titleLimit[display],
      numberedOptionTitle(locale, index),
    ),
  }));
  const aliases = new Map(
    options.choices.map((choice) => [
      choice.id,
      [context.render(choice.title), ...(choice.synonyms ?? [])],
    ]),
  );
  const fallbackBody = context.text(chooseOptionText);
  let content: MessageContent;
  if (display === 'buttons') {
    content = {
      type: 'buttons',
      body: renderBody(context, options.prompt, 1024, fallbackBody),
      buttons: offered,
    };
  } else if (display === 'list') {
    content = {
      type: 'list',
      body: renderBody(context, options.prompt, 4096, fallbackBody),
      buttonText: renderButtonText(context),
      sections: [{ rows: offered }],
    };
  } else {
    const numbered = renderNumberedText(
      {
        type: 'list',
        body: renderBody(context, options.prompt, 4096, fallbackBody),
        buttonText: '-',
        sections: [{ rows: offered }],
      },
      locale,
    );
    content = { type: 'text', text: truncateText(numbered, 4096) };
  }
  return { content, offered, aliases };
}

export const executor: BlockExecutor<InputChoiceOptions> = {
  enter: (context) => askChoice(buildChoiceOffer(context)),
  resume: (context, input, waiting) =>
    receiveChoice(
      context,
      context.options,
      input,
      waiting,
      () => buildChoiceOffer(context),
      () =>
        unrecognizedChoiceReason(
          context,
          choiceDisplayOf(context.options),
          renderButtonText(context),
        ),
    ),
};
