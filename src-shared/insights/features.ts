import { toDayNumber } from '../domain/dates';
import { segmentsFromHistory, type CouponRow, type HistoryRow, type PlanRow, type Segment } from '../domain/metrics';
import { addMonths } from '../domain/periods';
import { countIn, hash32, lowerBound } from './churn-math';

// The churn model's features, per customer as of a day, from the books alone:
// nothing dated after the day is read, so a past as-of date sees what was known then.

/** What the insights read of a business's books (the core loads it with read-only SELECTs). */
export interface InsightBooks {
  currency: string;
  customers: readonly { id: string; name: string; segment: string }[];
  history: readonly HistoryRow[];
  plans: readonly PlanRow[];
  coupons: readonly CouponRow[];
  // The long lists are read once, in one pass (a feeder may stream them: a big book has
  // millions of payment rows, and holding them all at once costs more than reading them).
  /** Declined collection attempts: [customerId, date]. */
  failedPayments: Iterable<readonly [string, string]>;
  /** Payments received: [customerId, date]. */
  payments: Iterable<readonly [string, string]>;
  /** Invoices that were owed: [customerId, dueDate, issueDate, closedOn (paid, void or written off; null: still open)]. */
  invoices: Iterable<readonly [string, string, string, string | null]>;
  /** Notes, calls and emails logged on the customer's timeline: [customerId, date]. */
  notes: Iterable<readonly [string, string]>;
  /** Counter sales to the customer: [customerId, date]. */
  sales: Iterable<readonly [string, string]>;
  /** `segmentsFromHistory(history, plans, coupons)` when the reader has it already (it is read for other insights too). */
  segments?: readonly Segment[];
}

export const FEATURES = [
  'tenure',
  'monthlyPlan',
  'mrr',
  'mrrChange',
  'failedPayments',
  'daysPastDue',
  'pauses',
  'couponEnding',
  'notes',
  'daysSinceLastPayment',
  'salesActivity',
] as const;
export type FeatureName = (typeof FEATURES)[number];

interface Stretch {
  start: number;
  end: number;
  mrr: number;
}

interface SubscriptionRows {
  days: number[];
  statuses: HistoryRow['status'][];
  monthly: boolean[];
  /** The day a repeating coupon's discount ends, per row (NaN: none). */
  couponEnds: number[];
}

/** One customer's books, as sorted day numbers, ready to be asked about any day. */
export interface CustomerTimeline {
  id: string;
  name: string;
  segment: string;
  /** A hash of the id: picks a deterministic sample of customers when there are too many. */
  hash: number;
  /** The first day of the customer's first subscription row (NaN: none). */
  firstDay: number;
  stretches: Stretch[];
  subscriptions: SubscriptionRows[];
  failed: number[];
  paid: number[];
  notes: number[];
  sales: number[];
  /** Owed invoices: due day, issue day, closed day (Infinity: open). */
  invoices: [number, number, number][];
}

const NEVER = Number.POSITIVE_INFINITY;
const SHORT_INTERVALS = new Set(['day', 'week', 'month']);

/** The books made ready for the models: built once, asked by churn and LTV alike. */
export interface InsightLedger {
  currency: string;
  timelines: CustomerTimeline[];
}

export function ledgerOf(books: InsightBooks | InsightLedger): InsightLedger {
  return 'timelines' in books ? books : { currency: books.currency, timelines: buildTimelines(books) };
}

/** Every customer's timeline, in the order of `books.customers`. */
export function buildTimelines(books: InsightBooks): CustomerTimeline[] {
  const byId = new Map<string, CustomerTimeline>();
  const timelines = books.customers.map((c) => {
    const t: CustomerTimeline = { id: c.id, name: c.name, segment: c.segment, hash: hash32(c.id), firstDay: NaN, stretches: [], subscriptions: [], failed: [], paid: [], notes: [], sales: [], invoices: [] };
    byId.set(c.id, t);
    return t;
  });
  const day = dayCache();
  for (const s of books.segments ?? segmentsFromHistory(books.history, books.plans, books.coupons)) {
    const t = byId.get(s.customerId);
    if (t && s.mrr > 0) t.stretches.push({ start: day(s.start), end: s.end === null ? NEVER : day(s.end), mrr: s.mrr });
  }
  const planMonthly = new Map(books.plans.map((p) => [p.id, SHORT_INTERVALS.has(p.interval)]));
  const couponMonths = new Map(books.coupons.filter((c) => c.duration === 'repeating').map((c) => [c.id, c.duration_months ?? 0]));
  const rows = [...books.history].sort((a, b) => (a.subscription_id < b.subscription_id ? -1 : a.subscription_id > b.subscription_id ? 1 : a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : a.seq - b.seq));
  let current: SubscriptionRows | null = null;
  let currentId = '';
  for (const r of rows) {
    const t = byId.get(r.customer_id);
    if (!t) continue;
    if (r.subscription_id !== currentId || !current) {
      currentId = r.subscription_id;
      current = { days: [], statuses: [], monthly: [], couponEnds: [] };
      t.subscriptions.push(current);
    }
    const d = day(r.effective_date);
    if (!(t.firstDay <= d)) t.firstDay = d;
    const months = r.coupon_id !== null && r.coupon_applied_on ? couponMonths.get(r.coupon_id) : undefined;
    current.days.push(d);
    current.statuses.push(r.status);
    current.monthly.push(planMonthly.get(r.plan_id) ?? true);
    current.couponEnds.push(months !== undefined && r.coupon_applied_on ? day(addMonths(r.coupon_applied_on, months)) : NaN);
  }
  const collect = (list: Iterable<readonly [string, string]>, pick: (t: CustomerTimeline) => number[]) => {
    for (const [id, on] of list) {
      const t = byId.get(id);
      if (t) pick(t).push(day(on));
    }
  };
  collect(books.failedPayments, (t) => t.failed);
  collect(books.payments, (t) => t.paid);
  collect(books.notes, (t) => t.notes);
  collect(books.sales, (t) => t.sales);
  for (const [id, due, issued, closed] of books.invoices) {
    byId.get(id)?.invoices.push([day(due), day(issued), closed === null ? NEVER : day(closed)]);
  }
  const ascending = (a: number, b: number) => a - b;
  for (const t of timelines) {
    t.failed.sort(ascending);
    t.paid.sort(ascending);
    t.notes.sort(ascending);
    t.sales.sort(ascending);
    t.invoices.sort(byIssue);
  }
  return timelines;
}

