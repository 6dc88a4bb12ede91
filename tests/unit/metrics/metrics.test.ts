import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizedMonthly, percentWith2Decimals } from '@shared/domain/metrics-math';
import { billingBusiness } from '../../support/billing';
import { play, scenarioArb } from '../../support/billing-scenarios';

describe('spec 8: normalized monthly amounts', () => {
  it('$100.00 yearly -> 833; $10.00 weekly -> 4333; $90.00 quarterly -> 3000; day and counts', () => {
    expect(normalizedMonthly(10000, 'year', 1)).toBe(833);
    expect(normalizedMonthly(1000, 'week', 1)).toBe(4333);
    expect(normalizedMonthly(9000, 'quarter', 1)).toBe(3000);
    expect(normalizedMonthly(3000, 'month', 2)).toBe(1500);
    expect(normalizedMonthly(100, 'day', 1)).toBe(3042); // 100 x 365 / 12 = 3041.67
    expect(percentWith2Decimals(1, 3)).toBe(33.33);
    expect(percentWith2Decimals(0, 0)).toBeNull();
  });
});

describe('spec 8: metrics from known histories', () => {
  it('MRR, ARR and subscribers count active and past_due, not trials, and weekly and annual plans normalize', async () => {
    const b = await billingBusiness();
    const yearly = await b.plan({ price: 10000, interval: 'year' });
    const weekly = await b.plan({ price: 1000, interval: 'week' });
    const trial = await b.plan({ price: 5000, trialDays: 30 });
    const failing = await b.plan({ price: 2000 });
    await b.subscribe({ planId: yearly.id, startDate: '2026-01-10' });
    await b.subscribe({ planId: weekly.id, startDate: '2026-01-12' });
    await b.subscribe({ planId: trial.id, startDate: '2026-03-01' });
    await b.subscribe({ planId: failing.id, startDate: '2026-03-01', customerId: (await b.customer('card_declining')).id });
    await b.run('2026-03-05');
    const m = await b.call('metrics.summary', { asOf: '2026-03-05' });
    // 833 (yearly) + 4333 (weekly) + 2000 (past_due still counts); the trial counts nowhere.
    expect(m).toMatchObject({ mrr: 7166, arr: 85992, activeSubscribers: 3, trialingSubscribers: 1 });
    b.close();
  });

  it('a churn and a comeback: churn in March, reactivation in May; churn rate per month; a month with no subscribers has a null rate', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 3000 });
    const alice = await b.customer('card', 'Alice');
    const bob = await b.customer('card', 'Bob');
    const a1 = await b.subscribe({ customerId: alice.id, planId: plan.id, startDate: '2026-01-15' });
    await b.subscribe({ customerId: bob.id, planId: plan.id, startDate: '2026-02-01' });
    await b.run('2026-03-15');
    await b.call('subscriptions.cancel', { id: a1.id, on: '2026-03-15' });
    await b.run('2026-05-01');
    await b.subscribe({ customerId: alice.id, planId: plan.id, startDate: '2026-05-10' });
    await b.run('2026-05-31');

    const jan = await b.call('metrics.summary', { asOf: '2026-01-31' });
    expect(jan).toMatchObject({ mrr: 3000, churnRate: null, movements: { new: 3000, churn: 0, net: 3000 } });
    const feb = await b.call('metrics.summary', { asOf: '2026-02-28' });
    expect(feb).toMatchObject({ mrr: 6000, churnRate: 0, movements: { new: 3000, net: 3000 } });
    const mar = await b.call('metrics.summary', { asOf: '2026-03-31' });
    expect(mar).toMatchObject({ mrr: 3000, churnRate: 50, movements: { churn: 3000, net: -3000 } });
    const may = await b.call('metrics.summary', { asOf: '2026-05-31' });
    expect(may).toMatchObject({ mrr: 6000, movements: { reactivation: 3000, new: 0, churn: 0, net: 3000 } });
    // A past month, asked later, is the same: the history decides, not today's rows.
    expect((await b.call('metrics.summary', { asOf: '2026-03-31' })).mrr).toBe(3000);
    const churned = await b.call('metrics.movements', { month: '2026-03', asOf: '2026-05-31', kind: 'churn' });
    expect(churned.rows).toEqual([{ customerId: alice.id, customerName: 'Alice', kind: 'churn', start: 3000, end: 0, amount: 3000 }]);

    const empty = await billingBusiness();
    expect(await empty.call('metrics.summary', { asOf: '2026-03-31' })).toMatchObject({ mrr: 0, churnRate: null, activeSubscribers: 0, movements: { net: 0 } });
    b.close();
    empty.close();
  });

  it('a discount that expires is expansion; a downgrade is contraction; the invariant holds', async () => {
    const b = await billingBusiness();
    const basic = await b.plan({ price: 2000 });
    const pro = await b.plan({ price: 5000 });
    await b.call('coupons.create', { code: 'HALF2', percentOff: '50', duration: 'repeating', durationMonths: 2 });
    await b.call('coupons.create', { code: 'ONCE', percentOff: '50', duration: 'once' });
    const promo = await b.subscribe({ planId: pro.id, startDate: '2026-01-20', couponCode: 'HALF2' });
    const once = await b.subscribe({ planId: basic.id, startDate: '2026-01-20', couponCode: 'ONCE' });
    await b.run('2026-04-05');
    await b.call('subscriptions.change', { id: promo.id, planId: basic.id, on: '2026-04-05' });
    await b.run('2026-05-31');
    // January: 2500 (50% off 5000) + 2000 (a once coupon is not in MRR).
    expect((await b.call('metrics.summary', { asOf: '2026-01-31' })).mrr).toBe(4500);
    const mar = await b.call('metrics.summary', { asOf: '2026-03-31' });
    expect(mar.movements).toMatchObject({ expansion: 2500, contraction: 0 }); // the discount ended 03-20
    expect(mar.mrr).toBe(7000);
    const apr = await b.call('metrics.summary', { asOf: '2026-04-30' });
    expect(apr.movements).toMatchObject({ contraction: 3000, expansion: 0, net: -3000 });
    for (const s of [mar, apr]) expect(s.mrr).toBe(s.mrrAtStart + s.movements.net);
    expect(once.status).toBe('active');
    b.close();
  });

  it('revenue is payments less refunds in the month; AR aging buckets what was due, as of any date', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 10000 });
    const hand = await b.customer('manual');
    await b.subscribe({ customerId: hand.id, planId: plan.id, startDate: '2026-01-01' });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-01' });
    await b.run('2026-04-01');
    const invoices = await b.invoices({ customerId: hand.id });
    // Manual invoices are due 14 days after issue: Jan 15, Feb 15, Mar 15, Apr 15.
    const aging = (await b.call('metrics.summary', { asOf: '2026-04-20' })).arAging;
    // As of 04-20: 95, 64, 36 and 5 days late.
    expect(aging).toEqual({ current: 0, d1to30: 10000, d31to60: 10000, d61to90: 10000, over90: 10000 });
    expect((await b.call('metrics.summary', { asOf: '2026-04-10' })).arAging).toEqual({ current: 10000, d1to30: 10000, d31to60: 10000, d61to90: 10000, over90: 0 });
    const paid = await b.call('invoices.pay', { id: invoices[0]!.id, amount: 4000, method: 'cash', on: '2026-04-21' });
    await b.call('payments.refund', { id: paid.payment.id, amount: 1000, on: '2026-05-02' });
    expect((await b.call('metrics.summary', { asOf: '2026-04-30' })).revenue).toBe(10000 + 4000); // card payment 04-01 + cash
    expect((await b.call('metrics.summary', { asOf: '2026-05-31' })).revenue).toBe(-1000); // only the refund is dated in May
    expect((await b.call('metrics.summary', { asOf: '2026-04-20' })).arAging.over90).toBe(10000); // unchanged for the past date
    expect((await b.call('metrics.summary', { asOf: '2026-04-22' })).arAging.over90).toBe(6000);
    b.close();
  });
});

