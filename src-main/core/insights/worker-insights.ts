import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BusinessDb } from '../db/open';
import { openSqlite } from '../db/open';
import * as schema from '../db/schema';
import { AppError } from '../errors';
import { lowerThreadPriority } from '../thread-priority';
import { computeInsight } from './compute';
import { saveSnapshot } from './incremental';
import type { InsightsAnswer, InsightsJob } from './worker-executor';

// The insights worker: every insight (compute.ts) off the thread that serves the window. Its own connection to
// each business file it is asked about, kept open between calls so the ledger it built stays cached
// (cache.ts) until the books change. It only reads.
// A file replaced under its name (a backup restored) is a new inode: its old connection is let go.
// Background work: on a busy CPU the thread serving the window goes first (thread-priority.ts, Linux).
lowerThreadPriority(Number(process.env.RECURRA_WORKER_NICE ?? 10));
const connections = new Map<string, { db: BusinessDb; inode: number }>();

function business(job: InsightsJob): BusinessDb {
  const inode = fs.statSync(job.file).ino;
  const kept = connections.get(job.file);
  if (kept?.inode === inode) return kept.db;
  kept?.db.sqlite.close();
  const sqlite = openSqlite(job.file, { nativeBinding: job.nativeBinding, key: job.key ? Buffer.from(job.key, 'hex') : undefined });
  const db = { businessId: 'insights-worker', file: job.file, sqlite, orm: drizzle(sqlite, { schema }) };
  connections.set(job.file, { db, inode });
  return db;
}

// When idle (no question for a moment), what the worker built is written to each file's snapshot (incremental.ts,
// saveSnapshot: only when the one there is missing, of another model, or behind), so that the next run starts
// from it. A question arriving first puts it off; a file let go is written first.
const SNAPSHOT_AFTER_MS = 300;
let idle: NodeJS.Timeout | null = null;

function snapshot(db: BusinessDb): void {
  try {
    saveSnapshot(db);
  } catch {
    // Only a shortcut for the next run: a file that cannot be written (read-only, full) is answered all the same.
  }
}

function whenIdle(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    idle = null;
    for (const { db } of connections.values()) snapshot(db);
  }, SNAPSHOT_AFTER_MS);
  idle.unref();
}

parentPort!.on('message', (job: InsightsJob) => {
  const post = (m: InsightsAnswer) => parentPort!.postMessage({ ...m, jobId: job.jobId });
  if (idle) clearTimeout(idle);
  try {
    if (job.query === null) {
      const open = connections.get(job.file);
      if (open) snapshot(open.db);
      open?.db.sqlite.close();
      connections.delete(job.file);
      post({ type: 'done', value: null });
      return;
    }
    const db = business(job);
    post({ type: 'done', value: computeInsight(db, job.query) });
    whenIdle();
  } catch (error) {
    post({ type: 'error', error: error instanceof AppError ? { message: error.message, code: error.code, field: error.field } : { message: error instanceof Error ? error.message : String(error) } });
  }
});
