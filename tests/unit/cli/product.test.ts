import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Product, StockMovementDto } from '@shared/contract/products';
import { tempDir } from '../../support/core';
import { withBilling } from './billing-fixtures';

const PRODUCT_KEYS = ['id', 'sku', 'name', 'category', 'price', 'currency', 'stock', 'lowStockAt', 'archived'];

describe('recurra product', () => {
  it('create, list, update, archive and stock print the spec shapes', async () => {
    const b = await withBilling();
    const { product } = await b.json<{ product: Product }>(['product', 'create', '--sku', 'MAT-1', '--name', 'Yoga mat', '--price', '25.00', '--stock', '10', '--low-stock-at', '3', '--category', 'Gear']);
    for (const key of PRODUCT_KEYS) expect(product).toHaveProperty(key);
    expect(product).toMatchObject({ sku: 'MAT-1', name: 'Yoga mat', category: 'Gear', price: 2500, currency: 'USD', stock: 10, lowStockAt: 3, archived: false });
    const { product: tea } = await b.json<{ product: Product }>(['product', 'create', '--sku', 'TEA', '--name', 'Green tea', '--price', '3']);
    expect(tea.stock).toBeNull();

    const list = await b.json<Product[]>(['product', 'list']);
    expect(list.map((p) => p.sku)).toEqual(['TEA', 'MAT-1']);
    expect((await b.json<Product[]>(['product', 'list', '--search', 'mat'])).map((p) => p.sku)).toEqual(['MAT-1']);

    const stocked = await b.json<{ product: Product; movement: StockMovementDto }>(['product', 'stock', product.id, '--adjust', '-8', '--reason', 'damaged', '--note', 'flood']);
    expect(stocked.product).toMatchObject({ stock: 2, lowStock: true });
    expect(stocked.movement).toMatchObject({ kind: 'damaged', quantity: -8, reason: 'flood', stockAfter: 2 });
    expect((await b.json<Product[]>(['product', 'list', '--low-stock'])).map((p) => p.sku)).toEqual(['MAT-1']);
    const counted = await b.json<{ product: Product; movement: StockMovementDto }>(['product', 'stock', product.id, '--counted', '5', '--reason', 'count']);
    expect(counted.movement).toMatchObject({ kind: 'count', quantity: 3 });

    const { product: updated } = await b.json<{ product: Product }>(['product', 'update', product.id, '--price', '27.50', '--low-stock-at', 'none']);
    expect(updated).toMatchObject({ price: 2750, lowStockAt: null, stock: 5 });
    const { product: archived } = await b.json<{ product: Product }>(['product', 'archive', tea.id]);
    expect(archived.archived).toBe(true);
    expect((await b.json<Product[]>(['product', 'list'])).map((p) => p.sku)).toEqual(['MAT-1']);
    const history = await b.json<StockMovementDto[]>(['product', 'history', product.id]);
    expect(history.map((m) => [m.kind, m.quantity, m.stockAfter])).toEqual([['count', 3, 5], ['damaged', -8, 2], ['received', 10, 10]]);

    const human = await b.human(['product', 'stock', product.id, '--adjust', '2', '--reason', 'received']);
    expect(human.stdout).toBe('+2 MAT-1 (received); stock on hand now 7.\n');
  });

  it.each([
    [['--price', '1.005'], 'price', '--price', 'USD allows at most 2 decimal places'],
    [['--price', '-1'], 'price', '--price', 'The amount cannot be negative'],
    [['--price', '1', '--stock', '2.5'], 'stock', '--stock', 'Give a whole number, like 12'],
    [['--price', '1', '--stock', '-2'], 'stock', '--stock', 'The quantity cannot be negative'],
  ])('refuses %j naming the flag, writing nothing', async (flags, field, flag, message) => {
    const b = await withBilling();
    const refusal = await b.refused(['product', 'create', '--sku', 'X', '--name', 'X', ...flags]);
    expect(refusal).toMatchObject({ code: 1, error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect(await b.json<Product[]>(['product', 'list'])).toEqual([]);
  });

  it('a taken SKU (any case) is a conflict; a bad adjustment names --adjust; an unknown id is not found', async () => {
    const b = await withBilling();
    const { product } = await b.json<{ product: Product }>(['product', 'create', '--sku', 'mat', '--name', 'Mat', '--price', '1', '--stock', '1']);
    expect(await b.refused(['product', 'create', '--sku', 'MAT', '--name', 'Mat', '--price', '1'])).toMatchObject({ code: 1, error: { code: 'conflict', field: 'sku' } });
    expect(await b.refused(['product', 'stock', product.id, '--adjust', '-2', '--reason', 'damaged'])).toMatchObject({ code: 1, error: { code: 'validation', field: 'adjust' } });
    expect(await b.refused(['product', 'stock', product.id, '--adjust', '1.5', '--reason', 'other'])).toMatchObject({ code: 1, error: { code: 'validation', field: 'adjust' } });
    expect(await b.refused(['product', 'stock', product.id, '--adjust', '1', '--reason', 'stolen'])).toMatchObject({ code: 1, error: { code: 'validation', field: 'reason' } });
    expect(await b.refused(['product', 'stock', 'nope', '--adjust', '1', '--reason', 'other'])).toMatchObject({ code: 1, error: { code: 'not_found' } });
    const history = await b.json<StockMovementDto[]>(['product', 'history', product.id]);
    expect(history).toHaveLength(1);
  });

  it('import products FILE: all or nothing, errors naming line and column', async () => {
    const b = await withBilling();
    const dir = tempDir();
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'sku,name,price,category,stock,low_stock_at\nA,Alpha,1.50,Food,3,1\nB,Beta,2.505,,,\n');
    const refusal = await b.refused(['import', 'products', bad]);
    expect(refusal).toMatchObject({ code: 1, error: { code: 'validation', message: 'Line 3, column price: USD allows at most 2 decimal places' } });
    expect(await b.json<Product[]>(['product', 'list'])).toEqual([]);
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'sku,name,price,category,stock,low_stock_at\nA,Alpha,1.50,Food,3,1\nB,Beta,2,,,\n');
    expect(await b.json(['import', 'products', good])).toEqual({ rows: 2, created: 2, dryRun: false });
    expect((await b.json<Product[]>(['product', 'list'])).map((p) => [p.sku, p.price, p.stock])).toEqual([['A', 150, 3], ['B', 200, null]]);
  });

  it('export products writes a file that imports into another business as the same products', async () => {
    const b = await withBilling();
    await b.json(['product', 'create', '--sku', 'MAT-1', '--name', 'Yoga mat', '--price', '25.50', '--stock', '10', '--low-stock-at', '3', '--category', 'Gear']);
    await b.json(['product', 'create', '--sku', 'PACK', '--name', '=Class pack, 10', '--price', '120', '--category', 'Passes']);
    await b.json(['product', 'create', '--sku', 'EMPTY', '--name', 'Café crème', '--price', '0.99', '--stock', '0']);
    const { product: old } = await b.json<{ product: Product }>(['product', 'create', '--sku', 'OLD', '--name', 'Old stock', '--price', '1']);
    await b.json(['product', 'archive', old.id]);
    const out = path.join(tempDir(), 'products.csv');
    expect(await b.json(['export', 'products', '--out', out, '--bom'])).toEqual({ kind: 'products', rows: 3, path: out });
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFSKU,Name,Price (USD),Category,Stock,Low stock at,Description');
    expect(text).toContain(`PACK,"'=Class pack, 10",120.00,Passes,,,`); // a formula-looking name is escaped, and read back as typed

    const other = await withBilling();
    expect(await other.json(['import', 'products', out])).toEqual({ rows: 3, created: 3, dryRun: false });
    const strip = (rows: Product[]) => rows.map(({ sku, name, category, description, price, currency, stock, lowStockAt, archived }) => ({ sku, name, category, description, price, currency, stock, lowStockAt, archived }));
    const exported = strip(await b.json<Product[]>(['product', 'list']));
    expect(exported.map((p) => p.sku)).toEqual(['PACK', 'EMPTY', 'MAT-1']);
    expect(strip(await other.json<Product[]>(['product', 'list']))).toEqual(exported);

    // --search narrows it; a date range means nothing for products.
    expect(await b.json(['export', 'products', '--out', out, '--search', 'yoga'])).toMatchObject({ rows: 1 });
    expect(await b.human(['export', 'products', '--out', out, '--from', '2026-01-01'])).toMatchObject({ code: 2, stderr: 'Error: --from and --to do not apply to products, which has no dates\n' });
  });
});
