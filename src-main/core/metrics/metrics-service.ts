import { addDays, daysBetween, daysInMonth } from '@shared/domain/dates';
import { divRound } from '@shared/domain/money';
import { percentWith2Decimals } from '@shared/domain/metrics-math';
import { addMonths } from '@shared/domain/periods';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { monthFigures, type MonthFigures } from './month-figures';
import { covers, loadSegments, type Segment } from './segments';

// The numbers of spec 8, for any as-of date, from the effective-dated history.

export type MovementKind = 'new' | 'reactivation' | 'expansion' | 'contraction' | 'churn';

export interface Movements {
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  net: number;
}

export interface MonthBounds {
  month: string;
  /** The end of the day before the month's first day. */
  startDate: string;
  /** The end of the month's last day, or of the as-of date for the month in progress. */
  endDate: string;
}

export function monthBounds(month: string, asOf: string): MonthBounds {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
  return { month, startDate: addDays(`${month}-01`, -1), endDate: asOf < last ? asOf : last };
}

/** MRR per customer at the end of a date (contributing: active or past_due). */
export function mrrByCustomer(segments: readonly Segment[], date: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of segments) {
    if (s.status === 'trialing' || !covers(s, date)) continue;
    out.set(s.customerId, (out.get(s.customerId) ?? 0) + s.mrr);
  }
  return out;
}

export interface CustomerMovement {
  customerId: string;
  kind: MovementKind;
  start: number;
  end: number;
  amount: number;
}

/** Each customer's movement in a month (spec 8), from MRR at its start and end. */
export function customerMovements(segments: readonly Segment[], bounds: MonthBounds): CustomerMovement[] {
  const s = mrrByCustomer(segments, bounds.startDate);
  const e = mrrByCustomer(segments, bounds.endDate);
  // "Never had MRR before": no contributing, paying stretch began on or before the start.
  const hadMrr = new Set(segments.filter((x) => x.status !== 'trialing' && x.mrr > 0 && x.start <= bounds.startDate).map((x) => x.customerId));
  const out: CustomerMovement[] = [];
  for (const customerId of new Set([...s.keys(), ...e.keys()])) {
    const start = s.get(customerId) ?? 0;
    const end = e.get(customerId) ?? 0;
    if (start === 0 && end > 0) out.push({ customerId, kind: hadMrr.has(customerId) ? 'reactivation' : 'new', start, end, amount: end });
    else if (start > 0 && end === 0) out.push({ customerId, kind: 'churn', start, end, amount: start });
    else if (end > start && start > 0) out.push({ customerId, kind: 'expansion', start, end, amount: end - start });
    else if (start > end && end > 0) out.push({ customerId, kind: 'contraction', start, end, amount: start - end });
  }
  return out;
}

export function totalMovements(list: CustomerMovement[]): Movements {
  const m = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
  for (const x of list) m[x.kind] += x.amount;
  m.net = m.new + m.reactivation + m.expansion - m.contraction - m.churn;
  return m;
}

export interface ArAging {
  current: number;
  d1to30: number;
  d31to60: number;
  d61to90: number;
  over90: number;
}

/** The invoices open at the end of @d: issued by then, not draft, not yet paid, voided or written off. */
export const OPEN_AT_D = `i.issue_date <= @d AND i.total > 0
        AND (i.paid_on IS NULL OR i.paid_on > @d) AND (i.voided_on IS NULL OR i.voided_on > @d)
        AND (i.uncollectible_on IS NULL OR i.uncollectible_on > @d) AND i.status <> 'draft'`;

/**
 * Accounts receivable as of D: what was due then on invoices open then
 * (issued by D, not yet paid, voided or written off by D), by days past due.
 * `source`: the invoices, or the open spans the triggers keep (only the
 * invoices not settled on their issue day: the same answer from far fewer rows).
 */
