import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../db/database.js';
import { platformSettings } from './settings.tables.js';

/**
 * Returns the stored value of `key`, creating it with `create()` on first use. Safe when several
 * processes boot at once: the first insert wins and everyone reads the same value.
 */
export async function getOrCreateSetting<T>(
  db: DbExecutor,
  key: string,
  create: () => T,
): Promise<T> {
  await db.insert(platformSettings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db
    .select({ value: platformSettings.value })
    .from(platformSettings)
    .where(eq(platformSettings.key, key))
    .limit(1);
  if (!row) throw new Error(`Setting ${key} could not be read back.`);
  return row.value as T;
}
