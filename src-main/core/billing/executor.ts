import { Worker } from 'node:worker_threads';
import type { RunSummary } from '../../../src-shared/domain/billing';
import type { BusinessDb } from '../db/open';
import { AppError } from '../errors';
import { newId } from '../ids';
import { cleanUpAfterRun, runRecorded, type RunJob, type RunProgress } from './run-recorder';
import { simulate, type Simulation } from './simulate';

/** Where a billing run executes: in this thread (CLI, tests) or in a worker (the app: the UI never waits). */
export interface BillingExecutor {
  run(db: BusinessDb, job: RunJob, onProgress: (p: RunProgress) => void): Promise<RunSummary & { runId: string }>;
  simulate(db: BusinessDb, from: string, months: number): Promise<Simulation>;
}

/** Runs on the calling thread, yielding to the event loop between batches. */
export class InlineExecutor implements BillingExecutor {
  constructor(private readonly now: () => Date) {}

  async run(db: BusinessDb, job: RunJob, onProgress: (p: RunProgress) => void) {
    return runRecorded(db, job, { now: this.now, onProgress });
  }

  async simulate(db: BusinessDb, from: string, months: number) {
    return simulate(db.sqlite, from, months, this.now);
  }
}

export interface WorkerEntry {
  /** The worker script: the bundled file in the app, the TypeScript source under tsx. */
  url: URL | string;
  execArgv?: string[];
  nativeBinding?: string | undefined;
}

/** What the worker sends back. */
export type WorkerMessage =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'done'; summary: RunSummary & { runId: string } }
  | { type: 'simulated'; simulation: Simulation }
  | { type: 'error'; error: { message: string; code?: string; field?: string } };

export interface WorkerJob {
  kind: 'run' | 'simulate';
  file: string;
  nativeBinding?: string | undefined;
  run?: RunJob;
  simulate?: { from: string; months: number };
}

/**
 * Each run in its own worker thread with its own SQLite connection: the
 * thread serving the UI only relays progress. Killing the worker mid-run
 * loses nothing committed; the next run carries on (engine.ts).
 */
export class WorkerExecutor implements BillingExecutor {
  /** The worker of the run in progress, per business (for tests that kill it). */
  readonly active = new Map<string, Worker>();

  constructor(private readonly entry: WorkerEntry) {}

  async run(db: BusinessDb, job: RunJob, onProgress: (p: RunProgress) => void) {
    const runId = job.runId ?? newId();
    try {
      return await this.start<RunSummary & { runId: string }>(db, { kind: 'run', file: db.file, nativeBinding: this.entry.nativeBinding, run: { ...job, runId } }, onProgress);
    } catch (error) {
      // A worker that died mid-run leaves its lease and its run record: clear them so the next run can carry on.
      cleanUpAfterRun(db, runId, new Date());
      throw error;
    }
  }

  simulate(db: BusinessDb, from: string, months: number) {
    return this.start<Simulation>(db, { kind: 'simulate', file: db.file, nativeBinding: this.entry.nativeBinding, simulate: { from, months } }, () => {});
  }

  private start<T>(db: BusinessDb, job: WorkerJob, onProgress: (p: RunProgress) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(this.entry.url, { workerData: job, execArgv: this.entry.execArgv ?? [] });
      if (job.kind === 'run') this.active.set(db.businessId, worker);
      let settled = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'done' || message.type === 'simulated') {
          settled = true;
          resolve((message.type === 'done' ? message.summary : message.simulation) as T);
        } else if (message.type === 'error') {
          settled = true;
          const e = message.error;
          reject(e.code ? new AppError(e.code as never, e.message, e.field) : new Error(e.message));
        }
      });
      worker.on('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (this.active.get(db.businessId) === worker) this.active.delete(db.businessId);
        if (!settled) reject(new Error(`The billing worker stopped before finishing (exit code ${code}); the next run carries on.`));
      });
    });
  }
}
