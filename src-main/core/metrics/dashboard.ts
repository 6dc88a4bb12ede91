import { addDays, startOfDayInstant } from '@shared/domain/dates';
import { discountFor, couponApplies } from '@shared/domain/invoice-math';
import { periodStart } from '@shared/domain/periods';
import { divRound } from '@shared/domain/money';
import { couponTerms, loadCoupon, PlanCache, cadenceOf } from '../billing/catalog-repo';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import {
  customersBefore,
  foldDirty,
  hasDirty,
  maintainedMonthFigures,
  maintainedRevenue,
  maintainedTrialConversion,
  monthsCached,
} from './maintained';
import { revenueBetween as revenueOf, type PaymentRow } from '@shared/domain/metrics';
import {
  arAging,
  atRiskCustomers,
  churnOver,
  failedOpenInvoicesAt,
  monthBounds,
  monthsEnding,
  readRefunds,
  revenueBetween,
  summaryOf,
  type ArAging,
  type MetricsSummary,
  type MonthBounds,
} from './metrics-service';
import { monthFigures, type MonthFigures } from './month-figures';
import { covers, loadSegments, type Segment } from './segments';

/**
 * Everything the dashboard shows as of a date, with last month's figures for
 * the change, from the tables kept up to date as the books change
 * (maintained.ts): the marks the triggers left are folded in first, in the
 * same transaction as the reads, so the figures are those of the file as
 * committed. Equal to fullDashboard (tests/unit/metrics/maintained.test.ts).
 */
export function dashboard(db: BusinessDb, asOf: string, timezone: string) {
  return maintainedRead(db, monthsFor(asOf), (write) => {
    const months = monthsFor(asOf);
    return assemble(db, asOf, months, {
      figures: maintainedMonthFigures(db, months, write),
      revenue: maintainedRevenue(db, months),
      revenueBetween: (from, to) => maintainedRevenue(db, [{ month: from.slice(0, 7), startDate: from, endDate: to }])[0]!,
      growth: growthFrom(months.slice(1), timezone, (instants) => customersBefore(db, instants)),
      trials: maintainedTrialConversion(db, months[12]!),
      renewals: upcomingRenewals(db, asOf, 30),
      aging: (d) => arAging(db, d, 'metric_open_spans'),
      atRisk: (d) => atRiskCustomers(db, d, 'metric_open_spans'),
      failed: failedPayments(db, asOf, 'metric_open_spans'),
    });
  });
}

/**
 * Runs `read` on the maintained tables: only reading when nothing is marked and every complete month
 * it needs is kept, otherwise in one write transaction that folds the marks in first.
 */
function maintainedRead<T>(db: BusinessDb, months: readonly MonthBounds[], read: (write: boolean) => T): T {
  const readOnly = db.sqlite.transaction(() => (hasDirty(db) || !monthsCached(db, months) ? null : { value: read(false) })).deferred();
  if (readOnly) return readOnly.value;
  return db.sqlite
    .transaction(() => {
      foldDirty(db);
      return read(true);
    })
    .immediate();
}

/** The 13 months ending with the as-of month: the series shows the last 12, LTV's year of churn needs one more for last month. */
function monthsFor(asOf: string): MonthBounds[] {
  return monthsEnding(asOf, 13).map((month) => monthBounds(month, asOf));
}

/** metrics.summary from the maintained tables (equal to metricsAsOf, the full recomputation). */
export function maintainedSummary(db: BusinessDb, asOf: string): MetricsSummary {
  const months = monthsFor(asOf).slice(1);
  return maintainedRead(db, months, (write) => {
    const figures = maintainedMonthFigures(db, months, write);
    return summaryOf(figures[11]!, {
      asOf,
      currency: businessCurrency(db),
      revenue: maintainedRevenue(db, months.slice(11))[0]!,
      arAging: arAging(db, asOf, 'metric_open_spans'),
      atRiskCustomers: atRiskCustomers(db, asOf, 'metric_open_spans'),
      ltvChurn: churnOver(figures),
    });
  });
}

/**
 * The full recomputation, the reference the maintained dashboard must equal:
 * the months' MRR figures from one pass over every segment of the history
 * (monthFigures), each table read for the whole year.
 */
export function fullDashboard(db: BusinessDb, asOf: string, timezone: string) {
  const segments = loadSegments(db);
  const months = monthsFor(asOf);
  return assemble(db, asOf, months, {
    figures: monthFigures(segments, months),
    revenue: revenueByMonth(db, months),
    revenueBetween: (from, to) => revenueBetween(db, from, to),
    growth: customerGrowth(db, months.slice(1), timezone),
    trials: trialConversion(segments, months[12]!),
    renewals: renewalsFromHistory(db, asOf, 30),
    aging: (d) => arAging(db, d, 'invoices'),
    atRisk: (d) => atRiskCustomers(db, d, 'invoices'),
    failed: failedPayments(db, asOf, 'invoices'),
  });
}

