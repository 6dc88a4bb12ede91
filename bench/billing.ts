import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { RunStats } from '../src-main/core/billing/executor';
import { RUN_CACHE_KIB } from '../src-main/core/billing/run-recorder';
import { BILLED_SUBSCRIPTION_COLUMNS } from '../src-main/core/billing/rows';
import { Core } from '../src-main/core/core';
import { dashboard } from '../src-main/core/metrics/dashboard';
import { fileKey, openExisting } from '../src-main/core/db/keyring';
import { newId } from '../src-main/core/ids';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { customers } from './data';
import { limit, note, rate, rng, type BenchResult } from './support';
import { fileIo, fileIoSince } from './file-io';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const AS_OF = '2026-03-31';
const ROUNDS = Number(process.env.BENCH_BILLING_ROUNDS ?? 2);

/** A business with 100,000 active subscriptions started across March: mixed intervals, 10% declining cards. */
export function seed(db: Database.Database, count = SUBSCRIPTIONS): void {
  const random = rng(7);
  const at = new Date().toISOString();
  const plans = [
    { id: newId(), code: 'monthly', name: 'Monthly', interval: 'month', price: 2900, share: 0.7 },
    { id: newId(), code: 'yearly', name: 'Yearly', interval: 'year', price: 29000, share: 0.1 },
    { id: newId(), code: 'weekly', name: 'Weekly', interval: 'week', price: 900, share: 0.1 },
    { id: newId(), code: 'quarterly', name: 'Quarterly', interval: 'quarter', price: 7900, share: 0.1 },
  ];
  const insertPlan = db.prepare('INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, name, email, email_normalized, phone, company, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSub = db.prepare(
    `INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, created_at, updated_at)
     VALUES (?, ?, ?, 'active', 1, ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
     VALUES (?, ?, ?, 1, ?, 'created', 'active', ?, 1, ?, ?)`,
  );
  db.transaction(() => {
    for (const p of plans) insertPlan.run(p.id, p.code, p.name, 'USD', p.price, p.interval, at, at);
    let i = 0;
    for (const c of customers(count, 11)) {
      const customerId = newId();
      const method = i % 10 === 0 ? 'card_declining' : 'card';
      insertCustomer.run(customerId, c.name, c.email, c.email, c.phone, c.company, method, at, at);
      const r = random();
      const plan = r < 0.7 ? plans[0]! : r < 0.8 ? plans[1]! : r < 0.9 ? plans[2]! : plans[3]!;
      const start = `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`;
      const subId = newId();
      insertSub.run(subId, customerId, plan.id, start, start, at, at);
      insertHistory.run(newId(), subId, customerId, start, plan.id, plan.price, at);
      i++;
    }
  })();
}

const WRITTEN = ['invoices', 'invoice_lines', 'payments', 'customer_events', 'subscription_history', 'audit_log', 'billing_runs'] as const;

/**
 * The raw bound: exactly the rows the engine wrote (read back from its file),
 * inserted with prepared statements into an untouched copy, plus the same
 * subscription and counter updates, in one transaction.
 *
 * Made honest (issue 10) in two ways, both said in the README: the copy is
 * opened with the app's connection settings (the billing connection's page
 * cache, RUN_CACHE_KIB while it bills; statement journals in memory; with
 * SQLite's default 2 MiB the bound ran 15-35% slower, flattering the
 * engine), and the timed part starts by reading what any billing run must
 * read to know what to bill: the subscriptions and their customers' payment
 * method and credit (one query each, the columns the engine loads).
 *
 * Issue 11 asked for a third: the `metric_*` triggers (migration 0006) keep
 * the dashboard's tables in the same transaction as every write, and they
 * fire in the bound too, so a bound with them is slower than raw SQLite. The
 * run keeps them (they are the product); the bound is measured both ways and
 * the ratio that gates is the one against the bound without them.
 */
