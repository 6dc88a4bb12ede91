import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';
import { runRecorded } from '../../../src-main/core/billing/run-recorder';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { MIGRATIONS_DIR, tempDir, openBusinessFile } from '../../support/core';
import { bundleChildRuns, ChildRun } from './child-run';
import { rng } from '../../../bench/support';

// Issue 11, "Done when": a billing run killed (SIGKILL) at random points three
// times, then finished, leaves the same books, row for row, as one run never
// interrupted on a copy of the same starting file. The run is a child process
// as the CLI makes one (billing-child.ts); the kill points come from a fixed
// seed: after a number of batches, then a few milliseconds more, so some
// kills land between batches and some inside one (rolled back).

const AS_OF = '2026-09-30';
const BATCH = 4;
const SEED = 20261205;

/** A business with varied subscriptions (trials, setup fees, tiers, a coupon, declining cards, scheduled changes, prorations), billed up to nothing yet. */
async function startingFile(): Promise<string> {
  const b = await billingBusiness({ taxRate: '7.5' });
  const monthly = await b.plan({ name: 'Monthly', price: 1000, interval: 'month', trialDays: 14 });
  const weekly = await b.plan({ name: 'Weekly', price: 300, interval: 'week', setupFee: 1500 });
  const tiered = await b.plan({ name: 'Tiered', price: 0, interval: 'month', pricingModel: 'graduated', tiers: [{ upTo: 5, unitAmount: 700 }, { upTo: null, unitAmount: 400 }] });
  await b.call('coupons.create', { code: 'PROMO', percentOff: '15', duration: 'forever' });
  const plans = [monthly, weekly, tiered];
  const methods = ['card', 'card', 'card_declining', 'manual'] as const;
  const ids: string[] = [];
  for (let i = 0; i < 36; i++) {
    const customer = await b.customer(methods[i % methods.length], `Customer ${String(i).padStart(2, '0')}`);
    const sub = await b.call('subscriptions.create', {
      customerId: customer.id,
      planId: plans[i % plans.length]!.id,
      startDate: `2026-0${1 + (i % 3)}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`,
      quantity: 1 + (i % 7),
      ...(i % 5 === 0 ? { couponCode: 'PROMO' } : {}),
    });
    ids.push(sub.id);
  }
  // Billed up to March (the books the run starts from), then changes waiting for the run: cancels and
  // quantity changes at period end, and prorated changes whose lines wait for the next invoice.
  await b.run('2026-03-01');
  let accepted = 0;
  for (let i = 0; i < 36; i += 4) {
    const results = [
      await b.core.dispatch(b.conn, 'subscriptions.cancel', { id: ids[i]!, on: '2026-03-02', atPeriodEnd: true, prorate: false }),
      await b.core.dispatch(b.conn, 'subscriptions.change', { id: ids[i + 1]!, planId: plans[(i + 1) % 3]!.id, quantity: 3, on: '2026-03-02', mode: 'at_period_end' }),
      await b.core.dispatch(b.conn, 'subscriptions.change', { id: ids[i + 2]!, planId: plans[(i + 2) % 3]!.id, quantity: 2, on: '2026-03-02', mode: 'prorate' }),
    ];
    accepted += results.filter((r) => r.ok).length;
  }
  if (accepted < 12) throw new Error(`only ${accepted} changes were accepted`);
  const file = b.db.file;
  b.close(); // the last connection closes: the WAL is folded into the file
  return file;
}

