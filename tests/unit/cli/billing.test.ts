import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateInTimeZone } from '@shared/domain/dates';
import { withBilling, type Invoice, type InvoiceDetail, type Payment, type Subscription } from './billing-fixtures';

describe('recurra billing run', () => {
  it('prints exactly {asOf, invoicesIssued, paymentsSucceeded, paymentsFailed, subscriptionsCanceled} (spec 5)', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month', '--setup-fee', '25');
    await b.subscribe((await b.customer('Card Payer', 'card')).id, plan.id, '2026-03-01');
    await b.subscribe((await b.customer('Declined Payer', 'card_declining')).id, plan.id, '2026-03-01');
    await b.subscribe((await b.customer('Hand Payer', 'manual')).id, plan.id, '2026-03-01');
    expect(await b.run('2026-03-01')).toEqual({ asOf: '2026-03-01', invoicesIssued: 3, paymentsSucceeded: 1, paymentsFailed: 1, subscriptionsCanceled: 0 });
    // Idempotent: the same date again changes nothing.
    expect(await b.run('2026-03-01')).toEqual({ asOf: '2026-03-01', invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 0 });
    // The declined card's retries (03-04, 03-06, 03-08) fail and cancel it before 04-01.
    const run = await b.human(['billing', 'run', '--as-of', '2026-04-01']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('Billing as of 2026-04-01: 2 invoices issued, 1 payment succeeded, 3 failed, 1 subscription canceled.\n');
  });

  it('says it in one sentence when there is nothing to do', async () => {
    const b = await withBilling();
    expect((await b.human(['billing', 'run', '--as-of', '2026-03-01'])).stdout).toBe(
      'Billing as of 2026-03-01: 0 invoices issued, 0 payments succeeded, 0 failed, no subscription canceled.\n',
    );
  });

  it('refuses a bad --as-of (1) and a viewer (3); staff may run', async () => {
    const b = await withBilling();
    expect(await b.refused(['billing', 'run', '--as-of', '2026-02-29'])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'asOf', message: 'Use a date like 2026-03-01' },
      stderr: 'Error: --as-of: Use a date like 2026-03-01\n',
    });
    expect(await b.refused(['billing', 'run', '--as-of', '2026-03-01'], await b.as('viewer'))).toMatchObject({ code: 3, error: { code: 'forbidden' } });
    expect((await b.human(['billing', 'run', '--as-of', '2026-03-01'], await b.as('staff'))).code).toBe(0);
  });
});

describe('recurra billing simulate', () => {
  it('prints {months:[{month, invoices, amount}]} (and what would be collected) and writes nothing', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await b.subscribe((await b.customer('Card Payer', 'card')).id, plan.id, '2026-03-15');
    await b.subscribe((await b.customer('Hand Payer', 'manual')).id, plan.id, '2026-04-01', '--quantity', '3');
    const result = await b.json<{ from: string; currency: string; months: unknown[] }>(['billing', 'simulate', '--months', '3', '--from', '2026-03-01']);
    expect(result).toEqual({
      from: '2026-03-01',
      currency: 'USD',
      months: [
        { month: '2026-03', invoices: 1, amount: 1000, collected: 1000 },
        { month: '2026-04', invoices: 2, amount: 4000, collected: 1000 },
        { month: '2026-05', invoices: 2, amount: 4000, collected: 1000 },
      ],
    });
    expect(await b.invoices()).toEqual([]);
    const human = (await b.human(['billing', 'simulate', '--months', '2', '--from', '2026-03-01'])).stdout;
    expect(human).toBe(
      [
        'The next 2 months from 2026-03-01, if nothing changes (nothing was written):',
        'MONTH    INVOICES  AMOUNT  COLLECTED',
        '2026-03         1  $10.00     $10.00',
        '2026-04         2  $40.00     $10.00',
        'Total           3  $50.00     $20.00',
        '',
      ].join('\n'),
    );
  });

  it("starts today in the business's time zone without --from", async () => {
    const b = await withBilling();
    const before = dateInTimeZone(new Date(), 'America/New_York');
    const { from, months } = await b.json<{ from: string; months: { month: string }[] }>(['billing', 'simulate', '--months', '1']);
    expect([before, dateInTimeZone(new Date(), 'America/New_York')]).toContain(from);
    expect(months.map((m) => m.month)).toEqual([from.slice(0, 7)]);
  });

  it('refuses months out of range or not a number, and a bad --from (exit 1)', async () => {
    const b = await withBilling();
    expect(await b.refused(['billing', 'simulate', '--months', '0'])).toMatchObject({ code: 1, error: { field: 'months', message: 'At least 1 month' }, stderr: 'Error: --months: At least 1 month\n' });
    expect(await b.refused(['billing', 'simulate', '--months', '37'])).toMatchObject({ code: 1, error: { field: 'months', message: 'At most 36 months' } });
    expect(await b.refused(['billing', 'simulate', '--months', 'six'])).toMatchObject({ code: 1, error: { field: 'months' } });
    expect(await b.refused(['billing', 'simulate', '--months', '3', '--from', 'soon'])).toMatchObject({ code: 1, error: { field: 'from' }, stderr: 'Error: --from: Use a date like 2026-03-01\n' });
  });
});

