import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { digest, listConflicts, recordSnapshot } from '../../../src-main/core/sync';
import { call } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, pull, push, syncAll } from './harness';

async function twoPcs() {
  const log = new OrderedLog();
  const { pc: a, businessId } = await firstPc(log);
  const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
  return { log, a, b, businessId };
}

const customerRow = (pc: { db: { sqlite: Database.Database } }, id: string) =>
  pc.db.sqlite.prepare('SELECT name, phone, notes, email_normalized FROM customers WHERE id = ?').get(id) as Record<string, string> | undefined;

describe('merging changes between PCs', () => {
  it('a joining PC gets the business, its owner (the same login works), its billed books page by page, and equal digests', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const plan = await call(a.core, a.conn, 'plans.create', { name: 'Gold', interval: 'month', price: 10_000 } as never);
    for (let i = 0; i < 3; i += 1) {
      const cust = await call(a.core, a.conn, 'customers.create', { name: `P${i}`, email: `p${i}@example.com`, tags: ['vip'] });
      await call(a.core, a.conn, 'subscriptions.create', { customerId: cust.id, planId: (plan as { id: string }).id, startDate: '2026-03-01', quantity: 1, withLicenseKey: false });
    }
    await call(a.core, a.conn, 'billing.run', { asOf: '2026-03-01' });
    // A fresh snapshot, as a first connect after months offline makes: every table, parents first.
    a.db.sqlite.exec('DELETE FROM sync_changes');
    recordSnapshot(a.db);
    syncAll([a], log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    expect(b.db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get()).toBe(3);
    expect(b.db.sqlite.prepare('SELECT name FROM business').pluck().get()).toBe('Sunrise Yoga');
    syncAll([a, b], log); // the login on B wrote an audit row
    expect(digest(b.db)).toEqual(digest(a.db));
  });

  it('different fields both survive; the same field keeps the later edit and lists the other; delete beats edit', async () => {
    const { log, a, b } = await twoPcs();
    const c1 = await call(a.core, a.conn, 'customers.create', { name: 'Ann', email: 'ann@example.com' });
    const c2 = await call(a.core, a.conn, 'customers.create', { name: 'Bob', email: 'bob@example.com' });
    syncAll([a, b], log);
    // Offline on both.
    await call(a.core, a.conn, 'customers.update', { id: c1.id, phone: '555 0001' });
    await call(b.core, b.conn, 'customers.update', { id: c1.id, notes: 'from B' });
    await call(a.core, a.conn, 'customers.update', { id: c1.id, name: 'Ann from A' });
    await new Promise((r) => setTimeout(r, 5));
    await call(b.core, b.conn, 'customers.update', { id: c1.id, name: 'Ann from B' });
    await call(a.core, a.conn, 'customers.delete', { id: c2.id });
    await call(b.core, b.conn, 'customers.update', { id: c2.id, notes: 'edited on B' });
    syncAll([a, b], log);
    expect(customerRow(a, c1.id)).toMatchObject({ name: 'Ann from B', phone: '555 0001', notes: 'from B' });
    expect(customerRow(b, c1.id)).toEqual(customerRow(a, c1.id));
    expect(customerRow(a, c2.id)).toBeUndefined();
    expect(customerRow(b, c2.id)).toBeUndefined();
    const conflicts = listConflicts(a.db);
    expect(conflicts).toEqual(listConflicts(b.db));
    expect(conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'customers', id: c1.id, field: 'name', kept: 'Ann from B', overwritten: 'Ann from A' }),
        expect.objectContaining({ entity: 'customers', id: c2.id, field: 'notes', kept: null, overwritten: 'edited on B' }),
      ]),
    );
    expect(conflicts.some((c) => c.field === 'phone' || (c.id === c1.id && c.field === 'notes'))).toBe(false);

    const audit = a.db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'sync.conflict'").pluck().get();
    expect(audit).toBe(conflicts.length);
    expect(digest(a.db)).toEqual(digest(b.db));
  });

  it('edits of different fields at different times: both kept, and the updated_at every edit stamps is merged but never listed', async () => {
    const { log, a, b } = await twoPcs();
    const c = await call(a.core, a.conn, 'customers.create', { name: 'Cy', email: 'cy@example.com' });
    syncAll([a, b], log);
    a.db.sqlite.prepare("UPDATE customers SET phone = '555 0002', updated_at = '2026-12-06T10:00:00.000Z' WHERE id = ?").run(c.id);
    await new Promise((r) => setTimeout(r, 5));
    b.db.sqlite.prepare("UPDATE customers SET notes = 'from B', updated_at = '2026-12-06T11:00:00.000Z' WHERE id = ?").run(c.id);
    syncAll([a, b], log);
    const row = (pc: typeof a) => pc.db.sqlite.prepare('SELECT phone, notes, updated_at FROM customers WHERE id = ?').get(c.id);
    expect(row(a)).toEqual({ phone: '555 0002', notes: 'from B', updated_at: '2026-12-06T11:00:00.000Z' });
    expect(row(b)).toEqual(row(a));
    expect(listConflicts(a.db)).toEqual([]);
    expect(listConflicts(b.db)).toEqual([]);
  });

  it('the same email created on two PCs keeps both customers, the later one suffixed, alike on both', async () => {
    const { log, a, b } = await twoPcs();
    const x = await call(a.core, a.conn, 'customers.create', { name: 'X on A', email: 'same@example.com' });
    await new Promise((r) => setTimeout(r, 5));
    const y = await call(b.core, b.conn, 'customers.create', { name: 'Y on B', email: 'Same@Example.com' });
    syncAll([a, b], log);
    for (const pc of [a, b]) {
      expect(customerRow(pc, x.id)!.email_normalized).toBe('same@example.com');
      expect(customerRow(pc, y.id)!.email_normalized).toBe(`same@example.com~${y.id}`);
    }
    expect(listConflicts(a.db)).toEqual([expect.objectContaining({ entity: 'customers', id: y.id, field: 'email_normalized' })]);
    expect(listConflicts(b.db)).toEqual(listConflicts(a.db));
    expect(digest(a.db)).toEqual(digest(b.db));
  });

  it('two payments recorded on two PCs for one invoice both count (money is derived, not merged)', async () => {
    const { log, a, b } = await twoPcs();
    const plan = await call(a.core, a.conn, 'plans.create', { name: 'Gold', interval: 'month', price: 10_000 } as never);
    const cust = await call(a.core, a.conn, 'customers.create', { name: 'Pay', email: 'pay@example.com', paymentMethod: 'manual' });
    await call(a.core, a.conn, 'subscriptions.create', { customerId: cust.id, planId: (plan as { id: string }).id, startDate: '2026-03-01', quantity: 1, withLicenseKey: false });
    await call(a.core, a.conn, 'billing.run', { asOf: '2026-03-01' });
    const inv = a.db.sqlite.prepare("SELECT id, amount_due FROM invoices WHERE customer_id = ? AND status = 'open'").get(cust.id) as { id: string; amount_due: number };
    expect(inv.amount_due).toBeGreaterThan(3000);
    syncAll([a, b], log);
    await call(a.core, a.conn, 'invoices.pay', { id: inv.id, amount: 1000, method: 'cash', on: '2026-03-02', reference: '' });
    await call(b.core, b.conn, 'invoices.pay', { id: inv.id, amount: 2000, method: 'cash', on: '2026-03-02', reference: '' });
    syncAll([a, b], log);
    for (const pc of [a, b]) {
      expect(pc.db.sqlite.prepare('SELECT amount_paid, amount_due FROM invoices WHERE id = ?').get(inv.id)).toEqual({ amount_paid: 3000, amount_due: inv.amount_due - 3000 });
    }
    expect(digest(a.db)).toEqual(digest(b.db));
  });

  it('one coupon redeemed on two PCs offline counts twice on both (the count is derived from the subscriptions, not merged)', async () => {
    const { log, a, b } = await twoPcs();
    const plan = (await call(a.core, a.conn, 'plans.create', { name: 'Gold', interval: 'month', price: 10_000 } as never)) as { id: string };
    await call(a.core, a.conn, 'coupons.create', { code: 'SPRING', percentOff: '20', duration: 'once', maxRedemptions: 5 } as never);
    const ann = await call(a.core, a.conn, 'customers.create', { name: 'Ann', email: 'ann@example.com', paymentMethod: 'manual' });
    const bea = await call(a.core, a.conn, 'customers.create', { name: 'Bea', email: 'bea@example.com', paymentMethod: 'manual' });
    syncAll([a, b], log);
    const subscribe = (pc: typeof a, customerId: string) =>
      call(pc.core, pc.conn, 'subscriptions.create', { customerId, planId: plan.id, startDate: '2026-03-01', quantity: 1, withLicenseKey: false, couponCode: 'SPRING' } as never);
    await subscribe(a, ann.id);
    await subscribe(b, bea.id);
    const redeemed = (pc: typeof a) => pc.db.sqlite.prepare("SELECT times_redeemed FROM coupons WHERE code = 'SPRING'").pluck().get();
    expect([redeemed(a), redeemed(b)]).toEqual([1, 1]);
    syncAll([a, b], log);
    expect([redeemed(a), redeemed(b)]).toEqual([2, 2]);
    expect(digest(a.db)).toEqual(digest(b.db));
    // Deleting a customer whose subscription never billed frees its redemption, on both PCs alike.
    const annSub = a.db.sqlite.prepare('SELECT id FROM subscriptions WHERE customer_id = ?').pluck().get(ann.id) as string;
    await call(a.core, a.conn, 'subscriptions.cancel', { id: annSub, on: '2026-03-01' } as never);
    await call(a.core, a.conn, 'customers.delete', { id: ann.id });
    expect(redeemed(a)).toBe(1);
    syncAll([a, b], log);
    expect([redeemed(a), redeemed(b)]).toEqual([1, 1]);
    expect(digest(a.db)).toEqual(digest(b.db));
  });

  // Found by tests/server/sync-fuzz.test.ts: a customer deleted on A, edited on B (which logs a timeline
  // line) and given a subscription on C. The subscription brings the customer back everywhere; B's edit
  // and its timeline line came back on some PCs only, depending on the order the changes arrived in.
  it('a deleted row a restricted child brings back is the same on every PC, with the edits and children made meanwhile', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const plan = (await call(a.core, a.conn, 'plans.create', { name: 'Gold', interval: 'month', price: 10_000 } as never)) as { id: string };
    const x = await call(a.core, a.conn, 'customers.create', { name: 'Xena', email: 'x@example.com' });
    syncAll([a], log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    const c = await joiningPc(log, businessId, 'C', 'c000000000000003');
    syncAll([a, b, c], log);
    // Offline on all three.
    await call(a.core, a.conn, 'customers.delete', { id: x.id });
    await call(b.core, b.conn, 'customers.update', { id: x.id, segment: 'from B' });
    await call(c.core, c.conn, 'subscriptions.create', { customerId: x.id, planId: plan.id, startDate: '2026-03-01', quantity: 1, withLicenseKey: false });
    // A, B, C push in that order; each then pulls the others' in one page (B: A's delete before C's subscription).
    syncAll([a, b, c], log);
    const events = (pc: typeof a) => pc.db.sqlite.prepare("SELECT title FROM customer_events WHERE customer_id = ? AND title LIKE 'Edited%'").pluck().all(x.id);
    for (const pc of [a, b, c]) {
      expect(pc.db.sqlite.prepare('SELECT segment FROM customers WHERE id = ?').pluck().get(x.id), pc.name).toBe('from B');
      expect(events(pc), pc.name).toEqual(['Edited segment']);
    }
    expect(digest(b.db)).toEqual(digest(a.db));
    expect(digest(c.db)).toEqual(digest(a.db));
  });

  // Found by tests/server/sync-fuzz.test.ts: both history rows were numbered 2, and each PC refused the other's.
  it('one subscription changed on two PCs offline: both history rows kept, numbered alike on both', async () => {
    const { log, a, b } = await twoPcs();
    const plan = (await call(a.core, a.conn, 'plans.create', { name: 'Gold', interval: 'month', price: 10_000 } as never)) as { id: string };
    const cust = await call(a.core, a.conn, 'customers.create', { name: 'Sub', email: 'sub@example.com' });
    const sub = await call(a.core, a.conn, 'subscriptions.create', { customerId: cust.id, planId: plan.id, startDate: '2026-03-01', quantity: 1, withLicenseKey: false });
    syncAll([a, b], log);
    await call(a.core, a.conn, 'subscriptions.cancel', { id: sub.id, on: '2026-04-15', atPeriodEnd: false, prorate: false });
    await call(b.core, b.conn, 'subscriptions.cancel', { id: sub.id, on: '2026-05-15', atPeriodEnd: false, prorate: false });
    syncAll([a, b], log);
    const rows = (pc: typeof a) => pc.db.sqlite.prepare('SELECT seq, effective_date FROM subscription_history WHERE subscription_id = ? ORDER BY seq').all(sub.id);
    expect(rows(a)).toEqual([{ seq: 1, effective_date: '2026-03-01' }, { seq: 2, effective_date: '2026-04-15' }, { seq: 3, effective_date: '2026-05-15' }]);
    expect(rows(b)).toEqual(rows(a));
    expect(listConflicts(a.db).filter((c) => c.field === '(refused)')).toEqual([]);
    expect(digest(b.db)).toEqual(digest(a.db));
  });

  // Found by tests/server/sync-fuzz.test.ts: whether the later of two rows with one email was suffixed depended on
  // whether a PC had held both before the earlier one was deleted.
  it('an email taken by a row deleted later: the later row is suffixed on every PC; deleted before it was created: on none', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    const c = await joiningPc(log, businessId, 'C', 'c000000000000003');
    syncAll([a, b, c], log);
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const email = (pc: typeof a, id: string) => pc.db.sqlite.prepare('SELECT email_normalized FROM customers WHERE id = ?').pluck().get(id);

    // W created on C, then L with the same email on A (which has not seen W), then W deleted on C.
    const w = await call(c.core, c.conn, 'customers.create', { name: 'W', email: 'shared@example.com' });
    push(c, log, 1000);
    await tick();
    const l = await call(a.core, a.conn, 'customers.create', { name: 'L', email: 'shared@example.com' });
    await tick();
    await call(c.core, c.conn, 'customers.delete', { id: w.id });
    push(c, log, 1000);
    while (pull(b, log, 1000) > 0); // B: W created and deleted before it ever sees L
    // W2 created and deleted on C before L2 is created on A.
    const w2 = await call(c.core, c.conn, 'customers.create', { name: 'W2', email: 'other@example.com' });
    await call(c.core, c.conn, 'customers.delete', { id: w2.id });
    push(c, log, 1000);
    while (pull(b, log, 1000) > 0);
    await tick();
    const l2 = await call(a.core, a.conn, 'customers.create', { name: 'L2', email: 'other@example.com' });
    syncAll([a, b, c], log);

    for (const pc of [a, b, c]) {
      expect(email(pc, l.id), pc.name).toBe(`shared@example.com~${l.id}`);
      expect(email(pc, l2.id), pc.name).toBe('other@example.com');
    }
    expect(digest(b.db)).toEqual(digest(a.db));
    expect(digest(c.db)).toEqual(digest(a.db));
  });
});

