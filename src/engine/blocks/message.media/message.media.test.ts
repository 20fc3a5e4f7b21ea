import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { Variables } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const variables: Variables = {
  receipt: {
    mediaId: 'media-42',
    mimeType: 'application/pdf',
    size: 1000,
    fileName: 'recibo-hotel.pdf',
  },
  photo: { mediaId: 'media-7', mimeType: 'image/jpeg', size: 500 },
  trip: { id: 'T-9', city: 'Recife' },
  base: 'https://cdn.example.com',
  nothing: '',
};

describe('message.media', () => {
  it.each([
    [
      'an image by URL with a caption',
      { kind: 'image', url: '{{base}}/mapa-{{trip.id}}.png', caption: 'Mapa de {{trip.city}}' },
      { type: 'image', url: 'https://cdn.example.com/mapa-T-9.png', caption: 'Mapa de Recife' },
    ],
    [
      'a file variable sent back as a document, with its type and name',
      { kind: 'document', mediaId: '{{receipt}}' },
      {
        type: 'document',
        mediaId: 'media-42',
        mimeType: 'application/pdf',
        filename: 'recibo-hotel.pdf',
      },
    ],
    [
      'a document whose name the flow gives',
      { kind: 'document', mediaId: '{{ receipt }}', fileName: 'recibo-{{trip.id}}.pdf' },
      {
        type: 'document',
        mediaId: 'media-42',
        mimeType: 'application/pdf',
        filename: 'recibo-T-9.pdf',
      },
    ],
    [
      "a file variable's id",
      { kind: 'image', mediaId: '{{photo.mediaId}}' },
      { type: 'image', mediaId: 'media-7' },
    ],
    [
      'a literal media id',
      { kind: 'sticker', mediaId: 'sticker-1' },
      { type: 'sticker', mediaId: 'sticker-1' },
    ],
    [
      'an audio by URL',
      { kind: 'audio', url: 'https://cdn.example.com/boas-vindas.ogg' },
      { type: 'audio', url: 'https://cdn.example.com/boas-vindas.ogg' },
    ],
    [
      'a video whose caption renders empty (no caption)',
      { kind: 'video', url: 'https://cdn.example.com/v.mp4', caption: '{{nothing}}' },
      { type: 'video', url: 'https://cdn.example.com/v.mp4' },
    ],
  ])('sends %s and goes on', (_case, options, content) => {
    const step = executor.enter(blockContext(definition, options, { variables }));
    expect(step).toEqual({ send: [content], next: { go: 'next' } });
  });

  it('cuts a long caption to 1,024 characters', () => {
    const step = executor.enter(
      blockContext(
        definition,
        { kind: 'image', mediaId: 'm', caption: '{{long}}' },
        { variables: { long: 'a'.repeat(2000) } },
      ),
    );
    expect(step.send?.[0]).toMatchObject({ caption: `${'a'.repeat(1023)}…` });
  });

  it.each([
    ['a URL that renders empty', { kind: 'image', url: '{{nothing}}' }, 'empty-url'],
    [
      'a URL that renders to something else',
      { kind: 'image', url: '{{trip.city}}' },
      'invalid-url',
    ],
    ['a media id that renders empty', { kind: 'image', mediaId: '{{missing}}' }, 'empty-media-id'],
  ])('sends nothing for %s: through error when connected, else next', (_case, options, reason) => {
    const connected = executor.enter(
      blockContext(definition, options, { variables, ports: ['error'] }),
    );
    expect(connected).toEqual({
      next: { go: 'error' },
      log: { event: 'media-unavailable', detail: { reason } },
    });
    const loose = executor.enter(blockContext(definition, options, { variables }));
    expect(loose.send).toBeUndefined();
    expect(loose.next).toEqual({ go: 'next' });
  });

  it('declares its templates and the error port', () => {
    const parsed = definition.optionsSchema.parse({
      kind: 'document',
      mediaId: '{{receipt}}',
      caption: 'Seu recibo',
      fileName: 'r.pdf',
    });
    expect(definition.ports(parsed)).toEqual(['error']);
    expect(definition.templates?.(parsed)).toEqual([
      { path: ['mediaId'], template: '{{receipt}}' },
      { path: ['caption'], template: 'Seu recibo' },
      { path: ['fileName'], template: 'r.pdf' },
    ]);
  });

  it.each([
    [
      'both url and mediaId',
      { kind: 'image', url: 'https://x.com/a.png', mediaId: 'm' },
      ['mediaId'],
    ],
    ['neither url nor mediaId', { kind: 'image' }, ['url']],
    ['a URL that is not http(s)', { kind: 'image', url: 'ftp://x.com/a.png' }, ['url']],
    ['a relative URL', { kind: 'image', url: '/a.png' }, ['url']],
    ['a caption on audio', { kind: 'audio', mediaId: 'm', caption: 'Ouça' }, ['caption']],
    ['a caption on a sticker', { kind: 'sticker', mediaId: 'm', caption: 'Oi' }, ['caption']],
    ['a file name on an image', { kind: 'image', mediaId: 'm', fileName: 'a.png' }, ['fileName']],
    ['an unknown kind', { kind: 'gif', mediaId: 'm' }, ['kind']],
  ])('refuses %s', (_case, bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
