import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';
import { callError } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

// spec/server.md "License keys": the expiry follows the subscription. The CLI
// test (tests/unit/cli/license.test.ts) walks trial, paid, past_due and
// canceled through billing runs; this one the actions people take, a payment
// by hand, and one run against daily runs.

describe('license expiry through the subscription actions', () => {
  it('pause keeps it, resume runs it to the next period start, reactivate to the first new period, a new interval to its period', async () => {
    const b = await billingBusiness();
    const monthly = await b.plan({ price: 3000 });
    const yearly = await b.plan({ price: 30000, interval: 'year' });
    const sub = await b.subscribe({ planId: monthly.id, startDate: '2026-01-01', withLicenseKey: true });
    await b.run('2026-02-01');
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-03-01' });

    await b.call('subscriptions.pause', { id: sub.id, on: '2026-02-10' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'paused', licenseExpiresOn: '2026-03-01' });
    await b.run('2026-04-01'); // nothing billed while paused
    expect((await b.subscription(sub.id)).licenseExpiresOn).toBe('2026-03-01');
    await b.call('subscriptions.resume', { id: sub.id, on: '2026-04-10' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-05-01' });

    await b.call('subscriptions.cancel', { id: sub.id, on: '2026-04-20' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'canceled', licenseExpiresOn: '2026-04-20' });
    await b.call('subscriptions.reactivate', { id: sub.id, on: '2026-05-05' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-06-05' });

    await b.run('2026-05-05');
    await b.call('subscriptions.change', { id: sub.id, planId: yearly.id, on: '2026-05-20' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2027-05-20' });
    b.close();
  });

  it('a payment by hand that settles the failed invoice brings it back to the paid period; no key, no expiry', async () => {
    const b = await billingBusiness({ dunningDays: [2, 4] });
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer('card_declining');
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id, licenseKey: 'SHOP-0001' });
    const plain = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-03-01');
    // Dunning +2, +4: valid to the day of the last retry.
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'past_due', licenseKey: 'SHOP-0001', licenseExpiresOn: '2026-03-05' });
    expect(await b.subscription(plain.id)).toMatchObject({ status: 'past_due', licenseExpiresOn: null });
    const [invoice] = await b.invoices({ subscriptionId: sub.id });
    await b.call('invoices.pay', { id: invoice!.id, amount: 3000, method: 'cash', on: '2026-03-02' });
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-04-01' });
    b.close();
  });

  it('one run over months writes the same expiry as daily runs', async () => {
    const once = await billingBusiness();
    const daily = await billingBusiness();
    const ids: string[][] = [];
    for (const b of [once, daily]) {
      const plan = await b.plan({ price: 3000, trialDays: 10 });
      const good = await b.subscribe({ planId: plan.id, startDate: '2026-01-05', withLicenseKey: true });
      const bad = await b.subscribe({ planId: plan.id, startDate: '2026-01-05', customerId: (await b.customer('card_declining')).id, withLicenseKey: true });
      ids.push([good.id, bad.id]);
    }
    await once.run('2026-03-31');
    await daily.runDaily('2026-01-05', '2026-03-31');
    const expiries = async (b: typeof once, [good, bad]: string[]) => [(await b.subscription(good!)).licenseExpiresOn, (await b.subscription(bad!)).licenseExpiresOn];
    expect(await expiries(once, ids[0]!)).toEqual(['2026-04-15', '2026-01-22']);
    expect(await expiries(daily, ids[1]!)).toEqual(await expiries(once, ids[0]!));
    once.close();
    daily.close();
  });

  it('refuses a taken key naming licenseKey, and writes nothing', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer();
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id, licenseKey: 'SHOP-0001' });
    const before = fingerprint(b.db.sqlite);
    expect(await callError(b.core, b.conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', licenseKey: 'SHOP-0001' })).toMatchObject({
      code: 'conflict',
      field: 'licenseKey',
    });
    expect(await callError(b.core, b.conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', licenseKey: 'x' })).toMatchObject({
      code: 'validation',
      field: 'licenseKey',
    });
    expect(fingerprint(b.db.sqlite)).toBe(before);
    b.close();
  });
});