interface Parts {
  /** 13 months: the year of the series and the month before it. */
  figures: MonthFigures[];
  revenue: number[];
  revenueBetween: (from: string, to: string) => number;
  growth: { newCustomers: number; totalCustomers: number }[];
  trials: { ended: number; converted: number };
  renewals: ReturnType<typeof upcomingRenewals>;
  aging: (date: string) => ArAging;
  atRisk: (date: string) => number;
  failed: ReturnType<typeof failedPayments>;
}

function assemble(db: BusinessDb, asOf: string, months: MonthBounds[], p: Parts) {
  const currency = businessCurrency(db);
  const { figures, revenue, growth } = p;
  const series = figures.slice(1).map((f, i) => ({ month: f.bounds.month, mrr: f.mrrAtEnd, revenue: revenue[i + 1]!, ...f.movements, ...growth[i]! }));
  // The as-of month is the last, last month the one before (its end: the day before this month began).
  // The customers at risk on the as-of date are those of the failed payments list.
  const summary = summaryOf(figures[12]!, { asOf, currency, revenue: revenue[12]!, arAging: p.aging(asOf), atRiskCustomers: p.failed.customers, ltvChurn: churnOver(figures.slice(1)) });
  const last = months[11]!;
  const previous = summaryOf(figures[11]!, {
    asOf: last.endDate,
    currency,
    revenue: revenue[11]!,
    arAging: p.aging(last.endDate),
    atRiskCustomers: p.atRisk(last.endDate),
    ltvChurn: churnOver(figures.slice(0, 12)),
  });
  // The same days of last month: the 1st to the as-of day (the 30th of a 31-day month ends on last month's last day if shorter).
  const sameDay = `${last.month}-${asOf.slice(8, 10)}`;
  const { ended, converted } = p.trials;
  return {
    asOf,
    currency,
    summary,
    previous,
    revenueSameDaysLastMonth: p.revenueBetween(`${last.month}-01`, sameDay < last.endDate ? sameDay : last.endDate),
    series,
    trialConversion: { ended, converted, rate: ended === 0 ? null : divRound(converted * 10_000, ended) / 100 },
    upcomingRenewals: p.renewals,
    failedPayments: { count: p.failed.count, amountDue: p.failed.amountDue, mrrAtRisk: p.failed.mrrAtRisk, rows: p.failed.rows },
    todaysSales: todaysSales(db, asOf),
  };
}

/** The counter's day (seed S4 "today's sales"): the sales made on the date and the refunds made on it, as the Z report counts them. */
function todaysSales(db: BusinessDb, date: string) {
  const row = stmt(
    db.sqlite,
    `SELECT (SELECT count(*) FROM sales WHERE sold_on = @date) AS count, (SELECT coalesce(sum(total), 0) FROM sales WHERE sold_on = @date) AS sales,
            (SELECT coalesce(sum(amount), 0) FROM sale_refunds WHERE refunded_on = @date) AS refunds`,
  ).get({ date }) as { count: number; sales: number; refunds: number };
  return { date, ...row, net: row.sales - row.refunds };
}

/** Revenue of each month (spec 8, revenueBetween in src-shared) over the payments and refunds of the months' range. */
function revenueByMonth(db: BusinessDb, months: MonthBounds[]): number[] {
  const range = { from: `${months[0]!.month}-01`, to: months.at(-1)!.endDate };
  // Counter sales count in revenue: their payments as payments of no invoice, their refunds as refunds (metrics-service.ts).
  const payments = stmt(
    db.sqlite,
    `SELECT invoice_id, status, amount, paid_on FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @to
     UNION ALL SELECT NULL, 'succeeded', amount, paid_on FROM sale_payments WHERE paid_on BETWEEN @from AND @to`,
  ).all(range) as PaymentRow[];
  const refunds = readRefunds(db, range.from, range.to);
  return months.map((m) => revenueOf(payments, refunds, `${m.month}-01`, m.endDate));
}

/**
 * New customers in each month and the total at its end (created dates in the
 * business's time zone), from how many were created before each month's first instant.
 */
