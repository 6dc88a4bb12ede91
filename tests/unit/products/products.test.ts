import { describe, expect, it } from 'vitest';
import { ledgerStock } from '../../../src-main/core/products/stock-ledger';
import { billingBusiness } from '../../support/billing';
import { callError } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

describe('products and their stock ledger', () => {
  it('create with stock records a received movement; no stock means not tracked', async () => {
    const b = await billingBusiness();
    const mat = await b.call('products.create', { sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 10, lowStockAt: 3, category: 'Gear' });
    expect(mat).toMatchObject({ sku: 'MAT-1', stock: 10, lowStockAt: 3, lowStock: false, archived: false, price: 2500 });
    const moves = await b.call('products.movements', { id: mat.id });
    expect(moves.rows).toMatchObject([{ kind: 'received', quantity: 10, stockAfter: 10 }]);
    const pack = await b.call('products.create', { sku: 'PACK10', name: 'Class pack', price: 12000 });
    expect(pack.stock).toBeNull();
    expect((await b.call('products.movements', { id: pack.id })).total).toBe(0);
    const audit = b.db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'products.create'").pluck().get();
    expect(audit).toBe(2);
    b.close();
  });

  it('SKUs are unique whatever the case; bySku finds them whatever the case', async () => {
    const b = await billingBusiness();
    const mat = await b.call('products.create', { sku: 'Mat-1', name: 'Yoga mat', price: 2500 });
    const before = fingerprint(b.db.sqlite);
    expect(await callError(b.core, b.conn, 'products.create', { sku: 'mat-1', name: 'Other', price: 1 })).toMatchObject({ code: 'conflict', field: 'sku' });
    const other = await b.call('products.create', { sku: 'BLOCK', name: 'Block', price: 900 });
    expect(await callError(b.core, b.conn, 'products.update', { id: other.id, sku: 'MAT-1' })).toMatchObject({ code: 'conflict', field: 'sku' });
    expect((await b.call('products.bySku', { sku: 'MAT-1' })).id).toBe(mat.id);
    expect((await b.call('products.bySku', { sku: ' mat-1 ' })).id).toBe(mat.id);
    expect(await callError(b.core, b.conn, 'products.bySku', { sku: 'MAT' })).toMatchObject({ code: 'not_found', field: 'sku' });
    // Renaming its own SKU's case is fine.
    expect((await b.call('products.update', { id: mat.id, sku: 'MAT-1' })).sku).toBe('MAT-1');
    expect(before).not.toBe(fingerprint(b.db.sqlite));
    b.close();
  });

  it('bad input names the field and writes nothing', async () => {
    const b = await billingBusiness();
    const mat = await b.call('products.create', { sku: 'MAT', name: 'Yoga mat', price: 2500, stock: 2 });
    const before = fingerprint(b.db.sqlite);
    const refused = (method: string, input: unknown) => callError(b.core, b.conn, method, input);
    expect(await refused('products.create', { sku: 'X', name: 'X', price: 12.5 })).toMatchObject({ code: 'validation', field: 'price' });
    expect(await refused('products.create', { sku: 'X', name: 'X', price: -1 })).toMatchObject({ code: 'validation', field: 'price' });
    expect(await refused('products.create', { sku: 'X', name: 'X', price: 1, stock: -3 })).toMatchObject({ code: 'validation', field: 'stock' });
    expect(await refused('products.create', { sku: 'X', name: 'X', price: 1, stock: 1.5 })).toMatchObject({ code: 'validation', field: 'stock' });
    expect(await refused('products.create', { sku: 'A B', name: 'X', price: 1 })).toMatchObject({ code: 'validation', field: 'sku' });
    expect(await refused('products.create', { sku: 'X', name: '', price: 1 })).toMatchObject({ code: 'validation', field: 'name' });
    expect(await refused('products.adjustStock', { id: mat.id, adjust: 0, reason: 'other' })).toMatchObject({ code: 'validation', field: 'adjust' });
    expect(await refused('products.adjustStock', { id: mat.id, adjust: 1.5, reason: 'other' })).toMatchObject({ code: 'validation', field: 'adjust' });
    expect(await refused('products.adjustStock', { id: mat.id, adjust: -3, reason: 'damaged' })).toMatchObject({ code: 'validation', field: 'adjust' });
    expect(await refused('products.adjustStock', { id: mat.id, adjust: -1, reason: 'received' })).toMatchObject({ code: 'validation', field: 'adjust' });
    expect(await refused('products.adjustStock', { id: mat.id, adjust: 1, reason: 'stolen' })).toMatchObject({ code: 'validation', field: 'reason' });
    expect(await refused('products.adjustStock', { id: mat.id, counted: -1, reason: 'count' })).toMatchObject({ code: 'validation', field: 'counted' });
    expect(await refused('products.adjustStock', { id: mat.id, counted: 2, reason: 'count' })).toMatchObject({ code: 'validation', field: 'counted' });
    expect(await refused('products.adjustStock', { id: 'nope', adjust: 1, reason: 'other' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(await refused('products.update', { id: 'nope', name: 'Y' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(await refused('products.archive', { id: 'nope' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(await refused('products.import', { csv: 'sku,name,price\nA,Alpha,1.00\nB,Beta,1.005\n' })).toMatchObject({ code: 'validation', field: 'csv', message: expect.stringMatching(/Line 3, column price/) });
    expect(await refused('products.import', { csv: 'sku,name,price,stock\nA,Alpha,1.00,2\nB,Beta,1.00,-2\n' })).toMatchObject({ code: 'validation', message: expect.stringMatching(/Line 3, column stock/) });
    expect(await refused('products.import', { csv: 'sku,name,price\nA,Alpha,1.00\na,Beta,1.00\n' })).toMatchObject({ code: 'validation', message: expect.stringMatching(/Line 3, column sku/) });
    expect(await refused('products.import', { csv: 'sku,name,price\nmat,Alpha,1.00\n' })).toMatchObject({ code: 'validation', message: expect.stringMatching(/Line 2, column sku/) });
    expect(fingerprint(b.db.sqlite)).toBe(before);
    b.close();
  });

  it('adjustments and counts: stock equals the sum of the movements after random changes, each with an audit row', async () => {
    const b = await billingBusiness();
    const mat = await b.call('products.create', { sku: 'MAT', name: 'Yoga mat', price: 2500, stock: 20, lowStockAt: 5 });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let expected = 20;
    let writes = 0;
    for (let i = 0; i < 60; i++) {
      const r = rand();
      if (r < 0.3) {
        const counted = Math.floor(rand() * 30);
        if (counted === expected) continue;
        const { product, movement } = await b.call('products.adjustStock', { id: mat.id, counted, reason: 'count', note: `count ${i}` });
        expect(movement.quantity).toBe(counted - expected);
        expected = counted;
        expect(product.stock).toBe(expected);
      } else {
        const n = Math.floor(rand() * 9) - 4 || 1;
        if (expected + n < 0) continue;
        const reason = n > 0 ? 'received' : rand() < 0.5 ? 'damaged' : 'other';
        const { product, movement } = await b.call('products.adjustStock', { id: mat.id, adjust: n, reason, note: 'test' });
        expected += n;
        expect(movement).toMatchObject({ quantity: n, kind: reason, stockAfter: expected, reason: 'test', userName: expect.any(String) });
        expect(product.stock).toBe(expected);
        expect(product.lowStock).toBe(expected <= 5);
      }
      writes++;
      expect(ledgerStock(b.db, mat.id)).toBe(expected);
    }
    const stock = b.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(mat.id);
    expect(stock).toBe(expected);
    expect(ledgerStock(b.db, mat.id)).toBe(expected);
    const history = await b.call('products.movements', { id: mat.id, limit: 1000 });
    expect(history.total).toBe(writes + 1);
    expect(history.rows[0]!.stockAfter).toBe(expected);
    expect(b.db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'products.adjustStock' AND user_id IS NOT NULL").pluck().get()).toBe(writes);
    b.close();
  });

  it('archive hides from the list and the scanner; search by SKU prefix, name words, category; low-stock filter', async () => {
    const b = await billingBusiness();
    await b.call('products.create', { sku: 'MAT-1', name: 'Yoga mat blue', price: 2500, stock: 2, lowStockAt: 3, category: 'Gear' });
    await b.call('products.create', { sku: 'MAT-2', name: 'Yoga mat red', price: 2500, stock: 9, lowStockAt: 3, category: 'Gear' });
    const tea = await b.call('products.create', { sku: 'TEA', name: 'Green tea', price: 300, category: 'Drinks' });
    const names = async (input: object) => (await b.call('products.list', input)).rows.map((p) => p.sku);
    expect(await names({ search: 'mat' })).toEqual(['MAT-1', 'MAT-2']);
    expect(await names({ search: 'mat-2' })).toEqual(['MAT-2']);
    expect(await names({ search: 'yoga red' })).toEqual(['MAT-2']);
    expect(await names({ search: 'drinks' })).toEqual(['TEA']);
    expect(await names({ search: '%' })).toEqual([]);
    expect(await names({ category: 'gear' })).toEqual(['MAT-1', 'MAT-2']);
    expect(await names({ lowStock: true })).toEqual(['MAT-1']);
    await b.call('products.archive', { id: tea.id });
    expect(await names({})).toEqual(['MAT-1', 'MAT-2']);
    expect(await names({ includeArchived: true })).toEqual(['TEA', 'MAT-1', 'MAT-2']);
    expect(await callError(b.core, b.conn, 'products.bySku', { sku: 'tea' })).toMatchObject({ code: 'not_found' });
    expect((await b.call('products.unarchive', { id: tea.id })).archived).toBe(false);
    expect(await b.call('products.categories', {})).toEqual(['Drinks', 'Gear']);
    b.close();
  });

  it('imports products from CSV, with opening stock through the ledger', async () => {
    const b = await billingBusiness();
    const result = await b.call('products.import', { csv: 'sku,name,price,category,stock,low_stock_at\nA1,Alpha,1.50,Food,4,1\nB1,Beta,2,,,\n' });
    expect(result).toEqual({ rows: 2, created: 2 });
    const a = await b.call('products.bySku', { sku: 'a1' });
    expect(a).toMatchObject({ price: 150, stock: 4, lowStockAt: 1, category: 'Food' });
    expect(ledgerStock(b.db, a.id)).toBe(4);
    expect((await b.call('products.bySku', { sku: 'B1' })).stock).toBeNull();
    // products.export's headers: the currency must be the business's.
    await b.call('products.import', { csv: 'SKU,Name,Price (USD),Description\nC1,Gamma,3.25,"Two\nlines"\n' });
    expect(await b.call('products.bySku', { sku: 'C1' })).toMatchObject({ price: 325, description: 'Two\nlines' });
    expect(await callError(b.core, b.conn, 'products.import', { csv: 'SKU,Name,Price (EUR)\nD1,Delta,3\n' })).toMatchObject({
      code: 'validation',
      field: 'csv',
      message: 'The prices in this file are in EUR; this business counts in USD',
    });
    b.close();
  });
});
