import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';
import { callError } from '../../support/core';

// Every worked example of ../shared/spec/billing.md, through the real dispatcher.

describe('spec 2: the anchor grid, as invoice dates', () => {
  it('monthly from 2026-01-31', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-31' });
    await b.run('2026-05-31');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    b.close();
  });

  it('yearly from 2024-02-29', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 10000, interval: 'year' });
    await b.subscribe({ planId: plan.id, startDate: '2024-02-29' });
    await b.run('2028-02-29');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
    b.close();
  });

  it('every 2 weeks from 2026-01-05', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000, interval: 'week', intervalCount: 2 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-05' });
    await b.run('2026-02-02');
    expect((await b.invoices()).map((i) => [i.issueDate, i.periodStart, i.periodEnd])).toEqual([
      ['2026-01-05', '2026-01-05', '2026-01-19'],
      ['2026-01-19', '2026-01-19', '2026-02-02'],
      ['2026-02-02', '2026-02-02', '2026-02-16'],
    ]);
    b.close();
  });
});

describe('spec 3: invoices', () => {
  it('a PC off for three months catches up with three invoices, each dated its period start, numbered in order', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 2900 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-01' });
    await b.run('2026-01-01');
    await b.run('2026-04-01');
    const invoices = await b.invoices();
    expect(invoices.map((i) => [i.number, i.issueDate, i.status])).toEqual([
      ['INV-000001', '2026-01-01', 'paid'],
      ['INV-000002', '2026-02-01', 'paid'],
      ['INV-000003', '2026-03-01', 'paid'],
      ['INV-000004', '2026-04-01', 'paid'],
    ]);
    b.close();
  });

  it('$29.00 monthly with a 20% forever coupon: 2900 - 580 = 2320; with 8.25% tax: 191, total 2511', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 2900 });
    await b.call('coupons.create', { code: 'TWENTY', percentOff: '20', duration: 'forever' });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', couponCode: 'twenty' });
    await b.run('2026-03-01');
    expect(await b.invoices()).toMatchObject([{ subtotal: 2900, discount: 580, tax: 0, total: 2320 }]);

    const t = await billingBusiness({ taxRate: '8.25' });
    const plan2 = await t.plan({ price: 2900 });
    await t.call('coupons.create', { code: 'TWENTY', percentOff: '20', duration: 'forever' });
    await t.subscribe({ planId: plan2.id, startDate: '2026-03-01', couponCode: 'TWENTY' });
    await t.run('2026-04-01');
    const [inv] = await t.invoices();
    expect(inv).toMatchObject({ subtotal: 2900, discount: 580, tax: 191, total: 2511, amountPaid: 2511, amountDue: 0 });
    expect(inv!.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 2900], ['discount', -580], ['tax', 191]]);
    expect((await t.invoices())[1]).toMatchObject({ total: 2511 }); // forever
    b.close();
    t.close();
  });

  it('tiers "1-10 at $5.00, 11+ at $4.00", quantity 15: graduated 7000, volume 6000', async () => {
    const b = await billingBusiness();
    const tiers = [{ upTo: 10, unitAmount: 500 }, { upTo: null, unitAmount: 400 }];
    const graduated = await b.plan({ price: 0, pricingModel: 'graduated', tiers });
    const volume = await b.plan({ price: 0, pricingModel: 'volume', tiers });
    await b.subscribe({ planId: graduated.id, startDate: '2026-03-01', quantity: 15 });
    await b.subscribe({ planId: volume.id, startDate: '2026-03-01', quantity: 15 });
    await b.run('2026-03-01');
    expect((await b.invoices()).map((i) => i.subtotal)).toEqual([7000, 6000]);
    b.close();
  });

  it('coupon durations: repeating 2 months from 01-05 covers 01-05 and 02-05, not 03-05; once covers the first invoice', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    await b.call('coupons.create', { code: 'TWOMONTHS', amountOff: 300, duration: 'repeating', durationMonths: 2 });
    await b.call('coupons.create', { code: 'ONCE', percentOff: '50', duration: 'once' });
    const a = await b.subscribe({ planId: plan.id, startDate: '2026-01-05', couponCode: 'TWOMONTHS' });
    const o = await b.subscribe({ planId: plan.id, startDate: '2026-01-05', couponCode: 'ONCE' });
    await b.run('2026-03-05');
    expect((await b.invoices({ subscriptionId: a.id })).map((i) => [i.issueDate, i.discount])).toEqual([
      ['2026-01-05', 300],
      ['2026-02-05', 300],
      ['2026-03-05', 0],
    ]);
    expect((await b.invoices({ subscriptionId: o.id })).map((i) => i.discount)).toEqual([500, 0, 0]);
    b.close();
  });

  it('credit balance: a negative total becomes credit, and the next invoice uses it first', async () => {
    const b = await billingBusiness();
    const big = await b.plan({ price: 9000 });
    const small = await b.plan({ price: 1000 });
    const customer = await b.customer('card');
    const sub = await b.subscribe({ customerId: customer.id, planId: big.id, startDate: '2026-03-01' });
    await b.run('2026-03-01');
    // Downgrade on day 1 of 31: credit -round(9000 x 30/31) = -8710, charge round(1000 x 30/31) = 968.
    await b.call('subscriptions.change', { id: sub.id, planId: small.id, on: '2026-03-02', mode: 'prorate' });
    await b.run('2026-04-01');
    const april = (await b.invoices()).find((i) => i.issueDate === '2026-04-01')!;
    expect(april.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 1000], ['proration', -8710], ['proration', 968]]);
    expect(april).toMatchObject({ total: -6742, amountDue: 0, status: 'paid', amountPaid: 0 });
    expect((await b.payments({ invoiceId: april.id })).length).toBe(0); // nothing to collect: no payment row
    expect((await b.call('customers.get', { id: customer.id })).customer.creditBalance).toBe(6742);
    await b.run('2026-05-01');
    const may = (await b.invoices()).find((i) => i.issueDate === '2026-05-01')!;
    expect(may).toMatchObject({ total: 1000, creditApplied: 1000, amountDue: 0, status: 'paid' });
    expect(may.lines.at(-1)).toMatchObject({ kind: 'credit', amount: -1000 });
    expect((await b.call('customers.get', { id: customer.id })).customer.creditBalance).toBe(5742);
    b.close();
  });

  it('due dates: automatic collection is due on the issue date; hand payers get the net terms', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('card')).id });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('manual')).id });
    await b.run('2026-03-01');
    expect((await b.invoices()).map((i) => [i.dueDate, i.status])).toEqual([
      ['2026-03-01', 'paid'],
      ['2026-03-15', 'open'],
    ]);
    b.close();
  });
});

