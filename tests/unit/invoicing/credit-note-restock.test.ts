import { describe, expect, it } from 'vitest';
import { ledgerStock } from '../../../src-main/core/products/stock-ledger';
import { billingBusiness, type BillingFixture } from '../../support/billing';
import { callError } from '../../support/core';

// Credit notes that put goods back (issue 14): a credited product line writes a
// `refunded` movement through the stock ledger in the credit note's transaction.

async function shop() {
  const b = await billingBusiness();
  const customer = await b.customer('manual', 'Jane Doe');
  const mat = await b.call('products.create', { sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 10 });
  const tea = await b.call('products.create', { sku: 'TEA', name: 'Tea', price: 350 }); // not tracked
  // Lines: 0 a class, 1 three mats, 2 two teas.
  const inv = await b.call('invoices.create', {
    customerId: customer.id,
    issueDate: '2026-03-01',
    lines: [{ description: 'Private class', quantity: 1, unitAmount: 4000 }, { sku: 'MAT-1', quantity: 3 }, { sku: 'TEA', quantity: 2 }],
  });
  return { b, customer, mat, tea, inv };
}

const stock = (b: BillingFixture, id: string) => b.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(id) as number | null;
const movements = (b: BillingFixture, id: string) => b.db.sqlite.prepare('SELECT kind, quantity, reason, occurred_on FROM stock_movements WHERE product_id = ? ORDER BY created_at, id').all(id);

describe('credit notes and stock', () => {
  it('a credited line of a tracked product goes back in stock by default, as a refunded movement, audited', async () => {
    const { b, mat, tea, inv } = await shop();
    expect(stock(b, mat.id)).toBe(7);
    const note = await b.call('creditNotes.create', { invoiceId: inv.number, settlement: 'invoice', lines: [{ position: 1, quantity: 2 }, { position: 2 }], reason: 'Returned' });
    expect(stock(b, mat.id)).toBe(9);
    expect(ledgerStock(b.db, mat.id)).toBe(9);
    expect(stock(b, tea.id)).toBeNull(); // not tracked: left alone
    expect(movements(b, mat.id)).toEqual([
      { kind: 'received', quantity: 10, reason: 'Opening stock', occurred_on: '2026-03-01' },
      { kind: 'sold', quantity: -3, reason: `Invoice ${inv.number}`, occurred_on: '2026-03-01' },
      { kind: 'refunded', quantity: 2, reason: `Credit note ${note.number} on ${inv.number}`, occurred_on: '2026-03-01' },
    ]);
    const audit = JSON.parse(b.db.sqlite.prepare("SELECT after FROM audit_log WHERE action = 'creditNotes.create'").pluck().get() as string) as { restocked: unknown };
    expect(audit.restocked).toEqual([{ productId: mat.id, sku: 'MAT-1', quantity: 2, stockAfter: 9 }]);
  });

  it('without restock (per line, or for the whole note) the stock stays as it was', async () => {
    const { b, mat, inv } = await shop();
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 1, quantity: 1, restock: false }] });
    expect(stock(b, mat.id)).toBe(7);
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 1, quantity: 1 }], restock: false });
    expect(stock(b, mat.id)).toBe(7);
    expect(movements(b, mat.id)).toHaveLength(2);
    // The last mat, nothing said: it goes back by default.
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 1 }] });
    expect(stock(b, mat.id)).toBe(8);
  });

  it('the whole invoice credited line by line (nothing said) puts its tracked products back', async () => {
    const { b, mat, tea, inv } = await shop();
    await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice' });
    expect(stock(b, mat.id)).toBe(10);
    expect(stock(b, tea.id)).toBeNull();
  });

  it('refuses a restock that cannot be, naming the field, and moves nothing', async () => {
    const { b, mat, inv } = await shop();
    expect(await callError(b.core, b.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 0, restock: true }] })).toMatchObject({ code: 'validation', field: 'lines.0.restock' });
    expect(await callError(b.core, b.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 2, restock: true }] })).toMatchObject({ code: 'validation', field: 'lines.0.restock' });
    expect(await callError(b.core, b.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', amount: 1000, restock: true })).toMatchObject({ code: 'validation', field: 'restock' });
    expect(stock(b, mat.id)).toBe(7);
    expect(b.db.sqlite.prepare('SELECT count(*) FROM credit_notes').pluck().get()).toBe(0);
  });
});
