import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../src-main/core/db/migrate';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { listProducts } from '../../../src-main/core/products/products-service';
import { productListInputSchema } from '@shared/contract/products';
import { billingBusiness } from '../../support/billing';
import { call, MIGRATIONS_DIR, tempDir } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, syncAll } from '../sync/harness';

const ftsRows = (db: Database.Database) => db.prepare('SELECT count(*) FROM products_fts').pluck().get() as number;

describe('product search over products_fts', () => {
  it('follows every write: create, rename, recategorize, a raw insert and delete (as a sync merge writes), in the same transaction', async () => {
    const b = await billingBusiness();
    const skus = async (search: string) => (await b.call('products.list', { search })).rows.map((p) => p.sku);
    const cafe = await b.call('products.create', { sku: 'CAF-1', name: 'Café crème', price: 350, category: 'Hot drinks' });
    await b.call('products.create', { sku: 'X-CAF-2', name: 'Iced latte', price: 400, category: 'Cold drinks' });
    await b.call('products.create', { sku: '#7', name: 'Gift card', price: 1000 });
    expect(await skus('cafe')).toEqual(['CAF-1']); // accents ignored
    expect(await skus('CAF')).toEqual(['CAF-1']); // the SKU's start only, any case: not X-CAF-2
    expect(await skus('caf-1')).toEqual(['CAF-1']);
    expect(await skus('x-caf')).toEqual(['X-CAF-2']);
    expect(await skus('drinks')).toEqual(['CAF-1', 'X-CAF-2']); // a word of the category
    expect(await skus('lat')).toEqual(['X-CAF-2']); // a name word's start
    expect(await skus('atte')).toEqual([]); // not the middle of a word
    expect(await skus('#')).toEqual(['#7']); // punctuation only: a SKU prefix
    expect(await skus('"')).toEqual([]);
    expect(await skus('gift "card')).toEqual(['#7']); // quotes cannot break the query

    await b.call('products.update', { id: cafe.id, name: 'Flat white', category: 'Coffee' });
    expect(await skus('cafe')).toEqual([]);
    expect(await skus('flat coffee')).toEqual(['CAF-1']);

    // A row written with SQL and no seq, as sync/apply.ts inserts a remote product: indexed by the trigger.
    b.db.sqlite
      .prepare("INSERT INTO products (id, sku, name, price, currency, created_at, updated_at) VALUES ('remote-1', 'TEA-9', 'Green tea', 300, 'USD', 'now', 'now')")
      .run();
    expect(await skus('green')).toEqual(['TEA-9']);
    // A write rolled back leaves the index as it was.
    expect(() =>
      b.db.sqlite.transaction(() => {
        b.db.sqlite.prepare("UPDATE products SET name = 'Black tea' WHERE id = 'remote-1'").run();
        throw new Error('rollback');
      })(),
    ).toThrow('rollback');
    expect(await skus('green')).toEqual(['TEA-9']);
    expect(await skus('black')).toEqual([]);
    b.db.sqlite.prepare("DELETE FROM products WHERE id = 'remote-1'").run();
    expect(await skus('green')).toEqual([]);
    expect(ftsRows(b.db.sqlite)).toBe(3);
    b.db.sqlite.prepare("INSERT INTO products_fts(products_fts) VALUES ('integrity-check')").run();
    b.close();
  });

  it('a file from before the index (an older backup restored) is indexed when it is migrated, keeping its ids', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const all = loadMigrations(MIGRATIONS_DIR);
    const before = all.findIndex((m) => m.tag.endsWith('_products_seq'));
    expect(before).toBeGreaterThan(0);
    const old = new Database(file); // an old, plain file
    migrate(old, all.slice(0, before));
    const insert = old.prepare('INSERT INTO products (id, sku, name, category, price, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('p-1', 'MAT-1', 'Yoga mat', 'Gear', 2500, 'USD', 'now', 'now');
    insert.run('p-2', 'TEA', 'Green tea', 'Drinks', 300, 'USD', 'now', 'now');
    old.prepare("INSERT INTO stock_movements (id, product_id, kind, quantity, occurred_on, created_at) VALUES ('m-1', 'p-1', 'received', 4, '2026-01-01', 'now')").run();
    old.close();

    const db = openBusinessDb('old', file, { migrationsDir: MIGRATIONS_DIR });
    expect(ftsRows(db.sqlite)).toBe(2);
    const search = (s: string) => listProducts(db, productListInputSchema.parse({ search: s })).rows.map((p) => p.id);
    expect(search('yoga')).toEqual(['p-1']);
    expect(search('drinks')).toEqual(['p-2']);
    expect(db.sqlite.prepare('SELECT seq FROM products ORDER BY seq').pluck().all()).toEqual([1, 2]);
    // The table rebuild kept the ledger's reference (a product in use cannot be deleted), the price check and the case-insensitive SKU index.
    expect(() => db.sqlite.prepare("DELETE FROM products WHERE id = 'p-1'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.sqlite.prepare("UPDATE products SET price = -1 WHERE id = 'p-1'").run()).toThrow(/CHECK/);
    expect(() => db.sqlite.prepare("UPDATE products SET sku = 'tea' WHERE id = 'p-1'").run()).toThrow(/UNIQUE/);
    db.sqlite.close();
  });

  it('rows arriving by sync merge are searchable on the other PC, renames and a SKU collision included', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    const skus = async (pc: typeof a, search: string) => (await call(pc.core, pc.conn, 'products.list', { search })).rows.map((p) => p.sku);
    const mat = await call(a.core, a.conn, 'products.create', { sku: 'MAT', name: 'Yoga mat', price: 2500 });
    syncAll([a, b], log);
    expect(await skus(b, 'yoga')).toEqual(['MAT']);
    await call(a.core, a.conn, 'products.update', { id: mat.id, name: 'Cork block' });
    // Offline, both PCs take the SKU TEA: the merge keeps both and suffixes the later one (an UPDATE by apply.ts).
    await call(a.core, a.conn, 'products.create', { sku: 'TEA', name: 'Green tea', price: 300 });
    await call(b.core, b.conn, 'products.create', { sku: 'tea', name: 'Black tea', price: 300 });
    syncAll([a, b], log);
    for (const pc of [a, b]) {
      expect(await skus(pc, 'yoga')).toEqual([]);
      expect(await skus(pc, 'cork')).toEqual(['MAT']);
      const teas = await skus(pc, 'tea');
      expect(teas).toHaveLength(2);
      expect(teas.filter((sku) => sku.toLowerCase() === 'tea')).toHaveLength(1);
      expect(ftsRows(pc.db.sqlite)).toBe(3);
    }
  });
});
