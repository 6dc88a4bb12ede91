import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Business settings that are not billing inputs (saved filters, reminder texts, SMTP host...), as JSON. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});
