// "Change vs last month" for a metric card: which way it moved, by how much,
// and whether that is good news (churn going up is bad, MRR going up is good).

/** Which way is good news for a metric. */
export type Better = 'up' | 'down';
/** money: integer minor units; count: whole things; percent: a rate like 33.33 (its change is in points). */
export type MetricUnit = 'money' | 'count' | 'percent';

export interface MetricChange {
  direction: 'up' | 'down' | 'flat' | 'none';
  /** current - previous in the metric's unit (percentage points for a rate); null when either side is unknown. */
  delta: number | null;
  /** The change relative to last month, in percent with 1 decimal; null for rates, and when last month was 0 or unknown. */
  relative: number | null;
  tone: 'good' | 'bad' | 'neutral';
}

const NO_CHANGE: MetricChange = { direction: 'none', delta: null, relative: null, tone: 'neutral' };

/**
 * Compares this month's value with last month's. Rates come as numbers with
 * two decimals, so they are compared in hundredths to keep 33.33 - 0 exact.
 */
export function metricChange(current: number | null, previous: number | null, unit: MetricUnit, better: Better): MetricChange {
  if (current === null || previous === null) return NO_CHANGE;
  const delta = unit === 'percent' ? (Math.round(current * 100) - Math.round(previous * 100)) / 100 : current - previous;
  if (delta === 0) return { direction: 'flat', delta: 0, relative: unit === 'percent' || previous === 0 ? null : 0, tone: 'neutral' };
  const direction = delta > 0 ? 'up' : 'down';
  const relative = unit === 'percent' || previous === 0 ? null : Math.round((delta / Math.abs(previous)) * 1000) / 10;
  return { direction, delta, relative, tone: direction === better ? 'good' : 'bad' };
}

const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '');

/** "+$30.00 (+50.0%)", "−33.33 pts", "+1", "No change", or "—" when there is nothing to compare. */
export function describeChange(change: MetricChange, unit: MetricUnit, formatMoney: (minor: number) => string): string {
  if (change.delta === null) return '—';
  if (change.delta === 0) return 'No change';
  const size = Math.abs(change.delta);
  const amount =
    unit === 'money' ? formatMoney(size) : unit === 'percent' ? `${size.toFixed(2)} pts` : size.toLocaleString('en-US');
  const relative = change.relative === null ? '' : ` (${sign(change.relative)}${Math.abs(change.relative).toFixed(1)}%)`;
  return `${sign(change.delta)}${amount}${relative}`;
}

/** A rate for people: 33.33 -> "33.33%"; null -> "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${rate.toFixed(2)}%`;
}
