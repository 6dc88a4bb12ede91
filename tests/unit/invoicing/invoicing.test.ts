import { describe, expect, it } from 'vitest';
import { billingBusiness, type BillingFixture } from '../../support/billing';

// One-off invoices, extra lines on a subscription's next invoice, credit notes
// (issue 14 item 3), through the real dispatcher on a real SQLite file.
// The fixture's clock reads 2026-03-01 (UTC business).

function addProduct(b: BillingFixture, p: { sku: string; name: string; price: number; stock?: number | null; currency?: string }) {
  const id = `prod-${p.sku}`;
  b.db.sqlite
    .prepare('INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, p.sku, p.name, p.price, p.currency ?? 'USD', p.stock ?? null, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z');
  return id;
}

/** Every row of the money and numbering tables: a refusal must leave them as they were. */
function books(b: BillingFixture) {
  const q = (sql: string) => b.db.sqlite.prepare(sql).all();
  return {
    invoices: q('SELECT * FROM invoices ORDER BY id'),
    lines: q('SELECT * FROM invoice_lines ORDER BY id'),
    notes: q('SELECT * FROM credit_notes ORDER BY id'),
    credit: q('SELECT * FROM credit_transactions ORDER BY id'),
    refunds: q('SELECT * FROM refunds ORDER BY id'),
    business: q('SELECT next_invoice_number, next_credit_note_number FROM business'),
    stock: q('SELECT * FROM stock_movements ORDER BY id'),
    pending: q('SELECT * FROM pending_items ORDER BY id'),
  };
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return (e as { body: { code: string; field?: string; message: string } }).body;
  }
  throw new Error('expected a refusal');
}

describe('one-off invoices', () => {
  it('bills free lines and products with a discount and the business tax, due by the net terms, numbered in the one series', async () => {
    const b = await billingBusiness({ taxRate: '8.25' });
    const plan = await b.plan({ price: 2900 });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-01'); // INV-000001
    const customer = await b.customer('card'); // a card customer is not charged: a one-off invoice is paid by hand
    const mat = addProduct(b, { sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 5 });
    const inv = await b.call('invoices.create', {
      customerId: customer.id,
      issueDate: '2026-03-01',
      lines: [{ description: 'Private class', quantity: 2, unitAmount: 4000 }, { sku: 'mat-1', quantity: 2 }],
      discount: 1000,
    });
    // 8000 + 5000 = 13000; less 1000 = 12000; tax round(12000 x 8.25%) = 990; total 12990.
    expect(inv).toMatchObject({ number: 'INV-000002', kind: 'manual', status: 'open', issueDate: '2026-03-01', dueDate: '2026-03-15', subtotal: 13000, discount: 1000, tax: 990, total: 12990, amountDue: 12990, amountPaid: 0 });
    expect(inv.lines.map((l) => [l.kind, l.description, l.quantity, l.unitAmount, l.amount])).toEqual([
      ['manual', 'Private class', 2, 4000, 8000],
      ['product', 'Yoga mat', 2, 2500, 5000],
      ['discount', 'Discount', 1, null, -1000],
      ['tax', 'Tax', 1, null, 990],
    ]);
    expect(inv.taxRatePpm).toBe(82500);
    expect(b.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(mat)).toBe(3);
    expect(b.db.sqlite.prepare('SELECT product_id FROM invoice_lines WHERE invoice_id = ? AND kind = ?').pluck().get(inv.id, 'product')).toBe(mat);
    expect(await b.payments({ invoiceId: inv.id })).toEqual([]);
    // It then behaves like any invoice: paid by hand.
    const { invoice: paid } = await b.call('invoices.pay', { id: inv.id, amount: 12990, method: 'cash', on: '2026-03-02' });
    expect(paid).toMatchObject({ status: 'paid', amountDue: 0 });
    const next = await b.call('invoices.create', { customerId: customer.id, lines: [{ description: 'Workshop', unitAmount: 1500 }] });
    expect(next).toMatchObject({ number: 'INV-000003', issueDate: '2026-03-01', total: 1624 });
    b.close();
  });

  it('refuses bad input naming the field, and writes nothing (no number taken, no stock moved)', async () => {
    const b = await billingBusiness();
    const customer = await b.customer('manual');
    addProduct(b, { sku: 'TEA', name: 'Tea', price: 300, stock: 1 });
    addProduct(b, { sku: 'OLD', name: 'Old', price: 300 });
    b.db.sqlite.prepare("UPDATE products SET archived_at = '2026-01-01' WHERE sku = 'OLD'").run();
    const before = books(b);
    const cases: [Parameters<typeof b.call<'invoices.create'>>[1], string][] = [
      [{ customerId: 'nobody', lines: [{ description: 'X', unitAmount: 100 }] }, 'customerId'],
      [{ customerId: '', lines: [{ description: 'X', unitAmount: 100 }] }, 'customerId'],
      [{ customerId: customer.id, lines: [] }, 'lines'],
      [{ customerId: customer.id, lines: [{ description: 'X', unitAmount: 12.345 }] }, 'lines.0.unitAmount'],
      [{ customerId: customer.id, lines: [{ description: 'X', quantity: -1, unitAmount: 100 }] }, 'lines.0.quantity'],
      [{ customerId: customer.id, lines: [{ description: 'X', quantity: 1.5, unitAmount: 100 }] }, 'lines.0.quantity'],
      [{ customerId: customer.id, lines: [{ unitAmount: 100 }] }, 'lines.0.description'],
      [{ customerId: customer.id, lines: [{ description: 'X' }] }, 'lines.0.unitAmount'],
      [{ customerId: customer.id, lines: [{ description: 'ok', unitAmount: 100 }, { sku: 'NOPE' }] }, 'lines.1.sku'],
      [{ customerId: customer.id, lines: [{ sku: 'OLD' }] }, 'lines.0.sku'],
      [{ customerId: customer.id, lines: [{ sku: 'TEA', quantity: 2 }] }, 'lines.0.quantity'],
      [{ customerId: customer.id, lines: [{ description: 'X', unitAmount: 100 }], discount: 101 }, 'discount'],
    ];
    for (const [input, field] of cases) {
      const error = await refusal(b.call('invoices.create', input));
      expect({ field: error.field, code: error.code }, JSON.stringify(input)).toEqual({ field, code: expect.stringMatching(/validation|not_found/) });
    }
    expect(books(b)).toEqual(before);
    const ok = await b.call('invoices.create', { customerId: customer.id, lines: [{ description: 'X', unitAmount: 100 }] });
    expect(ok.number).toBe('INV-000001');
    b.close();
  });
});

