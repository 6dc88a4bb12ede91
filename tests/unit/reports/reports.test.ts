import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billedBusiness, view, type Billed } from './fixture';

// Each report's rows and totals against the fixture's history worked out by
// hand, and against metrics.summary for the same days (the dashboard's numbers).

let billed: Billed;
beforeAll(async () => {
  billed = await billedBusiness();
});
afterAll(() => billed.b.close());

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const pick = (rows: Record<string, unknown>[], ...keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

describe('reports.view: money by month', () => {
  it('revenue: payments less refunds by month, equal to the dashboard revenue of each month', async () => {
    const { b } = billed;
    const r = await view(b, { kind: 'revenue', ...Q1 });
    expect(r).toMatchObject({ kind: 'revenue', from: '2026-01-01', to: '2026-03-31', currency: 'USD', total: 3 });
    expect(r.columns.map((c) => [c.key, c.type])).toEqual([['month', 'text'], ['from', 'date'], ['to', 'date'], ['payments', 'money'], ['refunds', 'money'], ['net', 'money']]);
    expect(r.rows).toEqual([
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31', payments: 3000, refunds: 0, net: 3000 },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28', payments: 15000, refunds: 1000, net: 14000 },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-31', payments: 15000, refunds: 0, net: 15000 },
    ]);
    expect(r.totals).toEqual({ payments: 33000, refunds: 1000, net: 32000 });
    for (const row of r.rows) expect((await b.call('metrics.summary', { asOf: String(row.to) })).revenue).toBe(row.net);
  });

  it('revenue: a range cut inside months counts only its days', async () => {
    const r = await view(billed.b, { kind: 'revenue', from: '2026-02-03', to: '2026-03-05' });
    expect(pick(r.rows, 'month', 'from', 'to', 'payments', 'refunds')).toEqual([
      { month: '2026-02', from: '2026-02-03', to: '2026-02-28', payments: 6000, refunds: 1000 }, // Dan 02-10, Bob 02-20; the 02-05 refund
      { month: '2026-03', from: '2026-03-01', to: '2026-03-05', payments: 9000, refunds: 0 }, // Alice and Carol 03-01
    ]);
  });

  it('mrr-movements: MRR at start, each movement, MRR at end and the churn rate, equal to metrics.summary', async () => {
    const { b } = billed;
    const r = await view(b, { kind: 'mrr-movements', ...Q1 });
    expect(pick(r.rows, 'month', 'mrrAtStart', 'new', 'reactivation', 'expansion', 'contraction', 'churn', 'net', 'mrrAtEnd', 'payingAtStart', 'churnedCustomers', 'churnRate')).toEqual([
      { month: '2026-01', mrrAtStart: 0, new: 6000, reactivation: 0, expansion: 0, contraction: 0, churn: 0, net: 6000, mrrAtEnd: 6000, payingAtStart: 0, churnedCustomers: 0, churnRate: null },
      { month: '2026-02', mrrAtStart: 6000, new: 9000, reactivation: 0, expansion: 0, contraction: 0, churn: 0, net: 9000, mrrAtEnd: 15000, payingAtStart: 2, churnedCustomers: 0, churnRate: 0 },
      { month: '2026-03', mrrAtStart: 15000, new: 0, reactivation: 0, expansion: 3000, contraction: 0, churn: 6000, net: -3000, mrrAtEnd: 12000, payingAtStart: 4, churnedCustomers: 1, churnRate: 25 },
    ]);
    expect(r.totals).toEqual({ mrrAtStart: 0, new: 15000, reactivation: 0, expansion: 3000, contraction: 0, churn: 6000, net: 12000, mrrAtEnd: 12000, churnedCustomers: 1 });
    for (const [asOf, row] of [['2026-01-31', r.rows[0]], ['2026-02-28', r.rows[1]], ['2026-03-31', r.rows[2]]] as const) {
      const m = await b.call('metrics.summary', { asOf });
      expect({ ...m.movements, mrrAtStart: m.mrrAtStart, mrrAtEnd: m.mrr, churnRate: m.churnRate }).toEqual(
        pick([row!], 'new', 'expansion', 'contraction', 'churn', 'reactivation', 'net', 'mrrAtStart', 'mrrAtEnd', 'churnRate')[0],
      );
    }
  });

  it('mrr-movements-by-customer: the customers behind a month, the Change column adding up to its net', async () => {
    const { b, customers } = billed;
    const r = await view(b, { kind: 'mrr-movements-by-customer', from: '2026-03-01', to: '2026-03-31' });
    expect(r.rows).toEqual([
      { month: '2026-03', customer: 'Dan', movement: 'expansion', mrrAtStart: 3000, mrrAtEnd: 6000, change: 3000, customerId: customers.dan.id },
      { month: '2026-03', customer: 'Carol', movement: 'churn', mrrAtStart: 6000, mrrAtEnd: 0, change: -6000, customerId: customers.carol.id },
    ]);
    expect(r.totals).toEqual({ change: -3000 });
    const drill = await b.call('metrics.movements', { month: '2026-03', asOf: '2026-03-31' });
    expect(drill.rows.map((m) => [m.customerId, m.kind, m.amount]).sort()).toEqual(r.rows.map((m) => [m.customerId, m.movement, Math.abs(Number(m.change))]).sort());
    // Omitted, the range is the month of `to`.
    expect((await view(b, { kind: 'mrr-movements-by-customer', to: '2026-02-15' })).rows.map((m) => [m.month, m.customer])).toEqual([['2026-02', 'Carol'], ['2026-02', 'Dan']]);
  });
});