describe('spec 4: trials', () => {
  it('a 14-day trial from 2026-03-10: first invoice 2026-03-24, next 2026-04-24', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1500, trialDays: 14 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-10' });
    expect(sub).toMatchObject({ status: 'trialing', trialEnd: '2026-03-24', anchorDate: '2026-03-24' });
    await b.run('2026-03-23');
    expect(await b.invoices()).toEqual([]);
    await b.run('2026-04-24');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-03-24', '2026-04-24']);
    expect((await b.subscription(sub.id)).status).toBe('active');
    b.close();
  });

  it('canceling in the trial means no invoice, ever', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1500, trialDays: 14, setupFee: 500 });
    const now = await b.subscribe({ planId: plan.id, startDate: '2026-03-10' });
    const atEnd = await b.subscribe({ planId: plan.id, startDate: '2026-03-10' });
    await b.call('subscriptions.cancel', { id: now.id, on: '2026-03-15' });
    await b.call('subscriptions.cancel', { id: atEnd.id, on: '2026-03-15', atPeriodEnd: true });
    await b.run('2026-12-31');
    expect(await b.invoices()).toEqual([]);
    expect((await b.subscription(now.id)).status).toBe('canceled');
    expect((await b.subscription(atEnd.id))).toMatchObject({ status: 'canceled', canceledAt: '2026-03-24' });
    b.close();
  });
});

