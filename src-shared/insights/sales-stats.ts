import { currencyExponent, isCurrencyCode } from '../domain/money';

// Small robust statistics shared by the sales insights (forecast, anomalies,
// products). Pure and deterministic; every function returns a finite number
// (or null where nothing can be said), never NaN or Infinity.

/** The 80 % two-sided normal quantile: a band of ± Z80 standard deviations holds 80 % of a normal error. */
export const Z80 = 1.2815515655446004;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median, scaled (×1.4826) to estimate a normal standard deviation. */
export function robustSd(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/** Linear-interpolated quantile (p in 0..1); 0 for no values. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * Mean absolute percentage error in percent, over the pairs whose actual is not 0 (a percentage of 0 means
 * nothing); null when no pair counts. Rounded to 2 decimals.
 */
export function mape(pairs: readonly { actual: number; predicted: number }[]): number | null {
  const usable = pairs.filter((p) => p.actual !== 0 && Number.isFinite(p.predicted));
  if (usable.length === 0) return null;
  const sum = usable.reduce((s, p) => s + Math.abs(p.actual - p.predicted) / Math.abs(p.actual), 0);
  return round2((100 * sum) / usable.length);
}

/**
 * Weighted absolute percentage error in percent: Σ|actual − predicted| / Σ|actual|. For weekly demand of a
 * few units, where one week of 0 or 1 would make a plain MAPE meaningless. Null when nothing was sold.
 */
export function wape(pairs: readonly { actual: number; predicted: number }[]): number | null {
  const total = pairs.reduce((s, p) => s + Math.abs(p.actual), 0);
  if (total === 0) return null;
  return round2((100 * pairs.reduce((s, p) => s + Math.abs(p.actual - p.predicted), 0)) / total);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A finite number or the fallback: the guard at every output edge. */
export function finite(n: number, fallback = 0): number {
  return Number.isFinite(n) ? n : fallback;
}

/** "3,400.00": an amount in minor units for a sentence, grouped, without the currency sign. */
export function plainAmount(minor: number, currency: string): string {
  const exponent = isCurrencyCode(currency) ? currencyExponent(currency) : 2;
  const key = String(exponent);
  let format = amountFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: exponent, maximumFractionDigits: exponent });
    amountFormats.set(key, format);
  }
  return format.format(Math.round(minor) / 10 ** exponent);
}
const amountFormats = new Map<string, Intl.NumberFormat>();

/** "12 Mar" (or "12 Mar 2025" when `withYear`). */
export function shortDay(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]!}${withYear ? ` ${y}` : ''}`;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The months from `first` to `last` (YYYY-MM), both included. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 2400; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The month `n` months after `month` (YYYY-MM; n may be negative). */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
