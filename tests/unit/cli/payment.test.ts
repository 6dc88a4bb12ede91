import { describe, expect, it } from 'vitest';
import { withBilling, type BillingCli, type InvoiceDetail, type Payment } from './billing-fixtures';

/** A $100.00 invoice paid by card on 2026-03-01. */
async function paidByCard(b: BillingCli) {
  const plan = await b.plan('--name', 'Studio', '--price', '100', '--interval', 'month');
  const customer = await b.customer('Jane Doe', 'card');
  await b.subscribe(customer.id, plan.id, '2026-03-01');
  await b.run('2026-03-01');
  const invoice = await b.invoice('INV-000001');
  return { customer, invoice, payment: invoice.payments[0]! };
}

interface Refunded {
  refund: { id: string; paymentId: string; amount: number; currency: string; refundedOn: string; reason: string };
  payment: Payment;
}

describe('recurra payment refund', () => {
  it('refunds part of a payment, then the rest by default: {refund} (with the payment beside it)', async () => {
    const b = await withBilling();
    const { payment } = await paidByCard(b);
    expect(payment).toMatchObject({ amount: 10000, method: 'card', status: 'succeeded' });
    const first = await b.json<Refunded>(['payment', 'refund', payment.id, '--amount', '25.00', '--on', '2026-03-20', '--reason', 'goodwill']);
    expect(first.refund).toEqual({ id: expect.any(String), paymentId: payment.id, amount: 2500, currency: 'USD', refundedOn: '2026-03-20', reason: 'goodwill' });
    expect(first.payment).toMatchObject({ id: payment.id, amountRefunded: 2500 });
    const rest = await b.json<Refunded>(['payment', 'refund', payment.id, '--on', '2026-03-21']);
    expect(rest.refund.amount).toBe(7500);
    const invoice = await b.invoice('INV-000001');
    expect(invoice.refunds.map((r) => [r.refundedOn, r.amount])).toEqual([['2026-03-20', 2500], ['2026-03-21', 7500]]);
    const again = await b.refused(['payment', 'refund', payment.id, '--on', '2026-03-22']);
    expect(again).toMatchObject({ code: 1, error: { code: 'conflict', field: 'id', message: 'This payment has been refunded in full already' } });
    expect(again.stderr).toBe(`Error: payment ${payment.id}: This payment has been refunded in full already\n`);
  });

  it('tells a person what was refunded and what is left', async () => {
    const b = await withBilling();
    const { payment } = await paidByCard(b);
    const run = await b.human(['payment', 'refund', payment.id, '--amount', '25', '--on', '2026-03-20']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Refunded \$25\.00 on 2026-03-20 of the \$100\.00 payment from Jane Doe for INV-000001; \$75\.00 of it is not refunded\.\nRefund id: \S+\n$/);
  });

  it.each([
    [['--amount', '100.01', '--on', '2026-03-20'], 'amount', '--amount', 'At most $100.00 can be refunded'],
    [['--amount', '10.005', '--on', '2026-03-20'], 'amount', '--amount', 'USD allows at most 2 decimal places'],
    [['--amount', '-10', '--on', '2026-03-20'], 'amount', '--amount', 'The amount cannot be negative'],
    [['--amount', '10', '--on', '2026-02-28'], 'on', '--on', 'The refund date cannot be before the payment, 2026-03-01'],
    [['--on', 'yesterday'], 'on', '--on', 'Use a date like 2026-03-01'],
  ])('refuses %j: validation on %s naming %s (exit 1)', async (flags, field, flag, message) => {
    const b = await withBilling();
    const { payment } = await paidByCard(b);
    const refusal = await b.refused(['payment', 'refund', payment.id, ...flags]);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect((await b.invoice('INV-000001')).refunds).toEqual([]);
  });

  it('refuses staff with exit 3 (refunds are the owner’s), an unknown payment (1) and a failed attempt (1)', async () => {
    const b = await withBilling();
    const { payment } = await paidByCard(b);
    const staff = await b.refused(['payment', 'refund', payment.id, '--on', '2026-03-20'], await b.as('staff'));
    expect(staff).toMatchObject({ code: 3, stdout: '', error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect(await b.refused(['payment', 'refund', 'nope', '--on', '2026-03-20'])).toMatchObject({
      code: 1,
      error: { code: 'not_found', field: 'id', message: 'That payment was not found' },
      stderr: 'Error: payment nope: That payment was not found\n',
    });
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await b.subscribe((await b.customer('Declined Payer', 'card_declining')).id, plan.id, '2026-03-01');
    await b.run('2026-03-01');
    const [failed] = await b.json<Payment[]>(['payment', 'list', '--status', 'failed']);
    expect(await b.refused(['payment', 'refund', failed!.id, '--on', '2026-03-20'])).toMatchObject({
      code: 1,
      error: { code: 'conflict', message: 'Only a successful payment can be refunded' },
    });
  });
});

describe('recurra payment list', () => {
  it('lists [payment], filtered, and as a table for people', async () => {
    const b = await withBilling();
    const { payment, customer } = await paidByCard(b);
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await b.subscribe((await b.customer('Declined Payer', 'card_declining')).id, plan.id, '2026-03-02');
    await b.run('2026-03-02');
    const all = await b.json<Payment[]>(['payment', 'list']);
    expect(all.map((p) => [p.paidOn, p.status, p.amount])).toEqual([['2026-03-02', 'failed', 1000], ['2026-03-01', 'succeeded', 10000]]);
    expect((await b.json<Payment[]>(['payment', 'list', '--customer', customer.id])).map((p) => p.id)).toEqual([payment.id]);
    const invoice = await b.json<{ invoice: InvoiceDetail }>(['invoice', 'show', 'INV-000001']);
    expect((await b.json<Payment[]>(['payment', 'list', '--invoice', invoice.invoice.id])).map((p) => p.id)).toEqual([payment.id]);
    expect(await b.json<Payment[]>(['payment', 'list', '--to', '2026-02-28'])).toEqual([]);
    const table = (await b.human(['payment', 'list'])).stdout;
    expect(table).toMatch(/^ID +DATE +KIND +CUSTOMER +INVOICE +METHOD +STATUS +AMOUNT +REFUNDED\n/);
    expect(table).toMatch(/ 2026-03-01 +payment +Jane Doe +INV-000001 +card +succeeded +\$100\.00\n/);
    expect(table).toMatch(/\n2 payments\.\n$/);
    expect(await b.refused(['payment', 'list', '--status', 'pending'])).toMatchObject({ code: 1, error: { field: 'status', message: 'Status must be succeeded or failed' } });
  });
});

describe('recurra payment list with refunds', () => {
  it('lists each refund as its own row, negative, on its own date, so the succeeded rows add up to revenue', async () => {
    const b = await withBilling();
    const { payment, customer } = await paidByCard(b);
    await b.json(['payment', 'refund', payment.id, '--amount', '25.00', '--on', '2026-03-20', '--reason', 'goodwill']);
    const all = await b.json<(Payment & { kind: string; refundOf: string | null })[]>(['payment', 'list']);
    expect(all.map((p) => [p.paidOn, p.kind, p.amount, p.refundOf])).toEqual([
      ['2026-03-20', 'refund', -2500, payment.id],
      ['2026-03-01', 'payment', 10000, null],
    ]);
    expect(all[0]).toMatchObject({ customerId: customer.id, invoiceNumber: 'INV-000001', method: 'card', status: 'succeeded', reference: 'goodwill' });
    // March's revenue: 100.00 paid less 25.00 refunded.
    const march = await b.json<{ amount: number }[]>(['payment', 'list', '--status', 'succeeded', '--from', '2026-03-01', '--to', '2026-03-31']);
    expect(march.reduce((sum, p) => sum + p.amount, 0)).toBe(7500);
    // Dates, customer, invoice and kind narrow refunds too; failed attempts have none.
    expect((await b.json<Payment[]>(['payment', 'list', '--from', '2026-03-02'])).map((p) => p.amount)).toEqual([-2500]);
    expect((await b.json<Payment[]>(['payment', 'list', '--customer', customer.id])).map((p) => p.amount)).toEqual([-2500, 10000]);
    expect((await b.json<Payment[]>(['payment', 'list', '--kind', 'payment'])).map((p) => p.amount)).toEqual([10000]);
    expect((await b.json<Payment[]>(['payment', 'list', '--kind', 'refund'])).map((p) => p.amount)).toEqual([-2500]);
    expect(await b.json<Payment[]>(['payment', 'list', '--status', 'failed'])).toEqual([]);
    const table = (await b.human(['payment', 'list'])).stdout;
    expect(table).toMatch(/ 2026-03-20 +refund +Jane Doe +INV-000001 +card +succeeded +-\$25\.00 *\n/);
    expect(table).toMatch(/\n1 payment and 1 refund\.\n$/);
    expect(await b.refused(['payment', 'list', '--kind', 'credit'])).toMatchObject({ code: 1, error: { field: 'kind', message: 'Kind must be payment or refund' } });
  });
});
