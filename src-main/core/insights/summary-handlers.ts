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
    churn: await insightsHandlers['insights.churn'](ctx, { asOf }),
    forecast: await salesInsightsHandlers['insights.forecast'](ctx, { asOf, months: FORECAST_MONTHS }),
    anomalies: await salesInsightsHandlers['insights.anomalies'](ctx, { to: asOf }),
    products: await salesInsightsHandlers['insights.products'](ctx, { to: asOf }),
  };
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
    const churn = await insightsHandlers['insights.churn'](ctx, { asOf });
    const index = churn.customers.findIndex((c) => c.customerId === input.customerId);
    const products = await salesInsightsHandlers['insights.products'](ctx, { customerId: input.customerId, to: asOf });
    const own = ltv.customers[0]!;
    return {
      asOf,
      customerId: input.customerId,
      churn: {
        ready: churn.ready,
        ...(churn.reason !== undefined ? { reason: churn.reason } : {}),
        customer: index < 0 ? null : churn.customers[index]!,
        scored: churn.customers.length,
        rank: index < 0 ? null : index + 1,
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
