import { describe, expect, it } from 'vitest';
import { WorkerExecutor } from '../../../src-main/core/billing/executor';
import { sourceWorkerEntry } from '../../../src-main/core/billing/worker-entry';
import { Core } from '../../../src-main/core/core';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../../../src-main/core/db/open';
import { silentLogger } from '../../../src-main/core/ports';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir } from '../../support/core';

const SUBSCRIPTIONS = 300;
const MONTHS = 24;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A catch-up run in the app's worker bills in long batches (executor.ts WORKER_BATCH_MS: the fewer commits, the
// less it writes). The window must not wait for a batch to end: a write that finds the file busy asks the run to
// yield, the batch ends at its next 64 steps and commits, the write gets in, and the run goes on after it.
describe('a billing run in the worker yields to a write of the window', () => {
  it('the write commits while the run is still going, and the run then finishes everything it was asked', { timeout: 120_000 }, async () => {
    const executor = new WorkerExecutor(sourceWorkerEntry());
    const core = new Core({
      paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR },
      clock: new FakeClock(new Date('2028-01-02T12:00:00Z')),
      logger: silentLogger,
      billingExecutor: executor,
      busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS,
    });
    try {
      const { conn, businessId } = await signUp(core, { timezone: 'UTC' });
      const plan = await call(core, conn, 'plans.create', { name: 'Monthly', interval: 'month', price: 2500 });
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        const customer = await call(core, conn, 'customers.create', { name: `Member ${i}`, email: `m${i}@example.com`, paymentMethod: 'card' });
        await call(core, conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}` });
      }
      const db = core.businesses.get(businessId);
      const invoices = db.sqlite.prepare('SELECT count(*) FROM invoices').pluck();

      let settled = false;
      const run = call(core, conn, 'billing.run', { asOf: '2027-12-31' }).finally(() => (settled = true));
      // Until the run's batch holds the file's write lock (a write transaction of this thread is refused at once).
      for (;;) {
        try {
          db.sqlite.exec('BEGIN IMMEDIATE');
          db.sqlite.exec('ROLLBACK');
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
          break;
        }
        if (settled) throw new Error('the run ended before its first batch was seen');
        await sleep(1);
      }

      // A write of the window, through the dispatcher, while the batch holds the lock.
      const added = await call(core, conn, 'customers.create', { name: 'Walk-in', email: 'walk-in@example.com', paymentMethod: 'card' });
      const invoicesAtWrite = invoices.get() as number;
      expect(added.id).toBeTruthy();
      expect(settled).toBe(false);
      expect(db.sqlite.prepare("SELECT status FROM billing_runs WHERE status = 'running'").pluck().get()).toBe('running');

      const summary = await run;
      // Every month of every subscription, once: the batch that ended early lost and repeated nothing.
      expect(summary.invoicesIssued).toBe(SUBSCRIPTIONS * MONTHS);
      expect(invoices.get()).toBe(SUBSCRIPTIONS * MONTHS);
      expect(db.sqlite.prepare('SELECT count(DISTINCT subscription_id || period_key) FROM invoices').pluck().get()).toBe(SUBSCRIPTIONS * MONTHS);
      // The write got in part of the way through the run, not after its last batch.
      expect(invoicesAtWrite).toBeGreaterThan(0);
      expect(invoicesAtWrite).toBeLessThan(SUBSCRIPTIONS * MONTHS);
      expect(db.sqlite.prepare("SELECT count(*) FROM customers WHERE email = 'walk-in@example.com'").pluck().get()).toBe(1);
    } finally {
      core.close();
      await executor.close();
    }
  });
});
