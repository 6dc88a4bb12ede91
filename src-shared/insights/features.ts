import { toDayNumber } from '../domain/dates';
import { segmentsFromHistory, type CouponRow, type HistoryRow, type PlanRow, type Segment } from '../domain/metrics';
import { addMonths } from '../domain/periods';
import { hash32 } from './churn-math';

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

/**
 * One customer's books as sorted day numbers, ready to be asked about any day. The numbers are not in the object:
 * it points into a ledger's typed arrays (columnar, one object per customer instead of about twenty), read through
 * `mrrAt`, `goneAt` and `factsAt`. Two runs of numbers, each section its count first:
 * - `nums` from `stretchesAt`: [count, (start, end, mrr) × count]; from `subscriptionsAt`: [count, then per
 *   subscription: rows, days × rows, statuses × rows (STATUSES' index), monthly × rows (0|1), couponEnds × rows
 *   (the day a repeating coupon's discount ends; NaN: none)];
 * - `lists` from `failedAt`, `paidAt`, `notesAt`, `salesAt` (each [count, days ascending]) and `invoicesAt`
 *   ([count, (due, issue, closed (Infinity: open)) × count]).
 * The snapshot (core/insights/snapshot.ts) holds the same numbers: its blobs are the arrays, not decoded.
 */
/**
 * The arrays a timeline points into: float64 as built from the books; a snapshot's bucket read back is float32 when
 * every number of it is exactly one (snapshot.ts), viewed in place (widening 100,000 customers' numbers to float64
 * touched 40 MB of new memory: 0.1-0.2 s). Either way the same numbers.
 */
export type TimelineNumbers = Float64Array | Float32Array;

export interface CustomerTimeline {
  readonly id: string;
  readonly name: string;
  readonly segment: string;
  /** A hash of the id: picks a deterministic sample of customers when there are too many. */
  readonly hash: number;
  /** The first day of the customer's first subscription row (NaN: none). */
  readonly firstDay: number;
  readonly nums: TimelineNumbers;
  readonly stretchesAt: number;
  readonly subscriptionsAt: number;
  readonly lists: TimelineNumbers;
  readonly failedAt: number;
  readonly paidAt: number;
  readonly notesAt: number;
  readonly salesAt: number;
  readonly invoicesAt: number;
}

const NEVER = Number.POSITIVE_INFINITY;
const SHORT_INTERVALS = new Set(['day', 'week', 'month']);

/** Subscription statuses as the numbers a timeline holds (their index). */
export const STATUSES: readonly HistoryRow['status'][] = ['trialing', 'active', 'past_due', 'paused', 'canceled'];
const ACTIVE = 1;
const PAST_DUE = 2;
const PAUSED = 3;
const CANCELED = 4;
const STATUS_CODE = new Map(STATUSES.map((s, i) => [s, i]));

/** The books made ready for the models: built once, asked by churn and LTV alike. */
export interface InsightLedger {
  currency: string;
  timelines: CustomerTimeline[];
}

export function ledgerOf(books: InsightBooks | InsightLedger): InsightLedger {
  return 'timelines' in books ? books : { currency: books.currency, timelines: buildTimelines(books) };
}

/** A timeline over its numbers: the lists' sections found from `failedAt` (each follows the one before). */
export function timelineOf(id: string, name: string, segment: string, firstDay: number, nums: TimelineNumbers, stretchesAt: number, subscriptionsAt: number, lists: TimelineNumbers, failedAt: number, hash = hash32(id)): CustomerTimeline {
  const paidAt = failedAt + 1 + lists[failedAt]!;
  const notesAt = paidAt + 1 + lists[paidAt]!;
  const salesAt = notesAt + 1 + lists[notesAt]!;
  const invoicesAt = salesAt + 1 + lists[salesAt]!;
  return new Timeline(id, name, segment, hash, firstDay, nums, stretchesAt, subscriptionsAt, lists, failedAt, paidAt, notesAt, salesAt, invoicesAt);
}

/**
 * A timeline's object. Its first day and hash start as doubles (NaN): a first day may be NaN and a hash above 2^31, so
 * built from integers first, every object of the shape would be migrated when the first NaN came (seconds at 100,000).
 */
