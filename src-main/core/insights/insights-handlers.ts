import { dateInTimeZone } from '@shared/domain/dates';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { notFound } from '../errors';

export const insightsHandlers = defineHandlers({
  'insights.churn': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const result = await ctx.services.insights.run({ kind: 'churn', asOf: input.asOf ?? today, today });
    return input.top === undefined ? result : { ...result, customers: result.customers.slice(0, input.top) };
  },
  'insights.ltv': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const asOf = input.asOf ?? today;
    const result = await ctx.services.insights.run({ kind: 'ltv', asOf, today });
    if (input.customerId === undefined) return result;
    if (stmt(ctx.db.sqlite, 'SELECT 1 FROM customers WHERE id = ?').pluck().get(input.customerId) === undefined) throw notFound('Customer', 'customerId');
    const own = result.customers.find((c) => c.customerId === input.customerId);
    return {
      ...result,
      customers: [own ?? { customerId: input.customerId, ltv: null, currency: result.currency, basis: `Not paying on ${asOf}: there is no revenue to project.` }],
    };
  },
});
