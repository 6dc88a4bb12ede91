import { addDays, dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { notFound, validation } from '../errors';

// insights.forecast, insights.anomalies, insights.products: read-only, from the business's own books, on
// this PC (no network anywhere below), computed off the UI thread in the app (compute.ts, worker-executor.ts).

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
    return ctx.services.insights.run({ kind: 'forecast', asOf: input.asOf ?? today, today, months: input.months });
  },
  'insights.anomalies': (ctx, input) => {
    const today = businessToday(ctx);
    return ctx.services.insights.run({ kind: 'anomalies', ...period(input, today), today });
  },
  'insights.products': (ctx, input) => {
    const today = businessToday(ctx);
    const { from, to } = period(input, today);
    if (input.customerId && !stmt(ctx.db.sqlite, 'SELECT 1 FROM customers WHERE id = ?').get(input.customerId)) throw notFound('The customer', 'customerId');
    return ctx.services.insights.run({ kind: 'products', from, to, today, customerId: input.customerId ?? null });
  },
});
