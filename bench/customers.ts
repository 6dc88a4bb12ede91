import type Database from 'better-sqlite3';
import { Core } from '../src-main/core/core';
import { buildWhere, countSql, pageSql } from '../src-main/core/customers/customer-search';
import { silentLogger } from '../src-main/core/ports';
import { sourceMigrationsDir } from '../src-main/core/paths';
import type { Connection } from '../src-main/core/rpc';
import type { CustomerFilter } from '@shared/domain/customers';
import { customers, customersCsv } from './data';
import { latency, note, percentile, rate, timeMs, timeMsAsync, type BenchResult } from './support';

const COUNT = 100_000;
const ROUNDS = 30;

function connection(): Connection {
  return { id: `bench-${Math.random()}`, sessionId: null, send() {} };
}

async function must<T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

async function newBusiness(core: Core, name: string) {
  const conn = connection();
  const session = await must<{ business: { id: string } }>(
    core.dispatch(conn, 'business.signUp', {
      businessName: name,
      currency: 'USD',
      timezone: 'America/New_York',
      ownerName: 'Bench Owner',
      ownerEmail: 'owner@example.com',
      password: 'benchmark password',
    }),
  );
  return { conn, db: core.businesses.get(session.business.id).sqlite };
}

/** The raw bound for import: the same rows through prepared INSERTs in one transaction, no CSV, no checks. */
function rawInsert(db: Database.Database, count: number): number {
  const insert = db.prepare(
    `INSERT INTO customers (id, name, email, email_normalized, phone, company, segment, notes, status, payment_method, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare('INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)');
  const rows = [...customers(count)];
  const at = new Date().toISOString();
  return timeMs(() => {
    db.transaction(() => {
      let i = 0;
      for (const c of rows) {
        const id = `raw-${i++}`;
        insert.run(id, c.name, c.email, c.email.toLowerCase(), c.phone, c.company, c.segment, c.notes, c.status, c.paymentMethod, at, at);
        for (const t of c.tags) tag.run(id, t);
      }
    }).immediate();
  });
}

const SEARCHES = ['smi', 'garcia', 'jose', 'acme plumb', 'northwind', 'olivia.lee', '555', '(312) 4', 'sunrise yoga', 'müller', 'chloe dubois', 'Jhon Smtih'];

export async function customersBench(dataDir: string): Promise<BenchResult[]> {
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const results: BenchResult[] = [];
  try {
    note(`customers: generating a ${COUNT.toLocaleString()}-row CSV`);
    const csv = customersCsv(COUNT);

    const ours = await newBusiness(core, 'Bench Import');
    note('customers: importing through customers.import');
    const importMs = await timeMsAsync(() => must(core.dispatch(ours.conn, 'customers.import', { csv })));
    const raw = await newBusiness(core, 'Bench Raw');
    note('customers: raw prepared inserts');
    const rawMs = rawInsert(raw.db, COUNT);
    results.push(rate('customers', 'csv_import_rows_per_s', 'rows/s', COUNT / (importMs / 1000), COUNT / (rawMs / 1000), 2));

    // Searches and pages run against the imported business.
    const db = ours.db;
    const runList = (input: CustomerFilter & Record<string, unknown>) => must(core.dispatch(ours.conn, 'customers.list', input));
    const rawList = (input: CustomerFilter & { sort: 'name' | 'company'; direction: 'asc' | 'desc'; offset: number; limit: number }) => {
      const where = buildWhere(db, input);
      const page = pageSql(where, input);
      const count = countSql(where);
      const pageStmt = db.prepare(page.sql);
      const countStmt = db.prepare(count.sql);
      return () => {
        pageStmt.all(...page.params);
        countStmt.get(...count.params);
      };
    };

    const searchInputs = SEARCHES.map((search) => ({ search, sort: 'name' as const, direction: 'asc' as const, offset: 0, limit: 50 }));
    const pageInputs = [
      { status: 'active' as const, segment: 'Retail', sort: 'company' as const, direction: 'desc' as const, offset: 0, limit: 100 },
      { status: 'active' as const, tag: 'vip', sort: 'name' as const, direction: 'asc' as const, offset: 2000, limit: 100 },
      { sort: 'name' as const, direction: 'asc' as const, offset: 50_000, limit: 100 },
      { segment: 'Enterprise', hasUnpaidInvoices: false, sort: 'company' as const, direction: 'asc' as const, offset: 500, limit: 100 },
    ];

    for (const [metric, inputs] of [['search', searchInputs], ['filtered_sorted_page', pageInputs]] as const) {
      // Both sides warmed alike: each query run once before timing (caches, prepared statements).
      for (const input of inputs) await runList(input);
      const raws = inputs.map(rawList);
      for (const raw of raws) raw();
      const oursSamples: number[] = [];
      const rawSamples: number[] = [];
      // Interleaved pairs, so a busy machine weighs on both alike; 30 rounds for a steady median.
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < inputs.length; i++) {
          rawSamples.push(timeMs(raws[i]!));
          oursSamples.push(await timeMsAsync(() => runList(inputs[i]!)));
        }
      }
      results.push(latency('customers', `${metric}_p50`, percentile(oursSamples, 50), percentile(rawSamples, 50), 1.5));
      results.push(latency('customers', `${metric}_p95`, percentile(oursSamples, 95), percentile(rawSamples, 95), 1.5));
      note(`customers: ${metric} p95 ${percentile(oursSamples, 95).toFixed(2)} ms (raw ${percentile(rawSamples, 95).toFixed(2)} ms)`);
    }
  } finally {
    core.close();
  }
  return results;
}

