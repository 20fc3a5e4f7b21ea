import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestampColumns } from '../db/columns.js';

/** Platform-wide key/value settings and generated secrets, shared by every process. */
export const platformSettings = pgTable('platform_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  ...timestampColumns(),
});
