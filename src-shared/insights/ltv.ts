import { isIsoDate, toDayNumber } from '../domain/dates';
import { monthBounds, monthsEnding } from '../domain/metrics';
import { divRound } from '../domain/money';
import { moneyWords } from './churn-explain';
import { ledgerOf, mrrAt, payingBetween, stretchCount, type CustomerTimeline, type InsightBooks, type InsightLedger } from './features';

// Lifetime value (spec/insights.md): what a paying customer is expected to bring in before
// leaving. ARPA (here the customer's own MRR) times the gross margin, divided by the
// monthly churn of the customer's segment over the last 12 months (the business's when the
// segment has too few departures to say), and by tenure when every tenure band has enough.

/** A segment's own churn rate is used from this many customers who left in 12 months; below, the business's. */
export const MIN_LEFT_FOR_SEGMENT = 10;
/** Churn by tenure is used when each band has at least this many who left. */
export const MIN_LEFT_PER_TENURE_BAND = 20;
const TENURE_BANDS = [
  { upTo: 6, words: 'in their first 6 months' },
  { upTo: 12, words: 'in months 6 to 12' },
  { upTo: Number.POSITIVE_INFINITY, words: 'after a year' },
] as const;
const NO_SEGMENT = 'no segment';

export interface LtvCustomer {
  customerId: string;
  /** Minor units; null when it cannot be estimated (nobody left in 12 months, or not paying). */
  ltv: number | null;
  currency: string;
  basis: string;
}

export interface LtvSegment {
  segment: string;
  payingCustomers: number;
  arpa: number;
  /** Percent of paying customers leaving a month (2 decimals); null when nobody was paying. */
  monthlyChurn: number | null;
  ltv: number | null;
  basis: string;
}

export interface LtvResult {
  asOf: string;
  currency: string;
  customers: LtvCustomer[];
  segments: LtvSegment[];
}

/** The churn counts of a segment (exported: a snapshot keeps them). */
export interface Churn {
  /** Customer-months paying at a month's start, and those of them not paying at its end. */
  paying: number;
  left: number;
  byBand: { paying: number; left: number }[];
  label: string;
}

export interface LtvOptions {
  asOf: string;
  customerId?: string;
  /** Today in the business's time zone: a later as-of date has no books, and gets empty lists. */
  today?: string;
  /** Gross margin in parts per million; null or absent: no margin set, all revenue counts. */
  grossMarginPpm?: number | null;
}

