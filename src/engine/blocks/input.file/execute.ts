import type { FlowLocale } from '../../../shared/flows/flow-document.js';
import { isMediaContent } from '../../../shared/messaging/message-content.js';
import type { BlockExecutor, FlowValue } from '../../types.js';
import { ask, type Reading, receive } from '../input-common.js';
import type { FileKind, InputFileOptions } from './definition.js';

const megabyte = 1024 * 1024;

type Phrase = Record<FlowLocale, string>;

const kindPhrases: Record<FileKind, Phrase> = {
  image: { 'pt-BR': 'uma foto', 'pt-PT': 'uma fotografia', en: 'a photo' },
  video: { 'pt-BR': 'um vídeo', 'pt-PT': 'um vídeo', en: 'a video' },
  audio: { 'pt-BR': 'um áudio', 'pt-PT': 'um áudio', en: 'an audio file' },
  document: { 'pt-BR': 'um documento', 'pt-PT': 'um documento', en: 'a document' },
  sticker: { 'pt-BR': 'uma figurinha', 'pt-PT': 'um autocolante', en: 'a sticker' },
};

const spreadsheet = {
  'pt-BR': 'uma planilha',
  'pt-PT': 'uma folha de cálculo',
  en: 'a spreadsheet',
};
const wordDocument = {
  'pt-BR': 'um documento do Word',
  'pt-PT': 'um documento do Word',
  en: 'a Word document',
};

const mimePhrases: Record<string, Phrase> = {
  'image/*': kindPhrases.image,
  'video/*': kindPhrases.video,
  'audio/*': kindPhrases.audio,
  'application/pdf': { 'pt-BR': 'um PDF', 'pt-PT': 'um PDF', en: 'a PDF' },
  'image/jpeg': { 'pt-BR': 'uma imagem JPEG', 'pt-PT': 'uma imagem JPEG', en: 'a JPEG image' },
  'image/png': { 'pt-BR': 'uma imagem PNG', 'pt-PT': 'uma imagem PNG', en: 'a PNG image' },
  'image/webp': { 'pt-BR': 'uma imagem WebP', 'pt-PT': 'uma imagem WebP', en: 'a WebP image' },
  'image/heic': { 'pt-BR': 'uma imagem HEIC', 'pt-PT': 'uma imagem HEIC', en: 'a HEIC image' },
  'text/csv': { 'pt-BR': 'um arquivo CSV', 'pt-PT': 'um ficheiro CSV', en: 'a CSV file' },
  'text/plain': {
    'pt-BR': 'um arquivo de texto',
    'pt-PT': 'um ficheiro de texto',
    en: 'a text file',
  },
  'application/zip': { 'pt-BR': 'um arquivo ZIP', 'pt-PT': 'um ficheiro ZIP', en: 'a ZIP file' },
  'application/vnd.ms-excel': spreadsheet,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': spreadsheet,
  'application/msword': wordDocument,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': wordDocument,
};

function describeMime(mime: string, locale: FlowLocale): string {
  const known = mimePhrases[mime];
  if (known) return known[locale];
  const name = mime.endsWith('/*') ? mime.slice(0, -2) : mime;
  return locale === 'en'
    ? `a ${name} file`
    : `${locale === 'pt-PT' ? 'um ficheiro' : 'um arquivo'} ${name}`;
}

/** "uma foto ou um PDF", "a photo or a PDF". */
export function describeAccepted(accept: readonly string[], locale: FlowLocale): string {
  const phrases = accept.map((entry) =>
    entry in kindPhrases ? kindPhrases[entry as FileKind][locale] : describeMime(entry, locale),
  );
  const unique = [...new Set(phrases)];
  return new Intl.ListFormat(locale === 'en' ? 'en' : locale, { type: 'disjunction' }).format(
    unique,
  );
}

/** What the person sent, in words: the MIME type when it is telling, else how it was sent. */
function describeReceived(kind: FileKind, mime: string, locale: FlowLocale): string {
  if (kind !== 'document' || mime === '') return kindPhrases[kind][locale];
  return mimePhrases[mime]?.[locale] ?? describeMime(mime, locale);
}

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

