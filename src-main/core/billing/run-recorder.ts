import type { RunSummary } from '@shared/domain/billing';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { deleteSetting, readSetting, writeSetting } from '../db/settings';
import { AppError } from '../errors';
import { newId } from '../ids';
import { runBilling, type RunTimings } from './engine';
import { performance } from 'node:perf_hooks';

export type RunTrigger = 'startup' | 'timer' | 'manual' | 'cli';

export interface RunJob {
  /** Given by whoever starts the run, so it can clean up after a run that died. */
  runId?: string;
  asOf: string;
  trigger: RunTrigger;
  userId: string | null;
  batchSize?: number;
}

export interface RunProgress {
  runId: string;
  processed: number;
  summary: RunSummary;
}

const LOCK_KEY = 'billing.lock';
const LEASE_MS = 120_000;

/**
 * One run at a time per business, across processes (the app and the CLI on
 * the same file): a lease in the settings table, renewed every batch. A run
 * that died leaves a lease that lapses, so the next run can finish the job.
 */
function takeLease(db: BusinessDb, owner: string, nowMs: number): void {
  db.sqlite
    .transaction(() => {
      const lease = readSetting<{ owner: string; until: number }>(db, LOCK_KEY);
      if (lease) {
        if (lease.owner !== owner && lease.until > nowMs) {
          throw new AppError('conflict', 'Billing is already running for this business (in another window or the command line). Try again in a moment.');
        }
      }
      writeSetting(db, LOCK_KEY, { owner, until: nowMs + LEASE_MS }, new Date(nowMs).toISOString());
    })
    .immediate();
}

/** After a run died without finishing (its worker was killed): free its lease and mark it interrupted. */
export function cleanUpAfterRun(db: BusinessDb, runId: string, now: Date): void {
  dropLease(db, runId);
  stmt(db.sqlite, "UPDATE billing_runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status = 'running'").run(
    now.toISOString(),
    'The run was interrupted; the next run carries on where it stopped.',
    runId,
  );
}

function dropLease(db: BusinessDb, owner: string): void {
  if (readSetting<{ owner: string }>(db, LOCK_KEY)?.owner === owner) deleteSetting(db, LOCK_KEY);
}

/** A billing run with its record in billing_runs and the cross-process lease. */
export function runRecorded(
  db: BusinessDb,
  job: RunJob,
  hooks: { now: () => Date; onProgress?: (p: RunProgress) => void; shouldStop?: () => boolean; timings?: RunTimings },
): RunSummary & { runId: string } {
  const runId = job.runId ?? newId();
  takeLease(db, runId, hooks.now().getTime());
  stmt(db.sqlite, "INSERT INTO billing_runs (id, as_of, trigger, status, started_at, user_id) VALUES (?, ?, ?, 'running', ?, ?)").run(
    runId, job.asOf, job.trigger, hooks.now().toISOString(), job.userId,
  );
  const finish = (status: 'completed' | 'failed', summary: RunSummary | null, error: string | null) =>
    stmt(
      db.sqlite,
      `UPDATE billing_runs SET status = ?, finished_at = ?, invoices_issued = ?, payments_succeeded = ?, payments_failed = ?,
         subscriptions_canceled = ?, error = ? WHERE id = ?`,
    ).run(status, hooks.now().toISOString(), summary?.invoicesIssued ?? 0, summary?.paymentsSucceeded ?? 0, summary?.paymentsFailed ?? 0, summary?.subscriptionsCanceled ?? 0, error, runId);
  let last: RunSummary = { asOf: job.asOf, invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 0 };
  // No automatic checkpoint after each batch (each one copies the WAL back and syncs the file): one at the end instead.
  const autoCheckpoint = db.sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.sqlite.pragma('wal_autocheckpoint = 0');
  try {
    const summary = runBilling(db, {
      asOf: job.asOf,
      batchSize: job.batchSize,
      now: hooks.now,
      userId: job.userId,
      shouldStop: hooks.shouldStop,
      timings: hooks.timings,
      onBatch: ({ processed, summary: s }) => {
        const started = performance.now();
        last = s;
        takeLease(db, runId, hooks.now().getTime());
        stmt(db.sqlite, 'UPDATE billing_runs SET invoices_issued = ?, payments_succeeded = ?, payments_failed = ?, subscriptions_canceled = ? WHERE id = ?').run(
          s.invoicesIssued, s.paymentsSucceeded, s.paymentsFailed, s.subscriptionsCanceled, runId,
        );
        hooks.onProgress?.({ runId, processed, summary: s });
        if (hooks.timings) hooks.timings.betweenBatchesMs += performance.now() - started;
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
    const checkpointStarted = performance.now();
    db.sqlite.pragma('wal_checkpoint(PASSIVE)');
    if (hooks.timings) hooks.timings.checkpointMs += performance.now() - checkpointStarted;
  }
}
