import type { MessageContent } from '../../../shared/messaging/message-content.js';
import { type BotExpectation, compileRegex } from './conversation-test.schema.js';

/**
 * Reading what the bot said against what a test expects, and putting both in words for a
 * failure message and a transcript.
 */

/** The text a person reads: a message's text, a buttons or list body, a media caption. */
export function textOfMessage(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'buttons':
    case 'list':
      return content.body;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return content.caption ?? '';
    case 'template':
      return content.renderedText ?? '';
    default:
      return '';
  }
}

/** One line (or a few) for a transcript: `"Olá!" [Fazer cadastro | Falar com atendente]`. */
export function describeMessage(content: MessageContent): string {
  const quoted = (text: string) => JSON.stringify(text);
  switch (content.type) {
    case 'text':
      return quoted(content.text);
    case 'buttons':
      return `${quoted(content.body)} with buttons [${content.buttons.map((button) => button.title).join(' | ')}]`;
    case 'list':
      return `${quoted(content.body)} with a list [${content.sections
        .flatMap((section) => section.rows.map((row) => row.title))
        .join(' | ')}]`;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const facts = [
        content.mimeType,
        content.type === 'document' ? content.filename : undefined,
        content.caption === undefined ? undefined : `caption ${quoted(content.caption)}`,
      ].filter((fact) => fact !== undefined);
      return `[${content.type}${facts.length > 0 ? `: ${facts.join(', ')}` : ''}]`;
    }
    case 'interactive-reply':
      return `[tap: ${quoted(content.title)}]`;
    case 'location':
      return `[location ${content.latitude}, ${content.longitude}]`;
    default:
      return `[${content.type}]`;
  }
}

/** What an expectation asks for, in words ("text containing "e-mail" and buttons [...]"). */
export function describeExpectation(expectation: BotExpectation): string {
  if (expectation.none) return 'no more messages';
  const parts: string[] = [];
  if (expectation.exact !== undefined) parts.push(`the text ${JSON.stringify(expectation.exact)}`);
  if (expectation.contains !== undefined) {
    const needles = [expectation.contains].flat();
    parts.push(
      `a text containing ${needles.map((needle) => JSON.stringify(needle)).join(' and ')}`,
    );
  }
  if (expectation.regex !== undefined) parts.push(`a text matching ${expectation.regex}`);
  if (expectation.buttons) parts.push(`buttons [${expectation.buttons.join(' | ')}]`);
  if (expectation.list) parts.push(`a list [${expectation.list.join(' | ')}]`);
  if (expectation.image !== undefined) parts.push(`an image${mediaFacts(expectation.image)}`);
  if (expectation.document !== undefined) {
    parts.push(`a document${mediaFacts(expectation.document)}`);
  }
  return parts.join(' and ');
}

function mediaFacts(expected: true | { mimeType?: string; filename?: string | undefined }): string {
  if (expected === true) return '';
  const facts = [expected.mimeType, expected.filename].filter((fact) => fact !== undefined);
  return facts.length > 0 ? ` (${facts.join(', ')})` : '';
}

/** Folds a label for comparing titles: case and accents ignored, spaces collapsed. */
export function foldTitle(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Why `content` does not meet `expectation` (each unmet part, in words), or [] when it does.
 * Texts compare exactly except for trailing white space (YAML block scalars add a newline).
 */
export function checkMessage(content: MessageContent, expectation: BotExpectation): string[] {
  const problems: string[] = [];
  const text = textOfMessage(content);
  if (expectation.exact !== undefined && text.trimEnd() !== expectation.exact.trimEnd()) {
    problems.push(`the text is not exactly ${JSON.stringify(expectation.exact)}`);
  }
  for (const needle of expectation.contains === undefined ? [] : [expectation.contains].flat()) {
    if (!text.includes(needle))
      problems.push(`the text does not contain ${JSON.stringify(needle)}`);
  }
  if (expectation.regex !== undefined) {
    const pattern = compileRegex(expectation.regex);
    if (pattern instanceof Error || !pattern.test(text)) {
      problems.push(`the text does not match ${expectation.regex}`);
    }
  }
  if (expectation.buttons) {
    if (content.type !== 'buttons') {
      problems.push(`it offers no buttons (it is ${kindInWords(content)})`);
    } else {
      const titles = content.buttons.map((button) => button.title);
      if (!sameTitles(titles, expectation.buttons)) {
        problems.push(`the buttons are [${titles.join(' | ')}]`);
      }
    }
  }
  if (expectation.list) {
    if (content.type !== 'list') {
      problems.push(`it offers no list (it is ${kindInWords(content)})`);
    } else {
      const titles = content.sections.flatMap((section) => section.rows.map((row) => row.title));
      if (!sameTitles(titles, expectation.list)) {
        problems.push(`the list rows are [${titles.join(' | ')}]`);
      }
    }
  }
  for (const kind of ['image', 'document'] as const) {
    const expected = expectation[kind];
    if (expected === undefined) continue;
    if (content.type !== kind) {
      problems.push(
        `it is not ${kind === 'image' ? 'an image' : 'a document'} (it is ${kindInWords(content)})`,
      );
      continue;
    }
    if (expected === true) continue;
    if (expected.mimeType !== undefined && content.mimeType !== expected.mimeType) {
      problems.push(`its MIME type is ${content.mimeType ?? 'unknown'}`);
    }
    const filename = content.type === 'document' ? content.filename : undefined;
    if (expected.filename !== undefined && filename !== expected.filename) {
      problems.push(`its file name is ${filename ?? 'not given'}`);
    }
  }
  return problems;
}

function sameTitles(actual: readonly string[], expected: readonly string[]): boolean {
  return (
    actual.length === expected.length && actual.every((title, index) => title === expected[index])
  );
}

function kindInWords(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return 'a text message';
    case 'buttons':
      return 'a message with buttons';
    case 'list':
      return 'a message with a list';
    case 'image':
      return 'an image';
    case 'audio':
      return 'an audio';
    default:
      return `a ${content.type} message`;
  }
}
