import { describe, expect, it } from 'vitest';
import { digest } from '../../../src-main/core/sync';
import { newId } from '../../../src-main/core/ids';
import { call } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, push, syncAll } from './harness';

// Sync guarantee 3 for counter sales: a sale's refunded amount, its status and
// its lines' refunded quantities are derived from the insert-only refund rows
// after a merge, never merged as fields, so two PCs that each refunded part
// of one sale offline both count.

describe('a counter sale refunded in part on two PCs offline', () => {
  it('shows both refunds on both PCs after sync', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const at = '2026-01-01T00:00:00.000Z';
    for (const [sku, price] of [['MAT', 2500], ['TEA', 350], ['BOOK', 1999]] as const) {
      a.db.sqlite.prepare("INSERT INTO products (id, sku, name, price, currency, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?)").run(newId(), sku, sku, price, at, at);
    }
    const sale = await call(a.core, a.conn, 'sales.create', {
      items: [{ sku: 'MAT', quantity: 2 }, { sku: 'TEA', quantity: 3 }, { sku: 'BOOK', quantity: 1 }],
      payments: [{ method: 'cash' }],
      on: '2026-03-01',
    });
    push(a, log, 1000);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    // Offline: A gives back one mat, B two teas.
    const onA = await call(a.core, a.conn, 'sales.refund', { id: sale.id, items: [{ sku: 'MAT', quantity: 1 }], on: '2026-03-02' });
    const onB = await call(b.core, b.conn, 'sales.refund', { id: sale.id, items: [{ sku: 'TEA', quantity: 2 }], on: '2026-03-02' });
    expect(onA.sale.refunded).toBe(onA.refund.amount);
    expect(onB.sale.refunded).toBe(onB.refund.amount);
    syncAll([a, b], log);
    for (const pc of [a, b]) {
      const { sale: after, refunds } = await call(pc.core, pc.conn, 'sales.get', { id: sale.id });
      expect(refunds.map((r) => r.id).sort()).toEqual([onA.refund.id, onB.refund.id].sort());
      expect(after.refunded).toBe(onA.refund.amount + onB.refund.amount);
      expect(after.status).toBe('partially_refunded');
      expect(after.lines.map((l) => [l.sku, l.refundedQuantity])).toEqual([['MAT', 1], ['TEA', 2], ['BOOK', 0]]);
      const z = await call(pc.core, pc.conn, 'sales.dayReport', { on: '2026-03-02' });
      expect(z.refunds).toBe(onA.refund.amount + onB.refund.amount);
    }
    expect(digest(b.db)).toEqual(digest(a.db));
    // The rest, on B: refunded in full on both.
    await call(b.core, b.conn, 'sales.refund', { id: sale.id, on: '2026-03-03' });
    syncAll([a, b], log);
    const final = await call(a.core, a.conn, 'sales.get', { id: sale.id });
    expect(final.sale.status).toBe('refunded');
    expect(final.sale.refunded).toBe(sale.total);
    expect(digest(b.db)).toEqual(digest(a.db));
  });
});
