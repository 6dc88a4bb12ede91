import { describe, expect, it } from 'vitest';
import { ledgerStock } from '../../../src-main/core/products/stock-ledger';
import { callError } from '../../support/core';
import { saleBusiness } from '../../support/sales';

describe('a counter sale', () => {
  it('is one transaction: number, lines, payments, stock, audit row, timeline', async () => {
    const f = await saleBusiness({ taxRate: '10' });
    const mat = f.product({ sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 5 });
    const drink = f.product({ sku: 'TEA', name: 'Tea', price: 350 });
    const customer = await f.b.customer('manual', 'Jane Doe');
    const sale = await f.sell({
      items: [{ sku: 'mat-1', quantity: 2 }, { productId: drink.id, quantity: 3 }],
      customerId: customer.id,
      payments: [{ method: 'cash', tendered: 7000 }],
    });
    expect(sale.number).toBe('R-000001');
    expect(sale.subtotal).toBe(2 * 2500 + 3 * 350);
    expect(sale.tax).toBe(605);
    expect(sale.total).toBe(6655);
    expect(sale.taxRatePpm).toBe(100_000);
    expect(sale.lines.map((l) => [l.sku, l.quantity, l.amount, l.tax])).toEqual([
      ['MAT-1', 2, 5000, 500],
      ['TEA', 3, 1050, 105],
    ]);
    expect(sale.method).toBe('cash');
    expect(sale.tendered).toBe(7000);
    expect(sale.change).toBe(345);
    expect(sale.payments).toEqual([{ method: 'cash', amount: 6655, tendered: 7000, change: 345 }]);
    expect(f.stock(mat.id)).toBe(3);
    expect(ledgerStock(f.db, mat.id)).toBe(3);
    expect(f.stock(drink.id)).toBeNull();
    expect(f.db.sqlite.prepare("SELECT count(*) FROM stock_movements WHERE product_id = ? AND kind = 'sold' AND sale_id = ?").pluck().get(mat.id, sale.id)).toBe(1);
    expect(f.db.sqlite.prepare('SELECT count(*) FROM stock_movements WHERE product_id = ?').pluck().get(drink.id)).toBe(0);
    expect(f.db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'sales.create' AND entity_id = ?").pluck().get(sale.id)).toBe(1);
    expect(f.db.sqlite.prepare("SELECT title FROM customer_events WHERE ref_type = 'sale' AND ref_id = ?").pluck().get(sale.id)).toContain('R-000001');
    expect(f.db.sqlite.prepare('SELECT sum(amount) FROM sale_payments WHERE sale_id = ? AND paid_on = ?').pluck().get(sale.id, '2026-03-01')).toBe(6655);
    const second = await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] });
    expect(second.number).toBe('R-000002');
    const got = await f.call('sales.get', { id: 'r-000001' });
    expect(got.sale).toEqual(sale);
    expect(got.refunds).toEqual([]);
    const list = await f.call('sales.list', { customerId: customer.id });
    expect(list.total).toBe(1);
    expect((await f.call('sales.list', { method: 'card' })).rows.map((s) => s.number)).toEqual(['R-000002']);
    expect((await f.call('sales.list', { from: '2026-03-01', to: '2026-03-01' })).total).toBe(2);
    expect((await f.call('sales.list', { from: '2026-03-02' })).total).toBe(0);
  });

  it('refuses too little stock, an unknown SKU, an archived product, naming the line; nothing written, no number taken', async () => {
    const f = await saleBusiness();
    const mat = f.product({ sku: 'MAT', price: 2500, stock: 2 });
    f.product({ sku: 'OLD', price: 100, archived: true });
    const before = { sales: f.count('sales'), lines: f.count('sale_lines'), payments: f.count('sale_payments'), moves: f.count('stock_movements'), audit: f.count('audit_log') };
    const cases = [
      { items: [{ sku: 'MAT', quantity: 1 }, { sku: 'MAT', quantity: 2 }], field: 'items.1', message: /Only 2/ },
      { items: [{ sku: 'MAT', quantity: 3 }], field: 'items.0', message: /Only 2/ },
      { items: [{ sku: 'MAT', quantity: 1 }, { sku: 'NOPE', quantity: 1 }], field: 'items.1', message: /NOPE/ },
      { items: [{ sku: 'OLD', quantity: 1 }], field: 'items.0', message: /archived/ },
      { items: [{ sku: 'MAT', quantity: -1 }], field: 'items.0.quantity', message: /at least 1/ },
      { items: [{ sku: 'MAT', quantity: 1.5 }], field: 'items.0.quantity', message: /whole/ },
    ];
    for (const c of cases) {
      const error = await callError(f.b.core, f.b.conn, 'sales.create', { items: c.items, payments: [{ method: 'card' }], on: '2026-03-01' });
      expect(error.code).toBe('validation');
      expect(error.field).toBe(c.field);
      expect(error.message).toMatch(c.message);
    }
    const over = await callError(f.b.core, f.b.conn, 'sales.create', { items: [{ sku: 'MAT', quantity: 1 }], discount: { amount: 2501 }, payments: [{ method: 'card' }], on: '2026-03-01' });
    expect(over.field).toBe('discount');
    const short = await callError(f.b.core, f.b.conn, 'sales.create', { items: [{ sku: 'MAT', quantity: 1 }], payments: [{ method: 'cash', tendered: 2000 }], on: '2026-03-01' });
    expect(short.field).toBe('tendered');
    const noCustomer = await callError(f.b.core, f.b.conn, 'sales.create', { items: [{ sku: 'MAT', quantity: 1 }], customerId: 'nope', payments: [{ method: 'card' }], on: '2026-03-01' });
    expect(noCustomer.field).toBe('customerId');
    expect({ sales: f.count('sales'), lines: f.count('sale_lines'), payments: f.count('sale_payments'), moves: f.count('stock_movements'), audit: f.count('audit_log') }).toEqual(before);
    expect(f.stock(mat.id)).toBe(2);
    expect(f.nextSaleNumber()).toBe(1);
    expect((await f.sell({ items: [{ sku: 'MAT', quantity: 2 }] })).number).toBe('R-000001');
    expect(f.stock(mat.id)).toBe(0);
  });
});
