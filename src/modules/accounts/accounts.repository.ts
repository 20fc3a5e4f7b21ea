import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import type { TenantRole } from '../../shared/contracts/accounts.contract.js';
import { loginThrottles, memberships, refreshTokens, tenants, users } from './accounts.tables.js';

/** The only place with SQL for accounts. Tenant-scoped functions take the tenant id first. */

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export async function findUserByEmail(db: DbExecutor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export async function findUserById(db: DbExecutor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function insertUser(
  db: DbExecutor,
  values: { email: string; name: string; passwordHash: string; isSuperAdmin?: boolean },
): Promise<UserRow | undefined> {
  const [row] = await db
    .insert(users)
    .values({ ...values, email: values.email.toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}

export async function updateUserPassword(db: DbExecutor, userId: string, passwordHash: string) {
  await db
    .update(users)
    .set({ passwordHash, failedLoginCount: 0, lockedUntil: null, updatedAt: new Date() })
    .where(eq(users.id, userId));
}

/** Counts a failed login; locks the account when `maxFailures` is reached. Returns the new state. */
export async function recordUserLoginFailure(
  db: DbExecutor,
  userId: string,
  maxFailures: number,
  lockUntil: Date,
): Promise<{ failedLoginCount: number; lockedUntil: Date | null }> {
  const [row] = await db
    .update(users)
    .set({
      failedLoginCount: sql`${users.failedLoginCount} + 1`,
      lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
      updatedAt: new Date(),
    })
    .where(eq(users.id, userId))
    .returning({ failedLoginCount: users.failedLoginCount, lockedUntil: users.lockedUntil });
  return row ?? { failedLoginCount: 0, lockedUntil: null };
}

export async function recordUserLoginSuccess(db: DbExecutor, userId: string, at: Date) {
  await db
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: at, updatedAt: at })
    .where(eq(users.id, userId));
}

export async function findIpThrottle(db: DbExecutor, ip: string) {
  const [row] = await db.select().from(loginThrottles).where(eq(loginThrottles.ip, ip)).limit(1);
  return row;
}

/**
 * Counts a failed login from `ip` inside a sliding window of `windowMs`; locks the IP when
 * `maxFailures` is reached.
 */
export async function recordIpLoginFailure(
  db: DbExecutor,
  ip: string,
  now: Date,
  windowStart: Date,
  maxFailures: number,
  lockUntil: Date,
) {
  const restart = sql`${loginThrottles.windowStartedAt} < ${windowStart.toISOString()}::timestamptz`;
  const failures = sql`case when ${restart} then 1 else ${loginThrottles.failures} + 1 end`;
  await db
    .insert(loginThrottles)
    .values({
      ip,
      failures: 1,
      windowStartedAt: now,
      lockedUntil: maxFailures <= 1 ? lockUntil : null,
    })
    .onConflictDoUpdate({
      target: loginThrottles.ip,
      set: {
        failures,
        windowStartedAt: sql`case when ${restart} then ${now.toISOString()}::timestamptz else ${loginThrottles.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${loginThrottles.lockedUntil} end`,
        updatedAt: now,
      },
    });
}

export async function clearIpThrottle(db: DbExecutor, ip: string) {
  await db.delete(loginThrottles).where(eq(loginThrottles.ip, ip));
}

export type MembershipWithTenant = { tenant: TenantRow; role: TenantRole };

export async function listMembershipsOfUser(
  db: DbExecutor,
  userId: string,
): Promise<MembershipWithTenant[]> {
  const rows = await db
    .select({ tenant: tenants, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
  return rows;
}

export async function findMembership(db: DbExecutor, tenantId: string, userId: string) {
  const [row] = await db
    .select({ tenant: tenants, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function insertMembership(
  db: DbExecutor,
  tenantId: string,
  userId: string,
  role: TenantRole,
) {
  await db
    .insert(memberships)
    .values({ tenantId, userId, role })
    .onConflictDoUpdate({
      target: [memberships.tenantId, memberships.userId],
      set: { role, updatedAt: new Date() },
    });
}

export type TenantUserRow = {
  id: string;
  email: string;
  name: string;
  role: TenantRole;
  status: 'active' | 'disabled';
  createdAt: Date;
};

const tenantUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  status: users.status,
  createdAt: memberships.createdAt,
};

export async function listTenantUsers(
  db: DbExecutor,
  tenantId: string,
  page: { cursor: PageCursor | undefined; limit: number },
): Promise<TenantUserRow[]> {
  const { cursor } = page;
  return db
    .select(tenantUserColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(memberships.tenantId, tenantId), keysetAfter(memberships.createdAt, users.id, cursor)),
    )
    .orderBy(...keysetOrder(memberships.createdAt, users.id))
    .limit(page.limit + 1);
}

export async function findTenantUser(
  db: DbExecutor,
  tenantId: string,
  userId: string,
): Promise<TenantUserRow | undefined> {
  const [row] = await db
    .select(tenantUserColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function updateMembershipRole(
  db: DbExecutor,
  tenantId: string,
  userId: string,
  role: TenantRole,
) {
  await db
    .update(memberships)
    .set({ role, updatedAt: new Date() })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

export async function updateUserProfile(
  db: DbExecutor,
  userId: string,
  values: { name?: string; status?: 'active' | 'disabled' },
) {
  await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, userId));
}

export async function deleteMembership(db: DbExecutor, tenantId: string, userId: string) {
  await db
    .delete(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

/** Active admins of a tenant, locked for update so two demotions cannot race past the check. */
export async function countActiveAdmins(db: DbExecutor, tenantId: string): Promise<number> {
  const rows = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.role, 'admin'),
        eq(users.status, 'active'),
      ),
    )
    .for('update', { of: memberships });
  return rows.length;
}

export async function insertTenant(db: DbExecutor, values: { name: string; slug: string }) {
  const [row] = await db
    .insert(tenants)
    .values(values)
    .onConflictDoNothing({ target: tenants.slug })
    .returning();
  return row;
}

export async function findTenantById(db: DbExecutor, id: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row;
}

export async function findTenantBySlug(db: DbExecutor, slug: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return row;
}

export async function updateTenant(
  db: DbExecutor,
  id: string,
  values: { name?: string; status?: 'active' | 'suspended' },
) {
  const [row] = await db
    .update(tenants)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(tenants.id, id))
    .returning();
  return row;
}

export async function listTenants(
  db: DbExecutor,
  page: { cursor: PageCursor | undefined; limit: number },
) {
  const { cursor } = page;
  const userCount = db
    .select({ tenantId: memberships.tenantId, userCount: count().as('user_count') })
    .from(memberships)
    .groupBy(memberships.tenantId)
    .as('member_counts');
  return db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      status: tenants.status,
      createdAt: tenants.createdAt,
      userCount: sql<number>`coalesce(${userCount.userCount}, 0)::int`,
    })
    .from(tenants)
    .leftJoin(userCount, eq(userCount.tenantId, tenants.id))
    .where(keysetAfter(tenants.createdAt, tenants.id, cursor))
    .orderBy(...keysetOrder(tenants.createdAt, tenants.id))
    .limit(page.limit + 1);
}

export async function countTenantMembers(db: DbExecutor, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(memberships)
    .where(eq(memberships.tenantId, tenantId));
  return row?.value ?? 0;
}

export async function countTenants(db: DbExecutor): Promise<number> {
  const [row] = await db.select({ value: count() }).from(tenants);
  return row?.value ?? 0;
}

export async function insertRefreshToken(
  db: DbExecutor,
  values: {
    userId: string;
    tenantId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
  },
) {
  await db.insert(refreshTokens).values(values);
}

/** Loads a refresh token and locks it, so two concurrent refreshes cannot both rotate it. */
export async function findRefreshTokenForUpdate(db: DbExecutor, tokenHash: string) {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update')
    .limit(1);
  return row;
}

export async function markRefreshTokenUsed(db: DbExecutor, id: string, at: Date) {
  await db.update(refreshTokens).set({ usedAt: at, updatedAt: at }).where(eq(refreshTokens.id, id));
}

export async function revokeRefreshFamily(db: DbExecutor, familyId: string, at: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export async function revokeRefreshTokensOfUser(db: DbExecutor, userId: string, at: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
