import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { contactIdentities, contacts } from './messaging.tables.js';

export type ContactRow = typeof contacts.$inferSelect;
export type IdentityKind = (typeof contactIdentities.$inferSelect)['kind'];
export type IdentityKey = { kind: IdentityKind; value: string };

/** Contacts of `tenantId` matching any of the identities or the phone, oldest first. */
export async function findContactsByIdentity(
  db: DbExecutor,
  tenantId: string,
  identities: IdentityKey[],
  phone: string | undefined,
): Promise<ContactRow[]> {
  const byIdentity = identities.map((identity) =>
    and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)),
  );
  const identityMatches =
    byIdentity.length > 0
      ? db
          .select({ id: contactIdentities.contactId })
          .from(contactIdentities)
          .where(and(eq(contactIdentities.tenantId, tenantId), or(...byIdentity)))
      : undefined;
  const conditions = [
    identityMatches ? inArray(contacts.id, identityMatches) : undefined,
    phone ? eq(contacts.phone, phone) : undefined,
  ].filter((condition) => condition !== undefined);
  if (conditions.length === 0) return [];
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), or(...conditions)))
    .orderBy(contacts.createdAt);
}

/** Inserts a contact; undefined when another writer created the same phone first. */
export async function insertContact(
  db: DbExecutor,
  tenantId: string,
  values: { phone: string | undefined; name: string | undefined },
): Promise<ContactRow | undefined> {
  const [row] = await db
    .insert(contacts)
    .values({ tenantId, phone: values.phone ?? null, name: values.name ?? null })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Fills in what a contact lacks (phone, name) and refreshes the profile name. */
export async function updateContactProfile(
  db: DbExecutor,
  contactId: string,
  values: { phone: string | undefined; name: string | undefined },
) {
  await db
    .update(contacts)
    .set({
      ...(values.name ? { name: values.name } : {}),
      ...(values.phone ? { phone: sql`coalesce(${contacts.phone}, ${values.phone})` } : {}),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(contacts.id, contactId),
        or(
          values.name ? sql`${contacts.name} is distinct from ${values.name}` : undefined,
          values.phone ? isNull(contacts.phone) : undefined,
        ),
      ),
    );
}

/** Attaches identities to a contact; identities already known (to anyone) are left alone. */
export async function attachIdentities(
  db: DbExecutor,
  tenantId: string,
  contactId: string,
  identities: IdentityKey[],
) {
  if (identities.length === 0) return;
  await db
    .insert(contactIdentities)
    .values(identities.map((identity) => ({ tenantId, contactId, ...identity })))
    .onConflictDoNothing();
}

export async function listIdentitiesOfContact(db: DbExecutor, tenantId: string, contactId: string) {
  return db
    .select({ kind: contactIdentities.kind, value: contactIdentities.value })
    .from(contactIdentities)
    .where(
      and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.contactId, contactId)),
    )
    .orderBy(contactIdentities.kind, contactIdentities.value);
}
