import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// What the dashboard needs, kept up to date as the books change
// (src-main/core/metrics/maintained.ts). Every table here can be rebuilt from
// the books; none is ever the only copy of a fact. The triggers that keep
// them true (or mark what must be recomputed) are in the migration
// 0006_metric_triggers, so a write cannot forget them and they commit or roll
// back with it.

/** A customer's MRR step function: from `date` on (to the customer's next row), its MRR and flags. */
export const metricSteps = sqliteTable(
  'metric_steps',
  {
    customerId: text('customer_id').notNull(),
    date: text('date').notNull(),
    mrr: integer('mrr').notNull(),
    /** 1: an active or past_due subscription covers the day. */
    contributes: integer('contributes').notNull(),
    /** 1: a subscription in its trial covers the day. */
    trialing: integer('trialing').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.date] }), index('metric_steps_date').on(t.date)],
);

/** The sum over customers of their steps' changes on each day: figures at a date are sums over the days before. */
export const metricDays = sqliteTable('metric_days', {
  date: text('date').primaryKey(),
  mrr: integer('mrr').notNull(),
  paying: integer('paying').notNull(),
  active: integer('active').notNull(),
  trialing: integer('trialing').notNull(),
});

/** A complete month's MRR figures (MonthFigures as JSON), dropped when a change reaches into it. */
export const metricMonths = sqliteTable('metric_months', {
  month: text('month').primaryKey(),
  figures: text('figures').notNull(),
});

/** Trials that ended (a trialing stretch of a subscription ended on `endedOn`), and whether a paying stretch began then. */
export const metricTrials = sqliteTable(
  'metric_trials',
  {
    subscriptionId: text('subscription_id').notNull(),
    customerId: text('customer_id').notNull(),
    endedOn: text('ended_on').notNull(),
    converted: integer('converted').notNull(),
  },
  (t) => [index('metric_trials_ended').on(t.endedOn), index('metric_trials_customer').on(t.customerId)],
);

/** Customers whose steps must be recomputed (written by triggers on the history, plans and coupons). */
export const metricDirty = sqliteTable('metric_dirty', {
  customerId: text('customer_id').primaryKey(),
});

/** Subscriptions whose next renewal must be recomputed (written by triggers on subscriptions, plans, tiers, coupons). */
export const metricDirtySubscriptions = sqliteTable('metric_dirty_subscriptions', {
  subscriptionId: text('subscription_id').primaryKey(),
});

/** Each running subscription's next renewal as the subscriptions table says now (upcoming renewals of today). */
export const metricRenewals = sqliteTable(
  'metric_renewals',
  {
    subscriptionId: text('subscription_id').primaryKey(),
    customerId: text('customer_id').notNull(),
    planId: text('plan_id').notNull(),
    date: text('date').notNull(),
    amount: integer('amount').notNull(),
  },
  // Covering, in the list's order: the count and sum of a 30-day window, and its first 50 rows, read from the index alone.
  (t) => [index('metric_renewals_date').on(t.date, sql`${t.amount} DESC`, t.subscriptionId)],
);

/** Succeeded payments less refunds, per day (kept by triggers). */
export const metricRevenue = sqliteTable('metric_revenue', {
  date: text('date').primaryKey(),
  amount: integer('amount').notNull(),
});

/** New customers per UTC hour of created_at ('YYYY-MM-DDTHH'), kept by triggers. */
export const metricCustomerHours = sqliteTable('metric_customer_hours', {
  hour: text('hour').primaryKey(),
  count: integer('count').notNull(),
});

/**
 * Invoices that were open at the end of some day: issued, not draft, total > 0,
 * and settled (paid, voided or written off) after their issue date or not yet.
 * An invoice settled on its issue day is never open at a day's end, so the
 * many paid at once never enter. Kept by triggers on invoices.
 */
export const metricOpenSpans = sqliteTable(
  'metric_open_spans',
  {
    invoiceId: text('invoice_id').primaryKey(),
    issueDate: text('issue_date').notNull(),
    dueDate: text('due_date').notNull(),
    /** The first of paid_on, voided_on, uncollectible_on; '9999-12-31' while open. */
    settledOn: text('settled_on').notNull(),
    /** total - credit_applied: what payments must cover. */
    owed: integer('owed').notNull(),
    /** The succeeded payments on it, and the date of the last: as of a date on or after that, all of them count. */
    paid: integer('paid').notNull().default(0),
    paidThrough: text('paid_through'),
    /** The first declined attempt's date (failed payments as of a date). */
    failedOn: text('failed_on'),
  },
  // Both cover what the dashboard reads as of a date, so it never looks rows up one by one (about
  // 870 page reads at 1M invoices, each decrypted and checked: the encrypted dashboard's cost after
  // another connection's write). `aging` also serves what `settled` (settled_on, issue_date) did.
  (t) => [
    index('metric_open_spans_failed').on(t.settledOn, t.issueDate, t.failedOn).where(sql`failed_on IS NOT NULL`),
    index('metric_open_spans_aging').on(t.settledOn, t.issueDate, t.dueDate, t.owed, t.paid, t.paidThrough, t.invoiceId),
  ],
);