export function isAccepted(accept: readonly string[], kind: FileKind, mimeType: string): boolean {
  const mime = baseMime(mimeType);
  return accept.some((entry) => {
    switch (entry) {
      case 'document':
      case 'sticker':
        return kind === entry;
      case 'image':
      case 'video':
      case 'audio':
        return kind === entry || (kind === 'document' && mime.startsWith(`${entry}/`));
      default:
        return entry.endsWith('/*') ? mime.startsWith(entry.slice(0, -1)) : mime === entry;
    }
  });
}

const texts = {
  noFile: {
    'pt-BR': 'Envie {accepted} de até {max} MB, por favor.',
    'pt-PT': 'Envie {accepted} até {max} MB, por favor.',
    en: 'Please send {accepted} of up to {max} MB.',
  },
  notStored: {
    'pt-BR': 'Não consegui receber o arquivo. Envie de novo, por favor.',
    'pt-PT': 'Não consegui receber o ficheiro. Envie-o de novo, por favor.',
    en: 'I could not receive the file. Please send it again.',
  },
  wrongType: {
    'pt-BR': 'Recebi {received}, mas preciso de {accepted} de até {max} MB.',
    'pt-PT': 'Recebi {received}, mas preciso de {accepted} até {max} MB.',
    en: 'I received {received}, but I need {accepted} of up to {max} MB.',
  },
  tooLarge: {
    'pt-BR': 'Envie {accepted} de até {max} MB; o arquivo tinha {size} MB.',
    'pt-PT': 'Envie {accepted} até {max} MB; o ficheiro tinha {size} MB.',
    en: 'Please send {accepted} of up to {max} MB; the file was {size} MB.',
  },
} satisfies Record<string, Phrase>;

const intlLocale: Record<FlowLocale, string> = { 'pt-BR': 'pt-BR', 'pt-PT': 'pt-PT', en: 'en-US' };

function formatMegabytes(value: number, locale: FlowLocale): string {
  return new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 1 }).format(value);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export const executor: BlockExecutor<InputFileOptions> = {
  enter: (context) => ask(context),
  resume: (context, input, waiting) =>
    receive(context, input, waiting, ({ content, file }): Reading => {
      const { options, locale } = context;
      const values = {
        accepted: describeAccepted(options.accept, locale),
        max: formatMegabytes(options.maxSizeMb, locale),
      };
      if (!isMediaContent(content)) {
        return { ok: false, code: 'no-file', reason: fill(context.text(texts.noFile), values) };
      }
      if (!file) {
        return { ok: false, code: 'not-stored', reason: context.text(texts.notStored) };
      }
      const mime = baseMime(file.mimeType || content.mimeType || '');
      if (!isAccepted(options.accept, content.type, mime)) {
        const received = describeReceived(content.type, mime, locale);
        return {
          ok: false,
          code: 'wrong-type',
          reason: fill(context.text(texts.wrongType), { ...values, received }),
        };
      }
      if (file.size > options.maxSizeMb * megabyte) {
        // Rounded up, so a file just over the limit never reads as within it.
        const size = formatMegabytes(Math.ceil((file.size / megabyte) * 10) / 10, locale);
        return {
          ok: false,
          code: 'too-large',
          reason: fill(context.text(texts.tooLarge), { ...values, size }),
        };
      }
      const value: Record<string, FlowValue> = {
        mediaId: file.mediaId,
        mimeType: file.mimeType,
        size: file.size,
      };
      const fileName =
        file.fileName ?? (content.type === 'document' ? content.filename : undefined);
      if (fileName) value.fileName = fileName;
      const caption = content.caption?.trim() ?? '';
      return {
        ok: true,
        value,
        ...(options.captionVariable ? { set: { [options.captionVariable]: caption } } : {}),
        effects: [{ kind: 'store-file', mediaId: file.mediaId, variable: options.variable }],
      };
    }),
};
