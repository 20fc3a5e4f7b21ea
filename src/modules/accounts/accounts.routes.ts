import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import {
  createTenantRequestSchema,
  createTenantResponseSchema,
  createUserRequestSchema,
  createUserResponseSchema,
  idParamsSchema,
  loginRequestSchema,
  meResponseSchema,
  pageQuerySchema,
  refreshRequestSchema,
  sessionResponseSchema,
  tenantSchema,
  tenantUserSchema,
  updateTenantRequestSchema,
  updateUserRequestSchema,
} from '../../shared/contracts/accounts.contract.js';
import type { AccountsService } from './accounts.service.js';

/** Stricter limit for credential endpoints, on top of the global per-IP limit. */
const authRateLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export function accountsRoutes(accounts: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/auth/login',
      {
        config: authRateLimit,
        schema: {
          tags: ['auth'],
          summary: 'Log in with e-mail and password',
          description:
            'Returns a 15-minute access token and a rotating refresh token. Wrong e-mail or password both answer 401 INVALID_CREDENTIALS; repeated failures lock the account (423) and the IP (429).',
          body: loginRequestSchema,
          response: { 200: sessionResponseSchema },
        },
      },
      async (request) =>
        accounts.login({
          email: request.body.email,
          password: request.body.password,
          tenantId: request.body.tenantId,
          ip: request.ip,
        }),
    );

    app.post(
      '/api/v1/auth/refresh',
      {
        config: authRateLimit,
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token for a new session',
          description:
            'Each refresh token works once. Presenting a token that was already used revokes its whole family.',
          body: refreshRequestSchema,
          response: { 200: sessionResponseSchema },
        },
      },
      async (request) => accounts.refresh(request.body.refreshToken),
    );

    app.post(
      '/api/v1/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke a refresh token and its family',
          body: refreshRequestSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await accounts.logout(request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'The current user, tenant and role',
          security: bearerSecurity,
          response: { 200: meResponseSchema },
        },
      },
      async (request) => accounts.getMe(requirePrincipal(request)),
    );

    app.get(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: "List the current tenant's users (admins)",
          security: bearerSecurity,
          querystring: pageQuerySchema,
          response: { 200: pageOf(tenantUserSchema) },
        },
      },
      async (request) => accounts.listUsers(requirePrincipal(request), request.query),
    );

    app.post(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user in the current tenant (admins)',
          description: 'Without a password, a temporary one is generated and returned once.',
          security: bearerSecurity,
          body: createUserRequestSchema,
          response: { 201: createUserResponseSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await accounts.createUser(requirePrincipal(request), request.body)),
    );

    app.patch(
      '/api/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: "Change a user's name, role or status (admins)",
          security: bearerSecurity,
          params: idParamsSchema,
          body: updateUserRequestSchema,
          response: { 200: tenantUserSchema },
        },
      },
      async (request) =>
        accounts.updateUser(requirePrincipal(request), request.params.id, request.body),
    );

    app.delete(
      '/api/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Remove a user from the current tenant (admins)',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await accounts.removeUser(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/tenants',
      {
        schema: {
          tags: ['tenants'],
          summary: 'List tenants (super admin)',
          security: bearerSecurity,
          querystring: pageQuerySchema,
          response: { 200: pageOf(tenantSchema) },
        },
      },
      async (request) => accounts.listTenants(requirePrincipal(request), request.query),
    );

    app.post(
      '/api/v1/tenants',
      {
        schema: {
          tags: ['tenants'],
          summary: 'Create a tenant and its first admin (super admin)',
          security: bearerSecurity,
          body: createTenantRequestSchema,
          response: { 201: createTenantResponseSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await accounts.createTenant(requirePrincipal(request), request.body)),
    );

    app.patch(
      '/api/v1/tenants/:id',
      {
        schema: {
          tags: ['tenants'],
          summary: 'Rename, suspend or reactivate a tenant (super admin)',
          security: bearerSecurity,
          params: idParamsSchema,
          body: updateTenantRequestSchema,
          response: { 200: tenantSchema },
        },
      },
      async (request) =>
        accounts.updateTenant(requirePrincipal(request), request.params.id, request.body),
    );
  };
}
