import { describe, expect, it } from 'vitest';
import { WorkerExecutor } from '../../../src-main/core/billing/executor';
import { sourceWorkerEntry } from '../../../src-main/core/billing/worker-entry';
import { dashboard, fullDashboard } from '../../../src-main/core/metrics/dashboard';
import { hasDirty } from '../../../src-main/core/metrics/maintained';
import { billingBusiness } from '../../support/billing';
import { loweredSince, niceOfThreads } from '../../support/threads';

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

  it.runIf(process.platform === 'linux')('the worker thread runs at a lower priority than the thread serving the UI (Linux)', async () => {
    const b = await billingBusiness();
    const before = niceOfThreads();
    const executor = new WorkerExecutor(sourceWorkerEntry());
    try {
      await executor.run(b.db, { asOf: '2026-06-30', trigger: 'manual', userId: null }, () => {});
      const after = niceOfThreads();
      // The main thread (its tid is the pid) keeps its priority; one new thread, the worker, has nice 10; the
      // threads that were there before (the main thread, V8's and libuv's helpers) keep theirs.
      expect(after.get(process.pid)).toBe(0);
      expect(loweredSince(before, after, 10)).toEqual({ lowered: [expect.any(Number)], othersKept: true });
    } finally {
      await executor.close();
      b.close();
    }
  }, 60_000);

  it('after a run has answered, the worker folds the dashboard\'s marks, so the next open on the UI thread has nothing to fold', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    for (let i = 0; i < 30; i++) {
      await b.subscribe({ planId: plan.id, startDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, customerId: (await b.customer(i % 7 === 0 ? 'card_declining' : 'card', `Sub ${i}`)).id });
    }
    // The owner looked at the dashboard before the run: nothing marked.
    dashboard(b.db, '2026-01-31', 'UTC');
    expect(hasDirty(b.db)).toBe(false);
    let statsArrived!: (folded: number) => void;
    const stats = new Promise<number>((resolve) => (statsArrived = resolve));
    const executor = new WorkerExecutor({ ...sourceWorkerEntry(), onStats: (s) => statsArrived(s.timings.foldMs) });
    try {
      await executor.run(b.db, { asOf: '2026-04-30', trigger: 'manual', userId: null }, () => {});
      expect(await stats).toBeGreaterThan(0);
      // The run changed MRR (declines, cancellations) and renewals; the worker folded them in its own transaction.
      expect(hasDirty(b.db)).toBe(false);
      // And it kept the months of the run's date (the dashboard opened before the run kept them up to January).
      const kept = b.db.sqlite.prepare('SELECT month FROM metric_months ORDER BY month').pluck().all();
      expect(kept).toEqual(expect.arrayContaining(['2026-02', '2026-03', '2026-04']));
      expect(dashboard(b.db, '2026-04-30', 'UTC')).toEqual(fullDashboard(b.db, '2026-04-30', 'UTC'));
    } finally {
      await executor.close();
      b.close();
    }
  }, 60_000);
});
