import { createSecretKey } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { tenantRoleSchema } from '../../shared/contracts/accounts.contract.js';
import { createTtlCache } from '../cache/ttl-cache.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from './principal.js';

const issuer = 'recado';
const audience = 'recado-api';

export type AccessTokens = {
  ttlSeconds: number;
  sign(principal: Principal): Promise<string>;
  /** Throws UNAUTHENTICATED / TOKEN_EXPIRED. */
  verify(token: string): Promise<Principal>;
};

/**
 * Short-lived HS256 access tokens (15 minutes by default). A token whose signature was checked
 * is remembered until it expires, so a client's repeated calls cost a map lookup: the same
 * bytes always verify the same way.
 */
export function createAccessTokens(secret: string, ttlSeconds: number): AccessTokens {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = createTtlCache<string, Principal>({
    ttlMs: ttlSeconds * 1000,
    maxEntries: 20_000,
  });
  return {
    ttlSeconds,
    sign: (principal) =>
      new SignJWT({ tid: principal.tenantId, role: principal.role, sa: principal.isSuperAdmin })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    verify: async (token) => {
      const known = verified.get(token);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer,
          audience,
          algorithms: ['HS256'],
        });
        const role = tenantRoleSchema.safeParse(payload.role);
        if (!payload.sub || typeof payload.tid !== 'string' || !role.success) {
          throw new AppError('UNAUTHENTICATED', 'The access token is not valid.');
        }
        const principal: Principal = {
          userId: payload.sub,
          tenantId: payload.tid,
          role: role.data,
          isSuperAdmin: payload.sa === true,
        };
        if (payload.exp) verified.set(token, principal, payload.exp * 1000 - Date.now());
        return principal;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AppError('TOKEN_EXPIRED', 'The access token has expired; refresh it.');
        }
        throw new AppError('UNAUTHENTICATED', 'The access token is not valid.');
      }
    },
  };
}
