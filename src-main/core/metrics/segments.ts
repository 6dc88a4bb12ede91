import { addMonths } from '../../../src-shared/domain/periods';
import { discountFor } from '../../../src-shared/domain/invoice-math';
import { normalizedMonthly } from '../../../src-shared/domain/metrics-math';
import type { Interval } from '../../../src-shared/domain/periods';
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

interface HistoryRow {
  subscription_id: string;
  customer_id: string;
  start: string;
  next: string | null;
  status: string;
  recurring_amount: number;
  interval: Interval;
  interval_count: number;
  code: string | null;
  percent_off_ppm: number | null;
  amount_off: number | null;
  duration: 'once' | 'repeating' | 'forever' | null;
  duration_months: number | null;
  coupon_applied_on: string | null;
}

/**
 * Segments of every subscription. Rows sharing a date collapse to the last
 * (an empty stretch); a repeating discount that expires inside a stretch splits it.
 */
export function loadSegments(db: BusinessDb): Segment[] {
  const rows = stmt(
    db.sqlite,
    `SELECT h.subscription_id, h.customer_id, h.effective_date AS start,
            lead(h.effective_date) OVER (PARTITION BY h.subscription_id ORDER BY h.effective_date, h.seq) AS next,
            h.status, h.recurring_amount, p.interval, p.interval_count, c.code, c.percent_off_ppm, c.amount_off, c.duration,
            c.duration_months, h.coupon_applied_on
       FROM subscription_history h JOIN plans p ON p.id = h.plan_id LEFT JOIN coupons c ON c.id = h.coupon_id`,
  ).all() as HistoryRow[];
  const segments: Segment[] = [];
  for (const r of rows) {
    if (r.next !== null && r.next <= r.start) continue;
    if (r.status !== 'active' && r.status !== 'past_due' && r.status !== 'trialing') continue;
    const status = r.status as Segment['status'];
    const base = { subscriptionId: r.subscription_id, customerId: r.customer_id, status };
    const full = status === 'trialing' ? 0 : normalizedMonthly(r.recurring_amount, r.interval, r.interval_count);
    const discounted = (applies: boolean) => {
      if (status === 'trialing' || !applies || !r.duration || !r.coupon_applied_on) return full;
      const terms = { code: r.code ?? '', percentOffPpm: r.percent_off_ppm, amountOff: r.amount_off, duration: r.duration, durationMonths: r.duration_months, appliedOn: r.coupon_applied_on };
      return normalizedMonthly(r.recurring_amount - discountFor(terms, r.recurring_amount), r.interval, r.interval_count);
    };
    if (r.duration === 'forever') segments.push({ ...base, start: r.start, end: r.next, mrr: discounted(true) });
    else if (r.duration === 'repeating' && r.coupon_applied_on) {
      // The discount runs on [applied, applied + n months): split the stretch where it ends.
      const expiry = addMonths(r.coupon_applied_on, r.duration_months ?? 0);
      if (r.start < expiry) segments.push({ ...base, start: r.start, end: r.next !== null && r.next < expiry ? r.next : expiry, mrr: discounted(true) });
      if (r.next === null || r.next > expiry) segments.push({ ...base, start: r.start > expiry ? r.start : expiry, end: r.next, mrr: full });
    } else segments.push({ ...base, start: r.start, end: r.next, mrr: full });
  }
  return segments;
}

/** Whether a segment is in force at the end of `date`. */
export function covers(s: Segment, date: string): boolean {
  return s.start <= date && (s.end === null || date < s.end);
}
