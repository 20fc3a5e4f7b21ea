import type { MediaContent } from '../../../shared/messaging/message-content.js';
import { lookup, parseTemplate } from '../../template.js';
import type { BlockContext, BlockExecutor } from '../../types.js';
import { truncateText } from '../choice-common.js';
import { isHttpUrl, type MessageMediaOptions } from './definition.js';

type Source =
  | { ok: true; url: string }
  | { ok: true; mediaId: string; mimeType?: string; fileName?: string }
  | { ok: false; reason: 'empty-url' | 'invalid-url' | 'empty-media-id' };

/**
 * Where the media comes from. A `mediaId` that is one bare variable holding a file
 * (`{{receipt}}`) gives that file's id, type and name; anything else renders as text.
 */
function resolveSource(context: BlockContext<MessageMediaOptions>): Source {
  const { url, mediaId } = context.options;
  if (url !== undefined) {
    const rendered = context.render(url).trim();
    if (rendered === '') return { ok: false, reason: 'empty-url' };
    return isHttpUrl(rendered) ? { ok: true, url: rendered } : { ok: false, reason: 'invalid-url' };
  }
  const template = mediaId ?? '';
  const [part, ...rest] = parseTemplate(template.trim()).parts;
  if (
    part !== undefined &&
    typeof part !== 'string' &&
    part.formatters.length === 0 &&
    rest.length === 0
  ) {
    const value = lookup(part.path, context);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const file = value as Record<string, unknown>;
      if (typeof file.mediaId === 'string' && file.mediaId !== '') {
        return {
          ok: true,
          mediaId: file.mediaId,
          ...(typeof file.mimeType === 'string' ? { mimeType: file.mimeType } : {}),
          ...(typeof file.fileName === 'string' ? { fileName: file.fileName } : {}),
        };
      }
    }
  }
  const rendered = context.render(template).trim();
  return rendered === ''
    ? { ok: false, reason: 'empty-media-id' }
    : { ok: true, mediaId: rendered };
}

export const executor: BlockExecutor<MessageMediaOptions> = {
  enter: (context) => {
    const { kind, caption, fileName } = context.options;
    const source = resolveSource(context);
    if (!source.ok) {
      // Nothing is sent: a flow that handles it goes through `error`, else it carries on.
      return {
        next: { go: context.hasPort('error') ? 'error' : 'next' },
        log: { event: 'media-unavailable', detail: { reason: source.reason } },
      };
    }
    const renderedCaption = caption ? truncateText(context.render(caption).trim(), 1024) : '';
    const name =
      kind === 'document'
        ? (fileName ? context.render(fileName).trim() : '') ||
          ('fileName' in source ? (source.fileName ?? '') : '')
        : '';
    const fields = {
      ...('url' in source ? { url: source.url } : { mediaId: source.mediaId }),
      ...('mimeType' in source && source.mimeType ? { mimeType: source.mimeType } : {}),
      ...(renderedCaption ? { caption: renderedCaption } : {}),
    };
    const content: MediaContent =
      kind === 'document'
        ? { type: kind, ...fields, ...(name ? { filename: truncateText(name, 255) } : {}) }
        : { type: kind, ...fields };
    return { send: [content], next: { go: 'next' } };
  },
};
