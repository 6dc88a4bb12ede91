import { describe, expect, it } from 'vitest';
import { WorkerExecutor } from '../../../src-main/core/billing/executor';
import { sourceWorkerEntry } from '../../../src-main/core/billing/worker-entry';
import { billingBusiness } from '../../support/billing';

describe('billing in a worker thread', () => {
  it('a run killed midway loses nothing committed; the next run completes with no duplicate and no missing invoice', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const subs = 120;
    for (let i = 0; i < subs; i++) {
      await b.subscribe({ planId: plan.id, startDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, customerId: (await b.customer(i % 10 === 0 ? 'card_declining' : 'card', `Sub ${i}`)).id });
    }
    const executor = new WorkerExecutor(sourceWorkerEntry());
    const db = b.db;
    let batches = 0;
    const killed = executor.run(db, { asOf: '2026-06-30', trigger: 'manual', userId: null, batchSize: 25 }, () => {
      batches++;
      if (batches === 3) void executor.active.get(db.businessId)?.terminate();
    });
    await expect(killed).rejects.toThrow(/stopped before finishing/);
    const partial = db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get() as number;
    expect(partial).toBeGreaterThan(0);
    const runs = db.sqlite.prepare('SELECT status, error FROM billing_runs').all() as { status: string; error: string }[];
    expect(runs).toEqual([{ status: 'interrupted', error: expect.stringContaining('interrupted') }]);

    // The next run (in a worker too) finishes the job.
    const summary = await executor.run(db, { asOf: '2026-06-30', trigger: 'manual', userId: null }, () => {});
    expect(summary.invoicesIssued).toBeGreaterThan(0);

    // Compare with a clean business billed in one go: the same invoices, periods and numbers.
    const clean = await billingBusiness();
    const cleanPlan = await clean.plan({ price: 1000 });
    for (let i = 0; i < subs; i++) {
      await clean.subscribe({ planId: cleanPlan.id, startDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, customerId: (await clean.customer(i % 10 === 0 ? 'card_declining' : 'card', `Sub ${i}`)).id });
    }
    await clean.run('2026-06-30');
    const shape = (fixture: typeof b) =>
      fixture.db.sqlite
        .prepare(
          `SELECT i.number, i.issue_date, i.period_key, i.status, i.total, c.name FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.number`,
        )
        .all();
    const got = shape(b);
    expect(got).toEqual(shape(clean));
    const keys = db.sqlite.prepare('SELECT count(*) AS n, count(DISTINCT subscription_id || period_key) AS d FROM invoices').get();
    expect(keys).toEqual({ n: got.length, d: got.length });
    expect(db.sqlite.prepare("SELECT count(*) FROM settings WHERE key = 'billing.lock'").pluck().get()).toBe(0);

    // Simulating forward in the worker reads the real file and writes nothing to it.
    const invoicesBefore = db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get();
    const sim = await executor.simulate(db, '2026-07-01', 2);
    expect(sim.months.map((m) => m.month)).toEqual(['2026-07', '2026-08']);
    expect(sim.months[0]!.invoices).toBeGreaterThan(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get()).toBe(invoicesBefore);
    b.close();
    clean.close();
  }, 60_000);
});
