import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRow } from '@shared/domain/metrics';
import { divRound } from '@shared/domain/money';
import { lifetimeValues } from '@shared/insights/ltv';
import { seedSteadyBook } from '../../../bench/insights-churn-data';
import { loadInsightBooks } from '../../../src-main/core/insights/books';
import { call, callError, FakeClock, makeCore, signUp } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

let core: Core;
let conn: Awaited<ReturnType<typeof signUp>>['conn'];
let businessId: string;

beforeAll(async () => {
  ({ core } = makeCore({ clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) }));
  ({ conn, businessId } = await signUp(core, { timezone: 'UTC' }));
  // 500 paying at $30.00 a month; each month 10 of them leave and 10 start: churn 2 % a month.
  seedSteadyBook(core.businesses.get(businessId).sqlite, 500, 10);
}, 60_000);
afterAll(() => core.close());

describe('lifetime value', () => {
  it('on a steady book equals ARPA / churn to the cent, for every customer and the segment', async () => {
    const r = await call(core, conn, 'insights.ltv', { asOf: '2026-11-30' });
    const expected = divRound(3000 * 100, 2); // $30.00 / 2 % = $1,500.00
    expect(expected).toBe(150_000);
    expect(r.customers).toHaveLength(500);
    expect(r.customers.every((c) => c.ltv === expected && c.currency === 'USD')).toBe(true);
    expect(r.customers[0]!.basis).toBe(
      '$30.00 a month × 100% (no gross margin is set, so all revenue counts) ÷ 2.00% of Retail customers leaving a month (120 of 6000 customer-months in the 12 months to 2026-11-30) = $1,500.00.',
    );
    expect(r.segments).toEqual([
      { segment: 'Retail', payingCustomers: 500, arpa: 3000, monthlyChurn: 2, ltv: expected, basis: 'ARPA $30.00 a month × 100% (no gross margin is set, so all revenue counts) ÷ 2.00% of Retail customers leaving a month = $1,500.00.' },
    ]);
  });

  it('one customer; an unknown one is not found; a customer not paying gets null with why', async () => {
    const all = await call(core, conn, 'insights.ltv', { asOf: '2026-11-30' });
    const one = await call(core, conn, 'insights.ltv', { asOf: '2026-11-30', customerId: all.customers[7]!.customerId });
    expect(one.customers).toEqual([all.customers[7]]);
    expect(await callError(core, conn, 'insights.ltv', { customerId: 'nobody' })).toMatchObject({ code: 'not_found', field: 'customerId' });
    const gone = core.businesses.get(businessId).sqlite.prepare("SELECT customer_id FROM subscriptions WHERE status = 'canceled' LIMIT 1").pluck().get() as string;
    expect((await call(core, conn, 'insights.ltv', { asOf: '2026-11-30', customerId: gone })).customers).toEqual([
      { customerId: gone, ltv: null, currency: 'USD', basis: 'Not paying on 2026-11-30: there is no revenue to project.' },
    ]);
  });

  it('a gross margin scales it; by tenure when every tenure band has enough who left', () => {
    const books = loadInsightBooks(core.businesses.get(businessId), '2026-11-30');
    const half = lifetimeValues(books, { asOf: '2026-11-30', grossMarginPpm: 500_000 });
    expect(half.customers[0]).toMatchObject({ ltv: 75_000, basis: expect.stringContaining('× 50% gross margin ÷ 2.00%') as string });

    // Churn by tenure: 40 leave in their first 6 months, 20 in months 6-12, 20 after a year, out of
    // known customer-months; a new customer's lifetime then weighs each band's rate in turn.
    const history: HistoryRow[] = [];
    const customers: { id: string; name: string; segment: string }[] = [];
    let n = 0;
    const add = (start: string, cancel: string | null) => {
      const id = `t${String(n++).padStart(4, '0')}`;
      customers.push({ id, name: id, segment: '' });
      history.push({ subscription_id: `s${id}`, customer_id: id, seq: 1, effective_date: start, status: 'active', plan_id: 'p', recurring_amount: 1000, coupon_id: null, coupon_applied_on: null });
      if (cancel) history.push({ subscription_id: `s${id}`, customer_id: id, seq: 2, effective_date: cancel, status: 'canceled', plan_id: 'p', recurring_amount: 1000, coupon_id: null, coupon_applied_on: null });
    };
    for (let i = 0; i < 200; i++) add('2022-01-01', i < 25 ? '2026-06-15' : null); // long-standing
    for (let i = 0; i < 200; i++) add('2025-09-01', i < 25 ? '2026-06-15' : null); // 6-12 months then
    for (let i = 0; i < 200; i++) add('2026-04-01', i < 40 ? '2026-06-15' : null); // new then
    const tenure = lifetimeValues({ ...books, customers, history, plans: [{ id: 'p', interval: 'month', interval_count: 1 }], coupons: [] }, { asOf: '2026-11-30' });
    const newest = tenure.customers.find((c) => c.customerId === 't0599')!;
    expect(newest.basis).toMatch(
      /^\$10\.00 a month × 100% \(no gross margin is set, so all revenue counts\) × about [\d.]+ more months \(customers with no segment leave [\d.]+% a month in their first 6 months, [\d.]+% a month in months 6 to 12, [\d.]+% a month after a year\) = \$[\d,.]+\.$/,
    );
    const oldest = tenure.customers.find((c) => c.customerId === 't0199')!;
    expect(oldest.ltv).not.toBe(newest.ltv);
    expect(tenure.customers.every((c) => c.ltv !== null && Number.isSafeInteger(c.ltv))).toBe(true);
  });
});
