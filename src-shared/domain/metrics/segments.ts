import { discountFor } from '../invoice-math';
import { normalizedMonthly } from '../metrics-math';
import { addMonths } from '../periods';
import type { CouponRow, HistoryRow, PlanRow } from './rows';

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

/**
 * The segments of the subscriptions whose history rows are given (all rows of
 * each, in any order). Each row holds until the subscription's next row (by
 * effective_date, then seq); rows sharing a date collapse to the last (an
 * empty stretch); paused and canceled stretches contribute nothing; a trial
 * contributes 0; a `forever` coupon, or a `repeating` one while it runs,
 * discounts the amount before it is normalized (rounded once), and a
 * repeating discount that expires inside a stretch splits it.
 */
export function segmentsFromHistory(history: Iterable<HistoryRow>, plans: Iterable<PlanRow>, coupons: Iterable<CouponRow>): Segment[] {
  const planById = new Map<string, PlanRow>();
  for (const p of plans) planById.set(p.id, p);
  const couponById = new Map<string, CouponRow>();
  for (const c of coupons) couponById.set(c.id, c);
  const monthly = monthlyAmounts();
  const segments: Segment[] = [];
  const rows = inHistoryOrder(history);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const start = row.effective_date;
    const after = rows[i + 1];
    const next = after !== undefined && after.subscription_id === row.subscription_id ? after.effective_date : null;
    if (next !== null && next <= start) continue;
    const status = row.status;
    if (status !== 'active' && status !== 'past_due' && status !== 'trialing') continue;
    const plan = planById.get(row.plan_id);
    if (!plan) throw new Error(`subscription_history: plan ${row.plan_id} of subscription ${row.subscription_id} is not among the plans given`);
    const amount = row.recurring_amount;
    const full = status === 'trialing' ? 0 : monthly(plan, amount);
    const appliedOn = row.coupon_applied_on;
    let coupon: CouponRow | undefined;
    if (row.coupon_id !== null) {
      coupon = couponById.get(row.coupon_id);
      if (!coupon) throw new Error(`subscription_history: coupon ${row.coupon_id} of subscription ${row.subscription_id} is not among the coupons given`);
    }
    const discounted = status === 'trialing' || !coupon || !appliedOn ? full : discountedMonthly(coupon, appliedOn, amount, plan);
    const push = (from: string, to: string | null, mrr: number) =>
      segments.push({ subscriptionId: row.subscription_id, customerId: row.customer_id, start: from, end: to, mrr, status });
    if (coupon?.duration === 'forever') push(start, next, discounted);
    else if (coupon?.duration === 'repeating' && appliedOn) {
      // The discount runs on [applied, applied + n months): split the stretch where it ends.
      const expiry = addMonths(appliedOn, coupon.duration_months ?? 0);
      if (start < expiry) push(start, next !== null && next < expiry ? next : expiry, discounted);
      if (next === null || next > expiry) push(start > expiry ? start : expiry, next, full);
    } else push(start, next, full);
  }
  return segments;
}

/** Whether a segment is in force at the end of `date`. */
export function covers(s: Segment, date: string): boolean {
  return s.start <= date && (s.end === null || date < s.end);
}

/**
 * The rows in (subscription_id, effective_date, seq) order: as given when
 * they already are (a feeder can have its database sort them, which is
 * cheaper than sorting objects here), else a sorted copy.
 */
function inHistoryOrder(history: Iterable<HistoryRow>): readonly HistoryRow[] {
  const rows = Array.isArray(history) ? (history as readonly HistoryRow[]) : [...history];
  for (let i = 1; i < rows.length; i++) if (compareHistory(rows[i - 1]!, rows[i]!) > 0) return [...rows].sort(compareHistory);
  return rows;
}

function compareHistory(a: HistoryRow, b: HistoryRow): number {
  if (a.subscription_id !== b.subscription_id) return a.subscription_id < b.subscription_id ? -1 : 1;
  if (a.effective_date !== b.effective_date) return a.effective_date < b.effective_date ? -1 : 1;
  return a.seq - b.seq;
}

/** normalizedMonthly, remembered per plan and amount (a business has few of each, and many rows). */
function monthlyAmounts() {
  const byPlan = new Map<PlanRow, Map<number, number>>();
  return (plan: PlanRow, amount: number): number => {
    let amounts = byPlan.get(plan);
    if (!amounts) byPlan.set(plan, (amounts = new Map()));
    let value = amounts.get(amount);
    if (value === undefined) amounts.set(amount, (value = normalizedMonthly(amount, plan.interval, plan.interval_count)));
    return value;
  };
}

function discountedMonthly(c: CouponRow, appliedOn: string, amount: number, plan: PlanRow): number {
  const terms = { code: c.code, percentOffPpm: c.percent_off_ppm, amountOff: c.amount_off, duration: c.duration, durationMonths: c.duration_months, appliedOn };
  return normalizedMonthly(amount - discountFor(terms, amount), plan.interval, plan.interval_count);
}
