import fs from 'node:fs';
import path from 'node:path';
import { Core } from '../src-main/core/core';
import { runBilling } from '../src-main/core/billing/engine';
import { keyAccount } from '../src-main/core/db/keyring';
import { openBusinessDb, type BusinessDb } from '../src-main/core/db/open';
import { dashboard, fullDashboard } from '../src-main/core/metrics/dashboard';
import { newId } from '../src-main/core/ids';
import { listCustomers } from '../src-main/core/customers/customers-service';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { latency, note, percentile, timeMs, type BenchResult } from './support';

// The cost of encryption at rest (issue 16): billing, the dashboard and customer search on an
// encrypted business file against the same on a plain copy of it, same code, same run. The plain
// copy is the raw bound; target 1.3x. Size: RECURRA_BENCH_ENC_CUSTOMERS (default 2,000 customers,
// half of them subscribed).

const COUNT = Number(process.env.RECURRA_BENCH_ENC_CUSTOMERS ?? 2000);
const ROUNDS = 15;
/** The billing runs' last day: the dashboards are asked about it. */
const AS_OF = '2026-06-30';
const SEARCHES = ['cust', 'Customer 1', 'example', 'zzz', 'c19'];

async function must<T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

export async function encryptionBench(dataDir: string): Promise<BenchResult[]> {
  const migrationsDir = sourceMigrationsDir();
  const core = new Core({ paths: { dataDir, migrationsDir }, logger: silentLogger });
  const conn: Connection = { id: 'bench-enc', sessionId: null, send() {} };
  const session = await must<{ business: { id: string } }>(
    core.dispatch(conn, 'business.signUp', { businessName: 'Bench Enc', currency: 'USD', timezone: 'UTC', ownerName: 'Owner', ownerEmail: 'owner@example.com', password: 'benchmark password' }),
  );
  const businessId = session.business.id;
  note(`encryption: ${COUNT.toLocaleString()} customers, ${Math.ceil(COUNT / 2).toLocaleString()} subscriptions`);
  const plan = await must<{ id: string }>(core.dispatch(conn, 'plans.create', { name: 'Monthly', interval: 'month', price: 4900 }));
  for (let i = 0; i < COUNT; i++) {
    const c = await must<{ id: string }>(core.dispatch(conn, 'customers.create', { name: `Customer ${i}`, email: `c${i}@example.com`, paymentMethod: i % 7 === 0 ? 'card_declining' : 'card' }));
    if (i % 2 === 0) await must(core.dispatch(conn, 'subscriptions.create', { customerId: c.id, planId: plan.id, startDate: '2026-01-01' }));
  }
  core.close();

  const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
  const key = Buffer.from((JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>)[keyAccount(businessId)]!, 'hex');
  const copies = path.join(dataDir, 'copies');
  fs.mkdirSync(copies);
  const copy = (name: string, encrypted: boolean): string => {
    const target = path.join(copies, `${name}.sqlite`);
    fs.copyFileSync(file, target);
    if (!encrypted) {
      const db = openBusinessDb(businessId, target, { migrationsDir, key });
      db.sqlite.pragma('journal_mode = DELETE');
      db.sqlite.pragma("rekey = ''");
      db.sqlite.close();
    }
    return target;
  };
  const open = (target: string, encrypted: boolean): BusinessDb => openBusinessDb(businessId, target, { migrationsDir, key: encrypted ? key : null });

  const results: BenchResult[] = [];
  // Billing: six months of runs on a fresh copy each, encrypted and plain taking turns.
  const billing = { enc: [] as number[], plain: [] as number[] };
  for (let round = 0; round < 3; round++) {
    for (const encrypted of [true, false]) {
      const db = open(copy(`billing-${round}-${encrypted}`, encrypted), encrypted);
      billing[encrypted ? 'enc' : 'plain'].push(timeMs(() => runBilling(db, { asOf: '2026-06-30', now: () => new Date('2026-06-30T12:00:00Z') })));
      db.sqlite.close();
    }
  }
  results.push(latency('encryption', 'billing_6_months_median', percentile(billing.enc, 50), percentile(billing.plain, 50), 1.3));

  const enc = open(copy('reads-enc', true), true);
  const plain = open(copy('reads-plain', false), false);
  for (const [metric, run] of [
    ['dashboard_p50', (db: BusinessDb) => fullDashboard(db, '2026-06-30', 'UTC')],
    ['search_p50', (db: BusinessDb) => SEARCHES.forEach((search) => listCustomers(db, { search } as Parameters<typeof listCustomers>[1], { sort: 'name', direction: 'asc', limit: 50, offset: 0, withTotal: true }))],
  ] as const) {
    const samples = { enc: [] as number[], plain: [] as number[] };
    run(enc);
    run(plain);
    for (let i = 0; i < ROUNDS; i++) {
      samples.enc.push(timeMs(() => run(enc)));
      samples.plain.push(timeMs(() => run(plain)));
    }
    results.push(latency('encryption', metric, percentile(samples.enc, 50), percentile(samples.plain, 50), 1.3));
  }
  results.push(dashboardAfterChange(path.join(copies, 'billing-2-true.sqlite'), path.join(copies, 'billing-2-false.sqlite'), open));
  // Opening a file (the CLI opens one per command): raw key, no KDF.
  const opens = { enc: [] as number[], plain: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    opens.enc.push(timeMs(() => open(enc.file, true).sqlite.close()));
    opens.plain.push(timeMs(() => open(plain.file, false).sqlite.close()));
  }
  note(`encryption: open ${percentile(opens.enc, 50).toFixed(2)} ms encrypted, ${percentile(opens.plain, 50).toFixed(2)} ms plain (median)`);
  enc.sqlite.close();
  plain.sqlite.close();
  return results;
}

