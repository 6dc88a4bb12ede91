import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rederiveAll } from '../../../src-main/core/sync/apply';
import { disableSync, enableSync, pendingChanges, pendingCount, recordSnapshot } from '../../../src-main/core/sync';
import { billingBusiness } from '../../support/billing';
import { play, scenarioArb } from '../../support/billing-scenarios';
import { call, callError } from '../../support/core';

describe('every write path records its changes in its own transaction', () => {
  it('a core handler, a billing run and raw SQL record; a refused handler and a rolled-back transaction record nothing; capture off records nothing', async () => {
    const b = await billingBusiness();
    const db = b.db;
    const raw = () => pendingChanges(db, 1_000_000).length;
    const plan = await b.plan({ price: 2500 }); // before sync: not recorded
    expect(pendingCount(db)).toBe(0);
    enableSync(db, 'pc00000000000001');

    const customer = await b.customer('card');
    const created = pendingChanges(db, 100);
    expect(created.filter((c) => c.table === 'customers')).toEqual([
      expect.objectContaining({ rowId: customer.id, op: 'upsert', fields: expect.objectContaining({ id: customer.id, name: customer.name, credit_balance: 0 }) }),
    ]);
    expect(created[0]!.fields).not.toHaveProperty('seq');
    expect(created.some((c) => c.table === 'audit_log')).toBe(true);

    const before = raw();
    expect(await callError(b.core, b.conn, 'customers.create', { name: 'Dup', email: customer.email })).toMatchObject({ code: 'conflict' });
    expect(raw()).toBe(before);

    await b.subscribe({ customerId: customer.id, planId: plan.id, startDate: '2026-03-01' });
    const beforeRun = raw();
    await b.run('2026-03-01');
    const run = pendingChanges(db, 10_000).slice(beforeRun);
    const tables = new Set(run.map((c) => c.table));
    expect(tables).toContain('invoices');
    expect(tables).toContain('payments');
    expect(tables).toContain('subscriptions');
    expect(tables).not.toContain('billing_runs');
    expect(tables).not.toContain('settings'); // the run's lease stays on this PC
    // The first invoice carries every column.
    const inv = run.find((c) => c.table === 'invoices')!;
    expect(Object.keys(inv.fields)).toEqual(expect.arrayContaining(['id', 'number', 'total', 'amount_due', 'status']));

    const beforeRaw = raw();
    expect(() =>
      db.sqlite.transaction(() => {
        db.sqlite.prepare("UPDATE customers SET notes = 'will roll back' WHERE id = ?").run(customer.id);
        expect(raw()).toBe(beforeRaw + 1); // inside the transaction, the change is there
        throw new Error('boom');
      })(),
    ).toThrow('boom');
    expect(raw()).toBe(beforeRaw);
    db.sqlite.prepare("UPDATE customers SET notes = 'kept' WHERE id = ?").run(customer.id);
    expect(pendingChanges(db, 10_000).at(-1)).toMatchObject({ table: 'customers', rowId: customer.id, fields: { notes: 'kept', '@base': { notes: '' } } });

    disableSync(db);
    const off = raw();
    await call(b.core, b.conn, 'customers.update', { id: customer.id, notes: 'while off' });
    expect(raw()).toBe(off);
    b.close();
  });

  it('counts what waits as a person does: one edited customer is one change, whatever rows it logged', async () => {
    const b = await billingBusiness();
    const db = b.db;
    enableSync(db, 'pc00000000000001');
    const ann = await call(b.core, b.conn, 'customers.create', { name: 'Ann', email: 'ann@example.com', tags: ['vip'] });
    expect(pendingChanges(db, 100).length).toBeGreaterThan(2); // the row, its tag, its timeline line, its audit row
    expect(pendingCount(db)).toBe(1);
    await call(b.core, b.conn, 'customers.update', { id: ann.id, notes: 'called', tags: ['vip', 'late'] });
    expect(pendingCount(db)).toBe(1);
    await call(b.core, b.conn, 'customers.create', { name: 'Bob', email: 'bob@example.com' });
    expect(pendingCount(db)).toBe(2);
    const plan = await b.plan({ price: 2500 });
    expect(pendingCount(db)).toBe(3);
    await b.subscribe({ customerId: ann.id, planId: plan.id, startDate: '2026-03-01' }); // a subscription and its first invoice
    expect(pendingCount(db)).toBeGreaterThanOrEqual(4);
    const { markPushed } = await import('../../../src-main/core/sync');
    markPushed(db, pendingChanges(db, 10_000).map((c) => c.id));
    expect(pendingCount(db)).toBe(0);
    b.close();
  });

  it('a snapshot records every synced row once, stamped in order', async () => {
    const b = await billingBusiness();
    await b.subscribe({ planId: (await b.plan({ price: 900 })).id, startDate: '2026-03-01' });
    await b.run('2026-03-01');
    enableSync(b.db, 'pc00000000000001');
    const n = recordSnapshot(b.db);
    const changes = pendingChanges(b.db, 100_000);
    expect(changes).toHaveLength(n);
    const count = (t: string) => b.db.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    for (const t of ['customers', 'subscriptions', 'invoices', 'invoice_lines', 'payments', 'users', 'business', 'audit_log']) {
      expect(changes.filter((c) => c.table === t)).toHaveLength(count(t));
    }
    expect(new Set(changes.map((c) => c.id)).size).toBe(n);
    expect(changes.map((c) => c.hlc)).toEqual(changes.map((c) => c.hlc).sort());
    // The next local write stamps after the snapshot.
    await b.customer();
    expect(pendingChanges(b.db, 100_000).at(-1)!.hlc > changes.at(-1)!.hlc).toBe(true);
    b.close();
  });

  it('the money a merge derives (refunded, paid, due, credit balance) is what the billing handlers wrote', async () => {
    const scenarios = fc.sample(scenarioArb, { numRuns: 6, seed: 12 });
    let invoices = 0;
    for (const s of scenarios) {
      const b = await play(s, false);
      invoices += b.db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get() as number;
      expect(rederiveAll(b.db.sqlite)).toBe(0);
      // And it does derive: a running total gone wrong comes back.
      const paid = b.db.sqlite.prepare("SELECT id, amount_paid FROM invoices WHERE status = 'paid' AND amount_paid > 0 LIMIT 1").get() as { id: string; amount_paid: number } | undefined;
      if (paid) {
        b.db.sqlite.prepare('UPDATE invoices SET amount_paid = amount_paid - 1, amount_due = amount_due + 1 WHERE id = ?').run(paid.id);
        expect(rederiveAll(b.db.sqlite)).toBe(1);
        expect(b.db.sqlite.prepare('SELECT amount_paid FROM invoices WHERE id = ?').pluck().get(paid.id)).toBe(paid.amount_paid);
      }
      b.close();
    }
    expect(invoices).toBeGreaterThan(10);
  }, 60_000);
});
