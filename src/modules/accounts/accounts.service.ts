import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AccessTokens } from '../../platform/auth/access-tokens.js';
import { assertRole, assertSuperAdmin, type Principal } from '../../platform/auth/principal.js';
import { createTtlCache } from '../../platform/cache/ttl-cache.js';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords.js';
import { generatePassword, generateToken, hashToken } from '../../platform/crypto/tokens.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  createTenantRequestSchema,
  createUserRequestSchema,
  SessionResponse,
  Tenant,
  TenantRole,
  TenantUser,
  updateTenantRequestSchema,
  updateUserRequestSchema,
} from '../../shared/contracts/accounts.contract.js';
import * as repository from './accounts.repository.js';

export type AccountsSettings = {
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginMaxFailuresPerIp: number;
  loginLockMinutes: number;
};

export type AccountsDeps = {
  db: Database;
  logger: Logger;
  accessTokens: AccessTokens;
  settings: AccountsSettings;
  /** Carries `accounts.changed` to every process (cache invalidation, live dashboard lists). */
  events: EventBus;
  now?: () => Date;
};

/** Published after any change to users, memberships or tenants. */
export const accountsChangedEvent = 'accounts.changed';

/** How long `GET /me` may serve a cached answer when an invalidation was missed. */
const meCacheTtlMs = 5_000;

export type AccountsService = ReturnType<typeof createAccountsService>;

const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 'The e-mail or password is incorrect.');

