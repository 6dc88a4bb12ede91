import { dateInTimeZone } from '@shared/domain/dates';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { notFound } from '../errors';

export const insightsHandlers = defineHandlers({
  'insights.churn': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const asOf = input.asOf ?? today;
    if (input.top === undefined) return ctx.services.insights.run({ kind: 'churn', asOf, today });
    // The first `top` only, cut in the worker: the whole list is several MB at 100,000 customers.
    const page = await ctx.services.insights.run({ kind: 'churn-page', asOf, today, offset: 0, limit: input.top, customerIds: null });
    return { asOf: page.asOf, model: page.model, ready: page.ready, ...(page.reason !== undefined ? { reason: page.reason } : {}), customers: page.customers };
  },
  'insights.ltv': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const asOf = input.asOf ?? today;
    if (input.customerId === undefined) return ctx.services.insights.run({ kind: 'ltv', asOf, today });
    if (stmt(ctx.db.sqlite, 'SELECT 1 FROM customers WHERE id = ?').pluck().get(input.customerId) === undefined) throw notFound('Customer', 'customerId');
    // One customer's entry, found in the worker (the whole list would cross to this thread otherwise).
    const result = await ctx.services.insights.run({ kind: 'ltv-customer', asOf, today, customerId: input.customerId });
    const own = result.customers[0];
    return {
      ...result,
      customers: [own ?? { customerId: input.customerId, ltv: null, currency: result.currency, basis: `Not paying on ${asOf}: there is no revenue to project.` }],
    };
  },
});