describe('reports.view: records', () => {
  it('invoices: issued in the range, in issue order, with totals of every amount', async () => {
    const r = await view(billed.b, { kind: 'invoices', ...Q1 });
    expect(r.total).toBe(10);
    expect(pick(r.rows, 'number', 'customer', 'issueDate', 'status', 'total', 'amountDue').slice(0, 3)).toEqual([
      { number: 'INV-000001', customer: 'Alice', issueDate: '2026-01-01', status: 'paid', total: 3000, amountDue: 0 },
      { number: 'INV-000002', customer: 'Bob', issueDate: '2026-01-15', status: 'paid', total: 3000, amountDue: 0 },
      { number: 'INV-000003', customer: 'Alice', issueDate: '2026-02-01', status: 'paid', total: 3000, amountDue: 0 },
    ]);
    expect(r.rows[1]).toMatchObject({ dueDate: '2026-01-29', periodFrom: '2026-01-15', periodTo: '2026-02-14', paidOn: '2026-02-20' });
    expect(r.totals).toEqual({ subtotal: 39000, discount: 0, tax: 0, total: 39000, creditApplied: 0, amountPaid: 33000, amountDue: 6000 });
    const march = await view(billed.b, { kind: 'invoices', from: '2026-03-01', offset: 1, limit: 2 });
    expect(march).toMatchObject({ from: '2026-03-01', to: null, total: 4 });
    expect(march.rows.map((i) => i.number)).toEqual(['INV-000008', 'INV-000009']);
  });

  it('payments: payments and refunds as their own rows, adding up to the revenue', async () => {
    const r = await view(billed.b, { kind: 'payments', from: '2026-02-01', to: '2026-02-28' });
    expect(pick(r.rows, 'date', 'type', 'customer', 'invoice', 'method', 'note', 'amount')).toEqual([
      { date: '2026-02-01', type: 'payment', customer: 'Alice', invoice: 'INV-000003', method: 'card', note: '', amount: 3000 },
      { date: '2026-02-01', type: 'payment', customer: 'Carol', invoice: 'INV-000004', method: 'card', note: '', amount: 6000 },
      { date: '2026-02-05', type: 'refund', customer: 'Alice', invoice: 'INV-000003', method: 'card', note: 'Goodwill', amount: -1000 },
      { date: '2026-02-10', type: 'payment', customer: 'Dan', invoice: 'INV-000005', method: 'card', note: '', amount: 3000 },
      { date: '2026-02-20', type: 'payment', customer: 'Bob', invoice: 'INV-000002', method: 'cash', note: '', amount: 3000 },
    ]);
    expect(r.rows[2]!.refundOf).toBe(r.rows[0]!.id);
    expect(r).toMatchObject({ total: 5, totals: { amount: 14000 } });
    expect((await view(billed.b, { kind: 'payments' })).totals).toEqual({ amount: 32000 });
  });

  it('ar-aging: invoices open at the end of `to`, each in its bucket, totals equal to metrics arAging', async () => {
    const { b } = billed;
    const r = await view(b, { kind: 'ar-aging', from: '2025-01-01', to: '2026-03-20' });
    expect(r).toMatchObject({ from: null, to: '2026-03-20', total: 2 });
    expect(r.rows.map((x) => [x.number, x.dueDate, x.daysLate, x.current, x.d1to30, x.amountDue])).toEqual([
      ['INV-000006', '2026-03-01', 19, null, 3000, 3000],
      ['INV-000010', '2026-03-29', -9, 3000, null, 3000],
    ]);
    for (const asOf of ['2026-02-10', '2026-03-20', '2026-03-31']) {
      const { totals } = await view(b, { kind: 'ar-aging', to: asOf });
      const { amountDue, ...buckets } = totals!;
      expect(buckets, asOf).toEqual((await b.call('metrics.summary', { asOf })).arAging);
      expect(amountDue).toBe(Object.values(buckets).reduce((s, v) => Number(s) + Number(v), 0));
    }
  });

  it('customers: created in the range, with what they paid, owe and run', async () => {
    const r = await view(billed.b, { kind: 'customers' });
    expect(pick(r.rows, 'name', 'paymentMethod', 'created', 'activeSubscriptions', 'paid', 'due', 'credit')).toEqual([
      { name: 'Alice', paymentMethod: 'card', created: '2026-03-01', activeSubscriptions: 1, paid: 8000, due: 0, credit: 0 },
      { name: 'Bob', paymentMethod: 'manual', created: '2026-03-01', activeSubscriptions: 1, paid: 3000, due: 6000, credit: 0 },
      { name: 'Carol', paymentMethod: 'card', created: '2026-03-01', activeSubscriptions: 0, paid: 12000, due: 0, credit: 0 },
      { name: 'Dan', paymentMethod: 'card', created: '2026-03-01', activeSubscriptions: 1, paid: 9000, due: 0, credit: 0 },
    ]);
    expect(r.totals).toEqual({ activeSubscriptions: 3, paid: 32000, due: 6000, credit: 0 });
    // The fake clock created everyone on 2026-03-01: a range is the same sums over fewer rows.
    expect((await view(billed.b, { kind: 'customers', from: '2026-03-01', to: '2026-03-01' })).totals).toEqual(r.totals);
    expect(await view(billed.b, { kind: 'customers', from: '2026-03-02' })).toMatchObject({ rows: [], total: 0, totals: { paid: 0 } });
  });

  it('subscriptions: started in the range, with MRR at its end adding up to the dashboard MRR', async () => {
    const { b } = billed;
    const r = await view(b, { kind: 'subscriptions', to: '2026-03-31' });
    expect(pick(r.rows, 'customer', 'plan', 'status', 'amount', 'every', 'mrr', 'startDate', 'canceledOn')).toEqual([
      { customer: 'Alice', plan: 'Basic', status: 'active', amount: 3000, every: 'month', mrr: 3000, startDate: '2026-01-01', canceledOn: null },
      { customer: 'Bob', plan: 'Basic', status: 'active', amount: 3000, every: 'month', mrr: 3000, startDate: '2026-01-15', canceledOn: null },
      { customer: 'Carol', plan: 'Pro', status: 'canceled', amount: 6000, every: 'month', mrr: 0, startDate: '2026-02-01', canceledOn: '2026-03-10' },
      { customer: 'Dan', plan: 'Pro', status: 'active', amount: 6000, every: 'month', mrr: 6000, startDate: '2026-02-10', canceledOn: null },
    ]);
    expect(r.totals).toEqual({ mrr: (await b.call('metrics.summary', { asOf: '2026-03-31' })).mrr });
    // MRR as of another day is the history's, not today's rows.
    const feb = await view(b, { kind: 'subscriptions', to: '2026-02-28' });
    expect(feb.rows.map((s) => [s.customer, s.mrr])).toEqual([['Alice', 3000], ['Bob', 3000], ['Carol', 6000], ['Dan', 3000]]);
    expect(feb.totals).toEqual({ mrr: 15000 });
    expect((await view(b, { kind: 'subscriptions', from: '2026-02-01', to: '2026-02-28' })).rows.map((s) => s.customer)).toEqual(['Carol', 'Dan']);
  });

  it('sales: empty while nothing records sales, and read from the tables when something does', async () => {
    const { b } = billed;
    expect(await view(b, { kind: 'sales' })).toMatchObject({ rows: [], total: 0, totals: { items: 0, total: 0 } });
    // The subscription invoices of the billed business are not one-off sales.
    expect(b.db.sqlite.prepare("SELECT count(*) FROM invoices WHERE kind = 'subscription'").pluck().get()).toBeGreaterThan(0);
    const at = '2026-03-05T10:00:00.000Z';
    b.db.sqlite.prepare("INSERT INTO products (id, sku, name, price, currency, created_at, updated_at) VALUES ('p1', 'MAT', 'Yoga mat', 2500, 'USD', ?, ?)").run(at, at);
    b.db.sqlite
      .prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES ('s1', 'S-000001', ?, '2026-03-05', 'USD', 5000, 0, 5000, ?)")
      .run(billed.customers.alice.id, at);
    b.db.sqlite.prepare("INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount) VALUES ('l1', 's1', 'p1', 'Yoga mat', 2, 2500, 5000)").run();
    try {
      const r = await view(b, { kind: 'sales', from: '2026-03-01' });
      expect(r.rows).toEqual([
        { source: 'Counter sale', number: 'S-000001', soldOn: '2026-03-05', customer: 'Alice', items: 1, subtotal: 5000, discount: 0, tax: 0, total: 5000, method: 'cash', tendered: null, change: 0, refunded: 0, status: 'paid', invoice: null, saleId: 's1', invoiceId: null, customerId: billed.customers.alice.id },
      ]);
      expect(r.totals).toEqual({ items: 1, subtotal: 5000, discount: 0, tax: 0, total: 5000, refunded: 0 });
      expect((await view(b, { kind: 'sales', to: '2026-03-04' })).total).toBe(0);
    } finally {
      b.db.sqlite.exec("DELETE FROM sale_lines; DELETE FROM sales; DELETE FROM products WHERE id = 'p1'");
    }
  });

  it('withTotals: false skips the count and the sums (later pages of a scroll)', async () => {
    expect(await view(billed.b, { kind: 'invoices', offset: 100, withTotals: false })).toMatchObject({ rows: [], total: null, totals: null });
  });
});
