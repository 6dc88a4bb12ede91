import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Core } from '../src-main/core/core';
import { FolderExportDestination } from '../src-main/core/csv/folder-destination';
import { fileKey } from '../src-main/core/db/keyring';
import { refreshPlannerStats } from '../src-main/core/db/open';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { rawInvoicesCsv } from './export-raw';
import { REPORTS_AS_OF, seedReports } from './reports-seed';
import { latency, limit, note, percentile, rate, type BenchResult } from './support';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const DASHBOARD_ROUNDS = 20;
const EXPORT_ROUNDS = 3;
const MB = 1024 * 1024;

/**
 * Issue 5 and 10: with 100,000 subscriptions and 1,000,000 invoices, the
 * dashboard in a fresh process (bench/dashboard-child.ts): its cold first
 * open, its p50/p95 after a change against the same figures by hand-written
 * SQL over the base tables (bench/dashboard-raw.ts), its peak RSS; and the invoices CSV through reports.export
 * against a raw cursor written with csv-stringify (bench/export-raw.ts), with
 * the live heap during the export. Ours and raw alternate, so a noisy
 * neighbour slows both alike.
 */
export async function reportsBench(dataDir: string): Promise<BenchResult[]> {
  const exportsDir = path.join(dataDir, 'exports');
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const conn: Connection = { id: 'bench-reports', sessionId: null, send() {}, exports: new FolderExportDestination(exportsDir) };
  const must = async (method: string, input: unknown) => {
    const result = await core.dispatch(conn, method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.data as Record<string, unknown>;
  };
  try {
    const signUp = await must('business.signUp', {
      businessName: 'Bench Reports',
      currency: 'USD',
      timezone: 'UTC',
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      password: 'benchmark password',
    });
    const db = core.businesses.get((signUp.business as { id: string }).id);
    note(`reports: seeding ${SUBSCRIPTIONS.toLocaleString()} subscriptions and ${INVOICES.toLocaleString()} invoices`);
    seedReports(db.sqlite, SUBSCRIPTIONS, INVOICES);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    refreshPlannerStats(db.sqlite); // as reopening the file would

    // The seed's rows were marked by the triggers as they went in, as an upgraded file's are by its migration:
    // the first open builds the maintained tables from the whole history, once.
    note('reports: first dashboard (builds the maintained tables from the whole history)');
    const buildMs = await timedAsync(() => must('metrics.dashboard', { asOf: REPORTS_AS_OF }));
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    note(`reports: first build ${buildMs.toFixed(0)} ms; now a fresh process opens the file, then ${DASHBOARD_ROUNDS} rounds of a change and the dashboard against the raw SQL figures`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'dashboard-child.ts'), db.file, REPORTS_AS_OF, String(DASHBOARD_ROUNDS)], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      env: { ...process.env, RECURRA_BENCH_KEY: fileKey(db.file)?.toString('hex') ?? '' },
    });
    if (child.status !== 0) throw new Error(`dashboard bench process failed: ${child.stderr}`);
    const { coldMs, openMs, oursMs, rawMs, peakRssMb } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { coldMs: number; openMs: number; oursMs: number[]; rawMs: number[]; peakRssMb: number };
    note(
      `reports: dashboard cold ${coldMs.toFixed(0)} ms (opening the file ${openMs.toFixed(0)} ms, then the dashboard), after a change p50 ${percentile(oursMs, 50).toFixed(1)} ms, p95 ${percentile(oursMs, 95).toFixed(1)} ms ` +
        `(raw ${percentile(rawMs, 50).toFixed(0)} / ${percentile(rawMs, 95).toFixed(0)} ms), peak RSS ${peakRssMb.toFixed(0)} MB`,
    );

    note('reports: invoices CSV through reports.export against a raw cursor');
    const exportMs: number[] = [];
    const rawExportMs: number[] = [];
    for (let round = 0; round < EXPORT_ROUNDS; round++) {
      rawExportMs.push(await timedAsync(() => rawInvoicesCsv(db.sqlite, path.join(dataDir, 'raw.csv'))));
      exportMs.push(await timedAsync(async () => {
        const result = await must('reports.export', { kind: 'invoices' });
        if (result.rows !== INVOICES) throw new Error(`exported ${String(result.rows)} rows, expected ${INVOICES}`);
      }));
    }
    const exportRate = INVOICES / (percentile(exportMs, 50) / 1000);
    const rawRate = INVOICES / (percentile(rawExportMs, 50) / 1000);
    note(`reports: export ${Math.round(exportRate)} rows/s (raw ${Math.round(rawRate)} rows/s)`);

    note('reports: memory during one more export (live heap after a collection, every 200 ms)');
    const memory = await peakMemory(() => must('reports.export', { kind: 'invoices' }));
    const rawMemory = await peakMemory(() => rawInvoicesCsv(db.sqlite, path.join(dataDir, 'raw.csv')));
    note(`reports: live heap +${(memory.heap / MB).toFixed(1)} MB, peak RSS ${(memory.rss / MB).toFixed(0)} MB (raw +${(rawMemory.heap / MB).toFixed(1)} MB, ${(rawMemory.rss / MB).toFixed(0)} MB)`);
    return [
      // After a change, against the hand-SQL full computation in the same process: at most 1/20 of it, and 50 ms.
      latency('reports', 'dashboard_p50', percentile(oursMs, 50), percentile(rawMs, 50), 0.05),
      latency('reports', 'dashboard_p95', percentile(oursMs, 95), percentile(rawMs, 95), 0.05),
      limit('reports', 'dashboard_p95_ms', 'ms', percentile(oursMs, 95), 50),
      limit('reports', 'dashboard_cold_open', 'ms', coldMs, 500),
      limit('reports', 'dashboard_peak_rss', 'MB', peakRssMb, 400),
      // Once per file (an upgrade, or a file with no tables yet): only bounded loosely.
      limit('reports', 'dashboard_first_build', 'ms', buildMs, 60_000),
      rate('reports', 'invoices_export_rows_per_s', 'rows/s', exportRate, rawRate, 1 / 0.7),
      limit('reports', 'export_live_heap_growth', 'MB', memory.heap / MB, 64),
      // RSS never gives memory back, and seeding a million rows already raised it: the live heap is the flatness figure.
      limit('reports', 'export_peak_rss', 'MB', memory.rss / MB, 1024),
    ];
  } finally {
    core.close();
  }
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * The most the live heap (measured right after a full collection) grew over
 * its level before `fn`, and the highest RSS, sampled every 200 ms while it
 * runs. The collections slow the export, so this run is not one of the timed ones.
 */
async function peakMemory(fn: () => Promise<unknown>): Promise<{ heap: number; rss: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = () => {
    gc();
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed - before.heapUsed);
    rss = Math.max(rss, now.rss);
  };
  const timer = setInterval(sample, 200);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  sample();
  return { heap, rss };
}
