import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import { idParamsSchema } from '../../shared/contracts/accounts.contract.js';
import {
  channelSessionSchema,
  pairingCodeRequestSchema,
  pairingCodeResponseSchema,
  qrValueResponseSchema,
} from '../../shared/contracts/sessions.contract.js';
import type { SessionsService } from './sessions.service.js';

/** Session control of QR-paired channels: `/api/v1/channels/:id/session/...`. */
export function sessionsRoutes(sessions: SessionsService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['channels'];
    app.get(
      '/api/v1/channels/:id/session',
      {
        schema: {
          tags,
          summary: "A QR channel's session, as its provider reports it now",
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: channelSessionSchema },
        },
      },
      async (request) => sessions.status(requirePrincipal(request), request.params.id),
    );

    app.post(
      '/api/v1/channels/:id/session/start',
      {
        schema: {
          tags,
          summary: 'Start the session (admins); Recado registers its webhook on it',
          description:
            'Creates the session on the provider if needed and starts it. Until a phone is paired the status is `qr`: fetch the QR code (or a pairing code) and scan it. A started session is kept alive by the monitor: restarted with backoff when it fails, until it is stopped.',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: channelSessionSchema },
        },
      },
      async (request) => sessions.start(requirePrincipal(request), request.params.id),
    );

    app.get(
      '/api/v1/channels/:id/session/qr',
      {
        schema: {
          tags,
          summary: 'The QR code to pair a phone (admins): a PNG, or its text',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: z.union([z.any().describe('image/png'), qrValueResponseSchema]) },
        },
      },
      async (request, reply) => {
        const qr = await sessions.qr(requirePrincipal(request), request.params.id);
        if ('png' in qr) {
          return reply
            .header('content-type', 'image/png')
            .header('cache-control', 'no-store')
            .send(qr.png);
        }
        return reply.header('cache-control', 'no-store').send(qr);
      },
    );

    app.post(
      '/api/v1/channels/:id/session/pairing-code',
      {
        schema: {
          tags,
          summary: 'A code to pair the given phone without scanning (admins; where supported)',
          security: bearerSecurity,
          params: idParamsSchema,
          body: pairingCodeRequestSchema,
          response: { 200: pairingCodeResponseSchema },
        },
      },
      async (request) =>
        sessions.pairingCode(requirePrincipal(request), request.params.id, request.body.phone),
    );

    for (const mode of ['stop', 'logout'] as const) {
      app.post(
        `/api/v1/channels/:id/session/${mode}`,
        {
          schema: {
            tags,
            summary:
              mode === 'stop'
                ? 'Stop the session, keeping the pairing (admins)'
                : 'Log out: unpair the phone; a new scan is needed (admins)',
            security: bearerSecurity,
            params: idParamsSchema,
            response: { 200: channelSessionSchema },
          },
        },
        async (request) => sessions.stop(requirePrincipal(request), request.params.id, mode),
      );
    }
  };
}