describe('spec 5: collecting payments', () => {
  it('card succeeds; a declined card leaves the invoice open and the subscription past_due; manual makes no attempt', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000, setupFee: 2500 });
    const ok = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('card')).id });
    const bad = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('card_declining')).id });
    const hand = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('manual')).id });
    expect(await b.run('2026-03-01')).toEqual({ asOf: '2026-03-01', invoicesIssued: 3, paymentsSucceeded: 1, paymentsFailed: 1, subscriptionsCanceled: 0 });
    const [i1, i2, i3] = await b.invoices();
    expect(i1).toMatchObject({ subscriptionId: ok.id, status: 'paid', subtotal: 3500, amountPaid: 3500 });
    expect(i1!.lines.map((l) => l.kind)).toEqual(['recurring', 'setup_fee']);
    expect(i2).toMatchObject({ subscriptionId: bad.id, status: 'open', amountDue: 3500, attemptCount: 1, nextRetryOn: '2026-03-04' });
    expect(i3).toMatchObject({ subscriptionId: hand.id, status: 'open', attemptCount: 0, nextRetryOn: null });
    expect((await b.subscription(bad.id)).status).toBe('past_due');
    expect((await b.subscription(hand.id)).status).toBe('active');
    expect((await b.payments()).map((p) => [p.status, p.amount]).sort()).toEqual([['failed', 3500], ['succeeded', 3500]]);
    // The setup fee is on the first invoice only.
    await b.run('2026-04-01');
    expect((await b.invoices({ subscriptionId: ok.id }))[1]!.subtotal).toBe(1000);
    b.close();
  });

  it('declined 03-01, retries 03-04, 03-06, 03-08 declined: uncollectible and canceled on 03-08; no 04-01 invoice', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: (await b.customer('card_declining')).id });
    const summary = await b.run('2026-04-30');
    expect(summary).toEqual({ asOf: '2026-04-30', invoicesIssued: 1, paymentsSucceeded: 0, paymentsFailed: 4, subscriptionsCanceled: 1 });
    const [inv] = await b.invoices();
    expect(inv).toMatchObject({ issueDate: '2026-03-01', status: 'uncollectible', attemptCount: 4, nextRetryOn: null });
    expect((await b.payments()).map((p) => [p.paidOn, p.status, p.attempt]).sort()).toEqual([
      ['2026-03-01', 'failed', 1],
      ['2026-03-04', 'failed', 2],
      ['2026-03-06', 'failed', 3],
      ['2026-03-08', 'failed', 4],
    ]);
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'canceled', canceledAt: '2026-03-08' });
    b.close();
  });

  it('a retry uses the payment method as it is then: fixed card pays on the next retry and the subscription is active again', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const customer = await b.customer('card_declining');
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-03-05');
    await b.call('customers.update', { id: customer.id, paymentMethod: 'card' });
    await b.run('2026-04-01');
    const invoices = await b.invoices();
    expect(invoices[0]).toMatchObject({ status: 'paid', paidOn: '2026-03-06', attemptCount: 3 });
    expect(invoices[1]).toMatchObject({ issueDate: '2026-04-01', status: 'paid' });
    expect((await b.subscription(sub.id)).status).toBe('active');
    const { history } = await b.call('subscriptions.get', { id: sub.id });
    expect(history.map((h) => [h.effectiveDate, h.status])).toEqual([
      ['2026-03-01', 'active'],
      ['2026-03-01', 'past_due'],
      ['2026-03-06', 'active'],
    ]);
    b.close();
  });

  it('manual payments may be partial; refunds are their own dated rows; voiding cancels what is due', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 10000 });
    const customer = await b.customer('manual');
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-04-01');
    const [march, april] = await b.invoices();
    const first = await b.call('invoices.pay', { id: march!.id, amount: 4000, method: 'cash', on: '2026-03-05' });
    expect(first.invoice).toMatchObject({ status: 'open', amountPaid: 4000, amountDue: 6000 });
    expect(await callError(b.core, b.conn, 'invoices.pay', { id: march!.id, amount: 7000, method: 'cash', on: '2026-03-06' })).toMatchObject({ code: 'validation', field: 'amount' });
    const second = await b.call('invoices.pay', { id: march!.id, amount: 6000, method: 'bank_transfer', on: '2026-03-10', reference: 'TX-1' });
    expect(second.invoice).toMatchObject({ status: 'paid', paidOn: '2026-03-10', amountDue: 0 });
    const refund = await b.call('payments.refund', { id: second.payment.id, amount: 2500, on: '2026-03-20', reason: 'goodwill' });
    expect(refund.refund).toMatchObject({ amount: 2500, refundedOn: '2026-03-20' });
    expect(refund.payment.amountRefunded).toBe(2500);
    expect(await callError(b.core, b.conn, 'payments.refund', { id: second.payment.id, amount: 4000, on: '2026-03-21' })).toMatchObject({ field: 'amount' });
    const voided = await b.call('invoices.void', { id: april!.number, on: '2026-04-02' });
    expect(voided).toMatchObject({ status: 'void', amountDue: 0 });
    expect(await callError(b.core, b.conn, 'invoices.void', { id: march!.id })).toMatchObject({ code: 'conflict' });
    expect((await b.call('customers.get', { id: customer.id })).totalPaid).toBe(7500);
    b.close();
  });
});

