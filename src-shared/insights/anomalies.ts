import { addDays, toDayNumber } from '../domain/dates';
import { median, plainAmount, robustSd, shortDay, WEEKDAYS } from './sales-stats';

// Anomalies (spec/insights.md): a day's revenue, counter sales, refunds or
// failed payments far from what that weekday usually brings. The baseline is
// robust, so one odd day does not move it: the expected value is the median
// of the same weekday over the previous 8 weeks, the spread the median
// absolute deviation of the previous 8 weeks around their weekday medians
// (×1.4826, a standard deviation for normal noise), floored so that a quiet
// series (no refunds most days) does not flag every small movement: a count
// never spreads less than a Poisson count would (√expected, at least 1), an
// amount not less than 10 % of the expected (half a typical non-zero day when
// the weekday usually has none).
// A day outside expected ± 3 spreads is an anomaly.

export const ANOMALY_METRICS = ['revenue', 'sales', 'refunds', 'failedPayments'] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];

export interface DayFigures {
  date: string;
  /** Payments less refunds (subscriptions and counter), minor units. */
  revenue: number;
  /** Counter sales made that day. */
  sales: number;
  /** Money refunded that day (invoice payments and counter sales), minor units. */
  refunds: number;
  /** Card payments that failed that day. */
  failedPayments: number;
}

export interface Anomaly {
  date: string;
  metric: AnomalyMetric;
  value: number;
  expected: number;
  low: number;
  high: number;
  direction: 'up' | 'down';
  text: string;
}

export interface AnomaliesInput {
  from: string;
  to: string;
  today: string;
  currency: string;
  /** The first day the books have anything: days before it are not history. */
  since: string | null;
  /** Every day from 56 days before `from` to `to` (a day with nothing may be missing: it counts as 0). */
  days: readonly DayFigures[];
}

export interface AnomaliesResult {
  from: string;
  to: string;
  ready: boolean;
  reason?: string;
  /** Days that had a baseline and were checked. */
  checkedDays: number;
  anomalies: Anomaly[];
}

export const BASELINE_DAYS = 56;
export const MIN_BASELINE_DAYS = 28;
const SPREADS = 3;
const MONEY: ReadonlySet<AnomalyMetric> = new Set(['revenue', 'refunds']);
const LABEL: Record<AnomalyMetric, string> = { revenue: 'Revenue', sales: 'Counter sales', refunds: 'Refunds', failedPayments: 'Failed payments' };

export function findAnomalies(input: AnomaliesInput): AnomaliesResult {
  const to = input.to > input.today ? input.today : input.to;
  const base = { from: input.from, to, checkedDays: 0, anomalies: [] as Anomaly[] };
  if (input.from > to) return { ...base, ready: false, reason: `Nothing to check: ${input.from} is after ${to}${input.to > input.today ? ' (today)' : ''}.` };
  if (!input.since || input.since > to) return { ...base, ready: false, reason: 'No payments, sales or refunds in the books yet.' };
  const have = Math.max(0, toDayNumber(to) - toDayNumber(input.since));
  if (have < MIN_BASELINE_DAYS) {
    return { ...base, ready: false, reason: `Needs ${MIN_BASELINE_DAYS} days of history before a day can be checked; you have ${have}.` };
  }
  const byDay = new Map(input.days.map((d) => [d.date, d]));
  const value = (date: string, metric: AnomalyMetric) => byDay.get(date)?.[metric] ?? 0;
  const anomalies: Anomaly[] = [];
  let checked = 0;
  for (let date = input.from; date <= to; date = addDays(date, 1)) {
    const window: string[] = [];
    for (let k = BASELINE_DAYS; k >= 1; k--) {
      const d = addDays(date, -k);
      if (d >= input.since) window.push(d);
    }
    if (window.length < MIN_BASELINE_DAYS) continue;
    checked++;
    const weekday = weekdayOf(date);
    for (const metric of ANOMALY_METRICS) {
      const found = checkDay(date, weekday, window, metric, value, input.currency);
      if (found) anomalies.push(found);
    }
  }
  return { ...base, ready: true, checkedDays: checked, anomalies };
}

function checkDay(
  date: string,
  weekday: number,
  window: readonly string[],
  metric: AnomalyMetric,
  value: (date: string, metric: AnomalyMetric) => number,
  currency: string,
): Anomaly | null {
  const values = window.map((d) => value(d, metric));
  const weekdays = window.map(weekdayOf);
  const medians = new Map<number, number>();
  for (let w = 0; w < 7; w++) {
    const same = values.filter((_, i) => weekdays[i] === w);
    if (same.length > 0) medians.set(w, median(same));
  }
  const same = values.filter((_, i) => weekdays[i] === weekday);
  if (same.length < 3) return null;
  const expected = median(same);
  const residuals = values.map((v, i) => v - medians.get(weekdays[i]!)!);
  const money = MONEY.has(metric);
  const nonZero = values.filter((v) => v !== 0).map(Math.abs);
  // A quiet money series (refunds: none most days) spreads at least half a typical non-zero day.
  const floor = money ? Math.max(expected !== 0 ? 0.1 * Math.abs(expected) : 0.5 * median(nonZero), 1) : Math.sqrt(Math.max(Math.abs(expected), 1));
  const spread = Math.max(robustSd(residuals), floor);
  const low = expected - SPREADS * spread;
  const high = expected + SPREADS * spread;
  const v = value(date, metric);
  if (v >= low && v <= high) return null;
  const direction = v > high ? 'up' : 'down';
  const round = (n: number) => (money ? Math.round(n) : Math.round(n * 10) / 10);
  const a = { date, metric, value: v, expected: round(expected), low: round(Math.max(low, metric === 'revenue' ? low : 0)), high: round(high), direction } as const;
  return { ...a, text: anomalyText(a, WEEKDAYS[weekday]!, currency) };
}

/** "Revenue on 12 Mar was 3,400.00, about 3x the usual 1,100.00 for a Tuesday." */
export function anomalyText(a: Omit<Anomaly, 'text'>, weekday: string, currency: string): string {
  const money = MONEY.has(a.metric);
  const show = (n: number) => (money ? plainAmount(n, currency) : String(n));
  const label = LABEL[a.metric];
  const was = `${label} on ${shortDay(a.date)} ${a.metric === 'revenue' ? 'was' : 'were'} ${show(a.value)}`;
  const usual = `the usual ${show(a.expected)} for a ${weekday}`;
  if (a.direction === 'up') {
    if (a.expected <= 0) return `${was}, when a ${weekday} usually has ${money ? 'none' : '0'} (up to ${show(a.high)} would be normal).`;
    const times = a.value / a.expected;
    const size = times >= 1.95 ? `about ${formatTimes(times)}x` : `${Math.round((times - 1) * 100)}% above`;
    return `${was}, ${size} ${usual}.`;
  }
  if (a.expected <= 0) return `${was}, below the usual ${show(a.expected)} for a ${weekday}.`;
  const drop = Math.round((1 - a.value / a.expected) * 100);
  return `${was}, ${drop}% below ${usual}.`;
}

function formatTimes(times: number): string {
  return times >= 10 ? String(Math.round(times)) : String(Math.round(times * 10) / 10).replace(/\.0$/, '');
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  return (toDayNumber(date) + 3) % 7;
}
