import type { Dashboard } from '@shared/contract/metrics';
import { isIsoDate } from '@shared/domain/dates';

/** The as-of date from the page's address: a real day no later than today, else today. */
export function asOfFrom(param: string | null, today: string): string {
  return param && isIsoDate(param) && param <= today ? param : today;
}

/**
 * Whether there is anything to count yet. A business with no paying
 * subscription in twelve months, no money in, no trial and nothing owed sees
 * the first-run guide instead of a page of zeros.
 */
export function hasFigures(d: Dashboard): boolean {
  return (
    d.series.some((m) => m.mrr !== 0 || m.revenue !== 0) ||
    d.summary.trialingSubscribers > 0 ||
    d.upcomingRenewals.count > 0 ||
    d.failedPayments.count > 0 ||
    Object.values(d.summary.arAging).some((v) => v !== 0)
  );
}

/** "2 of 3 trials that ended in the month became paying (66.67%)", or null when none ended. */
export function describeTrials(t: Dashboard['trialConversion']): string | null {
  if (t.ended === 0) return null;
  const rate = t.rate === null ? '' : ` (${t.rate.toFixed(2)}%)`;
  return `${t.converted} of ${t.ended} ${t.ended === 1 ? 'trial' : 'trials'} that ended became paying${rate}`;
}