describe('spec 6: changing a subscription', () => {
  async function thirtyDollars(mode: 'prorate' | 'invoice_now' | 'at_period_end') {
    const b = await billingBusiness();
    const basic = await b.plan({ price: 3000 });
    const pro = await b.plan({ price: 6000 });
    const sub = await b.subscribe({ planId: basic.id, startDate: '2026-03-01' });
    await b.run('2026-03-11');
    const preview = await b.call('subscriptions.previewChange', { id: sub.id, planId: pro.id, on: '2026-03-11', mode });
    const change = await b.call('subscriptions.change', { id: sub.id, planId: pro.id, on: '2026-03-11', mode });
    await b.run('2026-04-01');
    return { b, sub, preview, change, basic, pro };
  }

  it('prorate: $30 to $60 on 03-11 of a 31-day period: -2032 and +4065 on the 04-01 invoice, 8033 in all', async () => {
    const { b, preview, change } = await thirtyDollars('prorate');
    expect(change.invoice).toBeNull();
    expect(preview.prorationLines.map((l) => l.amount)).toEqual([-2032, 4065]);
    const april = (await b.invoices()).find((i) => i.issueDate === '2026-04-01')!;
    expect(april.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 6000], ['proration', -2032], ['proration', 4065]]);
    expect(april.total).toBe(8033);
    // The preview showed exactly the lines the engine wrote.
    expect(preview.nextInvoice).toMatchObject({ issueDate: '2026-04-01', total: 8033, lines: april.lines });
    b.close();
  });

  it('invoice_now: an invoice dated 03-11 holds both lines and is collected at once', async () => {
    const { b, preview, change } = await thirtyDollars('invoice_now');
    expect(change.invoice).toMatchObject({ issueDate: '2026-03-11', total: 2033, status: 'paid' });
    expect(change.invoice!.lines.map((l) => l.amount)).toEqual([-2032, 4065]);
    expect(preview.invoiceNow).toMatchObject({ issueDate: '2026-03-11', total: 2033, lines: change.invoice!.lines });
    expect((await b.invoices()).find((i) => i.issueDate === '2026-04-01')!.total).toBe(6000);
    b.close();
  });

  it('at_period_end: no proration; the new plan applies from 04-01', async () => {
    const { b, change, sub } = await thirtyDollars('at_period_end');
    expect(change.subscription.scheduledChange).toMatchObject({ on: '2026-04-01' });
    const april = (await b.invoices()).find((i) => i.issueDate === '2026-04-01')!;
    expect(april.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 6000]]);
    expect((await b.subscription(sub.id)).scheduledChange).toBeNull();
    b.close();
  });

  it('a new interval takes effect at once: credit for the unused part, new anchor, an invoice dated the change with the full new period', async () => {
    const b = await billingBusiness();
    const monthly = await b.plan({ price: 3000 });
    const yearly = await b.plan({ price: 30000, interval: 'year' });
    const sub = await b.subscribe({ planId: monthly.id, startDate: '2026-03-01' });
    await b.run('2026-03-11');
    const { invoice, subscription } = await b.call('subscriptions.change', { id: sub.id, planId: yearly.id, on: '2026-03-11', mode: 'at_period_end' });
    expect(invoice).toMatchObject({ issueDate: '2026-03-11', periodStart: '2026-03-11', periodEnd: '2027-03-11', total: 27968 });
    expect(invoice!.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 30000], ['proration', -2032]]);
    expect(subscription).toMatchObject({ anchorDate: '2026-03-11', currentPeriodEnd: '2027-03-11', nextInvoiceDate: '2027-03-11' });
    await b.run('2027-03-11');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-03-01', '2026-03-11', '2027-03-11']);
    b.close();
  });
});

