import { addDays, startOfDayInstant } from '../../../src-shared/domain/dates';
import { discountFor, couponApplies } from '../../../src-shared/domain/invoice-math';
import { periodStart } from '../../../src-shared/domain/periods';
import { divRound } from '../../../src-shared/domain/money';
import { billingSettings, couponTerms, loadCoupon, planAmount, PlanCache, cadenceOf } from '../billing/catalog-repo';
import type { SubscriptionRow } from '../billing/rows';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { arAging, monthBounds, monthsEnding, summaryOf, type MonthBounds } from './metrics-service';
import { monthFigures } from './month-figures';
import { loadSegments, type Segment } from './segments';

/**
 * Everything the dashboard shows as of a date, with last month's figures for
 * the change. The twelve months' MRR figures come from one pass over the
 * segments (monthFigures), and each table is read once for the whole year
 * (revenue by month, customers by month), not once per month.
 */
export function dashboard(db: BusinessDb, asOf: string, timezone: string) {
  const segments = loadSegments(db);
  const currency = businessCurrency(db);
  const months = monthsEnding(asOf, 12);
  const bounds = months.map((month) => monthBounds(month, asOf));
  const figures = monthFigures(segments, bounds);
  const revenue = revenueByMonth(db, bounds);
  const growth = customerGrowth(db, bounds, timezone);
  const series = figures.map((f, i) => ({ month: f.bounds.month, mrr: f.mrrAtEnd, revenue: revenue[i]!, ...f.movements, ...growth[i]! }));
  // The as-of month is the last of the series, last month the one before (its end: the day before this month began).
  const summary = summaryOf(figures[11]!, { asOf, currency, revenue: revenue[11]!, arAging: arAging(db, asOf) });
  const lastMonthEnd = figures[10]!.bounds.endDate;
  const previous = summaryOf(figures[10]!, { asOf: lastMonthEnd, currency, revenue: revenue[10]!, arAging: arAging(db, lastMonthEnd) });
  return {
    asOf,
    currency,
    summary,
    previous,
    series,
    trialConversion: trialConversion(segments, bounds[11]!),
    upcomingRenewals: upcomingRenewals(db, asOf, 30),
    failedPayments: failedPayments(db, segments, asOf),
  };
}

/** Revenue of each month (spec 8): succeeded payments less refunds dated in it, two grouped queries for all months. */
function revenueByMonth(db: BusinessDb, months: MonthBounds[]): number[] {
  const range = { from: `${months[0]!.month}-01`, to: months.at(-1)!.endDate };
  const byMonth = (sql: string) => new Map((stmt(db.sqlite, sql).all(range) as { month: string; amount: number }[]).map((r) => [r.month, r.amount]));
  const paid = byMonth("SELECT substr(paid_on, 1, 7) AS month, sum(amount) AS amount FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @to GROUP BY month");
  const refunded = byMonth('SELECT substr(refunded_on, 1, 7) AS month, sum(amount) AS amount FROM refunds WHERE refunded_on BETWEEN @from AND @to GROUP BY month');
  return months.map((m) => (paid.get(m.month) ?? 0) - (refunded.get(m.month) ?? 0));
}

/**
 * New customers in each month and the total at its end (created dates in the
 * business's time zone). The months follow one another, so each total is the
 * count before the first month plus the new ones so far: every query reads
 * only its own month's stretch of the created_at index.
 */
function customerGrowth(db: BusinessDb, months: MonthBounds[], timezone: string) {
  const instant = (date: string) => startOfDayInstant(date, timezone).toISOString();
  const count = stmt(db.sqlite, 'SELECT count(*) FROM customers WHERE created_at >= @from AND created_at < @to').pluck();
  let totalCustomers = stmt(db.sqlite, 'SELECT count(*) FROM customers WHERE created_at < @to').pluck().get({ to: instant(`${months[0]!.month}-01`) }) as number;
  return months.map((m) => {
    const newCustomers = count.get({ from: instant(`${m.month}-01`), to: instant(addDays(m.endDate, 1)) }) as number;
    totalCustomers += newCustomers;
    return { newCustomers, totalCustomers };
  });
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
  const converted = ended.filter((t) => convertedEnds.has(`${t.subscriptionId}|${t.end}`)).length;
  return { ended: ended.length, converted, rate: ended.length === 0 ? null : divRound(converted * 10_000, ended.length) / 100 };
}

