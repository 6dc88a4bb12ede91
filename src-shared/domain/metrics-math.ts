import { divRound } from './money';
import type { Interval } from './periods';

/**
 * A subscription's amount converted to a month, rounded once (spec 8):
 * month n -> a/n; quarter n -> a/(3n); year n -> a/(12n);
 * week n -> a x 52/(12n); day n -> a x 365/(12n).
 */
export function normalizedMonthly(amount: number, interval: Interval, count: number): number {
  switch (interval) {
    case 'month':
      return divRound(amount, count);
    case 'quarter':
      return divRound(amount, 3 * count);
    case 'year':
      return divRound(amount, 12 * count);
    case 'week':
      return divRound(BigInt(amount) * 52n, 12 * count);
    case 'day':
      return divRound(BigInt(amount) * 365n, 12 * count);
  }
}

/** A churn rate in percent with 2 decimals (3.45), or null when nobody could churn. */
export function percentWith2Decimals(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return divRound(BigInt(part) * 10_000n, whole) / 100;
}
