import { describe, expect, it } from 'vitest';
import type { Input, MethodName } from '@shared/contract';
import { digest, listConflicts, observeServerTime } from '../../../src-main/core/sync';
import { call } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, pull, push, syncAll, type Pc } from './harness';
import { rng } from '../../support/rng';

// Three PCs of one business (one signed up, two filled by applying), random
// edits through the real handlers and raw SQL, exchanged in random order and
// batch sizes through an ordered log numbered like the server's, pages
// applied twice at random, one PC's clock hours ahead and one behind: at the
// end every digest and every conflicts list is equal.
// SYNC_FUZZ_RUNS=50 runs more seeds.

async function attempt<M extends MethodName>(pc: Pc, method: M, input: Input<M>): Promise<boolean> {
  try {
    await call(pc.core, pc.conn, method, input);
    return true;
  } catch {
    return false; // refused by the handler (a duplicate email here, a customer with subscriptions...): fine
  }
}

const ids = (pc: Pc, sql: string) => pc.db.sqlite.prepare(sql).pluck().all() as string[];

async function scenario(seed: number) {
  const r = rng(seed);
  const log = new OrderedLog();
  const { pc: a, businessId } = await firstPc(log);
  await call(a.core, a.conn, 'plans.create', { name: 'Basic', interval: 'month', price: 1500 } as Input<'plans.create'>);
  await call(a.core, a.conn, 'plans.create', { name: 'Pro', interval: 'month', price: 4900 } as Input<'plans.create'>);
  for (let i = 0; i < 4; i += 1) await call(a.core, a.conn, 'customers.create', { name: `Seed ${i}`, email: `seed${i}@example.com`, paymentMethod: 'manual' });
  push(a, log, 1000);
  const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
  const c = await joiningPc(log, businessId, 'C', 'c000000000000003');
  // B's clock runs 2 hours behind and C's 3 hours ahead, both uncorrected (as before any answer of the server)
  // until C observes the server's time midway.
  b.db.sqlite.prepare('UPDATE sync_clock SET offset_ms = ?').run(-2 * 3_600_000);
  c.db.sqlite.prepare('UPDATE sync_clock SET offset_ms = ?').run(3 * 3_600_000);
  const pcs = [a, b, c];
  const fields = ['name', 'phone', 'notes', 'company', 'segment'] as const;
  for (let step = 0; step < 70; step += 1) {
    if (step === 35) observeServerTime(c.db, Date.now(), Date.now());
    const pc = r.pick(pcs);
    const op = r.int(12);
    const customers = ids(pc, "SELECT id FROM customers WHERE name NOT LIKE 'Tmp%' ORDER BY id");
    const tmp = ids(pc, "SELECT id FROM customers WHERE name LIKE 'Tmp%' ORDER BY id");
    if (op === 0) {
      await attempt(pc, 'customers.create', { name: `${pc.name} ${step}`, email: `shared${r.int(4)}@example.com`, paymentMethod: 'manual' });
    } else if (op === 1) {
      await attempt(pc, 'customers.create', { name: `Tmp ${pc.name} ${step}`, email: `tmp${seed}-${step}@example.com` });
    } else if (op === 2 || op === 3) {
      const all = [...customers, ...tmp];
      if (all.length === 0) continue;
      const field = r.pick(fields);
      const value = field === 'phone' ? `555 ${r.int(10)}00${r.int(10)}` : `${field} ${pc.name}${r.int(3)}`;
      await attempt(pc, 'customers.update', { id: r.pick(all), [field]: value } as Input<'customers.update'>);
    } else if (op === 4) {
      // A raw write, as the sqlite3 shell would make it.
      if (customers.length) pc.db.sqlite.prepare('UPDATE customers SET notes = ? WHERE id = ?').run(`raw ${pc.name}${r.int(3)}`, r.pick(customers));
      pc.db.sqlite.prepare("UPDATE plans SET description = ? WHERE code = (SELECT min(code) FROM plans)").run(`desc ${pc.name}${r.int(3)}`);
    } else if (op === 5) {
      if (tmp.length) await attempt(pc, 'customers.delete', { id: r.pick(tmp) });
    } else if (op === 6) {
      const plans = ids(pc, 'SELECT id FROM plans ORDER BY id');
      if (customers.length && plans.length) {
        await attempt(pc, 'subscriptions.create', { customerId: r.pick(customers), planId: r.pick(plans), startDate: '2026-03-01', quantity: 1 + r.int(3), withLicenseKey: false });
      }
    } else if (op === 7) {
      const open = pc.db.sqlite.prepare("SELECT id, amount_due FROM invoices WHERE status = 'open' AND amount_due > 1 ORDER BY id").all() as { id: string; amount_due: number }[];
      if (open.length) {
        const inv = r.pick(open);
        await attempt(pc, 'invoices.pay', { id: inv.id, amount: 1 + r.int(Math.floor(inv.amount_due / 2)), method: 'cash', on: '2026-03-02', reference: '' });
      }
    } else if (op === 11) {
      // Tags: rows keyed by (customer_id, tag), removed and added again.
      if (customers.length) await attempt(pc, 'customers.update', { id: r.pick(customers), tags: ['vip', 'new', 'late'].filter(() => r.next() < 0.5) });
    } else if (op === 10) {
      // Billing runs on A, the billing PC (guarantee 4): invoices, payments, credit.
      if (pc === a) await attempt(a, 'billing.run', { asOf: '2026-03-01' });
    } else if (op === 8) {
      push(pc, log, 1 + r.int(40));
    } else {
      pull(pc, log, 1 + r.int(40), r.next() < 0.3);
    }
  }
  syncAll(pcs, log);
  const digests = pcs.map((pc) => digest(pc.db));
  if (process.env.SYNC_DEBUG) {
    const count = (t: string) => a.db.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    console.log(seed, { changes: log.changes.length, customers: count('customers'), subscriptions: count('subscriptions'), invoices: count('invoices'), payments: count('payments'), conflicts: listConflicts(a.db).map((x) => `${x.entity}.${x.field}`) });
  }
  expect(digests[1]).toEqual(digests[0]);
  expect(digests[2]).toEqual(digests[0]);
  const conflicts = pcs.map((pc) => listConflicts(pc.db));
  expect(conflicts[1]).toEqual(conflicts[0]);
  expect(conflicts[2]).toEqual(conflicts[0]);
  // No change stamped beyond the server's clock by more than the bound, whatever the PCs' clocks.
  const tags = a.db.sqlite.prepare("SELECT count(*) FROM sync_changes WHERE tbl = 'customer_tags' AND op = 'delete'").pluck().get() as number;
  for (const pc of pcs) pc.core.close();
  return { changes: log.changes.length, conflicts: conflicts[0]!.length, tags };
}

describe('convergence of three PCs', () => {
  const runs = Number(process.env.SYNC_FUZZ_RUNS ?? 3);
  it(`random edits, random sync order, skewed clocks, pages applied twice: equal digests (${runs} seeds)`, async () => {
    let total = 0;
    let conflicts = 0;
    let tagDeletes = 0;
    for (let seed = 1; seed <= runs; seed += 1) {
      const out = await scenario(seed);
      total += out.changes;
      conflicts += out.conflicts;
      tagDeletes += out.tags;
    }
    expect(tagDeletes).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(100);
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);
});