export function arAging(db: BusinessDb, asOf: string, source: 'invoices' | 'metric_open_spans' = 'invoices'): ArAging {
  // Summed per due date in SQL: a few hundred dates to place in buckets, not an object per open invoice.
  const rows = stmt(
    db.sqlite,
    `SELECT due, sum(owed) AS owed FROM (${
    source === 'invoices'
      ? `SELECT i.due_date AS due, i.total - i.credit_applied - coalesce((
           SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND +p.status = 'succeeded' AND p.paid_on <= @d), 0) AS owed
         FROM invoices i WHERE ${OPEN_AT_D}`
      : // Payments are read only for the rare invoice paid in part after the date.
        `SELECT o.due_date AS due, o.owed - CASE WHEN o.paid_through IS NULL THEN 0 WHEN o.paid_through <= @d THEN o.paid ELSE coalesce((
           SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = o.invoice_id AND +p.status = 'succeeded' AND p.paid_on <= @d), 0) END AS owed
         FROM metric_open_spans o WHERE o.settled_on > @d AND o.issue_date <= @d`
    }) WHERE owed > 0 GROUP BY due`,
  ).all({ d: asOf }) as { due: string; owed: number }[];
  const aging = { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 };
  for (const r of rows) {
    const late = daysBetween(r.due, asOf);
    if (late <= 0) aging.current += r.owed;
    else if (late <= 30) aging.d1to30 += r.owed;
    else if (late <= 60) aging.d31to60 += r.owed;
    else if (late <= 90) aging.d61to90 += r.owed;
    else aging.over90 += r.owed;
  }
  return aging;
}

/** Succeeded payments dated in [from, to] minus refunds dated then. */
export function revenueBetween(db: BusinessDb, from: string, to: string): number {
  return stmt(
    db.sqlite,
    `SELECT coalesce((SELECT sum(amount) FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @to), 0)
          - coalesce((SELECT sum(amount) FROM refunds WHERE refunded_on BETWEEN @from AND @to), 0)`,
  )
    .pluck()
    .get({ from, to }) as number;
}

export interface MetricsSummary {
  asOf: string;
  month: string;
  currency: string;
  mrr: number;
  arr: number;
  activeSubscribers: number;
  trialingSubscribers: number;
  churnRate: number | null;
  revenue: number;
  movements: Movements;
  arAging: ArAging;
  /** MRR per active subscriber. */
  arpa: number;
  /** ARPA / churn rate; null when nobody churned. */
  ltv: number | null;
  /** (churn + contraction) / MRR at the month's start, percent. */
  grossMrrChurn: number | null;
  /** (churn + contraction - expansion) / MRR at the month's start, percent. */
  netMrrChurn: number | null;
  mrrAtStart: number;
  churnedCustomers: number;
  atRiskCustomers: number;
}

/** The summary by the full recomputation from every segment (the reference the maintained one equals). */
export function summaryFrom(db: BusinessDb, segments: readonly Segment[], asOf: string, currency: string): MetricsSummary {
  const months = monthsEnding(asOf, 12).map((m) => monthBounds(m, asOf));
  const figures = monthFigures(segments, months);
  const bounds = months[11]!;
  return summaryOf(figures[11]!, {
    asOf,
    currency,
    revenue: revenueBetween(db, `${bounds.month}-01`, bounds.endDate),
    arAging: arAging(db, asOf),
    atRiskCustomers: atRiskCustomers(db, asOf, 'invoices'),
    ltvChurn: churnOver(figures),
  });
}

/** Churned customers and customers paying at the start, summed over months: LTV's churn over a longer window. */
export function churnOver(figures: readonly MonthFigures[]): { churned: number; payingAtStart: number } {
  return figures.reduce((a, f) => ({ churned: a.churned + f.churned, payingAtStart: a.payingAtStart + f.payingAtStart }), { churned: 0, payingAtStart: 0 });
}

/**
 * The invoices open at the end of @d (issued, not settled by then) whose card had been declined by then,
 * with what was still owed on them then. `source`: the invoices, or the open spans the triggers keep.
 */
