import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manySubscriptions, withBilling, type BillingCli, type InvoiceDetail, type Payment } from './billing-fixtures';

const SPEC_KEYS = ['id', 'number', 'customerId', 'subscriptionId', 'status', 'issueDate', 'dueDate', 'periodStart', 'periodEnd', 'currency', 'subtotal', 'discount', 'tax', 'total', 'amountPaid', 'amountDue', 'lines'];
const LINE_KEYS = ['kind', 'description', 'quantity', 'amount', 'periodStart', 'periodEnd'];

/** Spec 5's hand payer: $100.00 monthly from 2026-03-01, billed through 04-01 (two open invoices). */
async function handPayer(b: BillingCli) {
  const plan = await b.plan('--name', 'Studio', '--price', '100', '--interval', 'month');
  const customer = await b.customer('Jane Doe', 'manual');
  const subscription = await b.subscribe(customer.id, plan.id, '2026-03-01');
  await b.run('2026-04-01');
  return { plan, customer, subscription };
}

describe('recurra invoice list', () => {
  it('prints [invoice] with the spec keys and lines, newest first, filtered by status and customer', async () => {
    const b = await withBilling();
    const { customer } = await handPayer(b);
    const card = await b.customer('Card Payer', 'card');
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await b.subscribe(card.id, plan.id, '2026-03-05');
    await b.run('2026-03-05');
    const all = await b.invoices();
    expect(all.map((i) => [i.number, i.issueDate, i.status])).toEqual([
      ['INV-000002', '2026-04-01', 'open'],
      ['INV-000003', '2026-03-05', 'paid'],
      ['INV-000001', '2026-03-01', 'open'],
    ]);
    expect(Object.keys(all[0]!)).toEqual(expect.arrayContaining(SPEC_KEYS));
    expect(Object.keys(all[0]!.lines[0]!)).toEqual(expect.arrayContaining(LINE_KEYS));
    expect((await b.invoices('--status', 'paid')).map((i) => i.number)).toEqual(['INV-000003']);
    expect((await b.invoices('--customer', customer.id)).map((i) => i.number)).toEqual(['INV-000002', 'INV-000001']);
    expect((await b.invoices('--from', '2026-03-02', '--to', '2026-03-31')).map((i) => i.number)).toEqual(['INV-000003']);
  });

  it('shows people a table and what is due', async () => {
    const b = await withBilling();
    expect((await b.human(['invoice', 'list'])).stdout).toBe('No invoices match. Billing issues them: recurra billing run --help\n');
    await handPayer(b);
    const lines = (await b.human(['invoice', 'list'])).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NUMBER +CUSTOMER +ISSUED +DUE +STATUS +TOTAL +DUE NOW +ID$/);
    expect(lines[1]).toMatch(/^INV-000002 +Jane Doe +2026-04-01 +2026-04-15 +open +\$100\.00 +\$100\.00 +\S+$/);
    expect(lines.at(-1)).toBe('2 invoices; $200.00 due on 2 invoices.');
  });

  it('returns every invoice past the core page size of 500', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await manySubscriptions(b, 502, plan.id);
    expect(await b.run('2026-03-01')).toMatchObject({ invoicesIssued: 502 });
    expect(await b.invoices()).toHaveLength(502);
  });

  it('refuses a status that does not exist and a bad date (exit 1)', async () => {
    const b = await withBilling();
    expect(await b.refused(['invoice', 'list', '--status', 'late'])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'status', message: 'Status must be draft, open, paid, void, uncollectible' },
      stderr: 'Error: --status: Status must be draft, open, paid, void, uncollectible\n',
    });
    expect(await b.refused(['invoice', 'list', '--from', 'March'])).toMatchObject({ code: 1, error: { field: 'from' } });
  });
});