const ISO_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Every table of the file as sorted rows, comparable across two runs: ids
 * made by the run named by what they are (an invoice by its number, a payment
 * by its invoice and attempt; others, never referenced, as "new"), wall-clock
 * stamps (created_at, updated_at...) as "T"; calendar times at midnight (a
 * timeline event's date) kept. The run history and the lease are compared
 * apart; the audit log's billing rows, one per batch, are summed.
 */
function books(file: string, startIds: Set<string>) {
  const db = openBusinessFile(file, { readonly: true });
  try {
    const names = new Map<string, string>();
    for (const r of db.prepare('SELECT id, number FROM invoices').all() as { id: string; number: string }[]) names.set(r.id, `invoice ${r.number}`);
    for (const r of db.prepare('SELECT p.id, i.number, p.attempt, p.paid_on FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id').all() as { id: string; number: string; attempt: number; paid_on: string }[]) {
      names.set(r.id, `payment ${r.number} ${r.attempt} ${r.paid_on}`);
    }
    const canonical = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      if (UUID.test(v)) return startIds.has(v) ? v : (names.get(v) ?? 'new');
      if (ISO_STAMP.test(v)) return v.endsWith('T00:00:00.000Z') ? v : 'T';
      return v;
    };
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out: Record<string, string[]> = {};
    for (const table of tables) {
      if (table === 'billing_runs' || table === 'audit_log') continue;
      // insight_changes orders customers by their last change (seq): the killed runs' commits come in
      // another order than one run's, so only which customers are marked is compared.
      const rows = db.prepare(table === 'insight_changes' ? 'SELECT customer_id FROM insight_changes' : `SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      out[table] = rows.map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : canonical(v)]))).sort();
    }
    const audits = db.prepare('SELECT action, entity, entity_id, after FROM audit_log').all() as { action: string; entity: string; entity_id: string | null; after: string | null }[];
    const billed: Record<string, number> = {};
    for (const a of audits.filter((x) => x.action === 'billing.run')) {
      for (const [k, v] of Object.entries(JSON.parse(a.after ?? '{}') as Record<string, unknown>)) if (typeof v === 'number') billed[k] = (billed[k] ?? 0) + v;
    }
    out['audit_log (not billing.run)'] = audits.filter((x) => x.action !== 'billing.run').map((a) => JSON.stringify([a.action, a.entity, canonical(a.entity_id)])).sort();
    out['audit_log (billing.run, summed)'] = [JSON.stringify(billed)];
    return out;
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

describe('billing killed at random points', () => {
  it('three SIGKILLs, then a finishing run: the books equal those of one uninterrupted run, row for row', { timeout: 120_000 }, async () => {
    const start = await startingFile();
    const dir = tempDir('recurra-crash-');
    const killed = path.join(dir, 'killed.sqlite');
    const clean = path.join(dir, 'clean.sqlite');
    fs.copyFileSync(start, killed);
    fs.copyFileSync(start, clean);
    const startDb = openBusinessFile(start, { readonly: true });
    const startIds = new Set<string>();
    for (const table of startDb.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%`id` text PRIMARY KEY%'").pluck().all() as string[]) {
      for (const id of startDb.prepare(`SELECT id FROM "${table}"`).pluck().all() as string[]) startIds.add(id);
    }
    startDb.close();

    const random = rng(SEED); // seeded, so the kill points are the same on every run
    const kills: { afterBatches: number; thenMs: number; sawBatches: number }[] = [];
    for (let k = 0; k < 3; k++) {
      const point = { afterBatches: 1 + Math.floor(random() * 25), thenMs: Math.floor(random() * 15), sawBatches: 0 };
      const child = new ChildRun(killed, AS_OF, BATCH);
      while (point.sawBatches < point.afterBatches) {
        const line = await child.next();
        if (line === null || line.startsWith('done')) throw new Error(`the run ended before kill ${k + 1} (${line ?? child.stderr})`);
        point.sawBatches++;
      }
      await new Promise((resolve) => setTimeout(resolve, point.thenMs));
      await child.kill(); // SIGKILL, and reaped: its pid is gone, so the next run takes its lease over at once
      kills.push(point);
    }
    const finished = await new ChildRun(killed, AS_OF, BATCH).finish();
    // The reference: the same file billed in one go, never interrupted (in this process).
    const cleanDb = openBusinessDb('clean', clean, { migrationsDir: MIGRATIONS_DIR });
    const uninterrupted = runRecorded(cleanDb, { asOf: AS_OF, trigger: 'cli', userId: null }, { now: () => new Date() });
    cleanDb.sqlite.close();
    expect(uninterrupted.invoicesIssued).toBeGreaterThan(150);
    expect(finished.invoicesIssued).toBeGreaterThan(0);

    const got = books(killed, startIds);
    const want = books(clean, startIds);
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const table of Object.keys(want)) expect({ table, rows: got[table] }).toEqual({ table, rows: want[table] });

    // The run history: the three killed runs interrupted (with what they had done), the last completed, nothing left running.
    const db = openBusinessFile(killed, { readonly: true });
    const runs = db.prepare("SELECT status, trigger, finished_at IS NOT NULL AS ended, invoices_issued FROM billing_runs WHERE trigger = 'cli' ORDER BY started_at").all() as { status: string; ended: number; invoices_issued: number }[];
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'interrupted', 'interrupted', 'completed']);
    expect(runs.every((r) => r.ended === 1)).toBe(true);
    expect(runs.reduce((sum, r) => sum + r.invoices_issued, 0)).toBeLessThanOrEqual(uninterrupted.invoicesIssued);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key = 'billing.lock'").pluck().get()).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
