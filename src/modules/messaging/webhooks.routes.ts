import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebhookRequest } from '../../channels/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { InboundService } from './inbound.service.js';

/** Largest webhook body accepted (Meta batches stay far below this). */
const webhookBodyLimit = 1_048_576;

type Params = { provider: string; channelId: string };

function toWebhookRequest(
  request: FastifyRequest,
  publicUrl: string,
  rawBody: Buffer,
): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const url = new URL(request.url, publicUrl);
  return {
    method: request.method,
    url: `${publicUrl}${request.url}`,
    headers,
    query: Object.fromEntries(url.searchParams),
    rawBody,
  };
}

/**
 * `POST /webhooks/:provider/:channelId` (and the `GET` subscription challenge). The body is kept
 * raw, byte for byte, because signatures are computed over it.
 */
export function webhooksRoutes(deps: {
  inbound: InboundService;
  publicUrl: string;
}): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: webhookBodyLimit },
      (_request, body, done) => {
        done(null, body);
      },
    );

    const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const checkParams = (params: Params) => {
      if (!uuidPattern.test(params.channelId)) {
        throw new AppError('NOT_FOUND', `No ${params.provider} channel ${params.channelId}.`);
      }
    };

    app.get<{ Params: Params }>(
      '/webhooks/:provider/:channelId',
      {
        config: { rateLimit: false },
        schema: { tags: ['webhooks'], summary: 'Provider subscription challenge', hide: true },
      },
      async (request, reply) => {
        checkParams(request.params);
        const answer = await deps.inbound.answerChallenge(
          request.params.provider,
          request.params.channelId,
          toWebhookRequest(request, deps.publicUrl, Buffer.alloc(0)),
        );
        return reply.type('text/plain').send(answer);
      },
    );

    app.post<{ Params: Params; Body: Buffer }>(
      '/webhooks/:provider/:channelId',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['webhooks'],
          summary: 'Provider webhook (signed); stored durably before the 200',
        },
      },
      async (request, reply) => {
        checkParams(request.params);
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await deps.inbound.acceptWebhook(
          request.params.provider,
          request.params.channelId,
          toWebhookRequest(request, deps.publicUrl, body),
        );
        return reply.status(200).send({ received: true, duplicate: result.duplicate });
      },
    );
  };
}
