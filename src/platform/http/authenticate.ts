import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessTokens } from '../auth/access-tokens.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carried a valid access token. */
    principal: Principal | null;
    /** Set when the request carried a token that failed verification. */
    authError: AppError | null;
  }
}

/**
 * Reads `Authorization: Bearer <token>` on every request (before rate limiting, so limits can
 * be per principal). Routes that need a user call `requirePrincipal(request)`.
 */
export function registerAuthentication(app: FastifyInstance, accessTokens: AccessTokens) {
  app.decorateRequest('principal', null);
  app.decorateRequest('authError', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    if (!header) return done();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      request.authError = new AppError(
        'UNAUTHENTICATED',
        'Use "Authorization: Bearer <access token>".',
      );
      return done();
    }
    accessTokens.verify(match[1]).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => {
        request.authError =
          error instanceof AppError
            ? error
            : new AppError('UNAUTHENTICATED', 'The access token is not valid.');
        done();
      },
    );
  });
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  throw (
    request.authError ?? new AppError('UNAUTHENTICATED', 'This endpoint needs an access token.')
  );
}