describe('extra lines on the next invoice', () => {
  it('puts an extra line on the next period invoice exactly once, with a product priced from the product; removable until then', async () => {
    const b = await billingBusiness({ taxRate: '10' });
    const plan = await b.plan({ price: 3000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-01');
    addProduct(b, { sku: 'TOWEL', name: 'Towel rental', price: 250 });
    const towel = await b.call('subscriptions.addExtra', { subscriptionId: sub.id, line: { sku: 'TOWEL', quantity: 4 } });
    const oneOff = await b.call('subscriptions.addExtra', { subscriptionId: sub.id, line: { description: 'Locker key replacement', unitAmount: 1200 } });
    const gone = await b.call('subscriptions.addExtra', { subscriptionId: sub.id, line: { description: 'Mistake', unitAmount: 999 } });
    await b.call('subscriptions.removeExtra', { id: gone.id });
    const page = await b.call('subscriptions.get', { id: sub.id });
    expect(page.pendingItems.map((p) => [p.kind, p.description, p.quantity, p.amount])).toEqual([
      ['extra', 'Towel rental', 4, 1000],
      ['extra', 'Locker key replacement', 1, 1200],
    ]);
    expect(towel.productId).toBe('prod-TOWEL');
    await b.runDaily('2026-03-02', '2026-04-02');
    const invoices = await b.invoices({ subscriptionId: sub.id });
    expect(invoices.map((i) => [i.issueDate, i.subtotal, i.tax, i.total])).toEqual([
      ['2026-03-01', 3000, 300, 3300],
      ['2026-04-01', 5200, 520, 5720],
    ]);
    expect(invoices[1]!.lines.map((l) => [l.kind, l.description, l.quantity, l.unitAmount, l.amount])).toEqual([
      ['recurring', plan.name, 1, 3000, 3000],
      ['product', 'Towel rental', 4, 250, 1000],
      ['manual', 'Locker key replacement', 1, 1200, 1200],
      ['tax', 'Tax', 1, null, 520],
    ]);
    expect((await b.call('subscriptions.get', { id: sub.id })).pendingItems).toEqual([]);
    // Once invoiced it cannot be removed; the May invoice has no extras.
    expect(await refusal(b.call('subscriptions.removeExtra', { id: oneOff.id }))).toMatchObject({ code: 'conflict', field: 'id' });
    await b.run('2026-05-01');
    expect((await b.invoices({ subscriptionId: sub.id })).at(-1)).toMatchObject({ issueDate: '2026-05-01', subtotal: 3000 });
    // Refusals name the field.
    expect(await refusal(b.call('subscriptions.addExtra', { subscriptionId: sub.id, line: { description: 'X', quantity: 0, unitAmount: 1 } }))).toMatchObject({ field: 'line.quantity' });
    expect(await refusal(b.call('subscriptions.addExtra', { subscriptionId: sub.id, line: { sku: 'NOPE' } }))).toMatchObject({ field: 'line.sku' });
    b.close();
  });
});

describe('credit notes', () => {
  async function openInvoice(taxRate = '8.25') {
    const b = await billingBusiness({ taxRate });
    const customer = await b.customer('manual');
    const inv = await b.call('invoices.create', {
      customerId: customer.id,
      issueDate: '2026-03-01',
      lines: [{ description: 'Class pack', quantity: 4, unitAmount: 2500 }, { description: 'Mat', unitAmount: 2000 }],
    });
    // 10000 + 2000 = 12000, tax 990, total 12990.
    return { b, customer, inv };
  }

  it('numbers CN-000001 gaplessly and never credits more than the total less earlier notes (error on amount)', async () => {
    const { b, customer, inv } = await openInvoice();
    const first = await b.call('creditNotes.create', { invoiceId: inv.number, settlement: 'credit', lines: [{ position: 0, quantity: 1 }], reason: 'One class cancelled' });
    // One of four classes: 2500, tax round(2500 x 990 / 12000) = 206.
    expect(first).toMatchObject({ number: 'CN-000001', subtotal: 2500, tax: 206, total: 2706, settlement: 'credit', invoiceNumber: inv.number });
    expect(first.lines).toEqual([{ position: 0, description: 'Class pack', quantity: 1, unitAmount: 2500, amount: 2500, invoiceLinePosition: 0 }]);
    const before = books(b);
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit', amount: 12990 - 2706 + 1 }))).toMatchObject({ code: 'validation', field: 'amount' });
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit', lines: [{ position: 0, quantity: 4 }] }))).toMatchObject({ field: 'lines.0.quantity' });
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'refund', amount: 100 }))).toMatchObject({ field: 'amount' });
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit', amount: 1.5 }))).toMatchObject({ field: 'amount' });
    expect(books(b)).toEqual(before); // refusals take no number
    const rest = await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit' });
    expect(rest).toMatchObject({ number: 'CN-000002', total: 12990 - 2706, tax: 990 - 206 });
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit', amount: 1 }))).toMatchObject({ field: 'amount' });
    expect((await b.call('customers.get', { id: customer.id })).customer.creditBalance).toBe(12990);
    expect((await b.call('creditNotes.list', { customerId: customer.id })).map((n) => n.number)).toEqual(['CN-000002', 'CN-000001']);
    b.close();
  });

  it('settled against the invoice: the amount due falls, the balance does not move, a full credit settles it; no revenue', async () => {
    const { b, customer, inv } = await openInvoice();
    const note = await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', amount: 2990, issueDate: '2026-03-03' });
    expect(note.total).toBe(2990);
    let now = await b.call('invoices.get', { id: inv.id });
    expect(now).toMatchObject({ status: 'open', creditApplied: 2990, credited: 2990, amountDue: 10000, amountPaid: 0 });
    // Voiding would hand the credited part back as balance: refused once a credit note is on it.
    expect(await refusal(b.call('invoices.void', { id: inv.id, on: '2026-03-03' }))).toMatchObject({ code: 'conflict', field: 'id' });
    expect((await b.call('customers.get', { id: customer.id })).customer.creditBalance).toBe(0);
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', amount: 10001 }))).toMatchObject({ field: 'amount' });
    await b.call('invoices.pay', { id: inv.id, amount: 4000, method: 'cash', on: '2026-03-04' });
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', issueDate: '2026-03-05' });
    now = await b.call('invoices.get', { id: inv.id });
    expect(now).toMatchObject({ status: 'paid', amountDue: 0, amountPaid: 4000, creditApplied: 8990, paidOn: '2026-03-05' });
    // Revenue is payments less refunds: only the 4000 paid.
    expect(revenue(b)).toBe(4000);
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', amount: 1 }))).toMatchObject({ code: 'conflict', field: 'settlement' });
    b.close();
  });

  it('settled as a refund: refunds the payments (newest first) and reduces revenue on its date', async () => {
    const { b, inv } = await openInvoice();
    await b.call('invoices.pay', { id: inv.id, amount: 5000, method: 'cash', on: '2026-03-02' });
    await b.call('invoices.pay', { id: inv.id, amount: 7990, method: 'bank_transfer', on: '2026-03-03' });
    expect(revenue(b)).toBe(12990);
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'refund', amount: 1000, issueDate: '2026-03-02' }))).toMatchObject({ field: 'issueDate' });
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'refund', amount: 9000, issueDate: '2026-03-10' });
    const payments = (await b.payments({ invoiceId: inv.id, kind: 'payment' })).sort((a, c) => a.paidOn.localeCompare(c.paidOn));
    expect(payments.map((p) => [p.amount, p.amountRefunded])).toEqual([
      [5000, 1010],
      [7990, 7990],
    ]);
    expect(revenue(b)).toBe(12990 - 9000);
    expect(await b.call('invoices.get', { id: inv.id })).toMatchObject({ status: 'paid', amountDue: 0 });
    b.close();
  });

  it("credits a declined subscription invoice in full: paid, the subscription active again; a proration invoice's rest comes to its total exactly", async () => {
    const b = await billingBusiness({ taxRate: '8.25' });
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer('card_declining');
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    await b.run('2026-03-01');
    expect((await b.subscription(sub.id)).status).toBe('past_due');
    const [inv] = await b.invoices({ subscriptionId: sub.id });
    const note = await b.call('creditNotes.create', { invoiceId: inv!.id, settlement: 'invoice', issueDate: '2026-03-02', reason: 'Goodwill' });
    expect(note).toMatchObject({ total: inv!.total, tax: inv!.tax, subtotal: inv!.total - inv!.tax });
    expect(await b.call('invoices.get', { id: inv!.id })).toMatchObject({ status: 'paid', amountDue: 0, paidOn: '2026-03-02', nextRetryOn: null });
    expect((await b.subscription(sub.id)).status).toBe('active');
    // An invoice with a proration credit line: "all that is left" is one line, the exact total.
    await b.call('customers.update', { id: customer.id, paymentMethod: 'manual' });
    const gold = await b.plan({ price: 6000 });
    await b.call('subscriptions.change', { id: sub.id, planId: gold.id, on: '2026-03-11', mode: 'invoice_now' });
    const change = (await b.invoices({ subscriptionId: sub.id })).find((i) => i.lines.some((l) => l.kind === 'proration' && l.amount < 0))!;
    const rest = await b.call('creditNotes.create', { invoiceId: change.id, settlement: 'credit', issueDate: '2026-03-11' });
    expect(rest).toMatchObject({ total: change.total, tax: change.tax });
    expect(rest.lines.reduce((s2, l) => s2 + l.amount, 0)).toBe(rest.subtotal);
    b.close();
  });

  it('refuses a void invoice and a credit note dated before its invoice', async () => {
    const { b, inv } = await openInvoice();
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit', issueDate: '2026-02-01' }))).toMatchObject({ field: 'issueDate' });
    await b.call('invoices.void', { id: inv.id, on: '2026-03-01' });
    expect(await refusal(b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'credit' }))).toMatchObject({ code: 'conflict', field: 'invoiceId' });
    b.close();
  });
});

function revenue(b: BillingFixture): number {
  return b.db.sqlite.prepare('SELECT coalesce(sum(amount), 0) FROM metric_revenue').pluck().get() as number;
}
