import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ExportDestination } from '../../../src-main/core/ports';
import { ledgerStock } from '../../../src-main/core/products/stock-ledger';
import { writeSyncState } from '../../../src-main/core/sync';
import { callError, tempDir, type TestConnection } from '../../support/core';
import { solidPng } from '../../support/png';
import { saleBusiness } from '../../support/sales';

/** Exports to one file, as the CLI's --out does. */
class FileExportDestination implements ExportDestination {
  constructor(private readonly file: string) {}
  open() {
    return Promise.resolve({ stream: fs.createWriteStream(this.file), path: this.file, downloadUrl: null });
  }
}

/** Every text run of a pdfkit PDF (its content streams inflated, the TJ hex strings read as WinAnsi/Latin-1). */
function textRuns(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const match of source.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const body = pdf.subarray(start, source.indexOf('endstream', start));
    const content = (match[1] ?? '').includes('/FlateDecode') ? zlib.inflateSync(body).toString('latin1') : body.toString('latin1');
    for (const tj of content.matchAll(/\[((?:<[0-9a-f]*>|[-\d.\s])*)\]\s*TJ/g)) {
      runs.push(Buffer.from([...(tj[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join(''), 'hex').toString('latin1'));
    }
  }
  return runs;
}

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

  it('one product on two lines (by id and by SKU) moves its stock twice; a SKU that is not the product\'s is refused', async () => {
    const f = await saleBusiness();
    const mat = f.product({ sku: 'MAT', price: 2500, stock: 5 });
    const tea = f.product({ sku: 'TEA', price: 350 });
    const sale = await f.sell({ items: [{ productId: mat.id, quantity: 2 }, { sku: 'tea', quantity: 1 }, { sku: 'mat', quantity: 3 }] });
    expect(sale.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [mat.id, 2],
      [tea.id, 1],
      [mat.id, 3],
    ]);
    expect(f.stock(mat.id)).toBe(0);
    expect(ledgerStock(f.db, mat.id)).toBe(0);
    expect(f.db.sqlite.prepare('SELECT quantity FROM stock_movements WHERE sale_id = ? ORDER BY rowid').pluck().all(sale.id)).toEqual([-2, -3]);
    const wrong = await callError(f.b.core, f.b.conn, 'sales.create', { items: [{ productId: tea.id, sku: 'MAT', quantity: 1 }], payments: [{ method: 'card' }], on: '2026-03-01' });
    expect(wrong.field).toBe('items.0');
    expect(wrong.message).toMatch(/has the SKU TEA, not MAT/);
  });
});