export function failedOpenInvoicesSql(source: 'invoices' | 'metric_open_spans'): string {
  const open =
    source === 'invoices'
      ? `FROM invoices i WHERE ${OPEN_AT_D}`
      : 'FROM metric_open_spans o JOIN invoices i ON i.id = o.invoice_id WHERE o.failed_on <= @d AND o.settled_on > @d AND o.issue_date <= @d';
  return `SELECT * FROM (
       SELECT i.id AS invoiceId, i.number, i.customer_id AS customerId, i.subscription_id AS subscriptionId, i.issue_date AS issueDate,
              i.total - i.credit_applied - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND +p.status = 'succeeded' AND p.paid_on <= @d), 0) AS amountDue,
              (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id AND p.attempt IS NOT NULL AND p.paid_on <= @d) AS attempts,
              coalesce((SELECT min(p.paid_on) FROM payments p WHERE p.invoice_id = i.id AND p.attempt IS NOT NULL AND p.paid_on > @d),
                       CASE WHEN i.status = 'open' THEN i.next_retry_on END) AS nextRetryOn
         ${open} AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND +p.status = 'failed' AND p.paid_on <= @d))
      WHERE amountDue > 0`;
}

/** Customers with an open invoice whose card had been declined, as of the date. */
export function atRiskCustomers(db: BusinessDb, asOf: string, source: 'invoices' | 'metric_open_spans'): number {
  return stmt(db.sqlite, `SELECT count(DISTINCT customerId) FROM (${failedOpenInvoicesSql(source)})`).pluck().get({ d: asOf }) as number;
}

/** The summary of a month ending on `asOf`, from its MRR figures and the money its invoices and payments say. */
export function summaryOf(
  f: MonthFigures,
  money: { asOf: string; currency: string; revenue: number; arAging: ArAging; atRiskCustomers: number; ltvChurn: { churned: number; payingAtStart: number } },
): MetricsSummary {
  const mrr = f.mrrAtEnd;
  const movements = f.movements;
  const churnRate = percentWith2Decimals(f.churned, f.payingAtStart);
  const mrrAtStart = f.mrrAtStart;
  const arpa = f.activeAtEnd > 0 ? divRound(mrr, f.activeAtEnd) : 0;
  // LTV divides by the average monthly churn of a year, not of one month (one month's is often 0, and LTV "—").
  const ltvRate = percentWith2Decimals(money.ltvChurn.churned, money.ltvChurn.payingAtStart);
  return {
    asOf: money.asOf,
    month: f.bounds.month,
    currency: money.currency,
    mrr,
    arr: 12 * mrr,
    activeSubscribers: f.activeAtEnd,
    trialingSubscribers: f.trialingAtEnd,
    churnRate,
    revenue: money.revenue,
    movements,
    arAging: money.arAging,
    arpa,
    ltv: ltvRate !== null && ltvRate > 0 ? divRound(BigInt(arpa) * 10_000n, Math.round(ltvRate * 100)) : null,
    grossMrrChurn: percentWith2Decimals(movements.churn + movements.contraction, mrrAtStart),
    netMrrChurn: mrrAtStart === 0 ? null : divRound(BigInt(movements.churn + movements.contraction - movements.expansion) * 10_000n, mrrAtStart) / 100,
    mrrAtStart,
    churnedCustomers: f.churned,
    atRiskCustomers: money.atRiskCustomers,
  };
}

export function metricsAsOf(db: BusinessDb, asOf: string): MetricsSummary {
  return summaryFrom(db, loadSegments(db), asOf, businessCurrency(db));
}

/** The last `count` months ending with the as-of month. */
export function monthsEnding(asOf: string, count: number): string[] {
  const first = addMonths(`${asOf.slice(0, 7)}-01`, -(count - 1));
  return Array.from({ length: count }, (_, i) => addMonths(first, i).slice(0, 7));
}
