import type { z } from 'zod';
import type {
  createTenantRequestSchema,
  createTenantResponseSchema,
  createUserRequestSchema,
  createUserResponseSchema,
  meResponseSchema,
  SessionResponse,
  Tenant,
  TenantRole,
  TenantUser,
  tenantSummarySchema,
  updateTenantRequestSchema,
  updateUserRequestSchema,
  userSummarySchema,
} from '../../../src/shared/contracts/accounts.contract';

/**
 * Shapes of the HTTP API as the dashboard uses them, taken from the server's shared zod
 * contracts (types only: zod itself stays out of the bundle).
 */

export type { Tenant, TenantRole, TenantUser };
export type SessionUser = z.infer<typeof userSummarySchema>;
export type UserLocale = SessionUser['locale'];
export type TenantRef = z.infer<typeof tenantSummarySchema>;
export type UserStatus = TenantUser['status'];
export type TenantStatus = Tenant['status'];

/** Answer of `POST /auth/login` and `POST /auth/refresh`. */
export type AuthResponse = SessionResponse;
/** Answer of `GET /me`. */
export type MeResponse = z.infer<typeof meResponseSchema>;

export type Page<T> = {
  items: T[];
  nextCursor: string | null;
};

export type CreateUserInput = z.input<typeof createUserRequestSchema>;
export type CreateUserResult = z.infer<typeof createUserResponseSchema>;
export type UpdateUserInput = z.input<typeof updateUserRequestSchema>;
export type CreateTenantInput = z.input<typeof createTenantRequestSchema>;
export type CreateTenantResult = z.infer<typeof createTenantResponseSchema>;
export type UpdateTenantInput = z.input<typeof updateTenantRequestSchema>;

/**
 * One frame pushed on `/api/v1/ws`: domain events `{ id, type, tenantId, occurredAt, payload }`,
 * and `{ type: 'ready' }` once the socket is authenticated.
 */
export type RealtimeEvent = {
  type: string;
  id?: string;
  tenantId?: string | null;
  occurredAt?: string;
  payload?: unknown;
};

/** Limits the server's zod contract enforces, so forms can say so before submitting. */
export {
  maxTenantSlugLength,
  minPasswordLength,
  minTenantSlugLength,
  tenantSlugPattern,
} from '../../../src/shared/accounts-limits';
