import type { RunSummary } from '@shared/domain/billing';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { deleteSetting, readSetting, writeSetting } from '../db/settings';
import { AppError } from '../errors';
import { newId } from '../ids';
import { runBilling, type RunTimings } from './engine';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export type RunTrigger = 'startup' | 'timer' | 'manual' | 'cli';

/**
 * Past this size the WAL is checkpointed between batches (the run turns off
 * SQLite's automatic checkpoint, which would copy the WAL back after every
 * commit). Each checkpoint copies every page in the WAL back to the database
 * file, and a batch rewrites the same index pages as the one before, so the
 * fewer checkpoints a run makes the less it writes: a month of 100,000
 * subscriptions writes 520-640 MB of WAL in all, and 1 GiB lets it make none
 * until the end (then `settleWal`, after the run has answered). The bound is
 * on disk, not in memory: the WAL's index (shared memory) grows by some 8 KB
 * per MB of WAL.
 */
export const WAL_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * The page cache of the connection that bills, while it bills (KiB). A batch
 * reads the due subscriptions and their customers, then writes invoices,
 * lines, payments, timeline and history: at 100,000 subscriptions about
 * 120 MB of pages in all, half of them in indexes keyed by customer or
 * subscription. With the 64 MiB every connection has, each batch evicted and
 * read back most of them (2.2 GB read for one month's run); with 128 MiB,
 * 0.7 GB and a run 40% shorter. Each day of a run sweeps the same pages
 * in the same order, so a cache smaller than that cycle misses almost every
 * time (on an encrypted file each miss also decrypts and checks the page).
 * 96 MiB gave 1.58x the raw bound on a quiet machine, 144 MiB 1.44x at a
 * peak RSS of 366 MB: room made by taking the planner statistics through a
 * small cache (db/open.ts), which had left the other connection's 64 MiB
 * full (README: the bench figures). Pages are only allocated as they are
 * used, so a small business's run costs no more memory than before.
 */
export const RUN_CACHE_KIB = 144 * 1024;

export interface RunJob {
  /** Given by whoever starts the run, so it can clean up after a run that died. */
  runId?: string;
  asOf: string;
  trigger: RunTrigger;
  userId: string | null;
  batchSize?: number;
  /** How long a batch may last (engine.ts `batchMs`; default 2 s). Longer where a waiting writer can ask for a yield (the worker). */
  batchMs?: number;
  /** Checkpoint between batches once the WAL passes this size (default `WAL_LIMIT_BYTES`). */
  walLimitBytes?: number;
}

export interface RunProgress {
  runId: string;
  processed: number;
  summary: RunSummary;
}

const LOCK_KEY = 'billing.lock';
/** A lease not renewed for this long has lapsed, whoever holds it (a batch renews it every few seconds). */
export const LEASE_MS = 120_000;

/** The lease in `settings`: which run holds it, the process (pid on host) running it, and its last heartbeat. */
export interface RunLease {
  owner: string;
  pid?: number;
  host?: string;
  /** The heartbeat: renewed at every batch, the lease lapses at this instant (ms since the epoch). */
  until: number;
  renewedAt?: string;
}

/**
 * Whether the process holding a lease is certainly gone: it ran on this host
 * and its pid no longer exists (`kill(pid, 0)` says ESRCH). This process's
 * own pid is never "gone": its runs are queued (BillingService), and a worker
 * thread that died is cleaned up by its executor (`cleanUpAfterRun`).
 */
export function leaseOwnerGone(lease: RunLease): boolean {
  if (lease.host !== os.hostname() || typeof lease.pid !== 'number' || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it exists, under another user
  }
}

/** The lease of a run still alive (not lapsed, its process not gone), or null. */
export function liveLease(db: BusinessDb, nowMs: number): RunLease | null {
  const lease = readSetting<RunLease>(db, LOCK_KEY);
  return lease && lease.until > nowMs && !leaseOwnerGone(lease) ? lease : null;
}

const INTERRUPTED = 'The run was interrupted (its process ended); the next run carried on where it stopped.';

/**
 * One run at a time per business, across processes (the app and the CLI on
 * the same file): a lease in the settings table, renewed every batch. A run
 * whose process is gone (its pid on this host no longer exists) or whose
 * heartbeat lapsed is taken over at once, and its record, and any other left
 * `running`, marked `interrupted` with the counts it had reached. Renewing
 * fails if another run took over meanwhile (this one had stalled past its lease).
 */
function takeLease(db: BusinessDb, owner: string, now: Date, start?: RunJob): void {
  const nowMs = now.getTime();
  db.sqlite
    .transaction(() => {
      const lease = readSetting<RunLease>(db, LOCK_KEY);
      if (lease && lease.owner !== owner && lease.until > nowMs && !leaseOwnerGone(lease)) {
        throw new AppError('conflict', 'Billing is already running for this business (in another window or the command line). Try again in a moment.');
      }
      if (!lease || lease.owner !== owner) {
        if (!start) throw new AppError('conflict', 'Another billing run took over this one (it had stopped renewing its lease); that run carries on.');
        // Whatever is still `running` died: the lease says only one run lives, and it is this one now.
        // Its end is the last heartbeat seen, when its lease says it.
        stmt(db.sqlite, "UPDATE billing_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running' AND id = ?").run(
          lease?.renewedAt ?? now.toISOString(),
          INTERRUPTED,
          lease?.owner ?? '',
        );
        stmt(db.sqlite, "UPDATE billing_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?), error = ? WHERE status = 'running'").run(
          now.toISOString(),
          INTERRUPTED,
        );
        stmt(db.sqlite, "INSERT INTO billing_runs (id, as_of, trigger, status, started_at, user_id) VALUES (?, ?, ?, 'running', ?, ?)").run(
          owner, start.asOf, start.trigger, now.toISOString(), start.userId,
        );
      }
      const next: RunLease = { owner, pid: process.pid, host: os.hostname(), until: nowMs + LEASE_MS, renewedAt: now.toISOString() };
      writeSetting(db, LOCK_KEY, next, now.toISOString());
    })
    .immediate();
}

/** After a run died without finishing (its worker was killed): free its lease and mark it interrupted. */
export function cleanUpAfterRun(db: BusinessDb, runId: string, now: Date): void {
  db.sqlite
    .transaction(() => {
      dropLease(db, runId);
      stmt(db.sqlite, "UPDATE billing_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'").run(
        now.toISOString(),
        INTERRUPTED,
        runId,
      );
    })
    .immediate();
}

/**
 * A checkpoint that never waits: TRUNCATE when it can be had at once (no
 * reader in the WAL; busy timeout 0 meanwhile), which empties the file;
 * otherwise it does what it can without blocking, as PASSIVE does, and once
 * every frame is back in the database the next commit writes the WAL from its
 * start again instead of growing it.
 */
function checkpointNow(db: BusinessDb): void {
  const busyTimeout = db.sqlite.pragma('busy_timeout', { simple: true }) as number;
  db.sqlite.pragma('busy_timeout = 0');
  try {
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/**
 * After a run: the WAL copied back into the database and emptied, without
 * blocking anyone. PASSIVE first (it copies what it can while readers read
 * and the app writes), then TRUNCATE, which at that point has little left to
 * do and is skipped if someone is using the file. The worker does this after
 * it has answered, so the owner does not wait for it (run-recorder hooks
 * `deferCheckpoint`); the CLI and tests right after the run.
 */
export function settleWal(db: BusinessDb): void {
  db.sqlite.pragma('wal_checkpoint(PASSIVE)');
  checkpointNow(db);
}

/** Between batches: a checkpoint once the WAL has passed `limit` bytes, so it stays bounded. Returns whether it made one. */
function boundWal(db: BusinessDb, limit: number): boolean {
  let size: number;
  try {
    size = fs.statSync(`${db.file}-wal`).size;
  } catch {
    return false; // no WAL file (an in-memory database)
  }
  if (size <= limit) return false;
  checkpointNow(db);
  return true;
}

function dropLease(db: BusinessDb, owner: string): void {
  if (readSetting<{ owner: string }>(db, LOCK_KEY)?.owner === owner) deleteSetting(db, LOCK_KEY);
}

/** A billing run with its record in billing_runs and the cross-process lease. */
export function runRecorded(
  db: BusinessDb,
  job: RunJob,
  hooks: {
    now: () => Date;
    onProgress?: (p: RunProgress) => void;
    shouldStop?: () => boolean;
    timings?: RunTimings;
    /** A writer of this process waits for the file: end the batch now (engine.ts `yieldRequested`). */
    yieldRequested?: () => boolean;
    /** The caller calls `settleWal` itself once it has answered (the worker); otherwise the run does, before it returns. */
    deferCheckpoint?: boolean;
  },
): RunSummary & { runId: string } {
  const runId = job.runId ?? newId();
  takeLease(db, runId, hooks.now(), job);
  const finish = (status: 'completed' | 'failed', summary: RunSummary | null, error: string | null) =>
    stmt(
      db.sqlite,
      `UPDATE billing_runs SET status = ?, finished_at = ?, invoices_issued = ?, payments_succeeded = ?, payments_failed = ?,
         subscriptions_canceled = ?, error = ? WHERE id = ? AND status = 'running'`,
    ).run(status, hooks.now().toISOString(), summary?.invoicesIssued ?? 0, summary?.paymentsSucceeded ?? 0, summary?.paymentsFailed ?? 0, summary?.subscriptionsCanceled ?? 0, error, runId);
  // The heartbeat and what the run has done so far, in one commit after each batch.
  const renew = db.sqlite.transaction((s: RunSummary) => {
    takeLease(db, runId, hooks.now());
    stmt(db.sqlite, 'UPDATE billing_runs SET invoices_issued = ?, payments_succeeded = ?, payments_failed = ?, subscriptions_canceled = ? WHERE id = ?').run(
      s.invoicesIssued, s.paymentsSucceeded, s.paymentsFailed, s.subscriptionsCanceled, runId,
    );
  });
  let last: RunSummary = { asOf: job.asOf, invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 0 };
  // No automatic checkpoint after each batch (each one copies the WAL back and syncs the file): one when
  // the WAL passes `walLimitBytes`, and one at the end.
  const autoCheckpoint = db.sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.sqlite.pragma('wal_autocheckpoint = 0');
  // A bigger page cache while the run lasts (RUN_CACHE_KIB), the connection's own afterwards.
  const cacheSize = db.sqlite.pragma('cache_size', { simple: true }) as number;
  db.sqlite.pragma(`cache_size = -${RUN_CACHE_KIB}`);
  try {
    const summary = runBilling(db, {
      asOf: job.asOf,
      batchSize: job.batchSize,
      batchMs: job.batchMs,
      now: hooks.now,
      yieldRequested: hooks.yieldRequested,
      userId: job.userId,
      shouldStop: hooks.shouldStop,
      timings: hooks.timings,
      onBatch: ({ processed, summary: s }) => {
        const started = performance.now();
        last = s;
        renew.immediate(s);
        const checkpointStarted = performance.now();
        const checkpointMs = boundWal(db, job.walLimitBytes ?? WAL_LIMIT_BYTES) ? performance.now() - checkpointStarted : 0;
        hooks.onProgress?.({ runId, processed, summary: s });
        if (hooks.timings) {
          hooks.timings.checkpointMs += checkpointMs;
          hooks.timings.betweenBatchesMs += performance.now() - started - checkpointMs;
        }
      },
    });
    finish('completed', summary, null);
    return { ...summary, runId };
  } catch (error) {
    finish('failed', last, error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    dropLease(db, runId);
    db.sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.sqlite.pragma(`cache_size = ${cacheSize}`);
    if (!hooks.deferCheckpoint) {
      const checkpointStarted = performance.now();
      settleWal(db);
      if (hooks.timings) hooks.timings.checkpointMs += performance.now() - checkpointStarted;
    }
  }
}