/**
 * The app's dashboard (the maintained tables) after a change written by another connection, as after a
 * billing run in the worker or a command of the CLI: SQLite then drops this connection's page cache, so
 * each page the dashboard reads comes from the file again, decrypted and its HMAC checked. On the
 * billed copies (six months of invoices), encrypted and plain taking turns; wall and CPU time.
 */
function dashboardAfterChange(encFile: string, plainFile: string, open: (file: string, encrypted: boolean) => BusinessDb): BenchResult {
  const sides = [true, false].map((encrypted) => {
    const reader = open(encrypted ? encFile : plainFile, encrypted);
    const writer = open(encrypted ? encFile : plainFile, encrypted);
    const customerId = writer.sqlite.prepare('SELECT id FROM customers LIMIT 1').pluck().get() as string;
    const pay = writer.sqlite.prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, created_at) VALUES (?, ?, 100, 'USD', 'cash', 'succeeded', ?, ?)");
    dashboard(reader, AS_OF, 'UTC');
    return { encrypted, reader, writer, change: () => pay.run(newId(), customerId, AS_OF, new Date().toISOString()), wall: [] as number[], cpu: [] as number[] };
  });
  for (let i = 0; i < ROUNDS * 2; i++) {
    for (const side of sides) {
      side.change();
      const cpu = process.cpuUsage();
      side.wall.push(timeMs(() => dashboard(side.reader, AS_OF, 'UTC')));
      const used = process.cpuUsage(cpu);
      side.cpu.push((used.user + used.system) / 1000);
    }
  }
  const [enc, plain] = sides as [(typeof sides)[number], (typeof sides)[number]];
  note(
    `encryption: dashboard after another connection's change: p50 ${percentile(enc.wall, 50).toFixed(1)} ms encrypted, ${percentile(plain.wall, 50).toFixed(1)} ms plain; ` +
      `CPU ${percentile(enc.cpu, 50).toFixed(1)} against ${percentile(plain.cpu, 50).toFixed(1)} ms (${(percentile(enc.cpu, 50) / percentile(plain.cpu, 50)).toFixed(2)}x)`,
  );
  for (const side of sides) {
    side.reader.sqlite.close();
    side.writer.sqlite.close();
  }
  return latency('encryption', 'dashboard_after_change_p50', percentile(enc.wall, 50), percentile(plain.wall, 50), 1.3);
}