describe('spec 7: pause, cancel, reactivate', () => {
  it('pause on C invoices nothing while paused; resume on R bills the first grid period on or after R', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-01-01' });
    await b.run('2026-02-01');
    await b.call('subscriptions.pause', { id: sub.id, on: '2026-02-10' });
    await b.run('2026-03-31');
    expect((await b.subscription(sub.id)).status).toBe('paused');
    const resumed = await b.call('subscriptions.resume', { id: sub.id, on: '2026-03-15' });
    expect(resumed).toMatchObject({ status: 'active', nextInvoiceDate: '2026-04-01' });
    await b.run('2026-05-01');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-01-01', '2026-02-01', '2026-04-01', '2026-05-01']);
    b.close();
  });

  it('cancel at period end: no later invoice, canceled on the period end', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-10');
    const pending = await b.call('subscriptions.cancel', { id: sub.id, on: '2026-03-10', atPeriodEnd: true });
    expect(pending).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, cancelAt: '2026-04-01', nextInvoiceDate: null });
    await b.run('2026-06-01');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-03-01']);
    expect(await b.subscription(sub.id)).toMatchObject({ status: 'canceled', canceledAt: '2026-04-01' });
    b.close();
  });

  it('cancel now with proration credits round(amount x days(C, pe) / days(ps, pe))', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer();
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-03-11');
    const canceled = await b.call('subscriptions.cancel', { id: sub.id, on: '2026-03-11', prorate: true });
    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: '2026-03-11' });
    expect((await b.call('customers.get', { id: customer.id })).customer.creditBalance).toBe(2032);
    await b.run('2026-06-01');
    expect((await b.invoices()).length).toBe(1);
    b.close();
  });

  it('reactivation undoes a cancel at period end, or starts a canceled subscription again', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000, setupFee: 500 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-05');
    await b.call('subscriptions.cancel', { id: sub.id, on: '2026-03-05', atPeriodEnd: true });
    const undone = await b.call('subscriptions.reactivate', { id: sub.id });
    expect(undone).toMatchObject({ cancelAtPeriodEnd: false, cancelAt: null, nextInvoiceDate: '2026-04-01' });
    await b.call('subscriptions.cancel', { id: sub.id, on: '2026-04-10' });
    await b.run('2026-05-01');
    await b.call('subscriptions.reactivate', { id: sub.id, on: '2026-05-20' });
    await b.run('2026-06-20');
    const invoices = await b.invoices();
    expect(invoices.map((i) => [i.issueDate, i.subtotal])).toEqual([
      ['2026-03-01', 1500],
      ['2026-04-01', 1000],
      ['2026-05-20', 1000],
      ['2026-06-20', 1000],
    ]);
    b.close();
  });
});

describe('runs are idempotent and numbers gapless', () => {
  it('a second run as of the same or an earlier date changes nothing', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-15' });
    await b.subscribe({ planId: plan.id, startDate: '2026-02-01', customerId: (await b.customer('card_declining')).id });
    await b.run('2026-03-31');
    const before = JSON.stringify(await b.invoices());
    expect(await b.run('2026-03-31')).toMatchObject({ invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0 });
    expect(await b.run('2026-02-01')).toMatchObject({ invoicesIssued: 0 });
    expect(JSON.stringify(await b.invoices())).toBe(before);
    // 01-15, 02-01 (declined, canceled 02-08 after its retries), 02-15, 03-15.
    expect((await b.invoices()).map((i) => i.number)).toEqual(['INV-000001', 'INV-000002', 'INV-000003', 'INV-000004']);
    b.close();
  });
});

describe('simulate forward', () => {
  it('previews the next months from the real engine without writing anything', async () => {
    const b = await billingBusiness({ taxRate: '10' });
    const monthly = await b.plan({ price: 3000 });
    const weekly = await b.plan({ price: 1000, interval: 'week' });
    await b.subscribe({ planId: monthly.id, startDate: '2026-01-15' });
    await b.subscribe({ planId: weekly.id, startDate: '2026-02-02', customerId: (await b.customer('card_declining')).id });
    await b.run('2026-02-01');
    const before = JSON.stringify(await b.invoices());
    const sim = await b.call('billing.simulate', { from: '2026-02-01', months: 3 });
    expect(sim.months).toEqual([
      // Feb: 02-15 monthly (3300 with tax); weekly 02-02 then canceled 02-09 after its retries.
      { month: '2026-02', invoices: 2, amount: 3300 + 1100, collected: 3300 },
      { month: '2026-03', invoices: 1, amount: 3300, collected: 3300 },
      { month: '2026-04', invoices: 1, amount: 3300, collected: 3300 },
    ]);
    expect(JSON.stringify(await b.invoices())).toBe(before);
    expect(await b.run('2026-02-01')).toMatchObject({ invoicesIssued: 0 });
    b.close();
  });
});
