import { daysBetween } from '@shared/domain/dates';
import {
  agingBucket,
  arAging as arAgingOf,
  atRiskCustomers as atRiskOf,
  failedOpenInvoices,
  metricsRowsWindow,
  metricsSummaryFromRows,
  revenueBetween as revenueOf,
  type ArAging,
  type AttemptRow,
  type FailedInvoice,
  type FailedInvoiceRow,
  type MetricsRows,
  type MetricsSummary,
  type PaymentRow,
  type RefundRow,
} from '@shared/domain/metrics';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { readCoupons, readHistory, readPlans } from './segments';

// The numbers of spec 8 are computed by the pure functions of
// src-shared/domain/metrics over rows; this file feeds them from SQLite. A
// query may narrow the rows by a condition that keeps every row the rule
// needs (an index makes it cheap); the rule itself is applied in src-shared.

export {
  churnOver,
  customerMovements,
  monthBounds,
  monthsEnding,
  mrrByCustomer,
  summaryOf,
  totalMovements,
  type ArAging,
  type CustomerMovement,
  type MetricsSummary,
  type MonthBounds,
  type MovementKind,
  type Movements,
} from '@shared/domain/metrics';

/** `recurra metrics --as-of`'s numbers, by the full computation from the books: metricsSummaryFromRows over the rows of this file. */
export function metricsAsOf(db: BusinessDb, asOf: string): MetricsSummary {
  return metricsSummaryFromRows(readMetricsRows(db, asOf), asOf);
}

/** The rows metricsSummaryFromRows needs as of a date (MetricsRows says which), read from this file. */
export function readMetricsRows(db: BusinessDb, asOf: string): MetricsRows {
  const { monthStart } = metricsRowsWindow(asOf);
  const window = { d: asOf, from: monthStart };
  const open = narrowedInvoices('invoices');
  const withPayments = narrowedInvoices('invoices', { payments: true });
  return {
    currency: businessCurrency(db),
    subscriptionHistory: readHistory(db, { through: asOf }),
    plans: readPlans(db),
    coupons: readCoupons(db),
    invoices: stmt(db.sqlite, `SELECT ${INVOICE_COLUMNS} ${open}`).all(window) as FailedInvoiceRow[],
    // Each payment once: those dated in the month (revenue), and those of the invoices above (what was owed on them).
    payments: stmt(
      db.sqlite,
      `SELECT id, ${PAYMENT_COLUMNS} FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @d
       UNION SELECT p.id, ${P_PAYMENT_COLUMNS} ${withPayments}
       UNION ALL ${SALE_PAYMENTS} WHERE paid_on BETWEEN @from AND @d`,
    ).all(window) as AttemptRow[],
    refunds: readRefunds(db, monthStart, asOf),
  };
}

const INVOICE_COLUMNS = [
  'id',
  'number',
  'customer_id',
  'subscription_id',
  'status',
  'issue_date',
  'due_date',
  'total',
  'credit_applied',
  'paid_on',
  'voided_on',
  'uncollectible_on',
  'next_retry_on',
]
  .map((c) => `i.${c}`)
  .join(', ');
const PAYMENT_COLUMNS = 'invoice_id, status, amount, paid_on, attempt';
/**
 * Counter sales count in revenue (issue 14): their payments as payments of no
 * invoice (MetricsRows in src-shared), their refunds as refunds. Every feeder
 * of the shared metrics adds them the same way (dashboard.ts, the server's api/metrics.ts).
 */
const SALE_PAYMENTS = "SELECT id, NULL AS invoice_id, 'succeeded' AS status, amount, paid_on, NULL AS attempt FROM sale_payments";
const P_PAYMENT_COLUMNS = 'p.invoice_id, p.status, p.amount, p.paid_on, p.attempt';

type Source = 'invoices' | 'metric_open_spans';

/**
 * FROM and WHERE for the invoices that may have been open at the end of @d
 * (isOpenAt in src-shared decides), with their payments as `p` if asked:
 * from the invoices, those not paid by then; or from the open spans the
 * triggers keep (the invoices not settled on their issue day, with the day
 * they were settled and their first declined attempt), those issued by @d and
 * settled after it (far fewer rows, the same answer), and with `declined`
 * only those with an attempt declined by @d.
 */
