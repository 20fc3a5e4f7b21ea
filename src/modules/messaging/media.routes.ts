import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertRole } from '../../platform/auth/principal.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import { idParamsSchema } from '../../shared/contracts/accounts.contract.js';
import {
  mediaContentQuerySchema,
  mediaSchema,
  uploadMediaQuerySchema,
} from '../../shared/contracts/media.contract.js';
import { formatBytes } from '../../shared/media-limits.js';
import type { MediaDownload, MediaService } from './media.service.js';

/** Media bytes are data, never a page: nothing in them may run, load or be framed. */
const mediaContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";

/**
 * Registers @fastify/multipart in the calling plugin's own scope (never globally: its hooks
 * halved a trivial route's throughput here, STACK-NOTES.md). One file per request; its size is
 * limited per call by `readMultipartFile`. Other routes that take files (the sandbox phone)
 * call this inside their own plugin.
 */
export async function registerMediaMultipart(
  scope: FastifyInstance,
  options: { maxBytes: number },
): Promise<void> {
  await scope.register(fastifyMultipart, {
    limits: {
      fileSize: options.maxBytes,
      files: 1,
      fields: 10,
      fieldSize: 4096,
      parts: 12,
      headerPairs: 100,
    },
    throwFileSizeLimit: true,
  });
}

export type MultipartFile = {
  bytes: Buffer;
  filename: string | undefined;
  /** The type the client declared for the part (checked by sniffing later, never trusted). */
  mimeType: string | undefined;
  /** Text fields sent before the file part. */
  fields: Record<string, string>;
};

/**
 * Reads the one file part (`file`) of a multipart request into memory, at most `maxBytes`.
 * Every way a client can get this wrong becomes a clear 4xx: not multipart (415), no file
 * (400), too large (413 MEDIA_TOO_LARGE naming the limit), malformed body (400).
 */
export async function readMultipartFile(
  request: FastifyRequest,
  options: { maxBytes: number; fieldName?: string },
): Promise<MultipartFile> {
  const fieldName = options.fieldName ?? 'file';
  if (!request.isMultipart()) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the file as multipart/form-data with one "${fieldName}" part.`,
    );
  }
  try {
    const part = await request.file({ limits: { fileSize: options.maxBytes } });
    if (!part) {
      throw new AppError('VALIDATION_FAILED', `The multipart body has no "${fieldName}" part.`, [
        { path: `body.${fieldName}`, message: 'is required' },
      ]);
    }
    if (part.fieldname !== fieldName) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The file must be sent in the "${fieldName}" part, not "${part.fieldname}".`,
        [{ path: `body.${fieldName}`, message: 'is required' }],
      );
    }
    const bytes = await part.toBuffer();
    const fields: Record<string, string> = {};
    for (const [name, field] of Object.entries(part.fields)) {
      const value = Array.isArray(field) ? field[0] : field;
      if (value && value.type === 'field' && typeof value.value === 'string') {
        fields[name] = value.value;
      }
    }
    return {
      bytes,
      filename: part.filename || undefined,
      mimeType: part.mimetype || undefined,
      fields,
    };
  } catch (error) {
    throw toMultipartError(error, options.maxBytes);
  }
}

function toMultipartError(error: unknown, maxBytes: number): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(
        'MEDIA_TOO_LARGE',
        `The file is larger than the ${formatBytes(maxBytes)} this upload accepts.`,
        { limitBytes: maxBytes },
      );
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('VALIDATION_FAILED', 'Send one file per request, with few fields.', [
        { path: 'body', message: 'has too many parts' },
      ]);
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new AppError('BAD_REQUEST', `The multipart body could not be read: ${detail}.`);
    }
  }
}

function isShownInline(download: MediaDownload): boolean {
  return download.media.kind !== 'document';
}

/** RFC 6266: an ASCII fallback name plus the exact UTF-8 name (RFC 8187). */
export function buildContentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_').trim() || 'file';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function mediaRoutes(media: MediaService): FastifyPluginAsyncZod {
  return async (app) => {
    await registerMediaMultipart(app, { maxBytes: media.getUploadLimit() });

    app.post(
      '/api/v1/media',
      {
        schema: {
          tags: ['media'],
          summary: 'Upload a media file (operators and admins)',
          description:
            'multipart/form-data with one `file` part. The type is sniffed from the bytes (a PNG named .pdf is stored as image/png) and must be one WhatsApp accepts for the kind; sizes: image 5 MB, audio and video 16 MB, sticker 500 KB, document 100 MB (all capped by MEDIA_MAX_BYTES). Answers 413 MEDIA_TOO_LARGE or 415 MEDIA_TYPE_NOT_ALLOWED with the limit. Send it later with `content.mediaId`.',
          security: bearerSecurity,
          querystring: uploadMediaQuerySchema,
          response: { 201: mediaSchema },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        // Refuse before reading the bytes.
        assertRole(principal, 'operator');
        const { kind } = request.query;
        const file = await readMultipartFile(request, { maxBytes: media.getUploadLimit(kind) });
        const created = await media.uploadMedia(principal, {
          kind,
          bytes: file.bytes,
          declaredMimeType: file.mimeType,
          filename: file.filename,
        });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/v1/media/:id',
      {
        schema: {
          tags: ['media'],
          summary: 'A media object: status, sniffed type, size, hash',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: mediaSchema },
        },
      },
      async (request) => media.getMedia(requirePrincipal(request), request.params.id),
    );

    app.get(
      '/api/v1/media/:id/content',
      {
        schema: {
          tags: ['media'],
          summary: "A media object's bytes",
          description:
            'Streams the stored bytes with their sniffed Content-Type. Authenticated with the bearer token (tenant-scoped), or with `expires` and `signature` from a signed link Recado gives providers that fetch media by URL. 409 MEDIA_NOT_AVAILABLE while an inbound media is still downloading, or when it was rejected.',
          security: bearerSecurity,
          params: idParamsSchema,
          querystring: mediaContentQuerySchema,
        },
      },
      async (request, reply) => {
        const { expires, signature } = request.query;
        const download =
          !request.principal && expires !== undefined && signature !== undefined
            ? await media.openSignedDownload(request.params.id, { expires, signature })
            : await media.openForDownload(requirePrincipal(request), request.params.id);
        void reply.headers({
          'content-type': download.contentType,
          'content-length': String(download.sizeBytes),
          'content-disposition': buildContentDisposition(
            isShownInline(download) ? 'inline' : 'attachment',
            download.filename,
          ),
          'x-content-type-options': 'nosniff',
          'content-security-policy': mediaContentSecurityPolicy,
          'cache-control': 'private, max-age=300',
        });
        return reply.send(download.body);
      },
    );
  };
}