class Timeline implements CustomerTimeline {
  readonly hash: number = NaN;
  readonly firstDay: number = NaN;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly segment: string,
    hash: number,
    firstDay: number,
    readonly nums: TimelineNumbers,
    readonly stretchesAt: number,
    readonly subscriptionsAt: number,
    readonly lists: TimelineNumbers,
    readonly failedAt: number,
    readonly paidAt: number,
    readonly notesAt: number,
    readonly salesAt: number,
    readonly invoicesAt: number,
  ) {
    this.hash = hash;
    this.firstDay = firstDay;
  }
}

/** Where a timeline's subscriptions end in `nums` (one past the last number). */
export function subscriptionsEnd(t: CustomerTimeline): number {
  const n = t.nums;
  let p = t.subscriptionsAt + 1;
  for (let k = n[t.subscriptionsAt]!; k > 0; k--) p += 1 + 4 * n[p]!;
  return p;
}

/** Where a timeline's lists end in `lists` (one past the last invoice). */
export function listsEnd(t: CustomerTimeline): number {
  return t.invoicesAt + 1 + 3 * t.lists[t.invoicesAt]!;
}

/** How many stretches of paying (MRR above 0) the customer has. */
export function stretchCount(t: CustomerTimeline): number {
  return t.nums[t.stretchesAt]!;
}

/** Numbers written one after another into a typed array that grows. */
export class NumberRun {
  array: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.array = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.array.length) this.grow(1);
    this.array[this.length++] = x;
  }
  /** Room for `k` more numbers. */
  reserve(k: number): void {
    if (this.length + k > this.array.length) this.grow(k);
  }
  private grow(k: number): void {
    const next = new Float64Array(Math.max(this.array.length * 2, this.length + k));
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }
  /** The numbers written, in an array of their own size (the run's is let go). */
  done(): Float64Array {
    return this.length === this.array.length ? this.array : this.array.slice(0, this.length);
  }
}

/**
 * The stretches and subscriptions of the customers (by index in `customers`), written into one run of numbers:
 * each customer's sections' offsets and first day. No object per customer, stretch or row.
 */
