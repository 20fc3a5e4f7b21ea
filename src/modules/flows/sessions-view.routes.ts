import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import {
  flowSessionSchema,
  listSessionsQuerySchema,
  sessionParamsSchema,
} from '../../shared/contracts/flows.contract.js';
import type { FlowDefinitionsService } from './definitions.service.js';

export function flowSessionsViewRoutes(
  flows: Pick<FlowDefinitionsService, 'listSessions' | 'getSession' | 'resetSession'>,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/flows/sessions',
      {
        schema: {
          tags: ['flow sessions'],
          summary: 'Flow sessions, latest activity first',
          description:
            'Where each conversation is in which flow version: the current block, what it waits for, its variables and recent history. Filter by conversation, flow and status.',
          security: bearerSecurity,
          querystring: listSessionsQuerySchema,
          response: { 200: pageOf(flowSessionSchema) },
        },
      },
      async (request) => flows.listSessions(requirePrincipal(request), request.query),
    );

    app.get(
      '/api/v1/flows/sessions/:id',
      {
        schema: {
          tags: ['flow sessions'],
          summary: 'One flow session',
          security: bearerSecurity,
          params: sessionParamsSchema,
          response: { 200: flowSessionSchema },
        },
      },
      async (request) => flows.getSession(requirePrincipal(request), request.params.id),
    );

    app.post(
      '/api/v1/flows/sessions/:id/reset',
      {
        schema: {
          tags: ['flow sessions'],
          summary: 'End a session by hand (operators)',
          description:
            'The bot stops where it was (`status` `ended`, `endReason` `reset`); the person’s next message is matched against the channel’s triggers again. Resetting an ended session changes nothing.',
          security: bearerSecurity,
          params: sessionParamsSchema,
          response: { 200: flowSessionSchema },
        },
      },
      async (request) => flows.resetSession(requirePrincipal(request), request.params.id),
    );
  };
}