export function rawBound(
  engineFile: string,
  copyFile: string,
  opts: { withMetricTriggers: boolean; key?: Buffer | undefined },
): { ms: number; cpuMs: number; io: ReturnType<typeof fileIoSince> } {
  // Both files are copies of the business's file: encrypted with its key, as the run's file is.
  const source = openExisting(engineFile, { readonly: true, ...(opts.key ? { key: opts.key } : {}) });
  const target = openExisting(copyFile, opts.key ? { key: opts.key } : {});
  if (!opts.withMetricTriggers) {
    for (const name of target.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'metric\\_%' ESCAPE '\\'").pluck().all() as string[]) {
      target.exec(`DROP TRIGGER ${name}`);
    }
  }
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  target.pragma('foreign_keys = ON');
  // The page cache the billing connection has while it bills (run-recorder's RUN_CACHE_KIB), not the 64 MiB of the others.
  target.pragma(`cache_size = -${RUN_CACHE_KIB}`);
  target.pragma('temp_store = MEMORY');
  // Only the rows the run added: the copy already has what was there before.
  const rows = WRITTEN.map((table) => {
    const existing = new Set(target.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]);
    return { table, rows: (source.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]).filter((r) => !existing.has(r.id as string)) };
  });
  const subs = source.prepare('SELECT id, status, next_period_index, current_period_start, current_period_end, setup_fee_invoiced, updated_at FROM subscriptions').all() as Record<string, unknown>[];
  const counter = source.prepare('SELECT next_invoice_number FROM business').pluck().get();
  source.close();
  const inserts = rows.map(({ table, rows: r }) => {
    const columns = Object.keys(r[0] ?? {});
    return { rows: r, columns, stmt: columns.length ? target.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`) : null };
  });
  const updateSub = target.prepare(
    'UPDATE subscriptions SET status = ?, next_period_index = ?, current_period_start = ?, current_period_end = ?, setup_fee_invoiced = ?, updated_at = ? WHERE id = ?',
  );
  const updateCounter = target.prepare('UPDATE business SET next_invoice_number = ?');
  const readSubscriptions = target.prepare(`SELECT ${BILLED_SUBSCRIPTION_COLUMNS.join(', ')} FROM subscriptions`).raw();
  const readCustomers = target.prepare('SELECT id, credit_balance, payment_method FROM customers').raw();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const ioStart = fileIo();
  target
    .transaction(() => {
      readSubscriptions.all();
      readCustomers.all();
      for (const { rows: r, columns, stmt } of inserts) for (const row of r) stmt!.run(...columns.map((c) => row[c]));
      for (const s of subs) updateSub.run(s.status, s.next_period_index, s.current_period_start, s.current_period_end, s.setup_fee_invoiced, s.updated_at, s.id);
      updateCounter.run(counter);
    })
    .immediate();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const io = fileIoSince(ioStart);
  target.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, io };
}

/**
 * The worker and the process that drives it (bench/billing-child.ts) as the
 * app runs them: bundled JavaScript (electron-vite does the same for main and
 * the worker), not TypeScript compiled by tsx at start-up. Built in a child
 * process: vite in this one would add some 200 MB to its memory.
 */
function bundled(): { worker: string; child: string } {
  const outDir = path.resolve(import.meta.dirname, '../node_modules/.cache/recurra-bench');
  const options = {
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { '@shared': path.resolve(import.meta.dirname, '../src-shared') } },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: {
        input: {
          'billing-worker': path.resolve(import.meta.dirname, '../src-main/core/billing/billing-worker.ts'),
          'billing-child': path.resolve(import.meta.dirname, 'billing-child.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].mjs' },
      },
    },
  };
  execFileSync(process.execPath, ['--input-type=module', '-e', `import { build } from 'vite'; await build(${JSON.stringify(options)});`], {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { worker: path.join(outDir, 'billing-worker.mjs'), child: path.join(outDir, 'billing-child.mjs') };
}

const MB = 1024 * 1024;

interface ChildResult {
  summary: unknown;
  engineMs: number;
  /** CPU time of the process (both threads) during the run: the figure that holds on a loaded machine. */
  cpuMs: number;
  longestStall: number;
  stallAt: number;
  /** The first `metrics.dashboard` after the run, on the UI thread, once the worker has folded the run's marks. */
  firstDashboardMs: number;
  firstDashboardCpuMs: number;
  /** The same dashboard asked again at once (a warm connection). */
  secondDashboardMs: number;
  secondDashboardCpuMs: number;
  peakRss: number;
  rssBefore: number;
  peakMainHeap: number;
  stats: RunStats | null;
  /** What the process read and wrote through system calls during the run (bench/file-io.ts), null off Linux. */
  io: ReturnType<typeof fileIoSince>;
}

export async function billingBench(dataDir: string): Promise<BenchResult[]> {
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const conn: Connection = { id: 'bench', sessionId: null, send() {} };
  let businessId: string;
  let file: string;
  let key: Buffer | undefined;
  const copy = path.join(dataDir, 'raw-copy.sqlite');
  try {
    const signUp = await core.dispatch(conn, 'business.signUp', {
      businessName: 'Bench Billing',
      currency: 'USD',
      timezone: 'UTC',
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      password: 'benchmark password',
    });
    if (!signUp.ok) throw new Error(JSON.stringify(signUp.error));
    businessId = (signUp.data as { business: { id: string } }).business.id;
    const db = core.businesses.get(businessId);
    file = db.file;
    key = fileKey(db.file);
    note(`billing: seeding ${SUBSCRIPTIONS.toLocaleString()} subscriptions`);
    seed(db.sqlite);
    // A file in use has no marks waiting: its owner opened the dashboard since the last change, and that
    // folded them (metric_dirty*, emptied). So the run marks what it changes, as it does in the app.
    const foldStart = performance.now();
    dashboard(db, '2026-02-01', 'UTC');
    const marksLeft = db.sqlite.prepare('SELECT (SELECT count(*) FROM metric_dirty) + (SELECT count(*) FROM metric_dirty_subscriptions)').pluck().get() as number;
    if (marksLeft !== 0) throw new Error(`${marksLeft} metric marks left after the dashboard's fold`);
    note(`billing: the dashboard opened once before the run, as an owner would (its first build, the seeding's marks folded): ${(performance.now() - foldStart).toFixed(0)} ms`);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(db.file, copy);
  } finally {
    core.close();
  }

  // Best of two rounds, each the run then its bound on fresh copies of the same seeded file: this
  // machine's speed drifts by a third from one minute to the next, and one round's ratio with it.
  const pristine = path.join(dataDir, 'pristine.sqlite');
  fs.renameSync(copy, pristine);
  // BENCH_DROP_TRIGGERS=metric,insight,sync (a diagnosis, never a figure to report as the product's): drops
  // those triggers from the seeded file, so from the run and its bound alike, to see what each family costs.
  const drop = (process.env.BENCH_DROP_TRIGGERS ?? '').split(',').filter(Boolean);
  // BENCH_PRISTINE_SQL="CREATE INDEX ...": SQL run on the seeded file before the rounds (a diagnosis: a schema change tried on both sides).
  const extraSql = process.env.BENCH_PRISTINE_SQL;
  if (drop.length || extraSql) {
    const p = openExisting(pristine, key ? { key } : {});
    if (extraSql) {
      p.exec(extraSql);
      note(`billing: DIAGNOSIS: run on the seeded file: ${extraSql}`);
    }
    for (const family of drop) {
      for (const name of p.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'").pluck().all(`${family}\\_%`) as string[]) p.exec(`DROP TRIGGER ${name}`);
    }
    p.close();
    if (drop.length) note(`billing: DIAGNOSIS: triggers dropped from both sides: ${drop.join(', ')}`);
  }
  const fresh = (target: string) => {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
    fs.copyFileSync(pristine, target);
  };
  const entry = bundled();
  const rounds: { r: ChildResult; rawMs: number }[] = [];
  let rawWithTriggersMs = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    fresh(file);
    note(`billing: round ${round} of ${ROUNDS}: one month through billing.run (worker thread), in a fresh process shaped like the app's main process`);
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the timed process and its worker, for finding where the run's time goes.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child = spawnSync(process.execPath, [...profile, entry.child, dataDir, sourceMigrationsDir(), entry.worker, businessId, '2026-02-01', AS_OF], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`billing bench process failed (status ${child.status}): ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildResult;
    if (process.env.BENCH_STALL_TRACE === '1') note(`billing: DIAGNOSIS: the UI thread's stalls over 15 ms and its garbage collections (ms from the run's start):\n${child.stderr}`);
    note(`billing: ${JSON.stringify(r.summary)} in ${(r.engineMs / 1000).toFixed(1)} s`);
    const s = r.stats;
    if (s) {
      const t = s.timings;
      const sec = (v: number) => `${(v / 1000).toFixed(1)} s`;
      note(
        `billing: where the time went (worker): agenda ${sec(t.agendaMs)} (read again ${t.reloads} times), steps ${sec(t.stepsMs)}, ${t.batches} commits ${sec(t.commitMs)}, ` +
          `lease and run record ${sec(t.betweenBatchesMs)}, ${t.collections} garbage collections ${sec(t.gcMs)}; then, after the answer (not in the run's time), the dashboard's marks folded ${sec(t.foldMs)} and the checkpoint ${sec(t.checkpointMs)}`,
      );
    }
    note(
      `billing: the first dashboard after the run (on the UI thread, once the worker has folded the run's marks): ${r.firstDashboardMs.toFixed(0)} ms (CPU ${r.firstDashboardCpuMs.toFixed(0)} ms); ` +
        `asked again at once ${r.secondDashboardMs.toFixed(0)} ms (CPU ${r.secondDashboardCpuMs.toFixed(0)} ms)`,
    );
    note(`billing: longest UI-thread stall ${r.longestStall.toFixed(0)} ms, ${(r.stallAt / 1000).toFixed(1)} s after the run started`);
    note(
      `billing: memory while billing: peak RSS ${(r.peakRss / MB).toFixed(0)} MB (${(r.rssBefore / MB).toFixed(0)} MB before the timed run); ` +
        `V8 heap in use: main thread ${(r.peakMainHeap / MB).toFixed(0)} MB, worker ${s ? (s.heapUsedPeakBytes / MB).toFixed(0) : '?'} MB; ` +
        `the rest is native: code, the two SQLite page caches (up to ${RUN_CACHE_KIB / 1024} MiB while billing, 64 MiB otherwise) and buffers`,
    );
    fresh(copy);
    const raw = rawBound(file, copy, { withMetricTriggers: false, key });
    const rawMs = raw.ms;
    note(
      `billing: raw bound (the same rows, prepared statements, one transaction, no metric triggers) ${(rawMs / 1000).toFixed(1)} s: ratio ${(r.engineMs / rawMs).toFixed(2)}; ` +
        `CPU time: run ${(r.cpuMs / 1000).toFixed(1)} s, bound ${(raw.cpuMs / 1000).toFixed(1)} s (ratio ${(r.cpuMs / raw.cpuMs).toFixed(2)})`,
    );
    if (round === 1) {
      fresh(copy);
      rawWithTriggersMs = rawBound(file, copy, { withMetricTriggers: true, key }).ms;
      note(`billing: the same bound with the metric triggers ${(rawWithTriggersMs / 1000).toFixed(1)} s (ratio ${(r.engineMs / rawWithTriggersMs).toFixed(2)}; for information, the first gates)`);
    }
    if (r.io && raw.io) {
      note(
        `billing: file reads and writes (system calls, so the pages SQLite's cache missed and the WAL it wrote): run read ${(r.io.readBytes / MB).toFixed(0)} MB, wrote ${(r.io.writtenBytes / MB).toFixed(0)} MB; ` +
          `bound read ${(raw.io.readBytes / MB).toFixed(0)} MB, wrote ${(raw.io.writtenBytes / MB).toFixed(0)} MB`,
      );
    }
    rounds.push({ r, rawMs });
  }
  const engineMs = Math.min(...rounds.map((x) => x.r.engineMs));
  const rawMs = Math.min(...rounds.map((x) => x.rawMs));
  const r = {
    engineMs,
    longestStall: Math.max(...rounds.map((x) => x.r.longestStall)),
    peakRss: Math.max(...rounds.map((x) => x.r.peakRss)),
  };
  note(`billing: best of ${ROUNDS}: run ${(engineMs / 1000).toFixed(1)} s, bound ${(rawMs / 1000).toFixed(1)} s (ratio ${(engineMs / rawMs).toFixed(2)}); stall and memory: the worst round`);
  return [
    rate('billing', 'subscriptions_per_s', 'subs/s', SUBSCRIPTIONS / (r.engineMs / 1000), SUBSCRIPTIONS / (rawMs / 1000), 1.5),
    limit('billing', 'ui_thread_longest_stall', 'ms', Math.max(0, r.longestStall), 50),
    limit('billing', 'peak_rss', 'MB', r.peakRss / MB, 400),
  ];
}
