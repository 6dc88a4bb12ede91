import type { Interval } from '../periods';

// The rows the metrics are computed from: plain objects whose keys are the
// SQLite column names (snake_case), as better-sqlite3 returns them on the PC
// and as the sync change log carries them to the server (`fullFieldsSql`:
// integers as numbers, text as strings, NULL as null). Only the columns the
// metrics read are listed; a row may carry more.

/** A `subscription_history` row: the subscription's state from `effective_date` on, until its next row (by effective_date, then seq). */
export interface HistoryRow {
  subscription_id: string;
  customer_id: string;
  seq: number;
  effective_date: string;
  status: 'trialing' | 'active' | 'past_due' | 'paused' | 'canceled';
  plan_id: string;
  recurring_amount: number;
  coupon_id: string | null;
  coupon_applied_on: string | null;
}

/** A `plans` row's cadence. */
export interface PlanRow {
  id: string;
  interval: Interval;
  interval_count: number;
}

/** A `coupons` row's terms. */
export interface CouponRow {
  id: string;
  code: string;
  percent_off_ppm: number | null;
  amount_off: number | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_months: number | null;
}

/** An `invoices` row, as far as what was owed on it at a date goes. */
export interface InvoiceRow {
  id: string;
  customer_id: string;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  issue_date: string;
  due_date: string;
  total: number;
  credit_applied: number;
  paid_on: string | null;
  voided_on: string | null;
  uncollectible_on: string | null;
}

/** An `invoices` row with what the failed payments list shows of it. */
export interface FailedInvoiceRow extends InvoiceRow {
  number: string;
  subscription_id: string | null;
  next_retry_on: string | null;
}

/** A `payments` row: a payment, or a declined collection attempt (status failed). */
export interface PaymentRow {
  invoice_id: string | null;
  status: 'succeeded' | 'failed';
  amount: number;
  paid_on: string;
}

/** A `payments` row with its attempt number (null for a payment by hand). */
export interface AttemptRow extends PaymentRow {
  attempt: number | null;
}

/** A `refunds` row. */
export interface RefundRow {
  amount: number;
  refunded_on: string;
}

/**
 * Everything `metricsSummaryFromRows(rows, asOf)` reads. Each list may be the
 * whole table or any superset of what the summary needs (a feeder narrows
 * with its database's indexes for speed; the rules themselves are applied
 * here, on every row given):
 * - `subscriptionHistory`: every row with `effective_date <= asOf` (later rows change nothing as of asOf);
 * - `plans`, `coupons`: every row the history names;
 * - `invoices`: every invoice not paid by asOf (`paid_on` null or after it);
 * - `payments`: every payment dated in asOf's month up to asOf, and every payment of the invoices given;
 *   counter sales' `sale_payments` dated in the month too, as succeeded payments of no invoice (invoice_id null);
 * - `refunds`: every refund dated in asOf's month up to asOf, counter sales' `sale_refunds` included.
 * `metricsRowsWindow(asOf)` gives those dates.
 */
export interface MetricsRows {
  /** The business's currency (`business.currency`). */
  currency: string;
  subscriptionHistory: readonly HistoryRow[];
  plans: readonly PlanRow[];
  coupons: readonly CouponRow[];
  invoices: readonly InvoiceRow[];
  payments: readonly PaymentRow[];
  refunds: readonly RefundRow[];
}

/** A `sale_payments` row as the metrics read it (a counter sale's payment: issue 14). */
export interface SalePaymentRow {
  amount: number;
  paid_on: string;
}

/**
 * The rows with counter sales added as MetricsRows counts them: their payments
 * as succeeded payments of no invoice, their refunds as refunds. Feeders whose
 * rows come from elsewhere than SQL (the server's projection) add them here.
 */
export function withCounterSales(rows: MetricsRows, salePayments: readonly SalePaymentRow[], saleRefunds: readonly RefundRow[]): MetricsRows {
  return {
    ...rows,
    payments: [...rows.payments, ...salePayments.map((p): PaymentRow => ({ invoice_id: null, status: 'succeeded', amount: p.amount, paid_on: p.paid_on }))],
    refunds: [...rows.refunds, ...saleRefunds.map((r): RefundRow => ({ amount: r.amount, refunded_on: r.refunded_on }))],
  };
}
