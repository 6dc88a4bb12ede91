import { describe, expect, it } from 'vitest';
import { digest } from '../../../src-main/core/sync';
import { rederiveAll } from '../../../src-main/core/sync/apply';
import { moveStock } from '../../../src-main/core/products/stock-ledger';
import { call } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, syncAll } from './harness';

async function twoPcs() {
  const log = new OrderedLog();
  const { pc: a, businessId } = await firstPc(log);
  const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
  return { log, a, b, businessId };
}

describe('stock is derived from the ledger, never merged (spec/server.md guarantee 3)', () => {
  it('two PCs each sell and adjust one product offline: after sync both show the sum of all movements', async () => {
    const { log, a, b } = await twoPcs();
    const mat = await call(a.core, a.conn, 'products.create', { sku: 'MAT', name: 'Yoga mat', price: 2500, stock: 10 });
    syncAll([a, b], log);
    expect(b.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(mat.id)).toBe(10);

    // Offline: A sells 2 and finds 1 damaged; B receives 5 and sells 3.
    const sell = (pc: typeof a, quantity: number) =>
      pc.db.sqlite.transaction(() =>
        moveStock(pc.db, { productId: mat.id, kind: 'sold', quantity: -quantity, userId: null, occurredOn: '2026-03-02', at: new Date().toISOString() }),
      )();
    sell(a, 2);
    await call(a.core, a.conn, 'products.adjustStock', { id: mat.id, adjust: -1, reason: 'damaged', note: 'torn' });
    await call(b.core, b.conn, 'products.adjustStock', { id: mat.id, adjust: 5, reason: 'received' });
    sell(b, 3);
    const stock = (pc: typeof a) => pc.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(mat.id);
    expect([stock(a), stock(b)]).toEqual([7, 12]);

    syncAll([a, b], log);
    expect([stock(a), stock(b)]).toEqual([9, 9]);
    for (const pc of [a, b]) {
      expect(pc.db.sqlite.prepare('SELECT sum(quantity) FROM stock_movements WHERE product_id = ?').pluck().get(mat.id)).toBe(9);
      expect(rederiveAll(pc.db.sqlite)).toBe(0);
    }
    expect(digest(a.db)).toEqual(digest(b.db));

    // A later count on one PC reaches the other as its movement, and both agree.
    const counted = await call(b.core, b.conn, 'products.adjustStock', { id: mat.id, counted: 8, reason: 'count' });
    expect(counted.movement.quantity).toBe(-1);
    syncAll([a, b], log);
    expect([stock(a), stock(b)]).toEqual([8, 8]);
    expect(digest(a.db)).toEqual(digest(b.db));
  });

  it('rederiveAll puts a stock that drifted from its ledger back, and leaves untracked products untracked', async () => {
    const { a } = await twoPcs();
    const mat = await call(a.core, a.conn, 'products.create', { sku: 'MAT', name: 'Yoga mat', price: 2500, stock: 4 });
    const pack = await call(a.core, a.conn, 'products.create', { sku: 'PACK', name: 'Class pack', price: 9000 });
    expect(rederiveAll(a.db.sqlite)).toBe(0);
    a.db.sqlite.prepare('UPDATE products SET stock = 99 WHERE id = ?').run(mat.id);
    expect(rederiveAll(a.db.sqlite)).toBeGreaterThan(0);
    expect(a.db.sqlite.prepare('SELECT id, stock FROM products ORDER BY sku').all()).toEqual([{ id: mat.id, stock: 4 }, { id: pack.id, stock: null }]);
  });
});
