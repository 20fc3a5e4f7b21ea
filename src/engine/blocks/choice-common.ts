import { z } from 'zod';
import { type FlowLocale, flowIdPattern } from '../../shared/flows/flow-document.js';
import { matchNumberedReply } from '../../shared/messaging/interactive-fallback.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import { foldText } from '../../shared/validators/text.js';
import type { BlockContext, FlowValue, ResumeInput, Step, WaitState } from '../types.js';
import { invalidPort, type ReceiveOptions, receive, textOf } from './input-common.js';

/**
 * What the blocks that offer options share (`message.buttons`, `message.list`, `input.choice`):
 * option ids that are also ports, labels rendered and cut to WhatsApp's limits without breaking
 * a character, the options as offered kept while the block waits, and reading the answer — a
 * tap, the option's number ("2", "2️⃣", "opção 2"), its title or a synonym, ignoring case and
 * accents.
 */

/** Ports every block has besides the options' own: an option cannot be named like them. */
const reservedPorts = ['next', invalidPort];

/** An option's id: also the port it leaves through and the value stored. */
export const optionIdSchema = z
  .string()
  .regex(flowIdPattern, 'use letters, digits, "-" and "_" (up to 64), starting with a letter')
  .refine((id) => !reservedPorts.includes(id), {
    message: `"next" and "${invalidPort}" are ports of every block; name the option otherwise`,
  });

/** Issues for options whose ids or (literal) titles repeat: the answer would be ambiguous. */
export function findRepeatedOptions(
  options: readonly { id: string; title: string }[],
): { index: number; field: 'id' | 'title'; message: string }[] {
  const issues: { index: number; field: 'id' | 'title'; message: string }[] = [];
  const ids = new Set<string>();
  const titles = new Set<string>();
  options.forEach((option, index) => {
    if (ids.has(option.id)) {
      issues.push({ index, field: 'id', message: `the id "${option.id}" is used twice` });
    }
    ids.add(option.id);
    const title = foldLabel(option.title);
    if (!option.title.includes('{{') && titles.has(title)) {
      issues.push({ index, field: 'title', message: `the title "${option.title}" is used twice` });
    }
    titles.add(title);
  });
  return issues;
}

/** Adds `findRepeatedOptions` issues to a zod refinement context at `path`. */
export function reportRepeatedOptions(
  options: readonly { id: string; title: string }[],
  path: (string | number)[],
  context: z.RefinementCtx,
): void {
  for (const issue of findRepeatedOptions(options)) {
    context.addIssue({
      code: 'custom',
      path: [...path, issue.index, issue.field],
      message: issue.message,
    });
  }
}

const graphemes = new Intl.Segmenter('pt', { granularity: 'grapheme' });

/**
 * Cuts a text to `max` UTF-16 units (what WhatsApp's limits count) at a character boundary —
 * never halving an emoji or an accented letter — and marks the cut with "…".
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/**
 * A label rendered for a button, row or header: one line, trimmed, cut to `max`. Empty after
 * rendering (a variable without value) gives `fallback`.
 */
export function renderLabel(
  context: BlockContext<unknown>,
  template: string,
  max: number,
  fallback = '',
): string {
  const text = context.render(template).replace(/\s+/g, ' ').trim();
  return truncateText(text === '' ? fallback : text, max);
}

/** A text block (a message's body) rendered and cut to `max`; `fallback` when empty. */
export function renderBody(
  context: BlockContext<unknown>,
  template: string,
  max: number,
  fallback: string,
): string {
  const text = context.render(template).trim();
  return truncateText(text === '' ? fallback : text, max);
}

/** The body when the author's text renders empty. */
export const chooseOptionText: Record<FlowLocale, string> = {
  'pt-BR': 'Escolha uma opção:',
  'pt-PT': 'Escolha uma opção:',
  en: 'Choose an option:',
};

/** The title of an option whose title renders empty: "Opção 2". */
export function numberedOptionTitle(locale: FlowLocale, index: number): string {
  return `${locale === 'en' ? 'Option' : 'Opção'} ${index + 1}`;
}

/** An option as it was shown, kept in the wait state so the answer is read against it. */
export type OfferedChoice = { id: string; title: string };

export function offeredToData(offered: readonly OfferedChoice[]): FlowValue {
  return offered.map(({ id, title }) => ({ id, title }));
}

/** The options kept in the wait state; [] when the state holds something else. */
export function offeredFromData(data: FlowValue | undefined): OfferedChoice[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((item) =>
    item !== null &&
    typeof item === 'object' &&
    !Array.isArray(item) &&
    typeof item.id === 'string' &&
    typeof item.title === 'string'
      ? [{ id: item.id, title: item.title }]
      : [],
  );
}

