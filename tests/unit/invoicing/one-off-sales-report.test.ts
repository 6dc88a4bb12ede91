import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';

// Reports > One-off sales: counter sales and one-off invoices in the range, not subscription invoices or voided ones.

describe('the One-off sales report', () => {
  it('lists one-off invoices and counter sales in the range, in date order, with totals; not subscription or voided invoices', async () => {
    const b = await billingBusiness({ taxRate: '10' });
    const plan = await b.plan({ price: 3000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-01');
    const ann = await b.customer('manual', 'Ann');
    const kept = await b.call('invoices.create', { customerId: ann.id, issueDate: '2026-02-20', lines: [{ description: 'Workshop', quantity: 2, unitAmount: 1500 }], discount: 500 });
    const voided = await b.call('invoices.create', { customerId: ann.id, issueDate: '2026-02-21', lines: [{ description: 'Oops', unitAmount: 100 }] });
    await b.call('invoices.void', { id: voided.id, on: '2026-02-21' });
    b.db.sqlite
      .prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES ('s1', 'S-000001', NULL, '2026-02-25', 'USD', 800, 80, 880, '2026-02-25T10:00:00Z')")
      .run();
    const view = (from?: string, to?: string) => b.call('reports.view', { kind: 'sales', ...(from ? { from } : {}), ...(to ? { to } : {}) });
    const r = await view('2026-02-01', '2026-03-31');
    expect(r.rows.map((row) => [row.source, row.number, row.soldOn, row.customer, row.items, row.subtotal, row.discount, row.tax, row.total, row.invoiceId])).toEqual([
      ['Invoice', kept.number, '2026-02-20', 'Ann', 1, 3000, 500, 250, 2750, kept.id],
      ['Counter sale', 'S-000001', '2026-02-25', null, 0, 800, 0, 80, 880, null],
    ]);
    expect(r.totals).toEqual({ items: 1, subtotal: 3800, discount: 500, tax: 330, total: 3630, refunded: 0 });
    expect((await view('2026-02-21', '2026-02-24')).total).toBe(0);
    b.close();
  });
});
