import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import { blockContext } from '../../testing/block-context.js';
import type { ReceivedFile, ResumeInput } from '../../types.js';
import { definition } from './definition.js';
import { describeAccepted, executor } from './execute.js';

const options = {
  prompt: 'Envie a foto ou o PDF do recibo.',
  variable: 'receipt',
  accept: ['image', 'application/pdf'],
  captionVariable: 'receiptNote',
};
const mb = 1024 * 1024;
const waiting = { for: 'input', attempts: 0 } as const;

function sent(content: MessageContent, file?: Partial<ReceivedFile>): ResumeInput {
  return file
    ? {
        kind: 'message',
        content,
        file: { mediaId: 'media-1', mimeType: 'image/jpeg', size: 2 * mb, ...file },
      }
    : { kind: 'message', content };
}

describe('input.file', () => {
  it('asks with the prompt and waits', () => {
    expect(executor.enter(blockContext(definition, options))).toEqual({
      send: [{ type: 'text', text: 'Envie a foto ou o PDF do recibo.' }],
      next: { wait: 'input' },
    });
  });

  it('stores a photo, its caption, and asks for the file to be kept', () => {
    const step = executor.resume?.(
      blockContext(definition, options),
      sent({ type: 'image', mediaId: 'media-1', caption: ' Almoço com cliente ' }, {}),
      waiting,
    );
    expect(step).toEqual({
      set: {
        receipt: { mediaId: 'media-1', mimeType: 'image/jpeg', size: 2 * mb },
        receiptNote: 'Almoço com cliente',
      },
      effects: [{ kind: 'store-file', mediaId: 'media-1', variable: 'receipt' }],
      next: { go: 'next' },
      log: { event: 'input-accepted', detail: { variable: 'receipt' } },
    });
  });

  it.each<[string, string[], MessageContent, Partial<ReceivedFile>]>([
    [
      'a PDF sent as a document, with its name',
      ['image', 'application/pdf'],
      { type: 'document', filename: 'recibo.pdf' },
      { mimeType: 'application/pdf', fileName: 'recibo.pdf' },
    ],
    [
      'a photo sent as a document when images are accepted',
      ['image'],
      { type: 'document' },
      { mimeType: 'image/png' },
    ],
    ['any document for "document"', ['document'], { type: 'document' }, { mimeType: 'text/csv' }],
    [
      'a MIME family',
      ['audio/*'],
      { type: 'audio', isVoice: true },
      { mimeType: 'audio/ogg; codecs=opus' },
    ],
    ['a file of exactly the limit', ['image'], { type: 'image' }, { size: 10 * mb }],
  ])('accepts %s', (_case, accept, content, file) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, accept }),
      sent(content, file),
      waiting,
    );
    expect(step?.next).toEqual({ go: 'next' });
    expect(step?.set?.receipt).toMatchObject({ mediaId: 'media-1', ...file });
    expect(step?.set?.receiptNote).toBe('');
  });

  it.each<[string, ResumeInput, string]>([
    [
      'text instead of a file',
      sent({ type: 'text', text: 'já mando' }),
      'Envie uma foto ou um PDF de até 10 MB, por favor.',
    ],
    [
      'media the platform could not store',
      sent({ type: 'image', mediaId: 'x' }),
      'Não consegui receber o arquivo. Envie de novo, por favor.',
    ],
    [
      'a video',
      sent({ type: 'video' }, { mimeType: 'video/mp4' }),
      'Recebi um vídeo, mas preciso de uma foto ou um PDF de até 10 MB.',
    ],
    [
      'a spreadsheet sent as a document',
      sent({ type: 'document' }, { mimeType: 'application/vnd.ms-excel' }),
      'Recebi uma planilha, mas preciso de uma foto ou um PDF de até 10 MB.',
    ],
    [
      'a sticker',
      sent({ type: 'sticker' }, { mimeType: 'image/webp' }),
      'Recebi uma figurinha, mas preciso de uma foto ou um PDF de até 10 MB.',
    ],
    [
      'a file over the limit',
      sent({ type: 'document' }, { mimeType: 'application/pdf', size: Math.round(14.15 * mb) }),
      'Envie uma foto ou um PDF de até 10 MB; o arquivo tinha 14,2 MB.',
    ],
    [
      'a file just over the limit (rounded up)',
      sent({ type: 'image' }, { size: 10 * mb + 1 }),
      'Envie uma foto ou um PDF de até 10 MB; o arquivo tinha 10,1 MB.',
    ],
  ])('re-asks on %s with the reason', (_case, input, reason) => {
    const step = executor.resume?.(blockContext(definition, options), input, waiting);
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Envie a foto ou o PDF do recibo.' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
    expect(step?.effects).toBeUndefined();
  });

  it.each([
    ['pt-PT', 'Envie uma fotografia ou um PDF até 2,5 MB; o ficheiro tinha 3 MB.'],
    ['en', 'Please send a photo or a PDF of up to 2.5 MB; the file was 3 MB.'],
  ] as const)('explains in %s', (locale, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, maxSizeMb: 2.5 }, { locale }),
      sent({ type: 'image' }, { size: 3 * mb }),
      waiting,
    );
    expect(step?.send?.[0]).toEqual({ type: 'text', text: reason });
  });

  it.each([
    [['image'], 'pt-BR', 'uma foto'],
    [['image', 'image/*', 'video', 'application/pdf'], 'pt-BR', 'uma foto, um vídeo ou um PDF'],
    [
      ['application/x-custom', 'model/*'],
      'pt-PT',
      'um ficheiro application/x-custom ou um ficheiro model',
    ],
    [['sticker', 'text/csv'], 'en', 'a sticker or a CSV file'],
  ] as const)('names %j in words (%s)', (accept, locale, words) => {
    expect(describeAccepted(accept, locale)).toBe(words);
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      sent({ type: 'text', text: 'não tenho' }),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares the file and caption variables', () => {
    expect(definition.writes?.(definition.optionsSchema.parse(options))).toEqual([
      { path: ['variable'], name: 'receipt', types: ['file'] },
      { path: ['captionVariable'], name: 'receiptNote', types: ['string'] },
    ]);
  });

  it('defaults to photos and documents of up to 10 MB', () => {
    const parsed = definition.optionsSchema.parse({ prompt: 'Envie', variable: 'doc' });
    expect(parsed).toMatchObject({ accept: ['image', 'document'], maxSizeMb: 10 });
  });

  it.each([
    ['an unknown kind', { ...options, accept: ['photo'] }],
    ['a MIME type with spaces', { ...options, accept: ['application/ pdf'] }],
    ['nothing accepted', { ...options, accept: [] }],
    ['a size above 100 MB', { ...options, maxSizeMb: 500 }],
    ['the caption in the file variable', { ...options, captionVariable: 'receipt' }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
