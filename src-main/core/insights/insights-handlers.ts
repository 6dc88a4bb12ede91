import { dateInTimeZone } from '@shared/domain/dates';
import { churnRisk, type ChurnResult } from '@shared/insights/churn';
import type { InsightLedger } from '@shared/insights/features';
import { lifetimeValues, type LtvResult } from '@shared/insights/ltv';
import type { BusinessDb } from '../db/open';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { notFound } from '../errors';
import { withInsightsCache } from './cache';
import { loadInsightLedger } from './fast-books';

/** The books as of a date, made ready for the models once for churn and LTV, cached until they change. */
export function insightLedger(db: BusinessDb, asOf: string): InsightLedger {
  return withInsightsCache(db.sqlite, `ledger:${asOf}`, () => loadInsightLedger(db, asOf));
}

/** Churn risk of every paying customer as of a date, cached until the books change. */
export function churnInsight(db: BusinessDb, asOf: string, today: string): ChurnResult {
  return withInsightsCache(db.sqlite, `churn:${asOf}:${today}`, () => (asOf > today ? churnRisk(emptyLedger(db), { asOf, today }) : churnRisk(insightLedger(db, asOf), { asOf, today })));
}

/** Lifetime value of every paying customer and segment as of a date, cached until the books change. */
export function ltvInsight(db: BusinessDb, asOf: string, today: string): LtvResult {
  return withInsightsCache(db.sqlite, `ltv:${asOf}:${today}`, () => (asOf > today ? lifetimeValues(emptyLedger(db), { asOf, today }) : lifetimeValues(insightLedger(db, asOf), { asOf, today })));
}

/** A future date reads nothing: the models answer it from no books. */
function emptyLedger(db: BusinessDb): InsightLedger {
  return { currency: businessCurrency(db), timelines: [] };
}

export const insightsHandlers = defineHandlers({
  'insights.churn': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const result = await ctx.services.insights.churn(input.asOf ?? today, today);
    return input.top === undefined ? result : { ...result, customers: result.customers.slice(0, input.top) };
  },
  'insights.ltv': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const asOf = input.asOf ?? today;
    const result = await ctx.services.insights.ltv(asOf, today);
    if (input.customerId === undefined) return result;
    if (stmt(ctx.db.sqlite, 'SELECT 1 FROM customers WHERE id = ?').pluck().get(input.customerId) === undefined) throw notFound('Customer', 'customerId');
    const own = result.customers.find((c) => c.customerId === input.customerId);
    return {
      ...result,
      customers: [own ?? { customerId: input.customerId, ltv: null, currency: result.currency, basis: `Not paying on ${asOf}: there is no revenue to project.` }],
    };
  },
});