describe('payments, refunds, receipts, invoices and the Z report', () => {
  it('splits a payment across two methods and gives cash change', async () => {
    const f = await saleBusiness();
    f.product({ sku: 'BOOK', price: 1999 });
    const sale = await f.sell({ items: [{ sku: 'BOOK', quantity: 2 }], discount: { percentPpm: 100_000 }, payments: [{ method: 'card', amount: 1000 }, { method: 'cash', tendered: 5000 }] });
    expect(sale.discount).toBe(400);
    expect(sale.total).toBe(3598);
    expect(sale.method).toBe('split');
    expect(sale.payments).toEqual([
      { method: 'card', amount: 1000, tendered: null, change: 0 },
      { method: 'cash', amount: 2598, tendered: 5000, change: 2402 },
    ]);
    expect(sale.change).toBe(2402);
    expect((await f.call('sales.list', { method: 'cash' })).total).toBe(1);
    expect((await f.call('sales.list', { method: 'split' })).total).toBe(1);
    expect((await f.call('sales.list', { method: 'other' })).total).toBe(0);
  });

  it('refunds some lines, then the rest: stock back, status and refunded follow, never more than was sold', async () => {
    const f = await saleBusiness({ taxRate: '20' });
    const mat = f.product({ sku: 'MAT', price: 1000, stock: 10 });
    const tea = f.product({ sku: 'TEA', price: 333 });
    const sale = await f.sell({ items: [{ sku: 'MAT', quantity: 3 }, { sku: 'TEA', quantity: 3 }], discount: { amount: 100 } });
    expect(f.stock(mat.id)).toBe(7);
    const first = await f.call('sales.refund', { id: sale.id, items: [{ sku: 'MAT', quantity: 1 }], on: '2026-03-02' });
    expect(first.sale.status).toBe('partially_refunded');
    expect(first.sale.lines[0]!.refundedQuantity).toBe(1);
    expect(first.refund.lines).toHaveLength(1);
    expect(first.refund.method).toBe('card');
    expect(f.stock(mat.id)).toBe(8);
    expect(ledgerStock(f.db, mat.id)).toBe(8);
    const tooMany = await callError(f.b.core, f.b.conn, 'sales.refund', { id: sale.id, items: [{ sku: 'TEA', quantity: 1 }, { sku: 'MAT', quantity: 3 }], on: '2026-03-02' });
    expect(tooMany.field).toBe('items.1');
    expect(tooMany.message).toMatch(/Only 2/);
    const rest = await f.call('sales.refund', { id: sale.id, on: '2026-03-03' });
    expect(rest.sale.status).toBe('refunded');
    expect(rest.sale.refunded).toBe(sale.total);
    expect(first.refund.amount + rest.refund.amount).toBe(sale.total);
    expect(first.refund.tax + rest.refund.tax).toBe(sale.tax);
    expect(f.stock(mat.id)).toBe(10);
    expect(f.stock(tea.id)).toBeNull();
    const again = await callError(f.b.core, f.b.conn, 'sales.refund', { id: sale.id, on: '2026-03-03' });
    expect(again.code).toBe('conflict');
    const got = await f.call('sales.get', { id: sale.number });
    expect(got.refunds.map((r) => r.amount)).toEqual([first.refund.amount, rest.refund.amount]);
    expect(f.db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'sales.refund'").pluck().get()).toBe(2);
  });

  it('a receipt PDF (80 mm and A4) carries the logo, the number and the total', async () => {
    const f = await saleBusiness({ taxRate: '8.25' });
    await f.call('business.update', { logo: `data:image/png;base64,${solidPng(120, 40, [37, 99, 235]).toString('base64')}` });
    f.product({ sku: 'MAT', name: 'Yoga mat', price: 2500 });
    const sale = await f.sell({ items: [{ sku: 'MAT', quantity: 1 }], payments: [{ method: 'cash', tendered: 3000 }] });
    const dir = tempDir();
    for (const format of ['80mm', 'a4'] as const) {
      const out = path.join(dir, `${format}.pdf`);
      (f.b.conn as TestConnection & { exports?: ExportDestination }).exports = new FileExportDestination(out);
      const { path: written } = await f.call('sales.receipt', { id: sale.id, format });
      expect(written).toBe(out);
      const text = textRuns(fs.readFileSync(out)).join('\n');
      expect(text).toContain('R-000001');
      expect(text).toContain('$27.06');
      expect(text).toContain('Tax (8.25%)');
      expect(text).toContain('Change');
      expect(text).toContain('Sunrise Yoga');
      expect(fs.readFileSync(out, 'latin1')).toMatch(/\/Subtype \/Image/);
      const size = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(fs.readFileSync(out, 'latin1'))!;
      expect(Math.round(Number(size[1]))).toBe(format === 'a4' ? 595 : 227);
    }
  });

  it('an invoice from a sale with a customer is paid and adds no revenue; refused without a customer', async () => {
    const f = await saleBusiness({ taxRate: '10' });
    f.product({ sku: 'MAT', price: 2500 });
    const customer = await f.b.customer('manual', 'Acme Ltd');
    const anonymous = await f.sell({ items: [{ sku: 'MAT', quantity: 1 }] });
    const error = await callError(f.b.core, f.b.conn, 'sales.invoice', { id: anonymous.id });
    expect(error.field).toBe('customerId');
    const sale = await f.sell({ items: [{ sku: 'MAT', quantity: 2 }], customerId: customer.id, discount: { amount: 500 } });
    const revenueBefore = f.db.sqlite.prepare('SELECT coalesce(sum(amount), 0) FROM metric_revenue').pluck().get();
    const { invoice, sale: after } = await f.call('sales.invoice', { id: sale.id });
    expect(invoice.kind).toBe('sale');
    expect(invoice.status).toBe('paid');
    expect(invoice.total).toBe(sale.total);
    expect(invoice.amountDue).toBe(0);
    expect(after.invoiceId).toBe(invoice.id);
    expect(f.db.sqlite.prepare('SELECT coalesce(sum(amount), 0) FROM metric_revenue').pluck().get()).toBe(revenueBefore);
    expect((await callError(f.b.core, f.b.conn, 'sales.invoice', { id: sale.id })).code).toBe('conflict');
  });

  it('the Z report adds up to the sales and refunds of the day, per method and per product', async () => {
    const f = await saleBusiness({ taxRate: '10' });
    f.product({ sku: 'MAT', price: 2500, stock: 20 });
    f.product({ sku: 'TEA', price: 350 });
    const a = await f.sell({ items: [{ sku: 'MAT', quantity: 1 }, { sku: 'TEA', quantity: 2 }], payments: [{ method: 'cash', tendered: 5000 }] });
    const b = await f.sell({ items: [{ sku: 'TEA', quantity: 1 }], payments: [{ method: 'card', amount: 200 }, { method: 'bank_transfer' }] });
    const old = await f.sell({ items: [{ sku: 'MAT', quantity: 2 }], on: '2026-02-27', payments: [{ method: 'other' }] });
    const refund = await f.call('sales.refund', { id: old.id, items: [{ sku: 'MAT', quantity: 1 }], on: '2026-03-01' });
    const z = await f.call('sales.dayReport', { on: '2026-03-01' });
    expect(z.count).toBe(2);
    expect(z.sales).toBe(a.total + b.total);
    expect(z.refunds).toBe(refund.refund.amount);
    expect(z.net).toBe(a.total + b.total - refund.refund.amount);
    expect(z.tax).toBe(a.tax + b.tax - refund.refund.tax);
    expect(z.byMethod).toEqual({ cash: a.total, card: 200, bank_transfer: b.total - 200, other: -refund.refund.amount });
    expect(Object.values(z.byMethod).reduce((s, x) => s + x, 0)).toBe(z.net);
    expect(z.byProduct.reduce((s, p) => s + p.amount, 0)).toBe(z.net);
    expect(z.byProduct.find((p) => p.sku === 'MAT')!.quantity).toBe(0);
    expect(z.byProduct.find((p) => p.sku === 'TEA')!.quantity).toBe(3);
    expect(z.cashTendered).toBe(5000);
    expect(z.changeGiven).toBe(5000 - a.total);
    const revenue = f.db.sqlite.prepare("SELECT coalesce(sum(amount), 0) FROM metric_revenue WHERE date = '2026-03-01'").pluck().get();
    expect(revenue).toBe(z.net);
  });
});

describe('receipt numbers', () => {
  it('a synced PC that is not the billing PC numbers its sales in its own gapless series, as invoices', async () => {
    const f = await saleBusiness();
    f.product({ sku: 'TEA', price: 350 });
    expect((await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] })).number).toBe('R-000001');
    writeSyncState(f.db, { server: 'http://127.0.0.1:9', deviceId: '3f9a1c0011112222', deviceName: 'Front desk', billingDevice: { id: 'bbbb000011112222', name: 'Office PC' } });
    expect((await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] })).number).toBe('R-3F9A1C-000001');
    const refused = await callError(f.b.core, f.b.conn, 'sales.create', { items: [{ sku: 'NOPE', quantity: 1 }], payments: [{ method: 'card' }], on: '2026-03-01' });
    expect(refused.field).toBe('items.0');
    expect((await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] })).number).toBe('R-3F9A1C-000002');
    expect(f.nextSaleNumber()).toBe(2);
    writeSyncState(f.db, { billingDevice: { id: '3f9a1c0011112222', name: 'Front desk' } });
    expect((await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] })).number).toBe('R-000002');
  });
});