describe('recurra billing status', () => {
  it('prints whether billing runs and the last runs', async () => {
    const b = await withBilling();
    expect((await b.human(['billing', 'status'])).stdout).toBe('Billing is not running now.\nBilling has not run yet.\n');
    await b.run('2026-03-01');
    const status = await b.json<{ running: boolean; lastRun: { asOf: string; status: string }; recentRuns: unknown[] }>(['billing', 'status']);
    expect(status).toMatchObject({ running: false, lastRun: { asOf: '2026-03-01', status: 'completed' } });
    expect(status.recentRuns).toHaveLength(1);
  });
});

describe('a month of books kept by a script (spec/billing.md, to the cent)', () => {
  it('business, plans, coupon, customer, a trial, billing, the invoice, a previewed upgrade, a payment and a refund', async () => {
    const b = await withBilling();
    // Sales tax of 8.25% on everything (spec 3).
    await b.json(['business', 'update', '--tax-rate', '8.25']);
    const basic = await b.plan('--name', 'Basic', '--price', '30.00', '--interval', 'month', '--trial-days', '14');
    const pro = await b.plan('--name', 'Pro', '--price', '60.00', '--interval', 'month');
    const coupon = await b.coupon('--code', 'TWENTY', '--percent-off', '20', '--duration', 'forever');
    expect(coupon).toMatchObject({ code: 'TWENTY', percentOff: '20' });
    const jane = await b.customer('Jane Doe', 'manual');

    // A 14-day trial from 2026-02-15: anchored on 2026-03-01, nothing invoiced during the trial (spec 4).
    const sub = await b.subscribe(jane.id, basic.id, '2026-02-15', '--coupon', 'TWENTY');
    expect(sub).toMatchObject({ status: 'trialing', anchorDate: '2026-03-01' });
    expect(await b.run('2026-02-28')).toMatchObject({ invoicesIssued: 0 });

    // 2026-03-01: 3000 - 20% (600) = 2400, tax round(2400 x 8.25%) = 198, total 2598; a hand payer has 14 days.
    expect(await b.run('2026-03-11')).toEqual({ asOf: '2026-03-11', invoicesIssued: 1, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 0 });
    const march = await b.invoice('INV-000001');
    expect(march).toMatchObject({
      customerId: jane.id,
      subscriptionId: sub.id,
      status: 'open',
      issueDate: '2026-03-01',
      dueDate: '2026-03-15',
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      currency: 'USD',
      subtotal: 3000,
      discount: 600,
      tax: 198,
      total: 2598,
      amountPaid: 0,
      amountDue: 2598,
    });
    expect(march.lines.map((l) => [l.kind, l.quantity, l.amount, l.periodStart, l.periodEnd])).toEqual([
      ['recurring', 1, 3000, '2026-03-01', '2026-04-01'],
      ['discount', 1, -600, null, null],
      ['tax', 1, 198, null, null],
    ]);
    const shown = (await b.human(['invoice', 'show', 'INV-000001'])).stdout;
    expect(shown).toMatch(/Basic +2026-03-01 to 2026-03-31 +1 +\$30\.00\n/);
    expect(shown).toMatch(/Discount \(TWENTY\): +-\$6\.00\nTax: +\$1\.98\nTotal: +\$25\.98\nPaid: +\$0\.00\nAmount due: +\$25\.98\n/);

    // Upgrade to Pro on 03-11 of the 31-day period (spec 6): credit -2032, charge +4065, both on the 04-01 invoice:
    // subtotal 6000 + 4065 - 2032 = 8033, discount round(1606.6) = 1607, tax round(6426 x 8.25%) = round(530.145) = 530, total 6956.
    const { preview } = await b.json<{ preview: { prorationLines: { amount: number }[]; nextInvoice: Record<string, unknown> } }>([
      'subscription', 'preview-change', sub.id, '--plan', pro.id, '--on', '2026-03-11',
    ]);
    expect(preview.prorationLines.map((l) => l.amount)).toEqual([-2032, 4065]);
    expect(preview.nextInvoice).toMatchObject({ issueDate: '2026-04-01', subtotal: 8033, discount: 1607, tax: 530, total: 6956, amountDue: 6956 });
    const changed = await b.json<{ subscription: Subscription; invoice: Invoice | null }>(['subscription', 'change', sub.id, '--plan', pro.id, '--on', '2026-03-11']);
    expect(changed.invoice).toBeNull();
    expect(changed.subscription).toMatchObject({ planId: pro.id, status: 'active', recurringAmount: 6000 });

    // Jane pays March by bank transfer; $5.00 of it is refunded as a goodwill gesture.
    const paid = await b.json<{ invoice: InvoiceDetail; payment: Payment }>(['invoice', 'pay', 'INV-000001', '--amount', '25.98', '--method', 'bank_transfer', '--on', '2026-03-05', '--reference', 'TX-1']);
    expect(paid.invoice).toMatchObject({ status: 'paid', amountPaid: 2598, amountDue: 0, paidOn: '2026-03-05' });
    expect(paid.payment).toMatchObject({ amount: 2598, method: 'bank_transfer', status: 'succeeded', paidOn: '2026-03-05', reference: 'TX-1' });
    const refunded = await b.json<{ refund: Record<string, unknown>; payment: Payment }>(['payment', 'refund', paid.payment.id, '--amount', '5.00', '--on', '2026-03-20']);
    expect(refunded.refund).toMatchObject({ paymentId: paid.payment.id, amount: 500, currency: 'USD', refundedOn: '2026-03-20' });
    expect(refunded.payment.amountRefunded).toBe(500);
    expect((await b.invoice('INV-000001')).refunds.map((r) => r.amount)).toEqual([500]);

    // April's invoice is exactly what the preview said.
    expect(await b.run('2026-04-01')).toMatchObject({ invoicesIssued: 1 });
    const april = await b.invoice('INV-000002');
    expect(april).toMatchObject({ issueDate: '2026-04-01', dueDate: '2026-04-15', subtotal: 8033, discount: 1607, tax: 530, total: 6956, amountDue: 6956, status: 'open' });
    expect(april.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 6000], ['proration', -2032], ['proration', 4065], ['discount', -1607], ['tax', 530]]);
    expect((await b.invoices('--status', 'open')).map((i) => i.number)).toEqual(['INV-000002']);

    // And the PDF to send her.
    const out = path.join(b.dataDir, 'out', 'INV-000002.pdf');
    expect(await b.json(['invoice', 'pdf', 'INV-000002', '--out', out])).toEqual({ path: out });
    expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