describe('recurra invoice show', () => {
  it('finds an invoice by number or id and prints {invoice} with its lines, payments and refunds', async () => {
    const b = await withBilling();
    await handPayer(b);
    const byNumber = await b.invoice('inv-000001');
    expect(byNumber).toMatchObject({ number: 'INV-000001', total: 10000, amountDue: 10000, payments: [], refunds: [] });
    expect(byNumber.lines).toEqual([
      { kind: 'recurring', description: 'Studio', quantity: 1, unitAmount: 10000, amount: 10000, periodStart: '2026-03-01', periodEnd: '2026-04-01' },
    ]);
    expect(await b.invoice(byNumber.id)).toEqual(byNumber);
  });

  it('shows a person the invoice: who, when, the charges, the totals and the payments', async () => {
    const b = await withBilling();
    await handPayer(b);
    await b.json(['invoice', 'pay', 'INV-000001', '--amount', '40', '--method', 'cash', '--on', '2026-03-05']);
    const run = await b.human(['invoice', 'show', 'INV-000001']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const text = run.stdout;
    expect(text).toMatch(/^Invoice: +INV-000001 \(\S+\)\nCustomer: +Jane Doe \(\S+\)\nIssued: +2026-03-01\nDue: +2026-03-15\nPeriod: +2026-03-01 to 2026-03-31\nStatus: +open\n\n/);
    expect(text).toMatch(/\nDESCRIPTION +PERIOD +QTY +AMOUNT\nStudio +2026-03-01 to 2026-03-31 +1 +\$100\.00\n\n/);
    expect(text).toMatch(/\nSubtotal: +\$100\.00\nTotal: +\$100\.00\nPaid: +\$40\.00\nAmount due: +\$60\.00\n/);
    expect(text).toMatch(/\nPayments:\nPAYMENT ID +DATE +METHOD +STATUS +AMOUNT +REFUNDED\n\S+ +2026-03-05 +cash +succeeded +\$40\.00\n$/);
  });

  it('reports an unknown invoice as not found (exit 1)', async () => {
    const b = await withBilling();
    const refusal = await b.refused(['invoice', 'show', 'INV-999999']);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'not_found', field: 'id', message: 'That invoice was not found' } });
    expect(refusal.stderr).toBe('Error: invoice INV-999999: That invoice was not found\n');
  });
});

describe('recurra invoice pay (spec 5: manual payments may be partial)', () => {
  it('records a payment: {invoice, payment}; the invoice is paid when nothing is due', async () => {
    const b = await withBilling();
    await handPayer(b);
    const first = await b.json<{ invoice: InvoiceDetail; payment: Payment }>(['invoice', 'pay', 'INV-000001', '--amount', '40.00', '--method', 'cash', '--on', '2026-03-05']);
    expect(first.invoice).toMatchObject({ number: 'INV-000001', status: 'open', amountPaid: 4000, amountDue: 6000 });
    expect(first.payment).toMatchObject({ amount: 4000, currency: 'USD', method: 'cash', status: 'succeeded', paidOn: '2026-03-05', invoiceNumber: 'INV-000001' });
    const tooMuch = await b.refused(['invoice', 'pay', 'INV-000001', '--amount', '70', '--method', 'cash', '--on', '2026-03-06']);
    expect(tooMuch).toMatchObject({ code: 1, error: { code: 'validation', field: 'amount', message: 'That is more than is due ($60.00)' } });
    expect(tooMuch.stderr).toBe('Error: --amount: That is more than is due ($60.00)\n');
    const second = await b.human(['invoice', 'pay', 'INV-000001', '--amount', '60', '--method', 'bank_transfer', '--on', '2026-03-10', '--reference', 'TX-1']);
    expect(second.stdout).toMatch(/^Recorded \$60\.00 by bank_transfer on 2026-03-10 for INV-000001: paid in full\.\nPayment id: \S+\n/);
    expect(await b.invoice('INV-000001')).toMatchObject({ status: 'paid', paidOn: '2026-03-10', amountDue: 0 });
    const again = await b.refused(['invoice', 'pay', 'INV-000001', '--amount', '1', '--method', 'cash', '--on', '2026-03-11']);
    expect(again).toMatchObject({ code: 1, error: { code: 'conflict', message: 'This invoice is paid; there is nothing to pay' } });
  });

  it.each([
    [['--amount', '40.001', '--method', 'cash', '--on', '2026-03-05'], 'amount', '--amount', 'USD allows at most 2 decimal places'],
    [['--amount', '-40', '--method', 'cash', '--on', '2026-03-05'], 'amount', '--amount', 'The amount cannot be negative'],
    [['--amount', '0', '--method', 'cash', '--on', '2026-03-05'], 'amount', '--amount', 'The amount must be more than zero'],
    [['--amount', 'forty', '--method', 'cash', '--on', '2026-03-05'], 'amount', '--amount', 'Enter an amount like 29.00'],
    [['--amount', '40', '--method', 'cheque', '--on', '2026-03-05'], 'method', '--method', 'Method must be cash, bank_transfer, card or other'],
    [['--amount', '40', '--method', 'cash', '--on', '2026-02-28'], 'on', '--on', 'The payment date cannot be before the invoice date, 2026-03-01'],
    [['--amount', '40', '--method', 'cash', '--on', '5 March'], 'on', '--on', 'Use a date like 2026-03-01'],
  ])('refuses %j: validation on %s naming %s (exit 1)', async (flags, field, flag, message) => {
    const b = await withBilling();
    await handPayer(b);
    const refusal = await b.refused(['invoice', 'pay', 'INV-000001', ...flags]);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect((await b.invoice('INV-000001')).amountPaid).toBe(0);
  });

  it('lets staff record a payment, and refuses a viewer (3)', async () => {
    const b = await withBilling();
    await handPayer(b);
    const pay = ['invoice', 'pay', 'INV-000001', '--amount', '10', '--method', 'cash', '--on', '2026-03-05'];
    expect(await b.refused(pay, await b.as('viewer'))).toMatchObject({ code: 3, error: { code: 'forbidden' } });
    expect((await b.human(pay, await b.as('staff'))).code).toBe(0);
  });
});

