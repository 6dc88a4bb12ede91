import { isIsoDate, toDayNumber } from '../domain/dates';
import { monthBounds, monthsEnding } from '../domain/metrics';
import { divRound } from '../domain/money';
import { moneyWords } from './churn-explain';
import { ledgerOf, mrrAt, type CustomerTimeline, type InsightBooks, type InsightLedger } from './features';

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

interface Churn {
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
  const margin = opts.grossMarginPpm ?? 1_000_000;
  const marginWords = opts.grossMarginPpm == null ? '100% (no gross margin is set, so all revenue counts)' : `${margin / 10_000}% gross margin`;
  const { currency } = books;
  if (opts.today !== undefined && asOf > opts.today) return { asOf, currency, customers: [], segments: [] };
  const { timelines } = ledgerOf(books);
  const churn = churnBySegment(timelines, asOf);
  const a = toDayNumber(asOf);
  const rateFor = (segment: string): Churn | null => {
    const own = churn.get(segment);
    if (own && own.left >= MIN_LEFT_FOR_SEGMENT) return own;
    const all = churn.get('')!;
    return all.left > 0 ? all : null;
  };
  const value = (mrr: number, tenureMonths: number, c: Churn): { ltv: number; why: string } => {
    const share = `÷ ${percent(c.left, c.paying)}% of ${c.label} leaving a month (${c.left} of ${c.paying} customer-months in the 12 months to ${asOf})`;
    if (c.byBand.every((b) => b.left >= MIN_LEFT_PER_TENURE_BAND)) {
      const months = expectedMonths(c, tenureMonths);
      const why = `about ${months.toFixed(1)} more months (${c.label} leave ${TENURE_BANDS.map((b, i) => `${percent(c.byBand[i]!.left, c.byBand[i]!.paying)}% a month ${b.words}`).join(', ')})`;
      return { ltv: Math.round((mrr * margin * months) / 1_000_000), why: `× ${why}` };
    }
    return { ltv: divRound(BigInt(mrr) * BigInt(margin) * BigInt(c.paying), 1_000_000n * BigInt(c.left)), why: share };
  };

  const customers: LtvCustomer[] = [];
  const bySegment = new Map<string, { count: number; mrr: number }>();
  for (const t of timelines) {
    if (opts.customerId !== undefined && t.id !== opts.customerId) continue;
    const mrr = mrrAt(t, a);
    const segment = t.segment || NO_SEGMENT;
    if (mrr <= 0) {
      if (opts.customerId !== undefined) customers.push({ customerId: t.id, ltv: null, currency, basis: `Not paying on ${asOf}: there is no revenue to project.` });
      continue;
    }
    const seg = bySegment.get(segment) ?? { count: 0, mrr: 0 };
    bySegment.set(segment, { count: seg.count + 1, mrr: seg.mrr + mrr });
    const c = rateFor(t.segment || '\u0000');
    if (!c) {
      customers.push({ customerId: t.id, ltv: null, currency, basis: `Nobody left in the 12 months to ${asOf}, so how long a customer stays cannot be estimated yet.` });
      continue;
    }
    const { ltv, why } = value(mrr, (a - t.firstDay) / 30.44, c);
    customers.push({ customerId: t.id, ltv, currency, basis: `${moneyWords(mrr, currency)} a month × ${marginWords} ${why} = ${moneyWords(ltv, currency)}.` });
  }
  customers.sort((x, y) => (y.ltv ?? -1) - (x.ltv ?? -1) || (x.customerId < y.customerId ? -1 : 1));

  const segments: LtvSegment[] = [...bySegment.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : 1))
    .map(([segment, s]) => {
      const arpa = divRound(s.mrr, s.count);
      const own = churn.get(segment === NO_SEGMENT ? '\u0000' : segment);
      const c = rateFor(segment === NO_SEGMENT ? '\u0000' : segment);
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
  return { asOf, currency, customers, segments };
}

/**
 * Customer-months paying at each month's start over the 12 months ending with asOf's month,
 * and those not paying at its end (spec 8's churn), per segment ('' holds the whole business;
 * customers with no segment are under '\0').
 */
function churnBySegment(timelines: readonly CustomerTimeline[], asOf: string): Map<string, Churn> {
  const churn = new Map<string, Churn>();
  const get = (key: string) => {
    let c = churn.get(key);
    if (!c) churn.set(key, (c = { paying: 0, left: 0, byBand: TENURE_BANDS.map(() => ({ paying: 0, left: 0 })), label: key === '' ? 'your customers' : key === '\u0000' ? 'customers with no segment' : `${key} customers` }));
    return c;
  };
  const all = get('');
  const count = (c: Churn, band: number, left: number) => {
    c.paying++;
    c.left += left;
    c.byBand[band]!.paying++;
    c.byBand[band]!.left += left;
  };
  for (const month of monthsEnding(asOf, 12)) {
    const b = monthBounds(month, asOf);
    const start = toDayNumber(b.startDate);
    const end = toDayNumber(b.endDate);
    for (const t of timelines) {
      if (mrrAt(t, start) <= 0) continue;
      const left = mrrAt(t, end) <= 0 ? 1 : 0;
      const tenure = (start - t.firstDay) / 30.44;
      const band = tenure < TENURE_BANDS[0].upTo ? 0 : tenure < TENURE_BANDS[1].upTo ? 1 : 2;
      count(all, band, left);
      count(get(t.segment || '\u0000'), band, left);
    }
  }
  return churn;
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
