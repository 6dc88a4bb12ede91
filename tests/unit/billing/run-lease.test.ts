import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBilling, type BillingCli } from '../cli/billing-fixtures';
import { call, connect, makeCore, openBusinessFile } from '../../support/core';
import { OWNER } from '../cli/run-cli';
import { bundleChildRuns, ChildRun } from './child-run';

// Issue 11, defect 6: a killed run blocked billing for 120 s (its lease had to
// lapse) and stayed `running` in the history forever; CLI runs were recorded
// as `manual`.

/** A business with `count` monthly subscriptions from January 2026, one in five paying with a declining card. */
async function businessWithSubscriptions(count: number): Promise<BillingCli & { file: string }> {
  const b = await withBilling();
  const plan = await b.plan('--name', 'Basic', '--price', '10.00', '--interval', 'month');
  // Through the core on the same folder: one login instead of a CLI run per row.
  const { core } = makeCore({ dataDir: b.dataDir });
  try {
    const conn = connect();
    await call(core, conn, 'auth.login', { businessId: b.businessId, email: OWNER.email, password: OWNER.password });
    for (let i = 0; i < count; i++) {
      const customer = await call(core, conn, 'customers.create', { name: `Member ${i}`, email: `m${i}@example.com`, paymentMethod: i % 5 === 0 ? 'card_declining' : 'card' });
      await call(core, conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}` });
    }
  } finally {
    core.close();
  }
  return { ...b, file: path.join(b.dataDir, 'businesses', `${b.businessId}.sqlite`) };
}

interface RunRow {
  id: string;
  trigger: string;
  status: string;
  finished_at: string | null;
  invoices_issued: number;
  error: string | null;
}

function runs(file: string): RunRow[] {
  const db = openBusinessFile(file, { readonly: true });
  try {
    return db.prepare('SELECT id, trigger, status, finished_at, invoices_issued, error FROM billing_runs ORDER BY started_at, id').all() as RunRow[];
  } finally {
    db.close();
  }
}

function writeLease(file: string, lease: unknown, running: { id: string } | null) {
  const db = openBusinessFile(file);
  try {
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('billing.lock', ?, 'x') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(lease));
    if (running) {
      db.prepare("INSERT INTO billing_runs (id, as_of, trigger, status, started_at) VALUES (?, '2026-06-30', 'timer', 'running', '2026-06-30T08:00:00.000Z')").run(running.id);
    }
  } finally {
    db.close();
  }
}

// The billing child bundled once for this file's runs (each then starts in about half the CPU).
let childBundle: Awaited<ReturnType<typeof bundleChildRuns>> | undefined;
beforeAll(async () => {
  childBundle = await bundleChildRuns();
}, 60_000);
afterAll(() => childBundle?.remove());

describe('the billing lease', () => {
  it('a run whose process was killed is taken over at once and recorded as interrupted; CLI runs are recorded as cli', { timeout: 90_000 }, async () => {
    const b = await businessWithSubscriptions(30);
    const child = new ChildRun(b.file, '2026-06-30', 5, 2);
    try {
      for (let i = 0; i < 2; i++) expect(await child.next()).toMatch(/^batch \d+$/);

      // Alive (stopped after two batches, holding its lease): nobody else may run, and the status says it runs.
      expect((await b.refused(['billing', 'run', '--as-of', '2026-06-30'])).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('already running') });
      expect(await b.json(['billing', 'status'])).toMatchObject({ running: true, lastRun: { status: 'running', trigger: 'cli' } });

      await child.kill();
      // Gone: its record reads as interrupted at once, before any run fixes the file.
      expect(await b.json(['billing', 'status'])).toMatchObject({ running: false, lastRun: { status: 'interrupted' } });
      const run = await b.run('2026-06-30');
      expect(run.invoicesIssued).toBeGreaterThan(0);
    } finally {
      child.process.kill('SIGKILL');
    }

    const [killed, next] = runs(b.file);
    expect(killed).toMatchObject({ trigger: 'cli', status: 'interrupted', error: expect.stringContaining('interrupted') });
    expect(killed!.finished_at).not.toBeNull();
    expect(killed!.invoices_issued).toBeGreaterThan(0); // what it had done by its last batch
    expect(next).toMatchObject({ trigger: 'cli', status: 'completed', error: null });
    // Every period invoiced once, and nothing left to do.
    expect((await b.run('2026-06-30')).invoicesIssued).toBe(0);
    const db = openBusinessFile(b.file, { readonly: true });
    const keys = db.prepare('SELECT count(*) AS n, count(DISTINCT subscription_id || period_key) AS d FROM invoices').get() as { n: number; d: number };
    expect(keys.n).toBe(keys.d);
    expect(keys.n).toBe(24 * 6 + 6); // 24 card customers billed six months; 6 declining, canceled after their first invoice's retries
    expect(db.prepare("SELECT count(*) FROM settings WHERE key = 'billing.lock'").pluck().get()).toBe(0);
    db.close();
  });

  it('a lease whose heartbeat lapsed is taken over; a live one of another host is respected', { timeout: 60_000 }, async () => {
    const b = await businessWithSubscriptions(2);
    // Another PC (a shared folder): its pid says nothing here, only the heartbeat counts.
    writeLease(b.file, { owner: 'elsewhere-run', pid: 1, host: `not-${os.hostname()}`, until: Date.now() + 60_000, renewedAt: new Date().toISOString() }, { id: 'elsewhere-run' });
    expect((await b.refused(['billing', 'run', '--as-of', '2026-02-28'])).error).toMatchObject({ code: 'conflict' });
    expect(await b.json(['billing', 'status'])).toMatchObject({ running: true });

    const lastBeat = new Date(Date.now() - 200_000).toISOString();
    writeLease(b.file, { owner: 'elsewhere-run', pid: 1, host: `not-${os.hostname()}`, until: Date.now() - 80_000, renewedAt: lastBeat }, null);
    expect((await b.run('2026-02-28')).invoicesIssued).toBeGreaterThan(0);
    const [stale, run] = runs(b.file);
    expect(stale).toMatchObject({ id: 'elsewhere-run', status: 'interrupted', finished_at: lastBeat });
    expect(run).toMatchObject({ status: 'completed', trigger: 'cli' });
  });

  it('a lease of a dead process on this host is taken over although its heartbeat has not lapsed', { timeout: 60_000 }, async () => {
    const b = await businessWithSubscriptions(2);
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process that has ended (and been reaped)
    writeLease(b.file, { owner: 'dead-run', pid: gone, host: os.hostname(), until: Date.now() + 100_000, renewedAt: new Date().toISOString() }, { id: 'dead-run' });
    expect((await b.run('2026-02-28')).invoicesIssued).toBeGreaterThan(0);
    expect(runs(b.file).find((r) => r.id === 'dead-run')).toMatchObject({ status: 'interrupted' });
  });
});
