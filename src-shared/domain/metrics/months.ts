import { addDays, daysInMonth } from '../dates';
import { addMonths } from '../periods';
import { covers, type Segment } from './segments';

// MRR at a date and a month's movements (spec 8), from segments.

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

/** The last `count` months ending with the as-of month. */
export function monthsEnding(asOf: string, count: number): string[] {
  const first = addMonths(`${asOf.slice(0, 7)}-01`, -(count - 1));
  return Array.from({ length: count }, (_, i) => addMonths(first, i).slice(0, 7));
}

export interface CustomerMovement {
  customerId: string;
  kind: MovementKind;
  start: number;
  end: number;
  amount: number;
}

/** A month's MRR figures (spec 8), as the summary and the dashboard's series show them. */
export interface MonthFigures {
  bounds: MonthBounds;
  mrrAtStart: number;
  mrrAtEnd: number;
  movements: Movements;
  /** Customers with MRR > 0 at the start: the churn rate's denominator. */
  payingAtStart: number;
  /** Customers whose movement is churn: its numerator. */
  churned: number;
  /** Distinct customers with a contributing (active or past_due) subscription at the end. */
  activeAtEnd: number;
  /** Distinct customers with a subscription in its trial at the end. */
  trialingAtEnd: number;
}

/** Spec 8's classification from MRR at a month's start and end. */
export function movementKind(start: number, end: number, hadMrrBefore: boolean): MovementKind | null {
  if (start === 0 && end > 0) return hadMrrBefore ? 'reactivation' : 'new';
  if (start > 0 && end === 0) return 'churn';
  if (end > start && start > 0) return 'expansion';
  if (start > end && end > 0) return 'contraction';
  return null;
}

/** The amount of a movement: what churned, what came, or the change. */
export function movementAmount(kind: MovementKind, start: number, end: number): number {
  return kind === 'churn' ? start : kind === 'new' || kind === 'reactivation' ? end : Math.abs(end - start);
}

/** net = new + reactivation + expansion - contraction - churn. */
export function withNet(m: Movements): Movements {
  m.net = m.new + m.reactivation + m.expansion - m.contraction - m.churn;
  return m;
}

export function noMovements(): Movements {
  return { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
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
    const kind = movementKind(start, end, hadMrr.has(customerId));
    if (kind) out.push({ customerId, kind, start, end, amount: movementAmount(kind, start, end) });
  }
  return out;
}

export function totalMovements(list: readonly CustomerMovement[]): Movements {
  const m = noMovements();
  for (const x of list) m[x.kind] += x.amount;
  return withNet(m);
}

/**
 * The figures of many months in one pass over the segments. Asking
 * mrrByCustomer and customerMovements month by month walks every segment
 * three times per month (36 walks for a year); here the segments are grouped
 * by customer once, each customer's MRR is read at every month boundary from
 * a small vector, and the months are classified from it. Same rules, same
 * numbers (tests/unit/metrics/month-figures.test.ts compares them).
 */
export function monthFigures(
  segments: readonly Segment[],
  months: readonly MonthBounds[],
  onMovement?: (monthIndex: number, movement: CustomerMovement) => void,
): MonthFigures[] {
  const dates = [...new Set(months.flatMap((m) => [m.startDate, m.endDate]))].sort();
  const startAt = months.map((m) => dates.indexOf(m.startDate));
  const endAt = months.map((m) => dates.indexOf(m.endDate));
  const figures: MonthFigures[] = months.map((bounds) => ({
    bounds,
    mrrAtStart: 0,
    mrrAtEnd: 0,
    movements: noMovements(),
    payingAtStart: 0,
    churned: 0,
    activeAtEnd: 0,
    trialingAtEnd: 0,
  }));
  // One vector per customer, reused: MRR at each date, and whether a paying or a trial segment covers it.
  const mrr = new Array<number>(dates.length);
  const contributes = new Uint8Array(dates.length);
  const trialing = new Uint8Array(dates.length);

  for (const [customerId, own] of byCustomer(segments)) {
    mrr.fill(0);
    contributes.fill(0);
    trialing.fill(0);
    // The first day a paying stretch began: before a month's start, a comeback is a reactivation, not new.
    let firstPaid: string | null = null;
    for (const s of own) {
      const isTrial = s.status === 'trialing';
      if (!isTrial && s.mrr > 0 && (firstPaid === null || s.start < firstPaid)) firstPaid = s.start;
      // covers(s, d): start <= d < end.
      for (let j = firstDateFrom(dates, s.start); j < dates.length && (s.end === null || dates[j]! < s.end); j++) {
        if (isTrial) trialing[j] = 1;
        else {
          mrr[j]! += s.mrr;
          contributes[j] = 1;
        }
      }
    }
    for (let i = 0; i < months.length; i++) {
      const f = figures[i]!;
      const start = mrr[startAt[i]!]!;
      const end = mrr[endAt[i]!]!;
      f.mrrAtStart += start;
      f.mrrAtEnd += end;
      if (start > 0) f.payingAtStart++;
      if (contributes[endAt[i]!]) f.activeAtEnd++;
      if (trialing[endAt[i]!]) f.trialingAtEnd++;
      const kind = movementKind(start, end, firstPaid !== null && firstPaid <= f.bounds.startDate);
      if (!kind) continue;
      const amount = movementAmount(kind, start, end);
      f.movements[kind] += amount;
      if (kind === 'churn') f.churned++;
      onMovement?.(i, { customerId, kind, start, end, amount });
    }
  }
  for (const f of figures) withNet(f.movements);
  return figures;
}

/** Segments grouped by customer, in their order. */
export function byCustomer(segments: readonly Segment[]): Map<string, Segment[]> {
  const out = new Map<string, Segment[]>();
  for (const s of segments) {
    const list = out.get(s.customerId);
    if (list) list.push(s);
    else out.set(s.customerId, [s]);
  }
  return out;
}

/** Index of the first date >= day in a sorted list (binary search). */
function firstDateFrom(dates: readonly string[], day: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