export function historyNumbers(
  customers: readonly { id: string }[],
  history: readonly HistoryRow[],
  plans: readonly PlanRow[],
  coupons: readonly CouponRow[],
  segments: readonly Segment[],
): { nums: Float64Array; stretchesAt: Int32Array; subscriptionsAt: Int32Array; firstDay: Float64Array } {
  const count = customers.length;
  const indexOf = new Map<string, number>();
  customers.forEach((c, i) => indexOf.set(c.id, i));
  const day = dayCache();
  // Stretches grouped by customer (stable: the segments' order).
  const segOwner = new Int32Array(segments.length).fill(-1);
  const stretchCounts = new Int32Array(count + 1);
  segments.forEach((s, k) => {
    const i = indexOf.get(s.customerId);
    if (i === undefined || !(s.mrr > 0)) return;
    segOwner[k] = i;
    stretchCounts[i + 1]!++;
  });
  // Subscription rows sorted by subscription, date and seq; each subscription's rows are a run of them.
  const planMonthly = new Map(plans.map((p) => [p.id, SHORT_INTERVALS.has(p.interval)]));
  const couponMonths = new Map(coupons.filter((c) => c.duration === 'repeating').map((c) => [c.id, c.duration_months ?? 0]));
  const rows = [...history].sort((a, b) => (a.subscription_id < b.subscription_id ? -1 : a.subscription_id > b.subscription_id ? 1 : a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : a.seq - b.seq));
  const firstDay = new Float64Array(count).fill(NaN);
  const rowDay = new Float64Array(rows.length);
  const rowOwner = new Int32Array(rows.length).fill(-1);
  const subStart: number[] = [];
  const subOwner: number[] = [];
  const subCounts = new Int32Array(count + 1);
  let currentId = '';
  let open = false;
  rows.forEach((r, k) => {
    const i = indexOf.get(r.customer_id);
    if (i === undefined) return;
    if (r.subscription_id !== currentId || !open) {
      currentId = r.subscription_id;
      open = true;
      subStart.push(k);
      subOwner.push(i);
      subCounts[i + 1]!++;
    }
    const d = day(r.effective_date);
    rowDay[k] = d;
    rowOwner[k] = i;
    if (!(firstDay[i]! <= d)) firstDay[i] = d;
  });
  // A subscription's rows: from its start while the rows are of the same subscription and customer (skipped rows are not).
  const subEnd = (s: number) => {
    const start = subStart[s]!;
    const id = rows[start]!.subscription_id;
    let e = start + 1;
    while (e < rows.length && rowOwner[e] !== -1 && rows[e]!.subscription_id === id && (s + 1 >= subStart.length || e < subStart[s + 1]!)) e++;
    return e;
  };
  for (let i = 0; i < count; i++) {
    stretchCounts[i + 1]! += stretchCounts[i]!;
    subCounts[i + 1]! += subCounts[i]!;
  }
  const stretchOrder = new Int32Array(stretchCounts[count]!);
  const fillS = stretchCounts.slice(0, count);
  for (let k = 0; k < segments.length; k++) if (segOwner[k]! >= 0) stretchOrder[fillS[segOwner[k]!]!++] = k;
  const subOrder = new Int32Array(subCounts[count]!);
  const fillU = subCounts.slice(0, count);
  for (let s = 0; s < subOwner.length; s++) subOrder[fillU[subOwner[s]!]!++] = s;
  const out = new NumberRun(2 * count + 3 * stretchOrder.length + subOrder.length + 4 * rows.length + 16);
  const stretchesAt = new Int32Array(count);
  const subscriptionsAt = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    stretchesAt[i] = out.length;
    const s0 = stretchCounts[i]!;
    const s1 = stretchCounts[i + 1]!;
    out.reserve(1 + 3 * (s1 - s0));
    out.push(s1 - s0);
    for (let k = s0; k < s1; k++) {
      const s = segments[stretchOrder[k]!]!;
      out.push(day(s.start));
      out.push(s.end === null ? NEVER : day(s.end));
      out.push(s.mrr);
    }
    subscriptionsAt[i] = out.length;
    const u0 = subCounts[i]!;
    const u1 = subCounts[i + 1]!;
    out.push(u1 - u0);
    for (let k = u0; k < u1; k++) {
      const s = subOrder[k]!;
      const from = subStart[s]!;
      const to = subEnd(s);
      const n = to - from;
      out.reserve(1 + 4 * n);
      out.push(n);
      for (let r = from; r < to; r++) out.push(rowDay[r]!);
      for (let r = from; r < to; r++) out.push(STATUS_CODE.get(rows[r]!.status)!);
      for (let r = from; r < to; r++) out.push((planMonthly.get(rows[r]!.plan_id) ?? true) ? 1 : 0);
      for (let r = from; r < to; r++) {
        const row = rows[r]!;
        const months = row.coupon_id !== null && row.coupon_applied_on ? couponMonths.get(row.coupon_id) : undefined;
        out.push(months !== undefined && row.coupon_applied_on ? day(addMonths(row.coupon_applied_on, months)) : NaN);
      }
    }
  }
  return { nums: out.done(), stretchesAt, subscriptionsAt, firstDay };
}

