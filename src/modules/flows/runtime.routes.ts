import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import { sessionParamsSchema } from '../../shared/contracts/flows.contract.js';
import type { FlowRuntime } from './runtime.service.js';

/** The runtime's own route: a human hands a conversation back to its bot. */
export function flowRuntimeRoutes(runtime: Pick<FlowRuntime, 'handBack'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/flows/sessions/:id/hand-back',
      {
        schema: {
          tags: ['flow sessions'],
          summary: 'Hand a conversation back to the bot (operators)',
          description:
            'For a session paused by a handoff (`status` `handoff`): the bot goes on from the handoff block. 409 when the session is not with a human.',
          security: bearerSecurity,
          params: sessionParamsSchema,
          response: { 202: z.object({ accepted: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        await runtime.handBack(requirePrincipal(request), request.params.id);
        return reply.code(202).send({ accepted: true });
      },
    );
  };
}
