import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';
import { callError } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

describe('editing a plan', () => {
  // Found by tests/server/sync-fuzz.test.ts: zod applies defaults inside .partial(), so a rename sent every default too.
  it('changes only the fields given: a rename keeps the description, features, trial and setup fee', async () => {
    const b = await billingBusiness();
    const plan = await b.call('plans.create', { name: 'Gold', price: 3000, interval: 'month', description: 'The best', features: ['Support'], trialDays: 14, setupFee: 500 });
    const renamed = await b.call('plans.update', { id: plan.id, name: 'Gold 2' });
    expect(renamed).toMatchObject({ name: 'Gold 2', description: 'The best', features: ['Support'], trialDays: 14, setupFee: 500 });
    b.close();
  });
});

describe('bad billing input is refused, naming the field, and writes nothing', () => {
  it('plans, subscriptions, coupons and changes', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer();
    await b.call('coupons.create', { code: 'OLD', percentOff: '10', duration: 'once', expiresOn: '2026-01-31' });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-03-05');
    const before = fingerprint(b.db.sqlite);
    const refused = (method: string, input: unknown) => callError(b.core, b.conn, method, input);

    expect(await refused('subscriptions.create', { customerId: customer.id, planId: 'no-such-plan', startDate: '2026-03-01' })).toMatchObject({ code: 'not_found', field: 'planId' });
    expect(await refused('subscriptions.create', { customerId: 'nobody', planId: plan.id, startDate: '2026-03-01' })).toMatchObject({ code: 'not_found', field: 'customerId' });
    expect(await refused('plans.create', { name: 'Negative', price: -100, interval: 'month' })).toMatchObject({ code: 'validation', field: 'price' });
    expect(await refused('plans.create', { name: 'Float', price: 29.99, interval: 'month' })).toMatchObject({ code: 'validation', field: 'price' });
    expect(await refused('plans.create', { name: 'Weird', price: 100, interval: 'fortnight' })).toMatchObject({ code: 'validation', field: 'interval' });
    expect(await refused('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: 'next tuesday' })).toMatchObject({ code: 'validation', field: 'startDate' });
    expect(await refused('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-02-30' })).toMatchObject({ code: 'validation', field: 'startDate' });
    expect(await refused('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', quantity: 0 })).toMatchObject({ code: 'validation', field: 'quantity' });
    expect(await refused('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', couponCode: 'OLD' })).toMatchObject({
      code: 'validation',
      field: 'couponCode',
      message: expect.stringContaining('expired on 2026-01-31'),
    });
    expect(await refused('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', couponCode: 'NOPE' })).toMatchObject({ code: 'not_found', field: 'couponCode' });
    expect(await refused('subscriptions.change', { id: sub.id, quantity: 2, on: '2026-04-15' })).toMatchObject({ code: 'validation', field: 'on', message: expect.stringContaining('2026-03-01 to 2026-03-31') });
    expect(await refused('subscriptions.change', { id: sub.id, quantity: 2, on: '2026-02-15' })).toMatchObject({ code: 'validation', field: 'on' });
    expect(await refused('subscriptions.change', { id: sub.id, on: '2026-03-10' })).toMatchObject({ code: 'validation', field: 'planId' });
    expect(await refused('subscriptions.change', { id: sub.id, quantity: 2, on: '2026-03-10', mode: 'someday' })).toMatchObject({ code: 'validation', field: 'mode' });
    expect(await refused('coupons.create', { code: 'BOTH', percentOff: '10', amountOff: 100, duration: 'once' })).toMatchObject({ code: 'validation', field: 'percentOff' });
    expect(await refused('coupons.create', { code: 'REP', percentOff: '10', duration: 'repeating' })).toMatchObject({ code: 'validation', field: 'durationMonths' });
    expect(await refused('plans.create', { name: 'Tiers', price: 0, interval: 'month', pricingModel: 'graduated', tiers: [{ upTo: 5, unitAmount: 1 }] })).toMatchObject({ code: 'validation', field: 'tiers' });
    expect(await refused('plans.update', { id: plan.id, price: 4000 })).toMatchObject({ code: 'conflict', field: 'price' });
    expect(await refused('plans.delete', { id: plan.id })).toMatchObject({ code: 'conflict' });
    expect(await refused('invoices.pay', { id: 'nope', amount: 100, method: 'cash', on: '2026-03-05' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(await refused('billing.run', { asOf: '2026-13-01' })).toMatchObject({ code: 'validation', field: 'asOf' });
    expect(fingerprint(b.db.sqlite)).toBe(before);
    b.close();
  });

  it('roles: viewers cannot bill or subscribe, staff cannot void or refund', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('manual')).id });
    await b.run('2026-03-01');
    const [invoice] = await b.invoices();
    for (const role of ['staff', 'viewer'] as const) await b.call('users.create', { name: role, email: `${role}@example.com`, role, password: 'password one' });
    const as = async (role: string) => {
      const conn = b.newConnection();
      await b.core.dispatch(conn, 'auth.login', { businessId: b.businessId, email: `${role}@example.com`, password: 'password one' });
      return conn;
    };
    const viewer = await as('viewer');
    const staff = await as('staff');
    expect(await callError(b.core, viewer, 'billing.run', { asOf: '2026-04-01' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(b.core, viewer, 'subscriptions.cancel', { id: sub.id, on: '2026-03-05' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(b.core, viewer, 'plans.create', { name: 'X', price: 1, interval: 'month' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(b.core, staff, 'invoices.void', { id: invoice!.id })).toMatchObject({ code: 'forbidden' });
    const paid = await b.core.dispatch(staff, 'invoices.pay', { id: invoice!.id, amount: 1000, method: 'cash', on: '2026-03-02' });
    expect(paid.ok).toBe(true);
    const payment = (await b.payments())[0]!;
    expect(await callError(b.core, staff, 'payments.refund', { id: payment.id, on: '2026-03-03' })).toMatchObject({ code: 'forbidden' });
    expect((await b.core.dispatch(viewer, 'invoices.list', {})).ok).toBe(true);
    b.close();
  });
});
