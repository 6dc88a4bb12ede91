import { sql } from 'drizzle-orm';
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';

export const customerTags = sqliteTable(
  'customer_tags',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.tag] }), index('customer_tags_tag_nocase').on(sql`${t.tag} collate nocase`, t.customerId)],
);
