import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Each billing run: when, as of which date, what it did, and how it ended. */
export const billingRuns = sqliteTable(
  'billing_runs',
  {
    id: text('id').primaryKey(),
    asOf: text('as_of').notNull(),
    trigger: text('trigger', { enum: ['startup', 'timer', 'manual', 'cli'] }).notNull(),
    status: text('status', { enum: ['running', 'completed', 'failed', 'interrupted'] }).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    invoicesIssued: integer('invoices_issued').notNull().default(0),
    paymentsSucceeded: integer('payments_succeeded').notNull().default(0),
    paymentsFailed: integer('payments_failed').notNull().default(0),
    subscriptionsCanceled: integer('subscriptions_canceled').notNull().default(0),
    error: text('error'),
    userId: text('user_id'),
  },
  (t) => [index('billing_runs_started').on(t.startedAt)],
);
