import { addMonths } from '@shared/domain/periods';
import { discountFor } from '@shared/domain/invoice-math';
import { normalizedMonthly } from '@shared/domain/metrics-math';
import type { Interval } from '@shared/domain/periods';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';

/**
 * A stretch of days [start, end) over which a subscription contributes a
 * constant normalized monthly amount (spec 8). Built from the effective-dated
 * history, so metrics for any past date come from what was true then.
 */
export interface Segment {
  subscriptionId: string;
  customerId: string;
  start: string;
  /** null: still running. */
  end: string | null;
  mrr: number;
  status: 'active' | 'past_due' | 'trialing';
}

/** A history row with the row after it, as the query returns it (an array: 120,000 of them per dashboard). */
type HistoryTuple = [
  subscriptionId: string,
  customerId: string,
  start: string,
  next: string | null,
  status: string,
  recurringAmount: number,
  planId: string,
  couponId: string | null,
  couponAppliedOn: string | null,
];

interface PlanCadence {
  interval: Interval;
  interval_count: number;
}

interface CouponRow {
  code: string;
  percent_off_ppm: number | null;
  amount_off: number | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_months: number | null;
}

/**
 * Segments of every subscription (or of those given). Rows sharing a date collapse to the last
 * (an empty stretch); a repeating discount that expires inside a stretch splits it.
 * This runs on every dashboard and report over the whole history, so it reads
 * plain arrays from an iterator (no row objects kept alive for the collector),
 * takes plans and coupons from small maps instead of joining every row, and
 * normalizes each (plan, amount) once.
 */
export function loadSegments(db: BusinessDb, subscriptionIds?: readonly string[]): readonly Segment[] {
  if (subscriptionIds) return readSegments(db, subscriptionIds);
  // The whole history is read again only when the file changed: a drill-down after the dashboard,
  // or a report after it, reuses what the last call read. Any commit moves the key: this connection's
  // own (total_changes) or another's, the billing worker's or the CLI's (data_version). Inside a
  // transaction nothing is kept, as it may yet roll back.
  if (db.sqlite.inTransaction) return readSegments(db);
  const key = `${String(stmt(db.sqlite, 'PRAGMA data_version').pluck().get())}:${String(stmt(db.sqlite, 'SELECT total_changes()').pluck().get())}`;
  const cached = lastRead.get(db.sqlite);
  if (cached?.key === key) return cached.segments;
  const segments = readSegments(db);
  lastRead.set(db.sqlite, { key, segments });
  return segments;
}

const lastRead = new WeakMap<BusinessDb['sqlite'], { key: string; segments: readonly Segment[] }>();

function readSegments(db: BusinessDb, subscriptionIds?: readonly string[]): Segment[] {
  const plans = new Map((stmt(db.sqlite, 'SELECT id, interval, interval_count FROM plans').all() as (PlanCadence & { id: string })[]).map((p) => [p.id, p]));
  const coupons = new Map(
    (stmt(db.sqlite, 'SELECT id, code, percent_off_ppm, amount_off, duration, duration_months FROM coupons').all() as (CouponRow & { id: string })[]).map((c) => [c.id, c]),
  );
  const monthly = monthlyAmounts();
  // A report page asks for its own subscriptions only (one index lookup each); lead() stays within a subscription either way.
  const only = subscriptionIds ? 'WHERE subscription_id IN (SELECT value FROM json_each(?))' : '';
  const history = stmt(
    db.sqlite,
    `SELECT subscription_id, customer_id, effective_date,
            lead(effective_date) OVER (PARTITION BY subscription_id ORDER BY effective_date, seq),
            status, recurring_amount, plan_id, coupon_id, coupon_applied_on
       FROM subscription_history ${only}`,
  ).raw(true);
  const rows = (subscriptionIds ? history.iterate(JSON.stringify(subscriptionIds)) : history.iterate()) as IterableIterator<HistoryTuple>;
  const segments: Segment[] = [];
  for (const [subscriptionId, customerId, start, next, rawStatus, amount, planId, couponId, appliedOn] of rows) {
    if (next !== null && next <= start) continue;
    if (rawStatus !== 'active' && rawStatus !== 'past_due' && rawStatus !== 'trialing') continue;
    const plan = plans.get(planId);
    if (!plan) continue; // cannot happen: plan_id is a foreign key
    const status: Segment['status'] = rawStatus;
    const full = status === 'trialing' ? 0 : monthly(planId, plan, amount);
    const coupon = couponId === null ? undefined : coupons.get(couponId);
    const discounted = status === 'trialing' || !coupon || !appliedOn ? full : discountedMonthly(coupon, appliedOn, amount, plan);
    const base = { subscriptionId, customerId, status };
    if (coupon?.duration === 'forever') segments.push({ ...base, start, end: next, mrr: discounted });
    else if (coupon?.duration === 'repeating' && appliedOn) {
      // The discount runs on [applied, applied + n months): split the stretch where it ends.
      const expiry = addMonths(appliedOn, coupon.duration_months ?? 0);
      if (start < expiry) segments.push({ ...base, start, end: next !== null && next < expiry ? next : expiry, mrr: discounted });
      if (next === null || next > expiry) segments.push({ ...base, start: start > expiry ? start : expiry, end: next, mrr: full });
    } else segments.push({ ...base, start, end: next, mrr: full });
  }
  return segments;
}

/** normalizedMonthly, remembered per plan and amount (a business has few of each, and many rows). */
function monthlyAmounts() {
  const byPlan = new Map<string, Map<number, number>>();
  return (planId: string, plan: PlanCadence, amount: number): number => {
    let amounts = byPlan.get(planId);
    if (!amounts) byPlan.set(planId, (amounts = new Map()));
    let value = amounts.get(amount);
    if (value === undefined) amounts.set(amount, (value = normalizedMonthly(amount, plan.interval, plan.interval_count)));
    return value;
  };
}

function discountedMonthly(c: CouponRow, appliedOn: string, amount: number, plan: PlanCadence): number {
  const terms = { code: c.code, percentOffPpm: c.percent_off_ppm, amountOff: c.amount_off, duration: c.duration, durationMonths: c.duration_months, appliedOn };
  return normalizedMonthly(amount - discountFor(terms, amount), plan.interval, plan.interval_count);
}

/** Whether a segment is in force at the end of `date`. */
export function covers(s: Segment, date: string): boolean {
  return s.start <= date && (s.end === null || date < s.end);
}
