import type {
  MediaContent,
  MessageContent,
} from '../../../../src/shared/messaging/message-content';

/**
 * How a message's content reads inside a chat bubble: pure functions shared by the
 * conversations thread and the sandbox phone.
 */

/** The text lines of a bubble; media, choices and coordinates are drawn around them. */
export type BubbleParts = {
  /** Bold first line (interactive header, place name, template name). */
  header?: string;
  body?: string;
  /** Small grey last line. */
  footer?: string;
};

/** A button or list row the user can tap. */
export type Choice = { id: string; title: string; description?: string };
export type ChoiceSection = { title?: string; rows: Choice[] };

const mediaTypes: readonly string[] = [
  'image',
  'audio',
  'video',
  'document',
  'sticker',
] satisfies MediaContent['type'][];

/** Images, audio, video, documents and stickers (the shared module's guard pulls in zod). */
export function isMediaMessage(content: MessageContent): content is MediaContent {
  return mediaTypes.includes(content.type);
}

function compact(parts: BubbleParts): BubbleParts {
  const result: BubbleParts = {};
  if (parts.header?.trim()) result.header = parts.header;
  if (parts.body?.trim()) result.body = parts.body;
  if (parts.footer?.trim()) result.footer = parts.footer;
  return result;
}

export function formatCoordinates(latitude: number, longitude: number): string {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}

/** The text of a bubble for any content kind (empty parts are left out). */
export function bubblePartsOf(content: MessageContent): BubbleParts {
  switch (content.type) {
    case 'text':
      return compact({ body: content.text });
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
      return compact({ body: content.caption });
    case 'document':
      return compact({ header: content.filename, body: content.caption });
    case 'location':
      return compact({
        header: content.name,
        body: content.address ?? formatCoordinates(content.latitude, content.longitude),
      });
    case 'contacts':
      return compact({
        body: content.contacts
          .map((contact) =>
            [contact.name, ...contact.phones.map((phone) => phone.phone)].join(' · '),
          )
          .join('\n'),
      });
    case 'buttons':
    case 'list':
      return compact({ header: content.header, body: content.body, footer: content.footer });
    case 'interactive-reply':
      return compact({ body: content.title, footer: content.description });
    case 'template':
      return compact({ header: content.name, body: content.renderedText });
    case 'reaction':
      return compact({ body: content.emoji });
    case 'unsupported':
      return compact({ body: content.description });
  }
}

/** The choices a message offers: its buttons, or its list's sections; undefined otherwise. */
export function choicesOf(content: MessageContent): ChoiceSection[] | undefined {
  if (content.type === 'buttons') {
    return [{ rows: content.buttons.map(({ id, title }) => ({ id, title })) }];
  }
  if (content.type === 'list') {
    return content.sections.map((section) => {
      const rows = section.rows.map((row) => {
        const choice: Choice = { id: row.id, title: row.title };
        if (row.description) choice.description = row.description;
        return choice;
      });
      return section.title ? { title: section.title, rows } : { rows };
    });
  }
  return undefined;
}

/** An OpenStreetMap link to the place (opened in a new tab; nothing is embedded). */
export function mapUrlOf(latitude: number, longitude: number): string {
  const query = new URLSearchParams({ mlat: String(latitude), mlon: String(longitude) });
  return `https://www.openstreetmap.org/?${query}#map=17/${latitude}/${longitude}`;
}
