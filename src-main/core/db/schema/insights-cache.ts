import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// What the churn and lifetime-value insights read of each customer (src-main/core/insights/fast-books.ts),
// kept up to date as the books change: one row per customer instead of its whole history. Derived: every
// column can be rebuilt from the books and none is ever the only copy of a fact. The triggers that keep it
// true are in the migration 0022_insight_triggers: each write to payments, invoices, customer_events or
// sales recomputes the lists of the customer it touches, in the same transaction, so they commit or roll
// back with it. The lists hold every date (not only those up to a day): the reader cuts them at its as-of date.

/** A customer's dates as day numbers (days since 1970-01-01), comma-separated, ascending; '' for none. */
export const insightCustomerDays = sqliteTable('insight_customer_days', {
  customerId: text('customer_id').primaryKey(),
  /** Declined collection attempts (payments with status 'failed'), by paid_on. */
  failed: text('failed').notNull().default(''),
  /** Payments received (status 'succeeded'), by paid_on. */
  paid: text('paid').notNull().default(''),
  /** Notes, calls and emails on the customer's timeline, by the day of occurred_at. */
  notes: text('notes').notNull().default(''),
  /** Counter sales to the customer, by sold_on. */
  sales: text('sales').notNull().default(''),
  /**
   * Invoices that were owed and went past due before they closed: issue day, due day, closed day (paid,
   * void or written off; 'x' while open), three numbers each, ordered by issue, due and closed date.
   */
  invoices: text('invoices').notNull().default(''),
});

/**
 * How many money rows each table holds in each currency (payments, sale_payments, invoices), kept by the
 * same migration's triggers: the forecast asks whether the books ever changed currency, and in nearly every
 * book the answer is "no row in another currency", read here instead of by scanning every payment and invoice.
 */
export const insightCurrencyRows = sqliteTable(
  'insight_currency_rows',
  {
    source: text('source').notNull(),
    currency: text('currency').notNull(),
    rows: integer('rows').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.currency] })],
);

/**
 * Which customers' insight inputs changed, and when (a counter, not a clock): every write that can move a
 * customer's churn or LTV inputs (the customer row, its subscription history, its insight_customer_days row)
 * sets the customer's `seq` to one more than the largest, in the same transaction (migration 0023). The insights
 * worker remembers the largest it has seen and recomputes only the customers above it (incremental.ts). A change
 * to plans, coupons or the currency marks the row '*': everyone. Rows are never deleted (one per customer at most).
 */
export const insightChanges = sqliteTable(
  'insight_changes',
  {
    customerId: text('customer_id').primaryKey(),
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('insight_changes_seq').on(t.seq)],
);