/** Lower case, no accents, no WhatsApp formatting, no punctuation or emoji around it. */
export function foldLabel(text: string): string {
  return foldText(text.replace(/[*_~]/g, ''))
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

/**
 * The option an answer picks, or undefined: a tap on one of the offered ids; else the text (a
 * typed message, or the title of a tap on an older message) read as an option's number or its
 * title; else any of the `aliases` an option has (full titles before cutting, synonyms).
 */
export function matchChoice(
  content: MessageContent,
  offered: readonly OfferedChoice[],
  aliases: ReadonlyMap<string, readonly string[]> = new Map(),
): OfferedChoice | undefined {
  if (content.type === 'interactive-reply') {
    const tapped = offered.find((option) => option.id === content.id);
    if (tapped) return tapped;
  }
  const text = textOf(content);
  if (text === undefined) return undefined;
  const numbered = matchNumberedReply(
    text,
    offered.map((option) => ({ kind: 'button' as const, ...option })),
  );
  if (numbered) return offered.find((option) => option.id === numbered.id);
  const folded = foldLabel(text);
  if (folded === '') return undefined;
  return offered.find(
    (option) =>
      foldLabel(option.title) === folded ||
      (aliases.get(option.id) ?? []).some((alias) => foldLabel(alias) === folded),
  );
}

export type ChoiceDisplay = 'buttons' | 'list' | 'text';

const tapButton: Record<FlowLocale, string> = {
  'pt-BR':
    'Não entendi sua escolha. Toque em um dos botões da mensagem abaixo ou responda com o número da opção.',
  'pt-PT':
    'Não percebi a sua escolha. Toque num dos botões da mensagem abaixo ou responda com o número da opção.',
  en: "I didn't catch your choice. Tap one of the buttons in the message below or reply with the option's number.",
};
const openList: Record<FlowLocale, string> = {
  'pt-BR':
    'Não entendi sua escolha. Toque em “{button}” na mensagem abaixo e escolha uma das opções, ou responda com o número da opção.',
  'pt-PT':
    'Não percebi a sua escolha. Toque em “{button}” na mensagem abaixo e escolha uma das opções, ou responda com o número da opção.',
  en: "I didn't catch your choice. Tap “{button}” in the message below and pick one of the options, or reply with the option's number.",
};
const replyNumber: Record<FlowLocale, string> = {
  'pt-BR': 'Não entendi sua escolha. Responda com o número de uma das opções abaixo.',
  'pt-PT': 'Não percebi a sua escolha. Responda com o número de uma das opções abaixo.',
  en: "I didn't catch your choice. Reply with the number of one of the options below.",
};

/**
 * Why an answer is re-asked, naming what the person sees: buttons, a list behind its button,
 * or numbered text (also when the channel cannot render buttons or lists and they degrade).
 */
export function unrecognizedChoiceReason(
  context: BlockContext<unknown>,
  display: ChoiceDisplay,
  listButtonText = '',
): string {
  const { traits } = context.env.channel;
  if (display === 'buttons' && traits.buttons) return context.text(tapButton);
  if (display === 'list' && traits.lists) {
    return context.text(openList).replace('{button}', listButtonText);
  }
  return context.text(replyNumber);
}

/** A message offering options, what it offered and what else names each option. */
export type ChoiceOffer = {
  content: MessageContent;
  offered: OfferedChoice[];
  /** Other names by option id: the full title before cutting, synonyms. */
  aliases: ReadonlyMap<string, readonly string[]>;
};

/** Sends the offer and waits, keeping the options as offered. */
export function askChoice(offer: ChoiceOffer): Step {
  return { send: [offer.content], next: { wait: 'input', data: offeredToData(offer.offered) } };
}

/**
 * Reads the answer to an offer: a match stores the option's id (when there is a variable) and
 * leaves through the option's port; anything else re-asks with `reason` and the offer again,
 * then takes `invalid` after `maxAttempts` (see `receive`).
 */
export function receiveChoice(
  context: BlockContext<unknown>,
  settings: ReceiveOptions,
  input: ResumeInput,
  waiting: WaitState,
  makeOffer: () => ChoiceOffer,
  reason: () => string,
): Step {
  return receive(
    { ...context, options: settings },
    input,
    waiting,
    ({ content }) => {
      const offer = makeOffer();
      const kept = offeredFromData(waiting.data);
      const match = matchChoice(content, kept.length > 0 ? kept : offer.offered, offer.aliases);
      if (match) return { ok: true, value: match.id, go: match.id };
      return { ok: false, code: 'no-match', reason: reason() };
    },
    () => makeOffer().content,
  );
}
