import { dateInTimeZone } from '@shared/domain/dates';
import { buildSummary, type SummaryInput } from '@shared/insights/summary';
import { businessCurrency, businessTimezone } from '../db/settings';
import { defineHandlers } from '../define-handlers';
import { metricsHandlers } from '../metrics/metrics-handlers';
import type { SessionContext } from '../rpc';
import { insightsHandlers } from './insights-handlers';
import { salesInsightsHandlers } from './sales-insights-handlers';

// insights.summary and insights.customer: nothing is computed twice. The facts are the
// answers of the metrics and insights handlers themselves (each cached until the books
// change), so the card says exactly what `recurra metrics` and `recurra insights …` say.

/** The forecast horizon asked for: the Reports chart's default, so the card and the chart share one cached answer. */
const FORECAST_MONTHS = 6;

function businessToday(ctx: SessionContext): string {
  return dateInTimeZone(ctx.now, businessTimezone(ctx.db));
}

/** What the summary reads, from the handlers' own code, as of a date. */
export async function gatherSummaryInput(ctx: SessionContext, asOf: string): Promise<SummaryInput> {
  return {
    asOf,
    currency: businessCurrency(ctx.db),
    metrics: metricsHandlers['metrics.summary'](ctx, { asOf }),
    churn: await churnForSummary(ctx, asOf),
    forecast: await salesInsightsHandlers['insights.forecast'](ctx, { asOf, months: FORECAST_MONTHS }),
    anomalies: await salesInsightsHandlers['insights.anomalies'](ctx, { to: asOf }),
    products: await salesInsightsHandlers['insights.products'](ctx, { to: asOf }),
  };
}

/** The riskiest customer and the count in each band: all the summary reads of the churn answer. */
async function churnForSummary(ctx: SessionContext, asOf: string): Promise<SummaryInput['churn']> {
  const page = await ctx.services.insights.run({ kind: 'churn-page', asOf, today: businessToday(ctx), offset: 0, limit: 1, customerIds: null });
  return { ready: page.ready, ...(page.reason !== undefined ? { reason: page.reason } : {}), customers: page.customers, bandCounts: page.bandCounts };
}

export const summaryHandlers = defineHandlers({
  'insights.summary': async (ctx, input) => {
    const asOf = input.asOf ?? businessToday(ctx);
    const { asOf: at, text, sentences, facts } = buildSummary(await gatherSummaryInput(ctx, asOf));
    return { asOf: at, text, sentences, facts };
  },
  'insights.customer': async (ctx, input) => {
    const asOf = input.asOf ?? businessToday(ctx);
    // The LTV handler checks the customer exists (not_found naming customerId).
    const ltv = await insightsHandlers['insights.ltv'](ctx, { customerId: input.customerId, asOf });
    // This customer's entry and rank, found in the worker (never the whole list on this thread).
    const churn = await ctx.services.insights.run({ kind: 'churn-page', asOf, today: businessToday(ctx), offset: 0, limit: 1, customerIds: [input.customerId] });
    const entry = churn.customers[0] ?? null;
    const products = await salesInsightsHandlers['insights.products'](ctx, { customerId: input.customerId, to: asOf });
    const own = ltv.customers[0]!;
    return {
      asOf,
      customerId: input.customerId,
      churn: {
        ready: churn.ready,
        ...(churn.reason !== undefined ? { reason: churn.reason } : {}),
        customer: entry,
        scored: churn.scored,
        rank: entry ? churn.ranks[0]! : null,
        bands: churn.model?.bands ?? null,
        backtest: churn.model?.backtest ?? null,
      },
      ltv: { ltv: own.ltv, currency: own.currency, basis: own.basis },
      products: {
        ready: products.ready,
        ...(products.reason !== undefined ? { reason: products.reason } : {}),
        nextBest: products.nextBest,
        backtest: products.backtest.nextBest.text,
      },
    };
  },
});
