import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { plans } from './plans';

/** Tiers of a graduated or volume plan, in order; the last has up_to null (no limit). */
export const planTiers = sqliteTable(
  'plan_tiers',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    upTo: integer('up_to'),
    unitAmount: integer('unit_amount').notNull(),
    flatAmount: integer('flat_amount').notNull().default(0),
  },
  (t) => [uniqueIndex('plan_tiers_position').on(t.planId, t.position)],
);