/** Invoices in a fixed order (issue day, due day, closed day), whichever order they were read in. */
export function byIssue(x: readonly [number, number, number], y: readonly [number, number, number]): number {
  if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  return x[2] === y[2] ? 0 : x[2] < y[2] ? -1 : 1;
}

/** The customer's MRR at the end of a day: the stretches in force then. */
export function mrrAt(t: CustomerTimeline, d: number): number {
  let mrr = 0;
  for (const s of t.stretches) if (s.start <= d && d < s.end) mrr += s.mrr;
  return mrr;
}

/** The row of a subscription in force at the end of a day (-1: none yet). */
function rowAt(s: SubscriptionRows, d: number): number {
  return lowerBound(s.days, d + 1) - 1;
}

/** Whether the customer had canceled everything by the end of `d` (nothing active, trialing, past due or paused). */
export function goneAt(t: CustomerTimeline, d: number): boolean {
  for (const s of t.subscriptions) {
    const i = rowAt(s, d);
    if (i >= 0 && s.statuses[i] !== 'canceled') return false;
  }
  return true;
}

/** The raw values behind the features, for the explanations. */
export interface FeatureFacts {
  tenureDays: number;
  monthlyPlan: boolean;
  mrr: number;
  mrr90DaysBefore: number;
  failedPayments60: number;
  daysPastDue: number;
  pauses365: number;
  couponEndsInDays: number | null;
  notes90: number;
  daysSinceLastPayment: number | null;
  sales90: number;
}

/** The facts of a paying customer at the end of day `d` (null when not paying then). */
export function factsAt(t: CustomerTimeline, d: number): FeatureFacts | null {
  const mrr = mrrAt(t, d);
  if (mrr <= 0) return null;
  let monthly = false;
  let pauses = 0;
  let couponEnd = NEVER;
  for (const s of t.subscriptions) {
    const i = rowAt(s, d);
    if (i < 0) continue;
    const status = s.statuses[i]!;
    if ((status === 'active' || status === 'past_due') && s.monthly[i]) monthly = true;
    const ends = s.couponEnds[i]!;
    if (status !== 'canceled' && ends > d && ends < couponEnd) couponEnd = ends;
    for (let k = i; k >= 0 && s.days[k]! > d - 365; k--) {
      if (s.statuses[k] === 'paused' && (k === 0 || s.statuses[k - 1] !== 'paused')) pauses++;
    }
  }
  let oldestDue = NEVER;
  for (const [due, issued, closed] of t.invoices) if (issued <= d && closed > d && due < oldestDue) oldestDue = due;
  const lastPaid = lowerBound(t.paid, d + 1) - 1;
  return {
    tenureDays: Math.max(0, d - t.firstDay),
    monthlyPlan: monthly,
    mrr,
    mrr90DaysBefore: mrrAt(t, d - 90),
    failedPayments60: countIn(t.failed, d - 60, d),
    daysPastDue: oldestDue < d ? d - oldestDue : 0,
    pauses365: pauses,
    couponEndsInDays: couponEnd - d <= 60 ? couponEnd - d : null,
    notes90: countIn(t.notes, d - 90, d),
    daysSinceLastPayment: lastPaid >= 0 ? d - t.paid[lastPaid]! : null,
    sales90: countIn(t.sales, d - 90, d),
  };
}

/** The model's inputs from the facts, in the order of FEATURES (logs and caps keep a few extreme customers from steering the fit). */
export function featureVector(f: FeatureFacts): number[] {
  const before = f.mrr90DaysBefore;
  return [
    Math.log1p(f.tenureDays / 30.44),
    f.monthlyPlan ? 1 : 0,
    Math.log1p(f.mrr / 100),
    before > 0 ? (f.mrr - before) / Math.max(f.mrr, before) : 0,
    Math.min(f.failedPayments60, 6),
    Math.min(f.daysPastDue, 120),
    Math.min(f.pauses365, 4),
    f.couponEndsInDays === null ? 0 : 1,
    Math.log1p(f.notes90),
    Math.min(f.daysSinceLastPayment ?? Math.min(f.tenureDays, 365), 365),
    Math.log1p(f.sales90),
  ];
}

/** Day numbers for dates, remembered (a business has far fewer distinct dates than rows). */
function dayCache(): (date: string) => number {
  const days = new Map<string, number>();
  return (date) => {
    let d = days.get(date);
    if (d === undefined) days.set(date, (d = toDayNumber(date.slice(0, 10))));
    return d;
  };
}

export { NEVER };
