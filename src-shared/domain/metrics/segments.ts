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
  for (const rows of bySubscription(history)) {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const start = row.effective_date;
      const next = i + 1 < rows.length ? rows[i + 1]!.effective_date : null;
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
      const base = { subscriptionId: row.subscription_id, customerId: row.customer_id, status };
      if (coupon?.duration === 'forever') segments.push({ ...base, start, end: next, mrr: discounted });
      else if (coupon?.duration === 'repeating' && appliedOn) {
        // The discount runs on [applied, applied + n months): split the stretch where it ends.
        const expiry = addMonths(appliedOn, coupon.duration_months ?? 0);
        if (start < expiry) segments.push({ ...base, start, end: next !== null && next < expiry ? next : expiry, mrr: discounted });
        if (next === null || next > expiry) segments.push({ ...base, start: start > expiry ? start : expiry, end: next, mrr: full });
      } else segments.push({ ...base, start, end: next, mrr: full });
    }
  }
  return segments;
}

/** Whether a segment is in force at the end of `date`. */
export function covers(s: Segment, date: string): boolean {
  return s.start <= date && (s.end === null || date < s.end);
}

/** Each subscription's rows in (effective_date, seq) order, subscriptions in the order they first appear. */
function bySubscription(history: Iterable<HistoryRow>): HistoryRow[][] {
  const groups = new Map<string, HistoryRow[]>();
  for (const row of history) {
    const list = groups.get(row.subscription_id);
    if (list) list.push(row);
    else groups.set(row.subscription_id, [row]);
  }
  const out: HistoryRow[][] = [];
  for (const rows of groups.values()) {
    if (rows.length > 1) rows.sort(inHistoryOrder);
    out.push(rows);
  }
  return out;
}

function inHistoryOrder(a: HistoryRow, b: HistoryRow): number {
  return a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : a.seq - b.seq;
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
