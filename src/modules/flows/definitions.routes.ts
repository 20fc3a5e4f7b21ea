import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import {
  createFlowRequestSchema,
  flowParamsSchema,
  flowSchema,
  flowSummarySchema,
  flowValidationResponseSchema,
  flowVersionParamsSchema,
  flowVersionSchema,
  flowVersionSummarySchema,
  listFlowsQuerySchema,
  listFlowVersionsQuerySchema,
  maxFlowDocumentBytes,
  updateFlowRequestSchema,
  validateFlowRequestSchema,
} from '../../shared/contracts/flows.contract.js';
import type { FlowDefinitionsService } from './definitions.service.js';
import { flowSessionsViewRoutes } from './sessions-view.routes.js';
import { flowTriggersRoutes } from './triggers.routes.js';

/**
 * Routes taking a document accept a little more than the largest document, for the envelope:
 * a larger document gets the service's 400 naming its size, a far larger body 413.
 */
const documentBodyLimit = maxFlowDocumentBytes + 64 * 1024;

/** The whole flows API: definitions and versions, channel triggers and commands, sessions. */
export function flowDefinitionsRoutes(flows: FlowDefinitionsService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(flowDefinitionRoutes(flows));
    await app.register(flowTriggersRoutes(flows));
    await app.register(flowSessionsViewRoutes(flows));
  };
}

function flowDefinitionRoutes(flows: FlowDefinitionsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/flows',
      {
        schema: {
          tags: ['flows'],
          summary: "The tenant's flows, newest first",
          description:
            'Each flow with its latest published version (0 = never published) and the problems of its draft (`issues`; empty when it can be published).',
          security: bearerSecurity,
          querystring: listFlowsQuerySchema,
          response: { 200: pageOf(flowSummarySchema) },
        },
      },
      async (request) => flows.listFlows(requirePrincipal(request), request.query),
    );

    app.post(
      '/api/v1/flows',
      {
        bodyLimit: documentBodyLimit,
        schema: {
          tags: ['flows'],
          summary: 'Create a flow from a document (admins)',
          description:
            'The document becomes the draft, even with problems: they come back in `issues`, each with its JSON path (`pointer`, e.g. `$.blocks.ask-email.options.prompt`). The flow is named by `document.name`, unique in the tenant regardless of case (409 CONFLICT otherwise). A body that is not JSON, a document that is not an object or larger than the limit, or without a name: 400.',
          security: bearerSecurity,
          body: createFlowRequestSchema,
          response: { 201: flowSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(
          await flows.createFlow(requirePrincipal(request), request.body.document, {
            allowIssues: request.body.allowIssues,
          }),
        ),
    );

    app.post(
      '/api/v1/flows/validate',
      {
        bodyLimit: documentBodyLimit,
        schema: {
          tags: ['flows'],
          summary: 'Check a document without saving it',
          description:
            'Every problem at once, each with its JSON path: the envelope, each block’s options, edges and ports, templates and the variables they read, domain actions, unreachable blocks.',
          security: bearerSecurity,
          body: validateFlowRequestSchema,
          response: { 200: flowValidationResponseSchema },
        },
      },
      async (request) => flows.validateDocument(requirePrincipal(request), request.body.document),
    );

    app.get(
      '/api/v1/flows/:id',
      {
        schema: {
          tags: ['flows'],
          summary: 'One flow: its draft and the draft’s problems',
          security: bearerSecurity,
          params: flowParamsSchema,
          response: { 200: flowSchema },
        },
      },
      async (request) => flows.getFlow(requirePrincipal(request), request.params.id),
    );

    app.put(
      '/api/v1/flows/:id',
      {
        bodyLimit: documentBodyLimit,
        schema: {
          tags: ['flows'],
          summary: 'Replace the draft (admins)',
          description:
            'Published versions do not change: publish again to make the new draft what new sessions run. A changed `document.name` renames the flow (409 CONFLICT when another flow has it).',
          security: bearerSecurity,
          params: flowParamsSchema,
          body: updateFlowRequestSchema,
          response: { 200: flowSchema },
        },
      },
      async (request) =>
        flows.updateFlow(requirePrincipal(request), request.params.id, request.body.document, {
          allowIssues: request.body.allowIssues,
        }),
    );

    app.delete(
      '/api/v1/flows/:id',
      {
        schema: {
          tags: ['flows'],
          summary: 'Delete a flow, its versions and triggers (admins)',
          description:
            '409 CONFLICT while a conversation is in the flow: reset its sessions first, or wait for them to end.',
          security: bearerSecurity,
          params: flowParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await flows.deleteFlow(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/flows/:id/publish',
      {
        schema: {
          tags: ['flows'],
          summary: 'Publish the draft as the next version (admins)',
          description:
            'A draft with problems is refused with 400 VALIDATION_FAILED whose `details` list every problem with its JSON path (`path`, `pointer`), code and message. Otherwise the draft, with defaults applied, becomes version latest + 1: immutable, and what new sessions start on (sessions already running stay on their version).',
          security: bearerSecurity,
          params: flowParamsSchema,
          response: { 201: flowVersionSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await flows.publishFlow(requirePrincipal(request), request.params.id)),
    );

    app.get(
      '/api/v1/flows/:id/versions',
      {
        schema: {
          tags: ['flows'],
          summary: 'Published versions of a flow, newest first (without documents)',
          security: bearerSecurity,
          params: flowParamsSchema,
          querystring: listFlowVersionsQuerySchema,
          response: { 200: pageOf(flowVersionSummarySchema) },
        },
      },
      async (request) =>
        flows.listVersions(requirePrincipal(request), request.params.id, request.query),
    );

    app.get(
      '/api/v1/flows/:id/versions/:version',
      {
        schema: {
          tags: ['flows'],
          summary: 'One published version with its document',
          security: bearerSecurity,
          params: flowVersionParamsSchema,
          response: { 200: flowVersionSchema },
        },
      },
      async (request) =>
        flows.getVersion(requirePrincipal(request), request.params.id, request.params.version),
    );
  };
}
