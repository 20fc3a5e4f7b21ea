import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-database.js';
import { resolveContact } from './contact-resolution.js';
import { listIdentitiesOfContact } from './contacts.repository.js';

let database: TestDatabase;
let tenantA: string;
let tenantB: string;

async function insertTenant(slug: string): Promise<string> {
  // Both drivers answer raw SQL with `{ rows }`.
  const result = (await database.db.execute(
    sql`insert into tenants (name, slug) values (${slug}, ${slug}) returning id`,
  )) as unknown as { rows: Array<{ id: string }> };
  const row = result.rows[0];
  if (!row) throw new Error('tenant not created');
  return row.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  tenantA = await insertTenant('a');
  tenantB = await insertTenant('b');
});
afterAll(async () => {
  await database.destroy();
});

describe('resolveContact', () => {
  it('creates a contact with its E.164 phone and reported identity, then finds it again', async () => {
    const first = await resolveContact(database.db, tenantA, {
      waId: '5511987654321',
      name: 'Ana',
    });
    expect(first.isNew).toBe(true);
    expect(first.contact).toMatchObject({ phone: '+5511987654321', name: 'Ana' });
    const again = await resolveContact(database.db, tenantA, {
      waId: '5511987654321',
      name: 'Ana',
    });
    expect(again).toMatchObject({ isNew: false, contact: { id: first.contact.id } });
  });

  it('matches an old Brazilian id without the ninth digit to the same person', async () => {
    const modern = await resolveContact(database.db, tenantA, { waId: '5521998765432' });
    const legacy = await resolveContact(database.db, tenantA, {
      waId: '552198765432',
      name: 'Bruno',
    });
    expect(legacy.contact.id).toBe(modern.contact.id);
    expect(await listIdentitiesOfContact(database.db, tenantA, modern.contact.id)).toEqual([
      { kind: 'wa_id', value: '552198765432' },
      { kind: 'wa_id', value: '5521998765432' },
    ]);
  });

  it('links a business-scoped user id to the phone contact, then finds it by the user id alone', async () => {
    const byPhone = await resolveContact(database.db, tenantA, { phone: '+351 912 345 678' });
    const both = await resolveContact(database.db, tenantA, {
      waId: '351912345678',
      userId: 'US.13491208655302741918',
    });
    expect(both.contact.id).toBe(byPhone.contact.id);
    const byUserId = await resolveContact(database.db, tenantA, {
      userId: 'US.13491208655302741918',
    });
    expect(byUserId).toMatchObject({ isNew: false, contact: { id: byPhone.contact.id } });
  });

  it('keeps tenants apart: the same person is a different contact in another tenant', async () => {
    const inA = await resolveContact(database.db, tenantA, { waId: '5511912345678' });
    const inB = await resolveContact(database.db, tenantB, { waId: '5511912345678' });
    expect(inB.isNew).toBe(true);
    expect(inB.contact.id).not.toBe(inA.contact.id);
    expect(inB.contact.tenantId).toBe(tenantB);
  });

  it('creates one contact when the same new sender arrives concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        resolveContact(database.db, tenantA, { waId: '5531987650000' }),
      ),
    );
    expect(new Set(results.map((r) => r.contact.id)).size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
  });

  it('refuses a sender with nothing to identify it', async () => {
    await expect(resolveContact(database.db, tenantA, { name: 'Nobody' })).rejects.toThrow(
      /needs a phone/,
    );
  });
});
