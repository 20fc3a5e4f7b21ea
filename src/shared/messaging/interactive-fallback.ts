import type { MessageContent } from './message-content.js';

/**
 * Buttons and lists on channels that cannot render them (most unofficial providers, a sandbox
 * set to plain text): they are sent as numbered text, and a reply with the number — or the
 * option's exact title — is read back as the tap it stands for. Pure: the outbound engine
 * renders, the inbound pipeline matches.
 */

export type InteractiveContent = Extract<MessageContent, { type: 'buttons' | 'list' }>;
export type OfferedOption = {
  kind: 'button' | 'list';
  id: string;
  title: string;
  description?: string;
};

export type FallbackLocale = 'pt-BR' | 'pt-PT' | 'en';

const replyHint: Record<FallbackLocale, string> = {
  'pt-BR': 'Responda com o número da opção.',
  'pt-PT': 'Responda com o número da opção.',
  en: 'Reply with the number of your choice.',
};

export function isInteractiveContent(content: MessageContent): content is InteractiveContent {
  return content.type === 'buttons' || content.type === 'list';
}

/** The options in the order they are numbered (1-based in the text). */
export function listOfferedOptions(content: InteractiveContent): OfferedOption[] {
  if (content.type === 'buttons') {
    return content.buttons.map((button) => ({
      kind: 'button',
      id: button.id,
      title: button.title,
    }));
  }
  return content.sections.flatMap((section) =>
    section.rows.map((row) => ({
      kind: 'list' as const,
      id: row.id,
      title: row.title,
      ...(row.description ? { description: row.description } : {}),
    })),
  );
}

/** WhatsApp-formatted text standing in for buttons or a list. */
export function renderNumberedText(
  content: InteractiveContent,
  locale: FallbackLocale = 'pt-BR',
): string {
  const parts: string[] = [];
  if (content.header) parts.push(`*${content.header}*`);
  parts.push(content.body);
  const lines: string[] = [];
  let number = 0;
  if (content.type === 'buttons') {
    for (const button of content.buttons) lines.push(`${++number}. ${button.title}`);
  } else {
    for (const section of content.sections) {
      if (section.title && content.sections.length > 1) lines.push(`*${section.title}*`);
      for (const row of section.rows) {
        lines.push(`${++number}. ${row.title}${row.description ? ` — ${row.description}` : ''}`);
      }
    }
  }
  parts.push(lines.join('\n'));
  if (content.footer) parts.push(`_${content.footer}_`);
  parts.push(`_${replyHint[locale]}_`);
  return parts.join('\n\n');
}

const keycapDigits = /\u20e3|\ufe0f/g;

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[*_~]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The option a typed reply picks: its number ("2", "2.", "2)", "opção 2", "nº 2", "2️⃣") or its
 * exact title, ignoring case, accents and WhatsApp formatting. Undefined for anything else —
 * free text is left as text.
 */
export function matchNumberedReply(
  text: string,
  options: readonly OfferedOption[],
): OfferedOption | undefined {
  const folded = fold(text.replace(keycapDigits, ''));
  if (folded.length === 0 || folded.length > 80) return undefined;
  const numbered =
    /^(?:(?:opcao|opção|option|n[oº°]|numero|number|#)\s*)?(\d{1,2})\s*[.)-]?$/u.exec(folded);
  if (numbered?.[1]) {
    const index = Number.parseInt(numbered[1], 10) - 1;
    return options[index];
  }
  return options.find((option) => fold(option.title) === folded);
}

/**
 * The content as a channel that renders `renders` delivers it: buttons and lists it cannot
 * show become numbered text (at most WhatsApp's 4,096 characters); anything else is unchanged.
 */
export function contentAsDelivered(
  content: MessageContent,
  renders: readonly string[],
  locale: FallbackLocale = 'pt-BR',
): MessageContent {
  if (!isInteractiveContent(content) || renders.includes(content.type)) return content;
  return { type: 'text', text: renderNumberedText(content, locale).slice(0, 4096) };
}