describe('recurra invoice void', () => {
  it('voids an unpaid invoice as the owner: {invoice} with nothing due', async () => {
    const b = await withBilling();
    await handPayer(b);
    const { invoice } = await b.json<{ invoice: InvoiceDetail }>(['invoice', 'void', 'INV-000002', '--on', '2026-04-02']);
    expect(invoice).toMatchObject({ number: 'INV-000002', status: 'void', amountDue: 0 });
    const run = await b.human(['invoice', 'void', 'INV-000001']);
    expect(run.stdout).toMatch(/^Voided INV-000001: nothing is due on it\.\n/);
    const again = await b.refused(['invoice', 'void', 'INV-000001']);
    expect(again).toMatchObject({ code: 1, error: { code: 'conflict', field: 'id', message: 'Only an unpaid invoice can be voided; this one is void' } });
    expect(again.stderr).toBe('Error: invoice INV-000001: Only an unpaid invoice can be voided; this one is void\n');
  });

  it('refuses staff with exit 3: voiding is the owner’s', async () => {
    const b = await withBilling();
    await handPayer(b);
    const refusal = await b.refused(['invoice', 'void', 'INV-000001'], await b.as('staff'));
    expect(refusal).toMatchObject({ code: 3, stdout: '', error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect((await b.invoice('INV-000001')).status).toBe('open');
  });
});

describe('recurra invoice pdf', () => {
  it('writes the invoice PDF to --out and prints {path}; a viewer may', async () => {
    const b = await withBilling();
    await handPayer(b);
    const out = path.join(b.dataDir, 'pdfs', 'march.pdf');
    expect(await b.json(['invoice', 'pdf', 'INV-000001', '--out', out], await b.as('viewer'))).toEqual({ path: out });
    const pdf = fs.readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
    const again = path.join(b.dataDir, 'pdfs', 'april.pdf');
    expect((await b.human(['invoice', 'pdf', 'INV-000002', '--out', again])).stdout).toBe(`Saved invoice INV-000002 as ${again}.\n`);
  });

  it('refuses an unknown invoice (1) without leaving a file, and an --out that is a folder (1)', async () => {
    const b = await withBilling();
    const out = path.join(b.dataDir, 'nothing.pdf');
    expect(await b.refused(['invoice', 'pdf', 'INV-000009', '--out', out])).toMatchObject({ code: 1, error: { code: 'not_found' } });
    expect(fs.existsSync(out)).toBe(false);
    expect(await b.refused(['invoice', 'pdf', 'INV-000001', '--out', b.dataDir])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'out', message: `Cannot write ${b.dataDir}: it is a folder; name a file inside it` },
    });
    expect((await b.refused(['invoice', 'pdf', 'INV-000001'])).code).toBe(2);
  });
});

describe('invoice help', () => {
  it('documents every billing command', async () => {
    const b = await withBilling();
    const commands = [
      ['plan', 'create'], ['plan', 'list'], ['plan', 'show'], ['plan', 'archive'], ['coupon', 'create'], ['coupon', 'list'],
      ['subscription', 'create'], ['subscription', 'change'], ['subscription', 'preview-change'], ['subscription', 'cancel'],
      ['subscription', 'pause'], ['subscription', 'resume'], ['subscription', 'list'], ['subscription', 'show'],
      ['billing', 'run'], ['billing', 'simulate'], ['billing', 'status'],
      ['invoice', 'list'], ['invoice', 'show'], ['invoice', 'pay'], ['invoice', 'void'], ['invoice', 'pdf'],
      ['payment', 'refund'], ['payment', 'list'],
    ];
    for (const args of commands) {
      const run = await b.human([...args, '--help']);
      expect(run, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout, args.join(' ')).toMatch(new RegExp(`^Usage: recurra ${args.join(' ')}`));
    }
  });
});
