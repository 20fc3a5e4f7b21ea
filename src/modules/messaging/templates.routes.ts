import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import { idParamsSchema } from '../../shared/contracts/accounts.contract.js';
import {
  createTemplateRequestSchema,
  listTemplatesQuerySchema,
  syncTemplatesResponseSchema,
  templateParamsSchema,
  templateSchema,
  updateTemplateRequestSchema,
} from '../../shared/contracts/templates.contract.js';
import type { TemplatesService } from './templates.service.js';

export function templatesRoutes(templates: TemplatesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/channels/:id/templates',
      {
        schema: {
          tags: ['templates'],
          summary: "A channel's template library, newest first",
          description:
            'Filter by `status` and by part of the name (`search`). Each template lists the variables a message must fill (`variables.header`, `variables.body`).',
          security: bearerSecurity,
          params: idParamsSchema,
          querystring: listTemplatesQuerySchema,
          response: { 200: pageOf(templateSchema) },
        },
      },
      async (request) =>
        templates.listTemplates(requirePrincipal(request), request.params.id, request.query),
    );

    app.post(
      '/api/v1/channels/:id/templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Write a template in the library (admins)',
          description:
            'Variables are numbered from 1 without gaps (`{{1}}`, `{{2}}`) or named (`{{first_name}}`), never both. On channels whose provider reviews templates (the official API) it stays `draft`: only the provider’s approved copy, synced, can be sent.',
          security: bearerSecurity,
          params: idParamsSchema,
          body: createTemplateRequestSchema,
          response: { 201: templateSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await templates.createTemplate(
              requirePrincipal(request),
              request.params.id,
              request.body,
            ),
          ),
    );

    app.post(
      '/api/v1/channels/:id/templates/sync',
      {
        schema: {
          tags: ['templates'],
          summary: "Bring in the provider's templates (admins)",
          description:
            'Creates the templates new to the library, updates the status and content of known ones, and disables those the provider no longer lists. Templates written in Recado are never changed. 409 for providers without template sync; 502 PROVIDER_ERROR when the provider fails.',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: syncTemplatesResponseSchema },
        },
      },
      async (request) => templates.syncTemplates(requirePrincipal(request), request.params.id),
    );

    app.get(
      '/api/v1/channels/:id/templates/:templateId',
      {
        schema: {
          tags: ['templates'],
          summary: 'One template',
          security: bearerSecurity,
          params: templateParamsSchema,
          response: { 200: templateSchema },
        },
      },
      async (request) =>
        templates.getTemplate(
          requirePrincipal(request),
          request.params.id,
          request.params.templateId,
        ),
    );

    app.patch(
      '/api/v1/channels/:id/templates/:templateId',
      {
        schema: {
          tags: ['templates'],
          summary: 'Change a template written in Recado (admins)',
          description: 'Templates synced from the provider are changed at the provider (409).',
          security: bearerSecurity,
          params: templateParamsSchema,
          body: updateTemplateRequestSchema,
          response: { 200: templateSchema },
        },
      },
      async (request) =>
        templates.updateTemplate(
          requirePrincipal(request),
          request.params.id,
          request.params.templateId,
          request.body,
        ),
    );

    app.delete(
      '/api/v1/channels/:id/templates/:templateId',
      {
        schema: {
          tags: ['templates'],
          summary: 'Remove a template from the library (admins)',
          description: 'A provider template removed here comes back with the next sync.',
          security: bearerSecurity,
          params: templateParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await templates.deleteTemplate(
          requirePrincipal(request),
          request.params.id,
          request.params.templateId,
        );
        return reply.status(204).send(null);
      },
    );
  };
}