describe('the movements invariant (spec 8) over random histories', () => {
  it('MRR(end) = MRR(start) + new + reactivation + expansion - contraction - churn, every month', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const b = await play(scenario, false);
        try {
          let previousEnd: number | null = null;
          for (const asOf of ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-01']) {
            const m = await b.call('metrics.summary', { asOf });
            const mv = m.movements;
            expect(m.mrr).toBe(m.mrrAtStart + mv.new + mv.reactivation + mv.expansion - mv.contraction - mv.churn);
            expect(mv.net).toBe(m.mrr - m.mrrAtStart);
            if (previousEnd !== null) expect(m.mrrAtStart).toBe(previousEnd);
            previousEnd = m.mrr;
            for (const v of [m.mrr, m.arr, mv.new, mv.churn, m.revenue]) expect(Number.isSafeInteger(v)).toBe(true);
            if (m.churnRate !== null) expect(m.churnRate).toBeGreaterThanOrEqual(0);
            const rows = (await b.call('metrics.movements', { month: asOf.slice(0, 7), asOf })).rows;
            expect(rows.filter((r) => r.kind === 'churn').reduce((s, r) => s + r.amount, 0)).toBe(mv.churn);
          }
        } finally {
          b.close();
        }
      }),
      { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 8), endOnFailure: true },
    );
  }, 300_000);
});
