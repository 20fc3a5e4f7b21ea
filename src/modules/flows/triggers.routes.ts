import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import {
  channelFlowParamsSchema,
  channelFlowSettingsSchema,
  createTriggerRequestSchema,
  flowTriggerSchema,
  triggerParamsSchema,
  updateChannelCommandsRequestSchema,
} from '../../shared/contracts/flows.contract.js';
import type { FlowDefinitionsService } from './definitions.service.js';

export function flowTriggersRoutes(
  flows: Pick<
    FlowDefinitionsService,
    'getChannelFlows' | 'addTrigger' | 'deleteTrigger' | 'updateCommands'
  >,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/channels/:id/flows',
      {
        schema: {
          tags: ['flow triggers'],
          summary: 'What starts flows on a channel, and its global commands',
          description:
            'The default flow (any message from a person not in a flow), keyword flows (a message with one of the keywords, as whole words, case and accents ignored) and the words that act anywhere in a flow (`menu`, `cancel`, `human`, `optOut`; the defaults until changed).',
          security: bearerSecurity,
          params: channelFlowParamsSchema,
          response: { 200: channelFlowSettingsSchema },
        },
      },
      async (request) => flows.getChannelFlows(requirePrincipal(request), request.params.id),
    );

    app.post(
      '/api/v1/channels/:id/flows/triggers',
      {
        schema: {
          tags: ['flow triggers'],
          summary: 'Bind a flow to a channel (admins)',
          description:
            '`default` replaces the channel’s default flow. `keyword` keywords are stored lower case without accents; one already starting another flow on the channel, or a command word, is refused (409 CONFLICT). The flow must have been published (409 otherwise): new sessions start on its latest version.',
          security: bearerSecurity,
          params: channelFlowParamsSchema,
          body: createTriggerRequestSchema,
          response: { 201: flowTriggerSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await flows.addTrigger(requirePrincipal(request), request.params.id, request.body)),
    );

    app.delete(
      '/api/v1/channels/:id/flows/triggers/:triggerId',
      {
        schema: {
          tags: ['flow triggers'],
          summary: 'Unbind a trigger (admins)',
          description: 'Sessions it started go on; new messages no longer start its flow.',
          security: bearerSecurity,
          params: triggerParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await flows.deleteTrigger(
          requirePrincipal(request),
          request.params.id,
          request.params.triggerId,
        );
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/api/v1/channels/:id/flows/commands',
      {
        schema: {
          tags: ['flow triggers'],
          summary: 'Replace the channel’s global commands (admins)',
          description:
            'Words are stored lower case without accents. A word may belong to one command only (400) and may not be a trigger keyword of the channel (409).',
          security: bearerSecurity,
          params: channelFlowParamsSchema,
          body: updateChannelCommandsRequestSchema,
          response: { 200: channelFlowSettingsSchema },
        },
      },
      async (request) =>
        flows.updateCommands(requirePrincipal(request), request.params.id, request.body.commands),
    );
  };
}
