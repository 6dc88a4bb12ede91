import fs from 'node:fs';
import path from 'node:path';
import { openBusinessFile } from '../../support/core';
import { describe, expect, it } from 'vitest';
import type { DayReport, Sale, SaleRefund } from '@shared/contract/sales';
import { newId } from '../../../src-main/core/ids';
import { withBilling, type BillingCli } from './billing-fixtures';

/** Products written into the business file (the product commands are another branch's): MAT tracked (5 in stock), TEA not. */
function products(b: BillingCli): void {
  const db = openBusinessFile(path.join(b.dataDir, 'businesses', `${b.businessId}.sqlite`));
  try {
    const at = '2026-01-01T00:00:00.000Z';
    const mat = newId();
    db.prepare("INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, 'MAT-1', 'Yoga mat', 2500, 'USD', 5, ?, ?)").run(mat, at, at);
    db.prepare("INSERT INTO stock_movements (id, product_id, kind, quantity, occurred_on, created_at) VALUES (?, ?, 'received', 5, '2026-01-01', ?)").run(newId(), mat, at);
    db.prepare("INSERT INTO products (id, sku, name, price, currency, created_at, updated_at) VALUES (?, 'TEA', 'Tea', 350, 'USD', ?, ?)").run(newId(), at, at);
  } finally {
    db.close();
  }
}

describe('recurra sale and report day', () => {
  it('creates, lists, shows, refunds, prints a receipt and makes an invoice; report day adds up', async () => {
    const b = await withBilling();
    products(b);
    const customer = await b.customer('Acme Ltd', 'manual');
    const { sale } = await b.json<{ sale: Sale }>([
      'sale', 'create', '--item', 'MAT-1:2', '--item', 'TEA:3@3.00', '--discount', '10%', '--method', 'cash', '--tendered', '100', '--customer', customer.id, '--on', '2026-03-01',
    ]);
    expect(sale).toMatchObject({ number: 'R-000001', customerId: customer.id, soldOn: '2026-03-01', currency: 'USD', subtotal: 5900, discount: 590, tax: 0, total: 5310, method: 'cash', tendered: 10000, change: 4690, refunded: 0, status: 'paid' });
    expect(sale.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.discount, l.amount])).toEqual([['MAT-1', 2, 2500, 500, 4500], ['TEA', 3, 300, 90, 810]]);
    const second = await b.json<{ sale: Sale }>(['sale', 'create', '--item', 'TEA:1', '--method', 'card', '--on', '2026-03-01']);
    expect(second.sale.number).toBe('R-000002');
    expect((await b.json<Sale[]>(['sale', 'list', '--from', '2026-03-01', '--to', '2026-03-01'])).map((s) => s.number)).toEqual(['R-000002', 'R-000001']);
    expect((await b.json<Sale[]>(['sale', 'list', '--customer', customer.id])).map((s) => s.number)).toEqual(['R-000001']);
    expect((await b.json<{ sale: Sale }>(['sale', 'show', 'R-000001'])).sale).toEqual(sale);

    const refunded = await b.json<{ sale: Sale; refund: SaleRefund }>(['sale', 'refund', 'R-000001', '--item', 'MAT-1:1', '--on', '2026-03-01']);
    expect(refunded.refund).toMatchObject({ amount: 2250, method: 'cash', lines: [{ sku: 'MAT-1', quantity: 1, amount: 2250 }] });
    expect(refunded.sale.status).toBe('partially_refunded');

    const out = path.join(b.dataDir, 'receipt.pdf');
    expect(await b.json(['sale', 'receipt', 'R-000001', '--out', out])).toEqual({ path: out });
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const { invoice } = await b.json<{ invoice: { kind: string; status: string; total: number } }>(['sale', 'invoice', 'R-000001']);
    expect(invoice).toMatchObject({ kind: 'sale', status: 'paid', total: 5310 });

    const z = await b.json<DayReport>(['report', 'day', '--on', '2026-03-01']);
    expect(z).toMatchObject({ date: '2026-03-01', count: 2, sales: 5310 + 350, refunds: 2250, net: 5310 + 350 - 2250, tax: 0 });
    expect(z.byMethod).toEqual({ cash: 5310 - 2250, card: 350, bank_transfer: 0, other: 0 });
    expect(z.byProduct.reduce((s, p) => s + p.amount, 0)).toBe(z.net);

    const split = await b.json<{ sale: Sale }>(['sale', 'create', '--item', 'TEA:2', '--split', 'card:5.00', '--method', 'cash', '--tendered', '5', '--on', '2026-03-02']);
    expect(split.sale).toMatchObject({ method: 'split', total: 700, tendered: 500, change: 300 });
    expect(split.sale.payments).toEqual([{ method: 'card', amount: 500, tendered: null, change: 0 }, { method: 'cash', amount: 200, tendered: 500, change: 300 }]);
    const human = await b.human(['report', 'day', '--on', '2026-03-01']);
    expect(human.stdout).toContain('net $34.10');
    const shown = await b.human(['sale', 'show', 'R-000001']);
    expect(shown.stdout).toContain('Sale R-000001, 2026-03-01, Acme Ltd (partially refunded)');
  });

  it.each([
    [['--item', 'MAT-1:9', '--method', 'card'], 'items.0', '--item', 'Only 5 of Yoga mat (MAT-1) in stock'],
    [['--item', 'NOPE:1', '--method', 'card'], 'items.0', '--item', 'No product has the SKU NOPE'],
    [['--item', 'TEA:1.5', '--method', 'card'], 'items.0.quantity', '--item', 'The quantity must be a whole number'],
    [['--item', 'TEA:-1', '--method', 'card'], 'items.0.quantity', '--item', 'The quantity must be at least 1'],
    [['--item', 'TEA:1@3.005', '--method', 'card'], 'items.0.unitPrice', '--item', 'USD allows at most 2 decimal places'],
    [['--item', 'TEA:1', '--method', 'cash', '--tendered', '3.00'], 'tendered', '--tendered', 'The amount tendered is less than what is due'],
    [['--item', 'TEA:1', '--method', 'card', '--discount', '3.51'], 'discount', '--discount', 'The discount is more than the total'],
    [['--item', 'TEA:1', '--method', 'card', '--discount', '101%'], 'discount', '--discount', 'A percentage cannot exceed 100'],
    [['--item', 'TEA:1', '--method', 'cheque'], 'payments.0.method', '--method', 'Method must be cash, card, bank_transfer, other'],
  ])('refuses %j naming %s (exit 1), writing nothing and taking no number', async (flags, field, flag, message) => {
    const b = await withBilling();
    products(b);
    const refusal = await b.refused(['sale', 'create', ...flags, '--on', '2026-03-01']);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect(await b.json<Sale[]>(['sale', 'list'])).toEqual([]);
    expect((await b.json<{ sale: Sale }>(['sale', 'create', '--item', 'TEA:1', '--method', 'card', '--on', '2026-03-01'])).sale.number).toBe('R-000001');
  });

  it('refuses an invoice for a sale without a customer, naming the customer', async () => {
    const b = await withBilling();
    products(b);
    await b.json(['sale', 'create', '--item', 'TEA:1', '--method', 'card', '--on', '2026-03-01']);
    const refusal = await b.refused(['sale', 'invoice', 'R-000001']);
    expect(refusal).toMatchObject({ code: 1, error: { code: 'validation', field: 'customerId' } });
  });
});
