import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { resolvePublicUrl } from '../config/load-config.js';
import { accountsRoutes } from '../modules/accounts/index.js';
import { expensesRoutes } from '../modules/expenses/index.js';
import { flowDefinitionsRoutes, flowRuntimeRoutes } from '../modules/flows/index.js';
import {
  channelsRoutes,
  mediaRoutes,
  messagesRoutes,
  sandboxRoutes,
  sessionsRoutes,
  templatesRoutes,
  webhooksRoutes,
} from '../modules/messaging/index.js';
import { systemRoutes } from '../modules/system/index.js';
import { AppError } from '../platform/errors/app-error.js';
import { registerAuthentication } from '../platform/http/authenticate.js';
import { registerErrorHandlers } from '../platform/http/error-handler.js';
import { registerHttpMetrics } from '../platform/http/http-metrics.js';
import { htmlSecurityHeaders, registerSecurityHeaders } from '../platform/http/security-headers.js';
import type { Runtime } from './create-runtime.js';
import { healthRoutes } from './health.routes.js';
import { websocketRoutes } from './websocket.routes.js';

/** What the HTTP layer uses of a runtime (see create-runtime.ts), plus how to serve. */
export type AppDeps = Pick<
  Runtime,
  | 'config'
  | 'logger'
  | 'database'
  | 'queue'
  | 'events'
  | 'metrics'
  | 'accessTokens'
  | 'accounts'
  | 'channels'
  | 'inbound'
  | 'outbound'
  | 'conversations'
  | 'media'
  | 'templates'
  | 'flowDefinitions'
  | 'flowRuntime'
  | 'expenses'
  | 'sandbox'
  | 'sessions'
  | 'redis'
  | 'version'
> & {
  /** Built dashboard to serve at `/` (absent: API only). */
  webDistDir?: string | undefined;
  /** `health`: only /health and /metrics (worker processes). Default `full`. */
  surface?: 'full' | 'health';
};

/**
 * The Fastify app factory: everything HTTP, given ready-made dependencies. Tests build it with
 * a PGlite database and the in-process drivers and call `inject`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    // One access-log line per request is written by registerHttpMetrics.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerSecurityHeaders(app);
  registerHttpMetrics(app, deps.metrics);

  const webDistDir =
    deps.webDistDir && existsSync(path.join(deps.webDistDir, 'index.html'))
      ? deps.webDistDir
      : undefined;

  registerErrorHandlers(app, {
    serveSpa: webDistDir
      ? (request, reply) => {
          const isPage =
            request.method === 'GET' &&
            !/^\/(api|webhooks|health|metrics)(\/|$)/.test(request.url) &&
            (request.headers.accept ?? '').includes('text/html');
          return isPage
            ? reply.headers(htmlSecurityHeaders).type('text/html').sendFile('index.html')
            : undefined;
        }
      : undefined,
  });

  if (deps.surface === 'health') {
    await app.register(healthRoutes(deps));
    return app;
  }

  // Without configured origins the API is same-origin only: no CORS hook at all.
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(fastifyCors, {
      origin: config.CORS_ORIGINS,
      credentials: true,
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
  }

  registerAuthentication(app, deps.accessTokens);

  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    nameSpace: `${config.REDIS_KEY_PREFIX}:rate-limit:`,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyGenerator: (request) =>
      request.principal ? `user:${request.principal.userId}` : `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${context.after}.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recado API',
        version: deps.version,
        description:
          'Self-hosted WhatsApp automation. Authenticate with POST /api/v1/auth/login and send `Authorization: Bearer <accessToken>`. Errors are `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  // Swagger UI in its own encapsulated scope: its hooks must not tax every route.
  await app.register(async (scope) => {
    await scope.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(healthRoutes(deps));
  await app.register(websocketRoutes({ events: deps.events, accessTokens: deps.accessTokens }));
  await app.register(accountsRoutes(deps.accounts));
  await app.register(channelsRoutes(deps.channels));
  await app.register(messagesRoutes(deps.outbound, deps.conversations));
  await app.register(mediaRoutes(deps.media));
  await app.register(templatesRoutes(deps.templates));
  await app.register(sandboxRoutes(deps.sandbox, deps.media));
  await app.register(sessionsRoutes(deps.sessions));
  await app.register(flowDefinitionsRoutes(deps.flowDefinitions));
  await app.register(flowRuntimeRoutes(deps.flowRuntime));
  await app.register(expensesRoutes(deps.expenses));
  await app.register(
    webhooksRoutes({ inbound: deps.inbound, publicUrl: resolvePublicUrl(config) }),
  );
  await app.register(
    systemRoutes({ queue: deps.queue, events: deps.events, role: config.RECADO_ROLE }),
  );

  if (webDistDir) {
    await app.register(fastifyStatic, {
      root: webDistDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      maxAge: '1h',
      setHeaders: (res, filePath) => {
        if (filePath.endsWith('.html')) void res.headers(htmlSecurityHeaders);
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          void res.header('cache-control', 'public, max-age=31536000, immutable');
        }
      },
    });
  }

  return app;
}