/** Every customer's timeline, in the order of `books.customers`. */
export function buildTimelines(books: InsightBooks): CustomerTimeline[] {
  const { customers } = books;
  const history = historyNumbers(customers, books.history, books.plans, books.coupons, books.segments ?? segmentsFromHistory(books.history, books.plans, books.coupons));
  const indexOf = new Map<string, number>();
  customers.forEach((c, i) => indexOf.set(c.id, i));
  const day = dayCache();
  // The long lists arrive by kind, not by customer: gathered per customer, then written in one run.
  const gathered: { failed: number[]; paid: number[]; notes: number[]; sales: number[]; invoices: [number, number, number][] }[] = customers.map(() => ({ failed: [], paid: [], notes: [], sales: [], invoices: [] }));
  const collect = (list: Iterable<readonly [string, string]>, kind: 'failed' | 'paid' | 'notes' | 'sales') => {
    for (const [id, on] of list) {
      const i = indexOf.get(id);
      if (i !== undefined) gathered[i]![kind].push(day(on));
    }
  };
  collect(books.failedPayments, 'failed');
  collect(books.payments, 'paid');
  collect(books.notes, 'notes');
  collect(books.sales, 'sales');
  for (const [id, due, issued, closed] of books.invoices) {
    const i = indexOf.get(id);
    if (i !== undefined) gathered[i]!.invoices.push([day(due), day(issued), closed === null ? NEVER : day(closed)]);
  }
  const ascending = (a: number, b: number) => a - b;
  const lists = new NumberRun();
  const failedAt = new Int32Array(customers.length);
  gathered.forEach((g, i) => {
    failedAt[i] = lists.length;
    for (const list of [g.failed, g.paid, g.notes, g.sales]) {
      list.sort(ascending);
      lists.push(list.length);
      for (const d of list) lists.push(d);
    }
    g.invoices.sort(byIssue);
    lists.push(g.invoices.length);
    for (const [due, issue, closed] of g.invoices) {
      lists.push(due);
      lists.push(issue);
      lists.push(closed);
    }
  });
  const listNums = lists.done();
  return customers.map((c, i) => timelineOf(c.id, c.name, c.segment, history.firstDay[i]!, history.nums, history.stretchesAt[i]!, history.subscriptionsAt[i]!, listNums, failedAt[i]!));
}

/** Invoices in a fixed order (issue day, due day, closed day), whichever order they were read in. */
export function byIssue(x: readonly [number, number, number], y: readonly [number, number, number]): number {
  if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  return x[2] === y[2] ? 0 : x[2] < y[2] ? -1 : 1;
}

