import { blob, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/**
 * What the insights worker had computed, kept in the file so that a new run (the app opened the next morning, the
 * CLI) reads it instead of building it again (src-main/core/insights/snapshot.ts). Local-only and derived: each
 * customer's timeline as the churn and LTV models read it (every date, not cut at an as-of date), as it was at the
 * snapshot's `insight_changes` seq, in 512 buckets by a hash of the customer's id (a few hundred KB read at once,
 * not 100,000 rows; a change rewrites its customer's bucket). A customer changed since (a larger seq in
 * insight_changes) is built again from the books, never read from here.
 */
export const insightTimelines = sqliteTable('insight_timelines', {
  bucket: integer('bucket').primaryKey(),
  /** The bucket's customers, JSON [id, name, segment], in the order of their timelines in `data`. */
  ids: text('ids').notNull(),
  /** Each timeline as float64 numbers (little-endian), its count first. */
  data: blob('data', { mode: 'buffer' }).notNull(),
});

/**
 * The snapshot's own row (key 'ledger-v1'): the insight_changes seq the timelines are as of, and what was computed
 * from them (JSON): the churn model (its training date, weights, bands and backtest), used again only when it is
 * the one the books give (churn.ts, modelHoldsFor), the MRR at the month ends the forecast asks for, and the answers
 * of the coming days (each paying customer's score, the LTV churn counts and segment sums) that a new run reads.
 */
export const insightSnapshot = sqliteTable('insight_snapshot', {
  key: text('key').primaryKey(),
  seq: integer('seq').notNull(),
  state: text('state').notNull(),
});
