import { addDays, dateInTimeZone } from '@shared/domain/dates';
import { findAnomalies } from '@shared/insights/anomalies';
import { forecastRevenue } from '@shared/insights/forecast';
import { productInsights } from '@shared/insights/products';
import type { BusinessDb } from '../db/open';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { notFound, validation } from '../errors';
import { withInsightsCache } from './cache';
import { currencyChange, firstActivity, loadDayFigures, loadForecastHistory, loadProducts, loadSaleLines } from './sales-data';

// insights.forecast, insights.anomalies, insights.products: read-only, from
// the business's own books, on this PC (no network anywhere below).

/** The default period of anomalies and best sellers: the 90 days ending with `to`. */
const DEFAULT_DAYS = 90;

export function businessToday(ctx: { db: BusinessDb; now: Date }): string {
  return dateInTimeZone(ctx.now, businessTimezone(ctx.db));
}

export function period(input: { from?: string | undefined; to?: string | undefined }, today: string): { from: string; to: string } {
  const to = input.to ?? today;
  const from = input.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw validation('from', 'The start date is after the end date');
  return { from, to };
}

export const salesInsightsHandlers = defineHandlers({
  'insights.forecast': (ctx, input) => {
    const today = businessToday(ctx);
    const asOf = input.asOf ?? today;
    return withInsightsCache(ctx.db.sqlite, `forecast:${asOf}:${today}:${input.months}`, () => {
      const history = asOf > today ? [] : loadForecastHistory(ctx.db, asOf);
      const result = forecastRevenue({ asOf, today, history, horizon: input.months, currencyChange: currencyChange(ctx.db, asOf) });
      return { ...result, currency: businessCurrency(ctx.db) };
    });
  },
  'insights.anomalies': (ctx, input) => {
    const today = businessToday(ctx);
    const { from, to } = period(input, today);
    const end = to > today ? today : to;
    return withInsightsCache(ctx.db.sqlite, `anomalies:${from}:${to}:${today}`, () => {
      const currency = businessCurrency(ctx.db);
      const days = from > end ? [] : loadDayFigures(ctx.db, from, end);
      return { ...findAnomalies({ from, to, today, currency, since: firstActivity(ctx.db), days }), currency };
    });
  },
  'insights.products': (ctx, input) => {
    const today = businessToday(ctx);
    const { from, to } = period(input, today);
    if (input.customerId && !stmt(ctx.db.sqlite, 'SELECT 1 FROM customers WHERE id = ?').get(input.customerId)) throw notFound('The customer', 'customerId');
    const end = to > today ? today : to;
    return withInsightsCache(ctx.db.sqlite, `products:${from}:${to}:${today}:${input.customerId ?? ''}`, () => {
      const result = productInsights({ today, from, to, customerId: input.customerId ?? null, lines: loadSaleLines(ctx.db, end), products: loadProducts(ctx.db) });
      return { ...result, currency: businessCurrency(ctx.db), customerId: input.customerId ?? null };
    });
  },
});