/** Subscriptions whose next invoice falls within the next `days` days, with its expected amount before tax. */
export function upcomingRenewals(db: BusinessDb, asOf: string, days: number) {
  const until = addDays(asOf, days);
  const plans = new PlanCache(db);
  const settings = billingSettings(db);
  // Only the columns the next date and amount need: this reads every running subscription.
  const subs = stmt(
    db.sqlite,
    `SELECT id, customer_id, plan_id, status, quantity, anchor_date, next_period_index, coupon_id, coupon_applied_on
       FROM subscriptions WHERE status IN ('active', 'past_due', 'trialing') AND cancel_at_period_end = 0`,
  ).all() as Pick<SubscriptionRow, 'id' | 'customer_id' | 'plan_id' | 'status' | 'quantity' | 'anchor_date' | 'next_period_index' | 'coupon_id' | 'coupon_applied_on'>[];
  const rows: { subscriptionId: string; customerId: string; customerName: string; planName: string; date: string; amount: number }[] = [];
  for (const sub of subs) {
    const plan = plans.get(sub.plan_id);
    const date = sub.status === 'trialing' ? sub.anchor_date : periodStart(sub.anchor_date, cadenceOf(plan), sub.next_period_index);
    if (date <= asOf || date > until) continue;
    let amount = planAmount(plan, sub.quantity);
    if (sub.coupon_id && sub.coupon_applied_on) {
      const terms = couponTerms(loadCoupon(db, sub.coupon_id), sub.coupon_applied_on);
      if (terms.duration !== 'once' && couponApplies(terms, date, false)) amount -= discountFor(terms, amount);
    }
    rows.push({ subscriptionId: sub.id, customerId: sub.customer_id, customerName: '', planName: plan.name, date, amount });
  }
  rows.sort((a, b) => a.date.localeCompare(b.date) || b.amount - a.amount);
  const names = stmt(db.sqlite, 'SELECT name FROM customers WHERE id = ?').pluck();
  const top = rows.slice(0, 50).map((r) => ({ ...r, customerName: names.get(r.customerId) as string }));
  return { count: rows.length, amount: rows.reduce((s, r) => s + r.amount, 0), currency: settings.currency, rows: top };
}

/** Open invoices whose card was declined: the money at stake, and the MRR of the subscriptions at risk. */
export function failedPayments(db: BusinessDb, segments: readonly Segment[], asOf: string) {
  const rows = stmt(
    db.sqlite,
    `SELECT i.id AS invoiceId, i.number, i.customer_id AS customerId, c.name AS customerName, i.subscription_id AS subscriptionId,
            i.amount_due AS amountDue, i.attempt_count AS attempts, i.next_retry_on AS nextRetryOn, i.issue_date AS issueDate
       FROM invoices i JOIN customers c ON c.id = i.customer_id
      WHERE i.status = 'open' AND i.attempt_count > 0 AND i.amount_due > 0 ORDER BY i.issue_date DESC LIMIT 200`,
  ).all() as { invoiceId: string; number: string; customerId: string; customerName: string; subscriptionId: string | null; amountDue: number; attempts: number; nextRetryOn: string | null; issueDate: string }[];
  const totals = stmt(db.sqlite, "SELECT count(*) AS n, coalesce(sum(amount_due), 0) AS due FROM invoices WHERE status = 'open' AND attempt_count > 0 AND amount_due > 0").get() as {
    n: number;
    due: number;
  };
  const atRiskSubs = new Set(
    stmt(db.sqlite, "SELECT DISTINCT subscription_id FROM invoices WHERE status = 'open' AND attempt_count > 0 AND amount_due > 0 AND subscription_id IS NOT NULL").pluck().all() as string[],
  );
  const mrrAtRisk = segments.filter((s) => atRiskSubs.has(s.subscriptionId) && s.status !== 'trialing' && s.start <= asOf && (s.end === null || asOf < s.end)).reduce((a, s) => a + s.mrr, 0);
  return { count: totals.n, amountDue: totals.due, mrrAtRisk, rows };
}
