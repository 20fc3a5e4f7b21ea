import type { BlockContext, BlockExecutor } from '../../types.js';
import {
  askChoice,
  type ChoiceOffer,
  chooseOptionText,
  numberedOptionTitle,
  type OfferedChoice,
  receiveChoice,
  renderBody,
  renderLabel,
  unrecognizedChoiceReason,
} from '../choice-common.js';
import type { MessageListOptions } from './definition.js';

/** WhatsApp's limits for list messages. */
const limits = {
  body: 4096,
  header: 60,
  footer: 60,
  buttonText: 20,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
};

const defaultButtonText = { 'pt-BR': 'Ver opções', 'pt-PT': 'Ver opções', en: 'See options' };

export function buildListOffer(context: BlockContext<MessageListOptions>): ChoiceOffer {
  const { options, locale } = context;
  const offered: OfferedChoice[] = [];
  const aliases = new Map<string, string[]>();
  const sections = options.sections.map((section) => {
    const title = section.title ? renderLabel(context, section.title, limits.sectionTitle) : '';
    const rows = section.rows.map((row) => {
      const rowTitle = renderLabel(
        context,
        row.title,
        limits.rowTitle,
        numberedOptionTitle(locale, offered.length),
      );
      const description = row.description
        ? renderLabel(context, row.description, limits.rowDescription)
        : '';
      offered.push({ id: row.id, title: rowTitle });
      aliases.set(row.id, [context.render(row.title)]);
      return { id: row.id, title: rowTitle, ...(description ? { description } : {}) };
    });
    return { ...(title ? { title } : {}), rows };
  });
  const header = options.header ? renderLabel(context, options.header, limits.header) : '';
  const footer = options.footer ? renderLabel(context, options.footer, limits.footer) : '';
  return {
    content: {
      type: 'list',
      body: renderBody(context, options.text, limits.body, context.text(chooseOptionText)),
      ...(header ? { header } : {}),
      ...(footer ? { footer } : {}),
      buttonText: renderListButtonText(context),
      sections,
    },
    offered,
    aliases,
  };
}

function renderListButtonText(context: BlockContext<MessageListOptions>): string {
  return renderLabel(
    context,
    context.options.buttonText,
    limits.buttonText,
    context.text(defaultButtonText),
  );
}

export const executor: BlockExecutor<MessageListOptions> = {
  enter: (context) => askChoice(buildListOffer(context)),
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
      () => buildListOffer(context),
      () => unrecognizedChoiceReason(context, 'list', renderListButtonText(context)),
    ),
};
