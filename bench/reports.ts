import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Core } from '../src-main/core/core';
import { FolderExportDestination } from '../src-main/core/csv/folder-destination';
import { refreshPlannerStats } from '../src-main/core/db/open';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { rawDashboard } from './dashboard-raw';
import { rawInvoicesCsv } from './export-raw';
import { REPORTS_AS_OF, seedReports } from './reports-seed';
import { latency, limit, note, percentile, rate, type BenchResult } from './support';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const DASHBOARD_ROUNDS = 20;
const EXPORT_ROUNDS = 3;
const MB = 1024 * 1024;

/**
 * Issue 5: with 100,000 subscriptions and 1,000,000 invoices, the dashboard's
 * p95 through core.dispatch against the same figures by raw SQL
 * (bench/dashboard-raw.ts), and the invoices CSV through reports.export
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

    note('reports: metrics.dashboard against the raw SQL figures');
    const raw = rawDashboard(db.sqlite, REPORTS_AS_OF);
    const dashboard = () => must('metrics.dashboard', { asOf: REPORTS_AS_OF });
    const ours = (await dashboard()) as { summary: { mrr: number } };
    if (raw().mrr !== ours.summary.mrr) throw new Error(`raw MRR ${raw().mrr} differs from the dashboard's ${ours.summary.mrr}`);
    const oursMs: number[] = [];
    const rawMs: number[] = [];
    // A write before each round: the dashboard keeps the history it read until the file changes
    // (metrics/segments.ts), and what is measured here is the work after a change, not that reuse.
    const touch = db.sqlite.prepare('UPDATE business SET updated_at = updated_at');
    for (let round = 0; round < DASHBOARD_ROUNDS; round++) {
      rawMs.push(timed(raw));
      touch.run();
      oursMs.push(await timedAsync(dashboard));
    }
    note(`reports: dashboard p50 ${percentile(oursMs, 50).toFixed(0)} ms, p95 ${percentile(oursMs, 95).toFixed(0)} ms (raw ${percentile(rawMs, 50).toFixed(0)} / ${percentile(rawMs, 95).toFixed(0)} ms)`);

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
      latency('reports', 'dashboard_p50', percentile(oursMs, 50), percentile(rawMs, 50), 2),
      latency('reports', 'dashboard_p95', percentile(oursMs, 95), percentile(rawMs, 95), 2),
      rate('reports', 'invoices_export_rows_per_s', 'rows/s', exportRate, rawRate, 1 / 0.7),
      limit('reports', 'export_live_heap_growth', 'MB', memory.heap / MB, 64),
      // RSS never gives memory back, and seeding a million rows already raised it: the live heap is the flatness figure.
      limit('reports', 'export_peak_rss', 'MB', memory.rss / MB, 1024),
    ];
  } finally {
    core.close();
  }
}

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
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
