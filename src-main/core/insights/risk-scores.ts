import { dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import type { RiskLookup } from '../customers/customer-search';
import { withInsightsCache } from './cache';
import { churnInsight } from './compute';

// The customers list's risk column, sort and "At risk" view read the churn scores of today
// (insights.churn's own result, cached until the books change): no second computation.

/** Today's churn scores as the customer list's SQL reads them (JSON handed to json_each). */
export function riskLookup(db: BusinessDb, now: Date): RiskLookup {
  const today = dateInTimeZone(now, businessTimezone(db));
  return withInsightsCache(db.sqlite, `risk-lookup:${today}`, () => {
    const churn = churnInsight(db, today, today);
    const scores: Record<string, number> = {};
    const atRisk: string[] = [];
    for (const c of churn.customers) {
      scores[c.customerId] = c.score;
      if (c.band !== 'low') atRisk.push(c.customerId);
    }
    return { scores: JSON.stringify(scores), atRisk: JSON.stringify(atRisk) };
  });
}