function growthFrom(months: MonthBounds[], timezone: string, before: (instants: string[]) => number[]) {
  const instant = (date: string) => startOfDayInstant(date, timezone).toISOString();
  const counts = before([instant(`${months[0]!.month}-01`), ...months.map((m) => instant(addDays(m.endDate, 1)))]);
  return months.map((m, i) => ({ newCustomers: counts[i + 1]! - (i === 0 ? counts[0]! : counts[i]!), totalCustomers: counts[i + 1]! }));
}

/** growthFrom with counts over the customers' created_at index. */
function customerGrowth(db: BusinessDb, months: MonthBounds[], timezone: string) {
  const count = stmt(db.sqlite, 'SELECT count(*) FROM customers WHERE created_at < ?').pluck();
  return growthFrom(months, timezone, (instants) => instants.map((i) => count.get(i) as number));
}

/** Trials that ended in the month, and how many became paying subscriptions. */
function trialConversion(segments: readonly Segment[], bounds: { startDate: string; endDate: string }) {
  // Only the few trials that ended in the month matter: find them, then look for their paying segment in one more pass.
  const ended = segments.filter((s) => s.status === 'trialing' && s.end !== null && s.end > bounds.startDate && s.end <= bounds.endDate);
  const endsBySub = new Map<string, string[]>();
  for (const t of ended) endsBySub.set(t.subscriptionId, [...(endsBySub.get(t.subscriptionId) ?? []), t.end!]);
  const convertedEnds = new Set<string>();
  for (const s of segments) {
    if (s.status !== 'trialing' && endsBySub.get(s.subscriptionId)?.includes(s.start)) convertedEnds.add(`${s.subscriptionId}|${s.start}`);
  }
  return { ended: ended.length, converted: ended.filter((t) => convertedEnds.has(`${t.subscriptionId}|${t.end}`)).length };
}

interface Renewal {
  subscriptionId: string;
  customerId: string;
  planId: string;
  date: string;
  amount: number;
}

/**
 * Subscriptions whose next invoice fell within `days` days after the as-of
 * date, with its expected amount before tax, as the books stood then. When
 * nothing in the books is dated after it (the usual case: today), that is
 * what the subscriptions say now, kept in metric_renewals; for an earlier
 * date, renewalsFromHistory reads the history.
 */
export function upcomingRenewals(db: BusinessDb, asOf: string, days: number) {
  const later = stmt(
    db.sqlite,
    'SELECT EXISTS (SELECT 1 FROM subscription_history WHERE effective_date > @d) OR EXISTS (SELECT 1 FROM invoices WHERE issue_date > @d)',
  )
    .pluck()
    .get({ d: asOf });
  if (later === 1) return renewalsFromHistory(db, asOf, days);
  // The count, the sum and the first 50 in order, each from the covering index on (date, amount DESC, subscription_id).
  const range = { from: asOf, to: addDays(asOf, days) };
  const totals = stmt(db.sqlite, 'SELECT count(*) AS count, coalesce(sum(amount), 0) AS amount FROM metric_renewals WHERE date > @from AND date <= @to').get(range) as {
    count: number;
    amount: number;
  };
  const top = stmt(
    db.sqlite,
    `SELECT subscription_id AS subscriptionId, customer_id AS customerId, plan_id AS planId, date, amount FROM metric_renewals
      WHERE date > @from AND date <= @to ORDER BY date, amount DESC, subscription_id LIMIT 50`,
  ).all(range) as Renewal[];
  return renewalList(db, top, totals);
}

/**
 * Upcoming renewals as of a date from the history: the subscriptions running
 * at its end (their last history row by then), each with the next invoice
 * of its period that was issued after it (or, not issued yet, the next one
 * the subscription says now; a trial's end for a trial), unless it was paused,
 * canceled or set to cancel by then; the amount is the recurring amount of
 * that history row less its coupon.
 */
