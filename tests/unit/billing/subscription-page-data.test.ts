import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';

describe('subscriptions.get: the proration waiting for the next invoice', () => {
  it('lists the pending lines a prorated change leaves, and none once the next invoice holds them', async () => {
    const b = await billingBusiness();
    const basic = await b.plan({ price: 3000 });
    const pro = await b.plan({ price: 6000 });
    const sub = await b.subscribe({ planId: basic.id, startDate: '2026-03-01' });
    await b.run('2026-03-11');
    expect((await b.call('subscriptions.get', { id: sub.id })).pendingItems).toEqual([]);
    await b.call('subscriptions.change', { id: sub.id, planId: pro.id, on: '2026-03-11', mode: 'prorate' });
    const { pendingItems } = await b.call('subscriptions.get', { id: sub.id });
    expect(pendingItems).toEqual([
      expect.objectContaining({ kind: 'proration', amount: -2032, periodStart: '2026-03-11', periodEnd: '2026-04-01', createdOn: '2026-03-11' }),
      expect.objectContaining({ kind: 'proration', amount: 4065, periodStart: '2026-03-11', periodEnd: '2026-04-01', createdOn: '2026-03-11' }),
    ]);
    expect(pendingItems[0]!.description).toMatch(/^Unused time on /);
    await b.run('2026-04-01');
    expect((await b.call('subscriptions.get', { id: sub.id })).pendingItems).toEqual([]);
    const april = (await b.invoices()).find((i) => i.issueDate === '2026-04-01')!;
    expect(april.lines.filter((l) => l.kind === 'proration').map((l) => l.amount)).toEqual([-2032, 4065]);
    b.close();
  });
});

describe('subscriptions.previewChange during a trial', () => {
  it('shows the first invoice (when the trial ends, on the new plan) exactly as billing then writes it', async () => {
    const b = await billingBusiness({ taxRate: '10' });
    const basic = await b.plan({ price: 1500, trialDays: 14 });
    const pro = await b.plan({ price: 4000, setupFee: 2500 });
    const sub = await b.subscribe({ planId: basic.id, startDate: '2026-03-10' });
    expect(sub).toMatchObject({ status: 'trialing', trialEnd: '2026-03-24' });
    const preview = await b.call('subscriptions.previewChange', { id: sub.id, planId: pro.id, quantity: 2, on: '2026-03-15', mode: 'prorate' });
    expect(preview).toMatchObject({ effectiveOn: '2026-03-15', prorationLines: [], invoiceNow: null, trialEndsOn: '2026-03-24' });
    // Pro x 2 from the trial's end, its setup fee, 10% tax.
    expect(preview.nextInvoice).toMatchObject({ issueDate: '2026-03-24', subtotal: 10500, tax: 1050, total: 11550 });
    expect(preview.nextInvoice!.lines.map((l) => [l.kind, l.amount, l.periodStart, l.periodEnd])).toEqual([
      ['recurring', 8000, '2026-03-24', '2026-04-24'],
      ['setup_fee', 2500, null, null],
      ['tax', 1050, null, null],
    ]);
    await b.call('subscriptions.change', { id: sub.id, planId: pro.id, quantity: 2, on: '2026-03-15', mode: 'prorate' });
    await b.run('2026-03-24');
    const [first] = await b.invoices({ subscriptionId: sub.id });
    expect(first).toMatchObject({ issueDate: '2026-03-24', total: preview.nextInvoice!.total, lines: preview.nextInvoice!.lines });
    b.close();
  });

  it('a change out of a trial to another interval: the first invoice is at the new cadence', async () => {
    const b = await billingBusiness();
    const monthly = await b.plan({ price: 1500, trialDays: 7 });
    const yearly = await b.plan({ price: 15000, interval: 'year' });
    const sub = await b.subscribe({ planId: monthly.id, startDate: '2026-03-01' });
    const preview = await b.call('subscriptions.previewChange', { id: sub.id, planId: yearly.id, on: '2026-03-03', mode: 'prorate' });
    expect(preview.nextInvoice!.lines).toEqual([expect.objectContaining({ kind: 'recurring', amount: 15000, periodStart: '2026-03-08', periodEnd: '2027-03-08' })]);
    await b.call('subscriptions.change', { id: sub.id, planId: yearly.id, on: '2026-03-03', mode: 'prorate' });
    await b.run('2026-03-08');
    const [first] = await b.invoices({ subscriptionId: sub.id });
    expect(first).toMatchObject({ issueDate: '2026-03-08', lines: preview.nextInvoice!.lines, total: 15000 });
    b.close();
  });
});

describe('payments.list: refunds as their own rows', () => {
  it('a refund is a negative row on its own date; the succeeded rows of a month add up to its revenue', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 10000 });
    const customer = await b.customer('manual');
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-04-01');
    const [march, april] = await b.invoices();
    const { payment } = await b.call('invoices.pay', { id: march!.id, amount: 10000, method: 'cash', on: '2026-03-05' });
    await b.call('invoices.pay', { id: april!.id, amount: 10000, method: 'bank_transfer', on: '2026-04-02' });
    const { refund } = await b.call('payments.refund', { id: payment.id, amount: 2500, on: '2026-04-03', reason: 'goodwill' });
    const all = await b.payments();
    expect(all.map((p) => [p.paidOn, p.kind, p.amount, p.method])).toEqual([
      ['2026-04-03', 'refund', -2500, 'cash'],
      ['2026-04-02', 'payment', 10000, 'bank_transfer'],
      ['2026-03-05', 'payment', 10000, 'cash'],
    ]);
    expect(all[0]).toMatchObject({ id: refund.id, refundOf: payment.id, invoiceId: march!.id, invoiceNumber: march!.number, reference: 'goodwill', amountRefunded: 0 });
    expect(all[2]).toMatchObject({ kind: 'payment', refundOf: null, amountRefunded: 2500 });
    const aprilRows = await b.call('payments.list', { status: 'succeeded', from: '2026-04-01', to: '2026-04-30', offset: 0, limit: 100 });
    expect(aprilRows.total).toBe(2);
    const revenue = await b.call('reports.view', { kind: 'revenue', from: '2026-04-01', to: '2026-04-30' });
    expect(revenue.rows[0]).toMatchObject({ payments: 10000, refunds: 2500, net: 7500 });
    expect(aprilRows.rows.reduce((sum, p) => sum + p.amount, 0)).toBe(revenue.rows[0]!.net);
    // Paging runs over payments and refunds together.
    const page = await b.call('payments.list', { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3, rows: [expect.objectContaining({ paidOn: '2026-04-02' })] });
    expect((await b.call('payments.list', { invoiceId: march!.id, offset: 0, limit: 10 })).rows.map((p) => p.kind)).toEqual(['refund', 'payment']);
    expect((await b.call('payments.list', { status: 'failed', offset: 0, limit: 10 })).total).toBe(0);
    b.close();
  });
});