export function createAccountsService(deps: AccountsDeps) {
  const { db, accessTokens, settings } = deps;
  const logger = deps.logger.child({ module: 'accounts' });
  const now = deps.now ?? (() => new Date());
  // Verified against when the e-mail is unknown, so both cases take the same time.
  let dummyHash: Promise<string> | undefined;

  // `GET /me` is called on every dashboard load and API client start; its answer changes only
  // when accounts change, and every change clears the cache in every process.
  const meCache = createTtlCache<string, Me>({ ttlMs: meCacheTtlMs, maxEntries: 10_000 });
  deps.events.subscribe((event) => {
    if (event.type === accountsChangedEvent) meCache.clear();
  });
  async function announceChange(
    tenantId: string | null,
    change: { entity: 'user' | 'tenant'; id: string; action: string },
  ) {
    meCache.clear();
    await deps.events
      .publish({ type: accountsChangedEvent, tenantId, payload: change })
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'could not announce an accounts change'),
      );
  }

  async function issueSession(
    user: repository.UserRow,
    tenant: repository.TenantRow,
    role: TenantRole,
    family?: { familyId: string; expiresAt: Date },
  ): Promise<SessionResponse> {
    const refreshToken = generateToken();
    const familyId = family?.familyId ?? randomUUID();
    const expiresAt =
      family?.expiresAt ?? new Date(now().getTime() + settings.refreshTokenTtlDays * 86_400_000);
    await repository.insertRefreshToken(db, {
      userId: user.id,
      tenantId: tenant.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt,
    });
    const accessToken = await accessTokens.sign({
      userId: user.id,
      tenantId: tenant.id,
      role,
      isSuperAdmin: user.isSuperAdmin,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: accessTokens.ttlSeconds,
      user: toUserSummary(user),
      tenant: toTenantSummary(tenant),
      role,
    };
  }

  /** Picks the membership to act in: the requested tenant, else the first active one. */
  async function chooseMembership(userId: string, tenantId: string | undefined) {
    const all = await repository.listMembershipsOfUser(db, userId);
    const candidates = tenantId ? all.filter((m) => m.tenant.id === tenantId) : all;
    const active = candidates.find((m) => m.tenant.status === 'active');
    if (active) return active;
    if (candidates.length > 0) {
      throw new AppError(
        'TENANT_SUSPENDED',
        'This tenant is suspended. Contact the platform administrator.',
      );
    }
    return undefined;
  }

  async function assertIpNotLocked(ip: string) {
    const throttle = await repository.findIpThrottle(db, ip);
    if (throttle?.lockedUntil && throttle.lockedUntil > now()) {
      throw new AppError(
        'RATE_LIMITED',
        'Too many failed logins from this address. Try again later.',
        { retryAfterSeconds: Math.ceil((throttle.lockedUntil.getTime() - now().getTime()) / 1000) },
      );
    }
  }

  async function recordFailure(ip: string, user: repository.UserRow | undefined) {
    const at = now();
    const lockUntil = new Date(at.getTime() + settings.loginLockMinutes * 60_000);
    const windowStart = new Date(at.getTime() - settings.loginLockMinutes * 60_000);
    await repository.recordIpLoginFailure(
      db,
      ip,
      at,
      windowStart,
      settings.loginMaxFailuresPerIp,
      lockUntil,
    );
    if (user) {
      const state = await repository.recordUserLoginFailure(
        db,
        user.id,
        settings.loginMaxFailures,
        lockUntil,
      );
      if (state.lockedUntil && state.lockedUntil > at) {
        logger.warn({ userId: user.id }, 'account locked after repeated failed logins');
      }
    }
  }

  return {
    async login(input: {
      email: string;
      password: string;
      tenantId?: string | undefined;
      ip: string;
    }) {
      await assertIpNotLocked(input.ip);
      const user = await repository.findUserByEmail(db, input.email.trim());
      if (!user) {
        dummyHash ??= hashPassword(generatePassword());
        await verifyPassword(await dummyHash, input.password);
        await recordFailure(input.ip, undefined);
        throw invalidCredentials();
      }
      if (user.lockedUntil && user.lockedUntil > now()) {
        throw new AppError(
          'ACCOUNT_LOCKED',
          'This account is temporarily locked after too many failed logins. Try again later.',
          { retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - now().getTime()) / 1000) },
        );
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        await recordFailure(input.ip, user);
        throw invalidCredentials();
      }
      if (user.status !== 'active') throw invalidCredentials();
      const membership = await chooseMembership(user.id, input.tenantId);
      if (!membership) throw invalidCredentials();
      await repository.recordUserLoginSuccess(db, user.id, now());
      logger.info({ userId: user.id, tenantId: membership.tenant.id }, 'user logged in');
      return issueSession(user, membership.tenant, membership.role);
    },

    /**
     * Rotates a refresh token. A token presented twice was copied: the whole family is revoked,
     * so both the thief and the user must log in again.
     */
    async refresh(refreshToken: string): Promise<SessionResponse> {
      const invalid = () =>
        new AppError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid; log in again.');
      const outcome = await db.transaction(async (tx) => {
        const token = await repository.findRefreshTokenForUpdate(tx, hashToken(refreshToken));
        if (!token || token.revokedAt) return { kind: 'invalid' as const };
        if (token.usedAt) {
          await repository.revokeRefreshFamily(tx, token.familyId, now());
          return { kind: 'reused' as const, token };
        }
        if (token.expiresAt <= now()) return { kind: 'invalid' as const };
        await repository.markRefreshTokenUsed(tx, token.id, now());
        return { kind: 'ok' as const, token };
      });
      if (outcome.kind === 'reused') {
        logger.warn(
          { userId: outcome.token.userId, familyId: outcome.token.familyId },
          'refresh token reused: token family revoked',
        );
      }
      if (outcome.kind !== 'ok') throw invalid();
      const { token } = outcome;
      const user = await repository.findUserById(db, token.userId);
      const membership = user
        ? await repository.findMembership(db, token.tenantId, user.id)
        : undefined;
      if (user?.status !== 'active' || !membership || membership.tenant.status !== 'active') {
        await repository.revokeRefreshFamily(db, token.familyId, now());
        throw invalid();
      }
      return issueSession(user, membership.tenant, membership.role, {
        familyId: token.familyId,
        expiresAt: token.expiresAt,
      });
    },

    async logout(refreshToken: string): Promise<void> {
      await db.transaction(async (tx) => {
        const token = await repository.findRefreshTokenForUpdate(tx, hashToken(refreshToken));
        if (token) await repository.revokeRefreshFamily(tx, token.familyId, now());
      });
    },

    async getMe(principal: Principal): Promise<Me> {
      const cacheKey = `${principal.userId}:${principal.tenantId}`;
      const cached = meCache.get(cacheKey);
      if (cached) return cached;
      const user = await repository.findUserById(db, principal.userId);
      if (user?.status !== 'active') {
        throw new AppError('UNAUTHENTICATED', 'This account no longer exists or is disabled.');
      }
      const all = await repository.listMembershipsOfUser(db, user.id);
      const current = all.find((m) => m.tenant.id === principal.tenantId);
      if (!current)
        throw new AppError('UNAUTHENTICATED', 'You are no longer a member of this tenant.');
      const me: Me = {
        user: toUserSummary(user),
        tenant: toTenantSummary(current.tenant),
        role: current.role,
        memberships: all.map((m) => ({ tenant: toTenantSummary(m.tenant), role: m.role })),
      };
      if (current.tenant.status === 'active') meCache.set(cacheKey, me);
      return me;
    },

    async listUsers(
      principal: Principal,
      query: { cursor?: string | undefined; limit: number },
    ): Promise<Page<TenantUser>> {
      assertRole(principal, 'admin');
      const rows = await repository.listTenantUsers(db, principal.tenantId, {
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, toTenantUser);
    },

    async createUser(principal: Principal, input: z.infer<typeof createUserRequestSchema>) {
      assertRole(principal, 'admin');
      const temporaryPassword = input.password ? undefined : generatePassword();
      const passwordHash = await hashPassword(input.password ?? temporaryPassword ?? '');
      const user = await db.transaction(async (tx) => {
        const created = await repository.insertUser(tx, {
          email: input.email,
          name: input.name,
          passwordHash,
        });
        if (!created) {
          throw new AppError('EMAIL_TAKEN', 'A user with this e-mail already exists.', [
            { path: 'email', message: 'already registered' },
          ]);
        }
        await repository.insertMembership(tx, principal.tenantId, created.id, input.role);
        return repository.findTenantUser(tx, principal.tenantId, created.id);
      });
      if (!user) throw new AppError('INTERNAL', 'The user could not be read back.');
      logger.info({ tenantId: principal.tenantId, userId: user.id }, 'user created');
      await announceChange(principal.tenantId, { entity: 'user', id: user.id, action: 'created' });
      return { user: toTenantUser(user), ...(temporaryPassword ? { temporaryPassword } : {}) };
    },

    async updateUser(
      principal: Principal,
      userId: string,
      patch: z.infer<typeof updateUserRequestSchema>,
    ): Promise<TenantUser> {
      assertRole(principal, 'admin');
      const updated = await db.transaction(async (tx) => {
        const existing = await repository.findTenantUser(tx, principal.tenantId, userId);
        if (!existing) throw userNotFound(userId);
        const losesAdmin =
          existing.role === 'admin' &&
          existing.status === 'active' &&
          ((patch.role !== undefined && patch.role !== 'admin') || patch.status === 'disabled');
        if (losesAdmin && (await repository.countActiveAdmins(tx, principal.tenantId)) <= 1) {
          throw new AppError('LAST_ADMIN', 'A tenant must keep at least one active admin.');
        }
        if (patch.role)
          await repository.updateMembershipRole(tx, principal.tenantId, userId, patch.role);
        if (patch.name !== undefined || patch.status !== undefined) {
          await repository.updateUserProfile(tx, userId, {
            name: patch.name,
            status: patch.status,
          });
        }
        if (patch.status === 'disabled')
          await repository.revokeRefreshTokensOfUser(tx, userId, now());
        return repository.findTenantUser(tx, principal.tenantId, userId);
      });
      if (!updated) throw userNotFound(userId);
      await announceChange(principal.tenantId, { entity: 'user', id: userId, action: 'updated' });
      return toTenantUser(updated);
    },

    async removeUser(principal: Principal, userId: string): Promise<void> {
      assertRole(principal, 'admin');
      await db.transaction(async (tx) => {
        const existing = await repository.findTenantUser(tx, principal.tenantId, userId);
        if (!existing) throw userNotFound(userId);
        if (
          existing.role === 'admin' &&
          (await repository.countActiveAdmins(tx, principal.tenantId)) <= 1
        ) {
          throw new AppError('LAST_ADMIN', 'A tenant must keep at least one active admin.');
        }
        await repository.deleteMembership(tx, principal.tenantId, userId);
      });
      await announceChange(principal.tenantId, { entity: 'user', id: userId, action: 'removed' });
    },

    async listTenants(
      principal: Principal,
      query: { cursor?: string | undefined; limit: number },
    ): Promise<Page<Tenant>> {
      assertSuperAdmin(principal);
      const rows = await repository.listTenants(db, {
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, (row) => ({
        ...row,
        createdAt: row.createdAt.toISOString(),
      }));
    },

    async createTenant(principal: Principal, input: z.infer<typeof createTenantRequestSchema>) {
      assertSuperAdmin(principal);
      const temporaryPassword = input.admin.password ? undefined : generatePassword();
      const passwordHash = await hashPassword(input.admin.password ?? temporaryPassword ?? '');
      const result = await db.transaction(async (tx) => {
        const tenant = await repository.insertTenant(tx, { name: input.name, slug: input.slug });
        if (!tenant) {
          throw new AppError(
            'SLUG_TAKEN',
            `The slug "${input.slug}" is already used by another tenant.`,
            [{ path: 'slug', message: 'already used' }],
          );
        }
        const admin = await repository.insertUser(tx, {
          email: input.admin.email,
          name: input.admin.name,
          passwordHash,
        });
        if (!admin) {
          throw new AppError('EMAIL_TAKEN', 'A user with this e-mail already exists.', [
            { path: 'admin.email', message: 'already registered' },
          ]);
        }
        await repository.insertMembership(tx, tenant.id, admin.id, 'admin');
        return { tenant, admin };
      });
      logger.info({ tenantId: result.tenant.id }, 'tenant created');
      await announceChange(null, { entity: 'tenant', id: result.tenant.id, action: 'created' });
      return {
        tenant: { ...toTenant(result.tenant), userCount: 1 },
        admin: { id: result.admin.id, email: result.admin.email, name: result.admin.name },
        ...(temporaryPassword ? { temporaryPassword } : {}),
      };
    },

    async updateTenant(
      principal: Principal,
      tenantId: string,
      patch: z.infer<typeof updateTenantRequestSchema>,
    ): Promise<Tenant> {
      assertSuperAdmin(principal);
      if (patch.status === 'suspended' && tenantId === principal.tenantId) {
        throw new AppError('CONFLICT', 'You cannot suspend the tenant you are acting in.');
      }
      const row = await repository.updateTenant(db, tenantId, patch);
      if (!row) throw new AppError('NOT_FOUND', `Tenant ${tenantId} does not exist.`);
      await announceChange(null, { entity: 'tenant', id: tenantId, action: 'updated' });
      return { ...toTenant(row), userCount: await repository.countTenantMembers(db, tenantId) };
    },

    /**
     * First boot: creates the default tenant and the super admin. Returns the generated
     * password when none was configured (printed once by the caller), or undefined when the
     * platform was already set up.
     */
    async ensureBootstrap(input: { adminEmail: string; adminPassword: string | undefined }) {
      if ((await repository.countTenants(db)) > 0) return { created: false as const };
      const password = input.adminPassword ?? generatePassword();
      const passwordHash = await hashPassword(password);
      const created = await db.transaction(async (tx) => {
        const tenant = await repository.insertTenant(tx, { name: 'Recado', slug: 'default' });
        if (!tenant) return false; // another process bootstrapped concurrently
        let admin = await repository.insertUser(tx, {
          email: input.adminEmail,
          name: 'Administrador',
          passwordHash,
          isSuperAdmin: true,
        });
        admin ??= await repository.findUserByEmail(tx, input.adminEmail);
        if (!admin) throw new AppError('INTERNAL', 'The super admin could not be created.');
        await repository.insertMembership(tx, tenant.id, admin.id, 'admin');
        return tenant.id;
      });
      if (!created) return { created: false as const };
      logger.info('platform bootstrapped: default tenant and super admin created');
      return {
        created: true as const,
        tenantId: created,
        email: input.adminEmail.toLowerCase(),
        generatedPassword: input.adminPassword ? undefined : password,
      };
    },

    /** CLI: creates a user in the tenant with `tenantSlug`. */
    async createUserInTenant(input: {
      tenantSlug: string;
      email: string;
      name: string;
      role: TenantRole;
      password: string | undefined;
      isSuperAdmin?: boolean;
    }) {
      const tenant = await repository.findTenantBySlug(db, input.tenantSlug);
      if (!tenant) throw new AppError('NOT_FOUND', `No tenant with slug "${input.tenantSlug}".`);
      const password = input.password ?? generatePassword();
      const user = await db.transaction(async (tx) => {
        const created = await repository.insertUser(tx, {
          email: input.email,
          name: input.name,
          passwordHash: await hashPassword(password),
          isSuperAdmin: input.isSuperAdmin ?? false,
        });
        if (!created) throw new AppError('EMAIL_TAKEN', 'A user with this e-mail already exists.');
        await repository.insertMembership(tx, tenant.id, created.id, input.role);
        return created;
      });
      return { userId: user.id, generatedPassword: input.password ? undefined : password };
    },

    /** CLI: sets a new password, unlocks the account and signs out every session. */
    async resetPassword(email: string, password: string | undefined) {
      const user = await repository.findUserByEmail(db, email);
      if (!user) throw new AppError('NOT_FOUND', `No user with e-mail ${email}.`);
      const next = password ?? generatePassword();
      await repository.updateUserPassword(db, user.id, await hashPassword(next));
      await repository.revokeRefreshTokensOfUser(db, user.id, now());
      await announceChange(null, { entity: 'user', id: user.id, action: 'password-reset' });
      return { generatedPassword: password ? undefined : next };
    },
  };
}

type Me = {
  user: ReturnType<typeof toUserSummary>;
  tenant: ReturnType<typeof toTenantSummary>;
  role: TenantRole;
  memberships: Array<{ tenant: ReturnType<typeof toTenantSummary>; role: TenantRole }>;
};

function userNotFound(userId: string) {
  return new AppError('NOT_FOUND', `User ${userId} does not exist in this tenant.`);
}

function toUserSummary(user: repository.UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isSuperAdmin: user.isSuperAdmin,
    locale: user.locale,
  };
}

function toTenantSummary(tenant: repository.TenantRow) {
  return { id: tenant.id, name: tenant.name, slug: tenant.slug };
}

function toTenant(tenant: repository.TenantRow) {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    status: tenant.status,
    createdAt: tenant.createdAt.toISOString(),
  };
}

function toTenantUser(row: repository.TenantUserRow): TenantUser {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
