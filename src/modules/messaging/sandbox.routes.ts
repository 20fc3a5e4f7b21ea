import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import {
  sandboxInboundRequestSchema,
  sandboxInboundResponseSchema,
  sandboxParamsSchema,
  sandboxThreadParamsSchema,
  sandboxThreadQuerySchema,
  sandboxThreadSchema,
} from '../../shared/contracts/sandbox.contract.js';
import { readMultipartFile, registerMediaMultipart } from './media.routes.js';
import type { MediaService } from './media.service.js';
import type { SandboxService } from './sandbox.service.js';

/** The sandbox phone's API (ARCHITECTURE.md §4): simulated users of sandbox channels. */
export function sandboxRoutes(sandbox: SandboxService, media: MediaService): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart only in this plugin's scope (it costs every route it is registered for).
    await registerMediaMultipart(app, { maxBytes: media.getUploadLimit() });

    app.post(
      '/api/v1/sandbox/:channelId/inbound',
      {
        schema: {
          tags: ['sandbox'],
          summary: 'A simulated user sends a message to a sandbox channel',
          description:
            'JSON `{from, name?, text}`, `{from, reply: {id}}` (a tap on a button or list row the business offered) or `{from, location}`; or multipart/form-data with the fields `from`, `name`, `caption` followed by one `file` part (a photo, audio, video or document, checked like any upload). The message enters the same inbound pipeline as a real webhook and appears once processed (`message.received` on the WebSocket).',
          security: bearerSecurity,
          params: sandboxParamsSchema,
          body: sandboxInboundRequestSchema,
          response: { 202: sandboxInboundResponseSchema },
        },
        // A multipart body has no JSON to validate: the handler checks which one it got.
        attachValidation: true,
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const { channelId } = request.params;
        if (!request.isMultipart()) {
          if (request.validationError) throw request.validationError;
          return reply.status(202).send(await sandbox.receive(principal, channelId, request.body));
        }
        // Refuse before reading the bytes.
        await sandbox.assertSandboxChannel(principal, channelId);
        const file = await readMultipartFile(request, { maxBytes: media.getUploadLimit() });
        const answer = await sandbox.receiveMedia(
          principal,
          channelId,
          { from: file.fields.from, name: file.fields.name?.trim().slice(0, 120) || undefined },
          async () => {
            const stored = await media.uploadMedia(principal, {
              bytes: file.bytes,
              declaredMimeType: file.mimeType,
              filename: file.filename,
            });
            const caption = file.fields.caption?.trim().slice(0, 1024) || undefined;
            const common = {
              mediaId: stored.id,
              ...(stored.mimeType ? { mimeType: stored.mimeType } : {}),
              ...(stored.sha256 ? { sha256: stored.sha256 } : {}),
              ...(stored.sizeBytes !== null ? { sizeBytes: stored.sizeBytes } : {}),
              ...(caption ? { caption } : {}),
            };
            return stored.kind === 'document'
              ? {
                  type: 'document' as const,
                  ...common,
                  ...(stored.filename ? { filename: stored.filename } : {}),
                }
              : { type: stored.kind, ...common };
          },
        );
        return reply.status(202).send(answer);
      },
    );

    app.get(
      '/api/v1/sandbox/:channelId/conversations/:phone',
      {
        schema: {
          tags: ['sandbox'],
          summary: 'The thread as the simulated user sees it on their phone',
          security: bearerSecurity,
          params: sandboxThreadParamsSchema,
          querystring: sandboxThreadQuerySchema,
          response: { 200: sandboxThreadSchema },
        },
      },
      async (request) =>
        sandbox.thread(
          requirePrincipal(request),
          request.params.channelId,
          request.params.phone,
          request.query.limit,
        ),
    );
  };
}
