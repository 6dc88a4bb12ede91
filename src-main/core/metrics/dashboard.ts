import { addDays, startOfDayInstant } from '../../../src-shared/domain/dates';
import { discountFor, couponApplies } from '../../../src-shared/domain/invoice-math';
import { periodStart } from '../../../src-shared/domain/periods';
import { divRound } from '../../../src-shared/domain/money';
import { billingSettings, couponTerms, loadCoupon, planAmount, PlanCache, cadenceOf } from '../billing/catalog-repo';
import type { SubscriptionRow } from '../billing/rows';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { businessCurrencyOf, customerMovements, monthBounds, monthsEnding, mrrByCustomer, revenueBetween, summaryFrom, totalMovements } from './metrics-service';
import { loadSegments, type Segment } from './segments';

/** Everything the dashboard shows as of a date, with last month's figures for the change. */
export function dashboard(db: BusinessDb, asOf: string, timezone: string) {
  const segments = loadSegments(db);
  const currency = businessCurrencyOf(db);
  const summary = summaryFrom(db, segments, asOf, currency);
  const lastMonthEnd = addDays(`${asOf.slice(0, 7)}-01`, -1);
  const previous = summaryFrom(db, segments, lastMonthEnd, currency);
  const months = monthsEnding(asOf, 12);
  const series = months.map((month) => {
    const bounds = monthBounds(month, asOf);
    const moves = totalMovements(customerMovements(segments, bounds));
    return {
      month,
      mrr: [...mrrByCustomer(segments, bounds.endDate).values()].reduce((a, b) => a + b, 0),
      revenue: revenueBetween(db, `${month}-01`, bounds.endDate),
      ...moves,
      ...customerGrowth(db, month, bounds.endDate, timezone),
    };
  });
  return {
    asOf,
    currency,
    summary,
    previous,
    series,
    trialConversion: trialConversion(segments, monthBounds(asOf.slice(0, 7), asOf)),
    upcomingRenewals: upcomingRenewals(db, asOf, 30),
    failedPayments: failedPayments(db, segments, asOf),
  };
}

/** New customers in a month and the total at its end (created dates in the business's time zone). */
function customerGrowth(db: BusinessDb, month: string, endDate: string, timezone: string) {
  const from = startOfDayInstant(`${month}-01`, timezone).toISOString();
  const to = startOfDayInstant(addDays(endDate, 1), timezone).toISOString();
  const row = stmt(
    db.sqlite,
    'SELECT coalesce(sum(created_at >= @from AND created_at < @to), 0) AS newCustomers, coalesce(sum(created_at < @to), 0) AS totalCustomers FROM customers',
  ).get({ from, to }) as { newCustomers: number; totalCustomers: number };
  return row;
}

/** Trials that ended in the month, and how many became paying subscriptions. */
function trialConversion(segments: Segment[], bounds: { startDate: string; endDate: string }) {
  const bySub = new Map<string, Segment[]>();
  for (const s of segments) {
    let list = bySub.get(s.subscriptionId);
    if (!list) bySub.set(s.subscriptionId, (list = []));
    list.push(s);
  }
  let ended = 0;
  let converted = 0;
  for (const list of bySub.values()) {
    for (const trial of list.filter((s) => s.status === 'trialing' && s.end !== null && s.end > bounds.startDate && s.end <= bounds.endDate)) {
      ended++;
      if (list.some((s) => s.status !== 'trialing' && s.start === trial.end)) converted++;
    }
  }
  return { ended, converted, rate: ended === 0 ? null : divRound(converted * 10_000, ended) / 100 };
}

/** Subscriptions whose next invoice falls within the next `days` days, with its expected amount before tax. */
export function upcomingRenewals(db: BusinessDb, asOf: string, days: number) {
  const until = addDays(asOf, days);
  const plans = new PlanCache(db);
  const settings = billingSettings(db);
  const subs = stmt(db.sqlite, "SELECT * FROM subscriptions WHERE status IN ('active', 'past_due', 'trialing') AND cancel_at_period_end = 0").all() as SubscriptionRow[];
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
export function failedPayments(db: BusinessDb, segments: Segment[], asOf: string) {
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
