import { addDays, toDayNumber } from '../domain/dates';
import { formatMoney, isCurrencyCode } from '../domain/money';
import { median, plainAmount, robustSd, shortDay, WEEKDAYS } from './sales-stats';

// Anomalies (spec/insights.md): a day's revenue, counter sales, refunds or
// failed payments far from what that weekday usually brings. The baseline is
// robust, so one odd day does not move it: the expected value is the median
// of the same weekday over the previous 8 weeks, the spread the median
// absolute deviation of those 8 weeks around their weekday medians (×1.4826,
// a standard deviation for normal noise), never less than a floor: a count's
// Poisson spread (√expected, at least 1), 10 % of the expected revenue, a
// typical non-zero day of refunds (one refund is a whole sale).
// A day is unusual outside expected ± 4 spreads (4, not 3: four figures a day
// over months would otherwise raise a false alarm every few weeks), or outside
// ± 2.5 spreads when it is also under a quarter of, or 3x, the usual. A quiet
// series (the weekday usually has none) must also pass 1.5x its largest day
// of the 8 weeks. Fewer refunds or failed payments than usual is not news.
// The bench (bench/insights-sales.ts) measures recall and false alarms.

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
const SPREADS = 4;
const NEAR = 2.5;
/** A quiet series (the weekday usually has none) is unusual only above 1.5x its largest day of the 8 weeks too. */
const QUIET_MAX_FACTOR = 1.5;
const MONEY: ReadonlySet<AnomalyMetric> = new Set(['revenue', 'refunds']);
/** Fewer refunds or failed payments than usual is not news. */
const UP_ONLY: ReadonlySet<AnomalyMetric> = new Set(['refunds', 'failedPayments']);
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
      // Today is not over: it can already be unusually high, not yet unusually low.
      if (found && !(date === input.today && found.direction === 'down')) anomalies.push(found);
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
  // Refunds come in lumps (one refund is a whole sale): they spread at least a typical non-zero day.
  const floor = money ? Math.max(metric === 'refunds' ? median(nonZero) : 0.1 * Math.abs(expected), 1) : Math.sqrt(Math.max(Math.abs(expected), 1));
  const spread = Math.max(robustSd(residuals), floor);
  const low = expected - SPREADS * spread;
  const quiet = expected === 0 && nonZero.length > 0;
  const high = Math.max(expected + SPREADS * spread, quiet ? QUIET_MAX_FACTOR * Math.max(...values) : -Infinity);
  const v = value(date, metric);
  // Also unusual: outside ± 2.5 spreads and a big change in proportion (under a quarter, or 3x, the usual).
  const big = expected > 0 && (v <= 0.25 * expected ? v < expected - NEAR * spread : v >= 3 * expected && v > expected + NEAR * spread);
  if (v <= high && (v >= low || UP_ONLY.has(metric)) && !(big && (v > expected || !UP_ONLY.has(metric)))) return null;
  const direction = v > expected ? 'up' : 'down';
  const round = (n: number) => (money ? Math.round(n) : Math.round(n * 10) / 10);
  const a = { date, metric, value: v, expected: round(expected), low: round(Math.max(low, metric === 'revenue' ? low : 0)), high: round(high), direction } as const;
  return { ...a, text: anomalyText(a, WEEKDAYS[weekday]!, currency) };
}

/** "Revenue on 12 Mar was $3,400.00, about 3x the usual $1,100.00 for a Tuesday." */
export function anomalyText(a: Omit<Anomaly, 'text'>, weekday: string, currency: string): string {
  const money = MONEY.has(a.metric);
  const show = (n: number) => (!money ? String(n) : isCurrencyCode(currency) ? formatMoney(n, currency) : plainAmount(n, currency));
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