function narrowedInvoices(source: Source, opts: { payments?: boolean; declined?: boolean } = {}): string {
  const payments = opts.payments ? ' CROSS JOIN payments p ON p.invoice_id = i.id' : '';
  return source === 'invoices'
    ? `FROM invoices i${payments} WHERE i.issue_date <= @d AND (i.paid_on IS NULL OR i.paid_on > @d)`
    : `FROM metric_open_spans o CROSS JOIN invoices i ON i.id = o.invoice_id${payments}
        WHERE o.settled_on > @d AND o.issue_date <= @d${opts.declined ? ' AND o.failed_on <= @d' : ''}`;
}

/** The invoices that may have been open at the end of `asOf` (with `declined`, only those that may have had a card declined by then), and all their payments. */
export function openInvoiceRows(db: BusinessDb, asOf: string, source: Source, declined = false): { invoices: FailedInvoiceRow[]; payments: AttemptRow[] } {
  const invoices = stmt(db.sqlite, `SELECT ${INVOICE_COLUMNS} ${narrowedInvoices(source, { declined })}`).all({ d: asOf }) as FailedInvoiceRow[];
  // Their payments by the payments' invoice index: the spans or the invoices are not read twice.
  const payments =
    invoices.length === 0
      ? []
      : (stmt(db.sqlite, `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE invoice_id IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(invoices.map((i) => i.id)),
        ) as AttemptRow[]);
  return { invoices, payments };
}

/**
 * Accounts receivable as of D: from the invoices, by arAging in src-shared;
 * from the open spans the triggers keep (the dashboard and metrics.summary),
 * what each span still owed at D summed per due date in SQL (some thousand
 * spans at 100,000 subscriptions: made into rows for the shared rule they
 * cost 30-40 ms more, twice per dashboard), then placed in the buckets by the
 * shared agingBucket. The two agree: tests/unit/metrics/maintained.test.ts
 * and shared-rows.test.ts compare them after random histories.
 */
export function arAging(db: BusinessDb, asOf: string, source: Source = 'invoices'): ArAging {
  if (source === 'invoices') {
    const { invoices, payments } = openInvoiceRows(db, asOf, source);
    return arAgingOf(invoices, payments, asOf);
  }
  // Payments are read only for the rare span paid in part after the date.
  const owedByDue = stmt(
    db.sqlite,
    `SELECT due, sum(owed) AS owed FROM (
       SELECT o.due_date AS due, o.owed - CASE WHEN o.paid_through IS NULL THEN 0 WHEN o.paid_through <= @d THEN o.paid ELSE coalesce((
                SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = o.invoice_id AND +p.status = 'succeeded' AND p.paid_on <= @d), 0) END AS owed
         FROM metric_open_spans o WHERE o.settled_on > @d AND o.issue_date <= @d)
      WHERE owed > 0 GROUP BY due`,
  )
    .raw(true)
    .all({ d: asOf }) as [due: string, owed: number][];
  const aging: ArAging = { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 };
  for (const [due, owed] of owedByDue) aging[agingBucket(daysBetween(due, asOf))] += owed;
  return aging;
}

/** Customers with an open invoice whose card had been declined, as of the date (atRiskCustomers in src-shared). */
export function atRiskCustomers(db: BusinessDb, asOf: string, source: Source): number {
  const { invoices, payments } = openInvoiceRows(db, asOf, source, true);
  return atRiskOf(invoices, payments, asOf);
}

/** The invoices open at the end of the date whose card had been declined by then, newest first (failedOpenInvoices in src-shared). */
export function failedOpenInvoicesAt(db: BusinessDb, asOf: string, source: Source): FailedInvoice[] {
  const { invoices, payments } = openInvoiceRows(db, asOf, source, true);
  return failedOpenInvoices(invoices, payments, asOf);
}

/** Succeeded payments dated in [from, to] minus refunds dated then (revenueBetween in src-shared). */
export function revenueBetween(db: BusinessDb, from: string, to: string): number {
  const payments = stmt(
    db.sqlite,
    `SELECT invoice_id, status, amount, paid_on FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @to
     UNION ALL SELECT NULL, 'succeeded', amount, paid_on FROM sale_payments WHERE paid_on BETWEEN @from AND @to`,
  ).all({ from, to }) as PaymentRow[];
  return revenueOf(payments, readRefunds(db, from, to), from, to);
}

/** Refunds of payments and of counter sales dated in [from, to]. */
export function readRefunds(db: BusinessDb, from: string, to: string): RefundRow[] {
  return stmt(
    db.sqlite,
    `SELECT amount, refunded_on FROM refunds WHERE refunded_on BETWEEN @from AND @to
     UNION ALL SELECT amount, refunded_on FROM sale_refunds WHERE refunded_on BETWEEN @from AND @to`,
  ).all({ from, to }) as RefundRow[];
}
