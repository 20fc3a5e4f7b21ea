import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity } from '../../platform/http/route-schemas.js';
import { idParamsSchema } from '../../shared/contracts/accounts.contract.js';
import {
  channelProviderSchema,
  channelSchema,
  createChannelRequestSchema,
  updateChannelRequestSchema,
} from '../../shared/contracts/channels.contract.js';
import { listChannelProviders } from './channel-providers.js';
import type { ChannelsService } from './channels.service.js';

export function channelsRoutes(channels: ChannelsService): FastifyPluginAsyncZod {
  return async (app) => {
    const providers = listChannelProviders();
    app.get(
      '/api/v1/channel-providers',
      {
        schema: {
          tags: ['channels'],
          summary: 'The providers a channel can use, with their capabilities and config schema',
          description:
            '`configSchema` is the JSON Schema of the `config` object a channel of this provider takes; the dashboard builds its setup form from it.',
          security: bearerSecurity,
          response: { 200: z.object({ items: z.array(channelProviderSchema) }) },
        },
      },
      async (request) => {
        requirePrincipal(request);
        return { items: providers };
      },
    );

    app.get(
      '/api/v1/channels',
      {
        schema: {
          tags: ['channels'],
          summary: "List the tenant's WhatsApp channels",
          security: bearerSecurity,
          response: { 200: z.object({ items: z.array(channelSchema) }) },
        },
      },
      async (request) => ({ items: await channels.listChannels(requirePrincipal(request)) }),
    );

    app.post(
      '/api/v1/channels',
      {
        schema: {
          tags: ['channels'],
          summary: 'Add a channel (admins)',
          description:
            "`config` is validated by the provider's schema. Secret fields (tokens, app secrets) are encrypted at rest and never returned; `secretsSet` lists which are stored.",
          security: bearerSecurity,
          body: createChannelRequestSchema,
          response: { 201: channelSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await channels.createChannel(requirePrincipal(request), request.body)),
    );

    app.get(
      '/api/v1/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'One channel',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: channelSchema },
        },
      },
      async (request) => channels.getChannel(requirePrincipal(request), request.params.id),
    );

    app.patch(
      '/api/v1/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'Rename, reconfigure, rate-limit or disable a channel (admins)',
          security: bearerSecurity,
          params: idParamsSchema,
          body: updateChannelRequestSchema,
          response: { 200: channelSchema },
        },
      },
      async (request) =>
        channels.updateChannel(requirePrincipal(request), request.params.id, request.body),
    );

    app.delete(
      '/api/v1/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'Remove a channel and its conversations (admins)',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await channels.deleteChannel(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
