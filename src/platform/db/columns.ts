import { timestamp } from 'drizzle-orm/pg-core';

/** `created_at` / `updated_at`, on every table (STYLE.md). */
export function timestampColumns() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  };
}