export function lifetimeValues(books: InsightBooks | InsightLedger, opts: LtvOptions): LtvResult {
  const { asOf } = opts;
  if (!isIsoDate(asOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const { currency } = books;
  if (opts.today !== undefined && asOf > opts.today) return { asOf, currency, customers: [], segments: [] };
  const { timelines } = ledgerOf(books);
  const churn = churnBySegment(timelines, asOf);
  const valuer = valuerOf(churn, opts, currency);
  if (opts.customerId === undefined) return ltvResult(ltvOf(timelines, valuer, churn, opts, currency));
  // One customer: its entry, and its segment's figures from it alone.
  const own = timelines.filter((t) => t.id === opts.customerId);
  const customers = own.map((t) => valuer(t)?.customer ?? { customerId: t.id, ltv: null, currency, basis: `Not paying on ${asOf}: there is no revenue to project.` });
  return { asOf, currency, customers, segments: segmentsOf(valuer.paying(own), churn, opts, currency) };
}

/**
 * What an LTV answer of every customer was computed from, kept by a caller that asks again after a few customers
 * changed: the churn counts, the paying customers' count and MRR per segment, and the segments. The customers' entries (with their basis in
 * words) are made when asked for: one customer's (`ltvOfCustomer`) or every one's (`ltvResult`).
 */
export interface LtvState {
  opts: LtvOptions;
  currency: string;
  churn: Map<string, Churn>;
  /**
   * The paying customers' count and MRR summed per segment (the segments' ARPA): moved by a changed customer's old
   * and new MRR (integer sums: exact in any order), not a map of every paying customer.
   */
  bySegment: Map<string, { count: number; mrr: number }>;
  /** The ledger's timelines (the books' order), and the segments' figures. */
  timelines: readonly CustomerTimeline[];
  segments: LtvSegment[];
}

/** The LTV of every paying customer of a ledger, computed whole, with what `updateLtvState` needs. */
export function ltvState(ledger: InsightLedger, opts: LtvOptions): LtvState {
  const { asOf } = opts;
  if (!isIsoDate(asOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const { currency, timelines } = ledger;
  const churn = churnBySegment(opts.today !== undefined && asOf > opts.today ? [] : timelines, asOf);
  if (opts.today !== undefined && asOf > opts.today) return { opts, currency, churn, bySegment: new Map(), timelines: [], segments: [] };
  return ltvOf(timelines, valuerOf(churn, opts, currency), churn, opts, currency);
}

/**
 * The LTV state after some customers changed: exactly `ltvState` of the new ledger. The churn counts are
 * the old less the changed customers' old months plus their new ones; when no count moved, only the
 * changed customers are looked at again (the segments' sums less their old MRR plus their new), else every
 * customer (without counting the 12 months again).
 */
export function updateLtvState(prev: LtvState, ledger: InsightLedger, changes: readonly { before: CustomerTimeline | null; after: CustomerTimeline | null }[]): LtvState {
  const { opts } = prev;
  if (ledger.currency !== prev.currency || (opts.today !== undefined && opts.asOf > opts.today)) return ltvState(ledger, opts);
  const churn = new Map<string, Churn>();
  for (const [k, c] of prev.churn) churn.set(k, { ...c, byBand: c.byBand.map((b) => ({ ...b })) });
  const bounds = monthDays(opts.asOf);
  for (const { before, after } of changes) {
    if (before) countMonths(churn, before, bounds, -1);
    if (after) countMonths(churn, after, bounds, 1);
  }
  for (const [k, c] of churn) if (c.paying === 0 && k !== '') churn.delete(k);
  const valuer = valuerOf(churn, opts, ledger.currency);
  if (!sameChurn(prev.churn, churn)) return ltvOf(ledger.timelines, valuer, churn, opts, ledger.currency);
  const bySegment = movedSums(prev.bySegment, valuer, changes);
  return { ...prev, churn, bySegment, timelines: ledger.timelines, segments: segmentsFrom(bySegment, churn, opts, ledger.currency) };
}

/**
 * The paying customers' count and MRR per segment less the changed customers' old MRR plus their new (each `before`
 * is the timeline the sums were made with). Integer sums: exactly those of every customer counted again.
 */
function movedSums(
  sums: ReadonlyMap<string, { count: number; mrr: number }>,
  valuer: Valuer,
  changes: readonly { before: CustomerTimeline | null; after: CustomerTimeline | null }[],
): Map<string, { count: number; mrr: number }> {
  const bySegment = new Map<string, { count: number; mrr: number }>();
  for (const [k, v] of sums) bySegment.set(k, { ...v });
  const add = (p: { mrr: number; segment: string } | null, sign: number) => {
    if (!p) return;
    const seg = bySegment.get(p.segment) ?? { count: 0, mrr: 0 };
    bySegment.set(p.segment, { count: seg.count + sign, mrr: seg.mrr + sign * p.mrr });
  };
  for (const { before, after } of changes) {
    add(before && valuer.payingOne(before), -1);
    add(after && valuer.payingOne(after), 1);
  }
  for (const [k, v] of bySegment) if (v.count === 0) bySegment.delete(k);
  return bySegment;
}

/** What a snapshot keeps of an LTV state: the churn counts and, per segment, the paying customers and their MRR. */
export interface LtvDay {
  churn: [string, Churn][];
  segments: [string, number, number][];
}

export function ltvDayOf(state: LtvState): LtvDay {
  return { churn: [...state.churn], segments: [...state.bySegment].map(([k, v]) => [k, v.count, v.mrr]) };
}

/**
 * The LTV state of a snapshot's day after some customers changed: the churn counts and segment sums less the
 * changed customers' old months and MRR, plus their new ones (exactly `ltvState` of the books now). Without the
 * timelines: it answers one customer (`ltvOfCustomer`) and the segments, not `ltvResult` or `updateLtvState`.
 */
export function ltvStateFromDay(day: LtvDay, opts: LtvOptions, currency: string, changes: readonly { before: CustomerTimeline | null; after: CustomerTimeline | null }[]): LtvState {
  const churn = new Map<string, Churn>();
  for (const [k, c] of day.churn) churn.set(k, { ...c, byBand: c.byBand.map((b) => ({ ...b })) });
  const bounds = monthDays(opts.asOf);
  for (const { before, after } of changes) {
    if (before) countMonths(churn, before, bounds, -1);
    if (after) countMonths(churn, after, bounds, 1);
  }
  for (const [k, c] of churn) if (c.paying === 0 && k !== '') churn.delete(k);
  const valuer = valuerOf(churn, opts, currency);
  const bySegment = movedSums(new Map(day.segments.map(([k, count, mrr]) => [k, { count, mrr }])), valuer, changes);
  return { opts, currency, churn, bySegment, timelines: [], segments: segmentsFrom(bySegment, churn, opts, currency) };
}

const results = new WeakMap<LtvState, LtvResult>();

/**
 * `ltvState(ledger, opts)` from the churn counts of another day (`day`, as of `dayAsOf`, of the timelines each change's
 * `before` was; a snapshot's day): those counts moved to the changed customers' timelines now, then by the months of
 * the 12 that differ between the two days (a month the other day counted and this one does not, or counted to another
 * end, taken away for every customer; this day's added), not the 12 months of every customer counted again. Integer
 * counts: exactly `ltvState`'s. A new run on a day its snapshot did not answer ahead (10 days after, or 40).
 */
export function ltvStateNear(day: LtvDay, dayAsOf: string, ledger: InsightLedger, opts: LtvOptions, changes: readonly { before: CustomerTimeline | null; after: CustomerTimeline | null }[]): LtvState {
  const { asOf } = opts;
  if (!isIsoDate(asOf) || !isIsoDate(dayAsOf)) throw new RangeError(`asOf: expected a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  if (opts.today !== undefined && asOf > opts.today) return ltvState(ledger, opts);
  const churn = new Map<string, Churn>();
  for (const [k, c] of day.churn) churn.set(k, { ...c, byBand: c.byBand.map((b) => ({ ...b })) });
  const then = monthDays(dayAsOf);
  for (const { before, after } of changes) {
    if (before) countMonths(churn, before, then, -1);
    if (after) countMonths(churn, after, then, 1);
  }
  // The months (first and last day) one day counts and the other does not (a partial month's end is another day).
  const now = monthDays(asOf);
  const only = (x: Float64Array, y: Float64Array) => {
    const out: number[] = [];
    for (let i = 0; i < x.length; i += 2) {
      let shared = false;
      for (let j = 0; j < y.length && !shared; j += 2) shared = x[i] === y[j] && x[i + 1] === y[j + 1];
      if (!shared) out.push(x[i]!, x[i + 1]!);
    }
    return Float64Array.from(out);
  };
  const gone = only(then, now);
  const added = only(now, then);
  for (const t of ledger.timelines) {
    if (gone.length > 0) countMonths(churn, t, gone, -1);
    if (added.length > 0) countMonths(churn, t, added, 1);
  }
  for (const [k, c] of churn) if (c.paying === 0 && k !== '') churn.delete(k);
  return ltvOf(ledger.timelines, valuerOf(churn, opts, ledger.currency), churn, opts, ledger.currency);
}

/** Every paying customer's entry, highest first, and the segments (made once per state). */
export function ltvResult(state: LtvState): LtvResult {
  let result = results.get(state);
  if (!result) {
    const valuer = valuerOf(state.churn, state.opts, state.currency);
    const customers: LtvCustomer[] = [];
    for (const t of state.timelines) {
      const v = valuer(t);
      if (v) customers.push(v.customer);
    }
    customers.sort(highestFirst);
    results.set(state, (result = { asOf: state.opts.asOf, currency: state.currency, customers, segments: state.segments }));
  }
  return result;
}

/** The answer with only one customer's entry (none when not paying): what `ltvResult` gives, filtered to it. */
export function ltvOfCustomer(state: LtvState, t: CustomerTimeline | undefined): LtvResult {
  const v = t ? valuerOf(state.churn, state.opts, state.currency)(t) : null;
  return { asOf: state.opts.asOf, currency: state.currency, customers: v ? [v.customer] : [], segments: state.segments };
}

type Valuer = ((t: CustomerTimeline) => { customer: LtvCustomer; mrr: number; segment: string } | null) & {
  paying(timelines: readonly CustomerTimeline[]): { mrr: number; segment: string }[];
  /** The customer's MRR and segment when paying (what the valuer gives, without the words). */
  payingOne(t: CustomerTimeline): { mrr: number; segment: string } | null;
};

/** The value of one customer (null: not paying at asOf) against the churn counts. */
function valuerOf(churn: Map<string, Churn>, opts: LtvOptions, currency: string): Valuer {
  const { asOf } = opts;
  const margin = opts.grossMarginPpm ?? 1_000_000;
  const marginWords = opts.grossMarginPpm == null ? '100% (no gross margin is set, so all revenue counts)' : `${margin / 10_000}% gross margin`;
  const a = toDayNumber(asOf);
  const value = (mrr: number, tenureMonths: number, c: Churn): { ltv: number; why: string } => {
    const share = `÷ ${percent(c.left, c.paying)}% of ${c.label} leaving a month (${c.left} of ${c.paying} customer-months in the 12 months to ${asOf})`;
    if (c.byBand.every((b) => b.left >= MIN_LEFT_PER_TENURE_BAND)) {
      const months = expectedMonths(c, tenureMonths);
      const why = `about ${months.toFixed(1)} more months (${c.label} leave ${TENURE_BANDS.map((b, i) => `${percent(c.byBand[i]!.left, c.byBand[i]!.paying)}% a month ${b.words}`).join(', ')})`;
      return { ltv: Math.round((mrr * margin * months) / 1_000_000), why: `× ${why}` };
    }
    return { ltv: divRound(BigInt(mrr) * BigInt(margin) * BigInt(c.paying), 1_000_000n * BigInt(c.left)), why: share };
  };
  const valuer = ((t: CustomerTimeline) => {
    const mrr = mrrAt(t, a);
    if (mrr <= 0) return null;
    const segment = t.segment || NO_SEGMENT;
    const c = rateFor(churn, t.segment || '\u0000');
    if (!c) return { mrr, segment, customer: { customerId: t.id, ltv: null, currency, basis: `Nobody left in the 12 months to ${asOf}, so how long a customer stays cannot be estimated yet.` } };
    const { ltv, why } = value(mrr, (a - t.firstDay) / 30.44, c);
    return { mrr, segment, customer: { customerId: t.id, ltv, currency, basis: `${moneyWords(mrr, currency)} a month × ${marginWords} ${why} = ${moneyWords(ltv, currency)}.` } };
  }) as Valuer;
  valuer.payingOne = (t) => {
    const mrr = mrrAt(t, a);
    return mrr > 0 ? { mrr, segment: t.segment || NO_SEGMENT } : null;
  };
  valuer.paying = (timelines) => {
    const out: { mrr: number; segment: string }[] = [];
    for (const t of timelines) {
      const mrr = mrrAt(t, a);
      if (mrr > 0) out.push({ mrr, segment: t.segment || NO_SEGMENT });
    }
    return out;
  };
  return valuer;
}

function rateFor(churn: Map<string, Churn>, segment: string): Churn | null {
  const own = churn.get(segment);
  if (own && own.left >= MIN_LEFT_FOR_SEGMENT) return own;
  const all = churn.get('')!;
  return all.left > 0 ? all : null;
}

/** The paying customers' sums per segment and the segments (the customers' entries are made when asked for). */
function ltvOf(timelines: readonly CustomerTimeline[], valuer: Valuer, churn: Map<string, Churn>, opts: LtvOptions, currency: string): LtvState {
  const bySegment = sumsOf(timelines, valuer);
  return { opts, currency, churn, bySegment, timelines, segments: segmentsFrom(bySegment, churn, opts, currency) };
}

function highestFirst(x: LtvCustomer, y: LtvCustomer): number {
  return (y.ltv ?? -1) - (x.ltv ?? -1) || (x.customerId < y.customerId ? -1 : 1);
}

function segmentsOf(paying: readonly { mrr: number; segment: string }[], churn: Map<string, Churn>, opts: LtvOptions, currency: string): LtvSegment[] {
  const bySegment = new Map<string, { count: number; mrr: number }>();
  for (const p of paying) addTo(bySegment, p.segment, p.mrr);
  return segmentsFrom(bySegment, churn, opts, currency);
}

/** The paying customers' count and MRR per segment, in one walk (nothing kept per customer). */
function sumsOf(timelines: readonly CustomerTimeline[], valuer: Valuer): Map<string, { count: number; mrr: number }> {
  const bySegment = new Map<string, { count: number; mrr: number }>();
  for (const t of timelines) {
    const p = valuer.payingOne(t);
    if (p) addTo(bySegment, p.segment, p.mrr);
  }
  return bySegment;
}

/** One more paying customer of a segment (its running sums added to in place). */
function addTo(bySegment: Map<string, { count: number; mrr: number }>, segment: string, mrr: number): void {
  const seg = bySegment.get(segment);
  if (seg) {
    seg.count++;
    seg.mrr += mrr;
  } else bySegment.set(segment, { count: 1, mrr });
}

function segmentsFrom(bySegment: ReadonlyMap<string, { count: number; mrr: number }>, churn: Map<string, Churn>, opts: LtvOptions, currency: string): LtvSegment[] {
  const { asOf } = opts;
  const margin = opts.grossMarginPpm ?? 1_000_000;
  const marginWords = opts.grossMarginPpm == null ? '100% (no gross margin is set, so all revenue counts)' : `${margin / 10_000}% gross margin`;
  return [...bySegment.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : 1))
    .map(([segment, s]) => {
      const arpa = divRound(s.mrr, s.count);
      const own = churn.get(segment === NO_SEGMENT ? '\u0000' : segment);
      const c = rateFor(churn, segment === NO_SEGMENT ? '\u0000' : segment);
      const monthlyChurn = own && own.paying > 0 ? percentNumber(own.left, own.paying) : null;
      if (!c) return { segment, payingCustomers: s.count, arpa, monthlyChurn, ltv: null, basis: `Nobody left in the 12 months to ${asOf}: no lifetime to estimate.` };
      const ltv = divRound(BigInt(arpa) * BigInt(margin) * BigInt(c.paying), 1_000_000n * BigInt(c.left));
      return {
        segment,
        payingCustomers: s.count,
        arpa,
        monthlyChurn,
        ltv,
        basis: `ARPA ${moneyWords(arpa, currency)} a month × ${marginWords} ÷ ${percent(c.left, c.paying)}% of ${c.label} leaving a month = ${moneyWords(ltv, currency)}.`,
      };
    });
}

/**
 * Customer-months paying at each month's start over the 12 months ending with asOf's month,
 * and those not paying at its end (spec 8's churn), per segment ('' holds the whole business;
 * customers with no segment are under '\0').
 */
function churnBySegment(timelines: readonly CustomerTimeline[], asOf: string): Map<string, Churn> {
  const churn = new Map<string, Churn>();
  churnEntry(churn, '');
  const bounds = monthDays(asOf);
  for (const t of timelines) countMonths(churn, t, bounds, 1);
  return churn;
}

function churnEntry(churn: Map<string, Churn>, key: string): Churn {
  let c = churn.get(key);
  if (!c) churn.set(key, (c = { paying: 0, left: 0, byBand: TENURE_BANDS.map(() => ({ paying: 0, left: 0 })), label: key === '' ? 'your customers' : key === '\u0000' ? 'customers with no segment' : `${key} customers` }));
  return c;
}

/** The first and last day of each of the 12 months ending with asOf's month: [start, end, start, end, ...]. */
function monthDays(asOf: string): Float64Array {
  return Float64Array.from(
    monthsEnding(asOf, 12).flatMap((month) => {
      const b = monthBounds(month, asOf);
      return [toDayNumber(b.startDate), toDayNumber(b.endDate)];
    }),
  );
}

/** Each bound's MRR of one customer (countMonths'), one array reused: no array per customer. */
let monthSums = new Float64Array(24);

/** Adds (sign 1) or takes away (-1) one customer's paying months and departures. */
function countMonths(churn: Map<string, Churn>, t: CustomerTimeline, bounds: Float64Array, sign: number): void {
  // Not paying at any month's start (most who left did so long before): nothing to count.
  if (stretchCount(t) === 0 || !payingBetween(t, bounds[0]!, bounds[bounds.length - 2]!)) return;
  // The MRR at every bound in one walk of the stretches: each bound's sum is mrrAt's (the same stretches added in the
  // same order from 0), without 24 walks of them.
  if (monthSums.length < bounds.length) monthSums = new Float64Array(bounds.length);
  const sums = monthSums;
  sums.fill(0, 0, bounds.length);
  const n = t.nums;
  for (let i = t.stretchesAt + 1, end = i + 3 * n[t.stretchesAt]!; i < end; i += 3) {
    const from = n[i]!;
    const to = n[i + 1]!;
    const mrr = n[i + 2]!;
    for (let k = 0; k < bounds.length; k++) {
      const d = bounds[k]!;
      if (from <= d && d < to) sums[k]! += mrr;
    }
  }
  let all: Churn | undefined;
  let own: Churn | undefined;
  for (let k = 0; k < bounds.length; k += 2) {
    if (sums[k]! <= 0) continue;
    const left = sums[k + 1]! <= 0 ? 1 : 0;
    const tenure = (bounds[k]! - t.firstDay) / 30.44;
    const band = tenure < TENURE_BANDS[0].upTo ? 0 : tenure < TENURE_BANDS[1].upTo ? 1 : 2;
    all ??= churnEntry(churn, '');
    own ??= churnEntry(churn, t.segment || '\u0000');
    countOne(all, band, left, sign);
    countOne(own, band, left, sign);
  }
}

function countOne(c: Churn, band: number, left: number, sign: number): void {
  c.paying += sign;
  c.left += sign * left;
  c.byBand[band]!.paying += sign;
  c.byBand[band]!.left += sign * left;
}

function sameChurn(x: Map<string, Churn>, y: Map<string, Churn>): boolean {
  if (x.size !== y.size) return false;
  for (const [k, a] of x) {
    const b = y.get(k);
    if (!b || a.paying !== b.paying || a.left !== b.left || a.byBand.some((band, i) => band.paying !== b.byBand[i]!.paying || band.left !== b.byBand[i]!.left)) return false;
  }
  return true;
}

/** Expected further months paying from a tenure, with each tenure band's monthly churn (the last one forever after). */
function expectedMonths(c: Churn, tenureMonths: number): number {
  const hazard = c.byBand.map((b) => b.left / b.paying);
  let survival = 1;
  let months = 0;
  let t = tenureMonths;
  while (t < TENURE_BANDS[TENURE_BANDS.length - 2]!.upTo) {
    months += survival;
    survival *= 1 - hazard[TENURE_BANDS.findIndex((x) => t < x.upTo)]!;
    t += 1;
  }
  return months + survival / hazard[hazard.length - 1]!;
}

function percentNumber(part: number, whole: number): number {
  return divRound(BigInt(part) * 10_000n, whole) / 100;
}

function percent(part: number, whole: number): string {
  return percentNumber(part, whole).toFixed(2);
}