/** The index (from `from`) of the first of `n[from .. from + count)` (ascending) that is >= value. */
function lowerIn(n: TimelineNumbers, from: number, count: number, value: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (n[from + mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many days of the list at `at` (its count first) lie in (from, to]. */
function countInList(n: TimelineNumbers, at: number, from: number, to: number): number {
  const count = n[at]!;
  return lowerIn(n, at + 1, count, to + 1) - lowerIn(n, at + 1, count, from + 1);
}

/** The customer's MRR at the end of a day: the stretches in force then. */
export function mrrAt(t: CustomerTimeline, d: number): number {
  const n = t.nums;
  let mrr = 0;
  for (let i = t.stretchesAt + 1, end = i + 3 * n[t.stretchesAt]!; i < end; i += 3) if (n[i]! <= d && d < n[i + 1]!) mrr += n[i + 2]!;
  return mrr;
}

/** Whether the customer paid (MRR above 0) at the end of some day from `from` to `to`: a stretch in force then. */
export function payingBetween(t: CustomerTimeline, from: number, to: number): boolean {
  const n = t.nums;
  for (let i = t.stretchesAt + 1, end = i + 3 * n[t.stretchesAt]!; i < end; i += 3) if (n[i]! <= to && n[i + 1]! > from) return true;
  return false;
}

/** Whether the customer had canceled everything by the end of `d` (nothing active, trialing, past due or paused). */
export function goneAt(t: CustomerTimeline, d: number): boolean {
  const n = t.nums;
  let p = t.subscriptionsAt + 1;
  for (let k = n[t.subscriptionsAt]!; k > 0; k--) {
    const rows = n[p]!;
    // The row in force at the end of the day (-1: none yet).
    const i = lowerIn(n, p + 1, rows, d + 1) - 1;
    if (i >= 0 && n[p + 1 + rows + i] !== CANCELED) return false;
    p += 1 + 4 * rows;
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
  const n = t.nums;
  let monthly = false;
  let pauses = 0;
  let couponEnd = NEVER;
  let p = t.subscriptionsAt + 1;
  for (let k = n[t.subscriptionsAt]!; k > 0; k--) {
    const rows = n[p]!;
    const days = p + 1;
    const statuses = days + rows;
    const monthlies = statuses + rows;
    const ends = monthlies + rows;
    p += 1 + 4 * rows;
    const i = lowerIn(n, days, rows, d + 1) - 1;
    if (i < 0) continue;
    const status = n[statuses + i]!;
    if ((status === ACTIVE || status === PAST_DUE) && n[monthlies + i] === 1) monthly = true;
    const end = n[ends + i]!;
    if (status !== CANCELED && end > d && end < couponEnd) couponEnd = end;
    for (let j = i; j >= 0 && n[days + j]! > d - 365; j--) {
      if (n[statuses + j] === PAUSED && (j === 0 || n[statuses + j - 1] !== PAUSED)) pauses++;
    }
  }
  const l = t.lists;
  let oldestDue = NEVER;
  for (let i = t.invoicesAt + 1, end = i + 3 * l[t.invoicesAt]!; i < end; i += 3) {
    const due = l[i]!;
    if (l[i + 1]! <= d && l[i + 2]! > d && due < oldestDue) oldestDue = due;
  }
  const lastPaid = lowerIn(l, t.paidAt + 1, l[t.paidAt]!, d + 1) - 1;
  return {
    tenureDays: Math.max(0, d - t.firstDay),
    monthlyPlan: monthly,
    mrr,
    mrr90DaysBefore: mrrAt(t, d - 90),
    failedPayments60: countInList(l, t.failedAt, d - 60, d),
    daysPastDue: oldestDue < d ? d - oldestDue : 0,
    pauses365: pauses,
    couponEndsInDays: couponEnd - d <= 60 ? couponEnd - d : null,
    notes90: countInList(l, t.notesAt, d - 90, d),
    daysSinceLastPayment: lastPaid >= 0 ? d - l[t.paidAt + 1 + lastPaid]! : null,
    sales90: countInList(l, t.salesAt, d - 90, d),
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

/** A timeline's numbers as plain lists (what it holds, whatever the arrays it points into): for tests and checks. */
export function timelineContent(t: CustomerTimeline) {
  const n = t.nums;
  const l = t.lists;
  const run = (a: TimelineNumbers, from: number, count: number) => Array.from(a.subarray(from, from + count));
  const stretches: { start: number; end: number; mrr: number }[] = [];
  for (let i = t.stretchesAt + 1, end = i + 3 * n[t.stretchesAt]!; i < end; i += 3) stretches.push({ start: n[i]!, end: n[i + 1]!, mrr: n[i + 2]! });
  const subscriptions: { days: number[]; statuses: HistoryRow['status'][]; monthly: boolean[]; couponEnds: number[] }[] = [];
  let p = t.subscriptionsAt + 1;
  for (let k = n[t.subscriptionsAt]!; k > 0; k--) {
    const rows = n[p]!;
    subscriptions.push({
      days: run(n, p + 1, rows),
      statuses: run(n, p + 1 + rows, rows).map((s) => STATUSES[s]!),
      monthly: run(n, p + 1 + 2 * rows, rows).map((m) => m === 1),
      couponEnds: run(n, p + 1 + 3 * rows, rows),
    });
    p += 1 + 4 * rows;
  }
  const invoices: [number, number, number][] = [];
  for (let i = t.invoicesAt + 1, end = i + 3 * l[t.invoicesAt]!; i < end; i += 3) invoices.push([l[i]!, l[i + 1]!, l[i + 2]!]);
  return {
    id: t.id,
    name: t.name,
    segment: t.segment,
    hash: t.hash,
    firstDay: t.firstDay,
    stretches,
    subscriptions,
    failed: run(l, t.failedAt + 1, l[t.failedAt]!),
    paid: run(l, t.paidAt + 1, l[t.paidAt]!),
    notes: run(l, t.notesAt + 1, l[t.notesAt]!),
    sales: run(l, t.salesAt + 1, l[t.salesAt]!),
    invoices,
  };
}

/** A ledger's content as plain lists (`timelineContent` of each): two ledgers are the same when these are equal. */
export function ledgerContent(ledger: InsightLedger) {
  return { currency: ledger.currency, timelines: ledger.timelines.map(timelineContent) };
}