export function renewalsFromHistory(db: BusinessDb, asOf: string, days: number) {
  const until = addDays(asOf, days);
  const plans = new PlanCache(db);
  const subs = stmt(
    db.sqlite,
    `WITH at AS (
       SELECT subscription_id, customer_id, status, plan_id, recurring_amount, coupon_id, coupon_applied_on,
              row_number() OVER (PARTITION BY subscription_id ORDER BY effective_date DESC, seq DESC) AS r
         FROM subscription_history WHERE effective_date <= @d)
     SELECT a.subscription_id AS id, a.customer_id, a.status, a.plan_id, a.recurring_amount, a.coupon_id, a.coupon_applied_on,
            s.plan_id AS plan_now, s.status AS status_now, s.anchor_date, s.next_period_index, s.cancel_at_period_end, s.cancel_at,
            (SELECT min(n.effective_date) FROM subscription_history n WHERE n.subscription_id = a.subscription_id AND n.effective_date > @d) AS next_change,
            (SELECT min(n.effective_date) FROM subscription_history n
              WHERE n.subscription_id = a.subscription_id AND n.effective_date > @d AND n.status IN ('paused', 'canceled')) AS stopped_on,
            (SELECT min(i.period_key) FROM invoices i WHERE i.subscription_id = a.subscription_id AND i.kind = 'subscription' AND i.period_key > @d) AS next_invoice
       FROM at a JOIN subscriptions s ON s.id = a.subscription_id
      WHERE a.r = 1 AND a.status IN ('active', 'past_due', 'trialing')`,
  ).all({ d: asOf }) as {
    id: string;
    customer_id: string;
    status: string;
    plan_id: string;
    recurring_amount: number;
    coupon_id: string | null;
    coupon_applied_on: string | null;
    plan_now: string;
    status_now: string;
    anchor_date: string;
    next_period_index: number;
    cancel_at_period_end: number;
    cancel_at: string | null;
    next_change: string | null;
    stopped_on: string | null;
    next_invoice: string | null;
  }[];
  const rows: Renewal[] = [];
  for (const sub of subs) {
    const running = sub.status_now === 'active' || sub.status_now === 'past_due' || sub.status_now === 'trialing';
    const date =
      sub.status === 'trialing'
        ? (sub.next_change ?? (sub.status_now === 'trialing' ? sub.anchor_date : null))
        : (sub.next_invoice ?? (running && sub.status_now !== 'trialing' ? periodStart(sub.anchor_date, cadenceOf(plans.get(sub.plan_now)), sub.next_period_index) : null));
    if (date === null || date <= asOf || date > until) continue;
    if (sub.stopped_on !== null && sub.stopped_on <= date) continue;
    if (sub.cancel_at_period_end === 1 && (sub.cancel_at === null || sub.cancel_at <= date)) continue;
    let amount = sub.recurring_amount;
    if (sub.coupon_id && sub.coupon_applied_on) {
      const terms = couponTerms(loadCoupon(db, sub.coupon_id), sub.coupon_applied_on);
      if (terms.duration !== 'once' && couponApplies(terms, date, false)) amount -= discountFor(terms, amount);
    }
    rows.push({ subscriptionId: sub.id, customerId: sub.customer_id, planId: sub.plan_id, date, amount });
  }
  // In the index's order (SQLite compares text bytewise, as < does).
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : b.amount - a.amount || (a.subscriptionId < b.subscriptionId ? -1 : 1)));
  return renewalList(db, rows.slice(0, 50), { count: rows.length, amount: rows.reduce((s, r) => s + r.amount, 0) });
}

function renewalList(db: BusinessDb, top: Renewal[], totals: { count: number; amount: number }) {
  const names = stmt(db.sqlite, 'SELECT name FROM customers WHERE id = ?').pluck();
  const plans = new PlanCache(db);
  const rows = top.map((r) => ({
    subscriptionId: r.subscriptionId,
    customerId: r.customerId,
    customerName: (names.get(r.customerId) as string | undefined) ?? '(deleted)',
    planName: plans.get(r.planId).name,
    date: r.date,
    amount: r.amount,
  }));
  return { ...totals, currency: businessCurrency(db), rows };
}

/**
 * Invoices open at the end of the as-of date (issued, not settled by then)
 * whose card had been declined by then: what was still owed on them then,
 * the attempts made by then and the next one (the attempt that followed, or
 * the retry still scheduled), and the MRR of their subscriptions then.
 * `source`: the invoices themselves, or the maintained open spans (the same invoices, fewer rows).
 */
export function failedPayments(db: BusinessDb, asOf: string, source: 'invoices' | 'metric_open_spans') {
  const all = failedOpenInvoicesAt(db, asOf, source);
  const names = stmt(db.sqlite, 'SELECT name FROM customers WHERE id = ?').pluck();
  const rows = all.slice(0, 200).map((r) => ({ ...r, customerName: (names.get(r.customerId) as string | undefined) ?? '(deleted)' }));
  const atRisk = [...new Set(all.flatMap((r) => (r.subscriptionId === null ? [] : [r.subscriptionId])))];
  const mrrAtRisk = loadSegments(db, atRisk)
    .filter((s) => s.status !== 'trialing' && covers(s, asOf))
    .reduce((a, s) => a + s.mrr, 0);
  return { count: all.length, amountDue: all.reduce((a, r) => a + r.amountDue, 0), mrrAtRisk, rows, customers: new Set(all.map((r) => r.customerId)).size };
}