describe('unique keys compared by an expression', () => {
  it('plan codes taken on two PCs in different case: both plans kept, the later suffixed, alike on both; later edits still merge', async () => {
    const { log, a, b } = await twoPcs();
    const insert = (pc: typeof a, id: string, code: string) =>
      pc.db.sqlite
        .prepare("INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, ?, ?, 'USD', 1000, 'month', 'now', 'now')")
        .run(id, code, `Plan ${code}`);
    insert(a, 'plan-a', 'gold');
    await new Promise((r) => setTimeout(r, 5));
    insert(b, 'plan-b', 'GOLD');
    syncAll([a, b], log);
    const codes = (pc: typeof a) => pc.db.sqlite.prepare('SELECT id, code FROM plans ORDER BY id').all();
    expect(codes(a)).toEqual([{ id: 'plan-a', code: 'gold' }, { id: 'plan-b', code: 'GOLD~plan-b' }]);
    expect(codes(b)).toEqual(codes(a));
    b.db.sqlite.prepare("UPDATE plans SET name = 'Renamed' WHERE id = 'plan-b'").run();
    syncAll([a, b], log);
    expect(a.db.sqlite.prepare("SELECT name, code FROM plans WHERE id = 'plan-b'").get()).toEqual({ name: 'Renamed', code: 'GOLD~plan-b' });
    expect(digest(a.db)).toEqual(digest(b.db));
  });
});
