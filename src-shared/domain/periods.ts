import { dateParts, daysInMonth, formatDate, toDayNumber, fromDayNumber } from './dates';

// The anchor grid of spec 2: period k starts at anchor + k x interval,
// always computed from the anchor (so the day comes back after a short month).

export const INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface Cadence {
  interval: Interval;
  intervalCount: number;
}

/** Adds n months to a date, keeping its day, clamped to the end of the target month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = dateParts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return formatDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/** The start of period k on the grid of `anchor`. */
export function periodStart(anchor: string, cadence: Cadence, k: number): string {
  const n = cadence.intervalCount * k;
  switch (cadence.interval) {
    case 'day':
      return fromDayNumber(toDayNumber(anchor) + n);
    case 'week':
      return fromDayNumber(toDayNumber(anchor) + 7 * n);
    case 'month':
      return addMonths(anchor, n);
    case 'quarter':
      return addMonths(anchor, 3 * n);
    case 'year':
      return addMonths(anchor, 12 * n);
  }
}

/** The index of the first period starting on or after `date` (0 when date <= anchor). */
export function firstPeriodOnOrAfter(anchor: string, cadence: Cadence, date: string): number {
  if (date <= anchor) return 0;
  // Estimate from day counts, then step to the exact period (months vary in length).
  const days = toDayNumber(date) - toDayNumber(anchor);
  const approxDays = { day: 1, week: 7, month: 28, quarter: 89, year: 365 }[cadence.interval] * cadence.intervalCount;
  let k = Math.max(0, Math.floor(days / approxDays) - 1);
  while (k > 0 && periodStart(anchor, cadence, k) >= date) k--;
  while (periodStart(anchor, cadence, k) < date) k++;
  return k;
}

/** The index of the period containing `date` (date >= anchor). */
export function periodContaining(anchor: string, cadence: Cadence, date: string): number {
  const k = firstPeriodOnOrAfter(anchor, cadence, date);
  return periodStart(anchor, cadence, k) === date ? k : k - 1;
}

export function sameCadence(a: Cadence, b: Cadence): boolean {
  return a.interval === b.interval && a.intervalCount === b.intervalCount;
}

export function describeCadence(c: Cadence): string {
  const unit = c.interval;
  if (c.intervalCount === 1) return { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' }[unit];
  return `every ${c.intervalCount} ${unit}s`;
}
