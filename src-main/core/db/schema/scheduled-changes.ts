import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { plans } from './plans';
import { subscriptions } from './subscriptions';

/** Changes that take effect on a later date (at period end, cancel at period end, resume). */
export const scheduledChanges = sqliteTable(
  'scheduled_changes',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['change', 'cancel', 'resume'] }).notNull(),
    effectiveDate: text('effective_date').notNull(),
    planId: text('plan_id').references(() => plans.id, { onDelete: 'restrict' }),
    quantity: integer('quantity'),
    appliedAt: text('applied_at'),
    canceledAt: text('canceled_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('scheduled_changes_due').on(t.effectiveDate, t.appliedAt), index('scheduled_changes_subscription').on(t.subscriptionId)],
);
