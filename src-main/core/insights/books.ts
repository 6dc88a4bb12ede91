import type Database from 'better-sqlite3';
import type { InsightBooks } from '@shared/insights/features';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { readCoupons, readHistory, readPlans } from '../metrics/segments';

/**
 * What the churn and lifetime-value insights read, with read-only SELECTs, as of a date:
 * nothing dated after `asOf` (the history is read whole, as the segments need each row's
 * successor; the models themselves look no further than the days they are asked about).
 * Rows come as arrays (`raw()`), the long lists as iterators read once by `ledgerOf`:
 * a big book has millions of payment rows, better read in a stream than held.
 */
export function loadInsightBooks(db: BusinessDb, asOf: string): InsightBooks {
  const s = db.sqlite;
  const pairs = (sql: string) => rows<[string, string]>(stmt(s, sql), asOf);
  return {
    currency: businessCurrency(db),
    customers: stmt(s, 'SELECT id, name, segment FROM customers').all() as InsightBooks['customers'],
    history: readHistory(db),
    plans: readPlans(db),
    coupons: readCoupons(db),
    failedPayments: pairs("SELECT customer_id, paid_on FROM payments WHERE status = 'failed' AND paid_on <= ?"),
    // A scan, not the (status, paid_on) index: nearly every payment succeeded, and the index would look each one up.
    payments: pairs("SELECT customer_id, paid_on FROM payments WHERE +status = 'succeeded' AND paid_on <= ?"),
    invoices: rows<[string, string, string, string | null]>(
      stmt(
        s,
        `SELECT customer_id, due_date, issue_date, coalesce(paid_on, voided_on, uncollectible_on) FROM invoices
         WHERE status <> 'draft' AND issue_date <= ? AND amount_due + amount_paid > 0 AND due_date < coalesce(paid_on, voided_on, uncollectible_on, '9999-12-31')`,
      ),
      asOf,
    ),
    notes: pairs("SELECT customer_id, substr(occurred_at, 1, 10) FROM customer_events WHERE kind IN ('note', 'call', 'email') AND substr(occurred_at, 1, 10) <= ?"),
    sales: pairs('SELECT customer_id, sold_on FROM sales WHERE customer_id IS NOT NULL AND sold_on <= ?'),
  };
}

/** A statement's rows as arrays, run only when first pulled (and closed if the reader stops early). */
function* rows<T>(statement: Database.Statement, asOf: string): Generator<T> {
  yield* statement.raw(true).iterate(asOf) as IterableIterator<T>;
}
