import { Worker } from 'node:worker_threads';
import type { RunSummary } from '@shared/domain/billing';
import type { RunTimings } from './engine';
import { fileKey } from '../db/keyring';
import type { BusinessDb } from '../db/open';
import { AppError } from '../errors';
import { newId } from '../ids';
import { cleanUpAfterRun, runRecorded, type RunJob, type RunProgress } from './run-recorder';
import { simulate, type Simulation } from './simulate';

/** Where a billing run executes: in this thread (CLI, tests) or in a worker (the app: the UI never waits). */
export interface BillingExecutor {
  run(db: BusinessDb, job: RunJob, onProgress: (p: RunProgress) => void): Promise<RunSummary & { runId: string }>;
  simulate(db: BusinessDb, from: string, months: number): Promise<Simulation>;
  /** The business is closing: let go of anything kept for it. */
  release?(businessId: string, file: string): Promise<void>;
  /**
   * A writer on this thread found the business's file busy: if a run of it is going in a worker, it ends its
   * batch at once and lets the writer in. Returns the release, to call once the writer is done or gives up.
   */
  writerWaiting?(businessId: string): () => void;
  close?(): Promise<void>;
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
  /** Told after each run (after its answer and the checkpoint that follows) where its time went and how much heap the worker used (the benchmark listens). */
  onStats?: (stats: RunStats) => void;
}

/** What a worker measured of one run. */
export interface RunStats {
  timings: RunTimings;
  /** The worker's V8 heap in use, the most seen after the agenda load and at the end of each batch. */
  heapUsedPeakBytes: number;
}

/** What the worker sends back (each message names its job). */
export type WorkerMessage =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'stats'; stats: RunStats }
  | { type: 'done'; summary: RunSummary & { runId: string } }
  | { type: 'simulated'; simulation: Simulation }
  | { type: 'closed' }
  | { type: 'error'; error: { message: string; code?: string; field?: string } };

export interface WorkerJob {
  jobId: number;
  kind: 'run' | 'simulate' | 'close';
  file: string;
  nativeBinding?: string | undefined;
  /** The file's data key, hex (db/keyring.ts): a worker has a keyring of its own. */
  key?: string | undefined;
  run?: RunJob;
  /**
   * Shared with the thread that started the run: how many of its writers wait for the file (an Int32Array
   * of one). The worker ends its batch when it is above 0, then waits (briefly) until it is 0 again.
   */
  yieldFlag?: SharedArrayBuffer;
  simulate?: { from: string; months: number };
}

/**
 * How many steps a batch of a run in the worker makes at most, and how long
 * it may last. Every commit writes to the WAL each page its batch changed,
 * and every batch of a big run touches the indexes keyed by customer all
 * over, so the fewer batches the less it writes: under load, 2-second
 * batches cut a month's run at 100,000 subscriptions into 22 and wrote
 * 1.6 GB of WAL where the raw bound writes 0.56 GB (bench: "file reads and
 * writes"). Counted in steps, not time, so that a busy machine does not cut
 * a run into more, shorter batches that write more and run slower still.
 * Not longer either: a batch whose changed pages outgrow the run's page
 * cache (RUN_CACHE_KIB) spills them to the WAL one at a time and reads them
 * back: on a quiet machine 32,000 steps read 774 MB and took 31 s of CPU
 * where 16,000 read 406 MB and took 22-29 s (2-second batches: 21-26 s). Long
 * batches cost the window nothing: a write of the window that finds the
 * file busy asks the run to yield (`writerWaiting`), and the batch ends at
 * its next 64 steps. Another process (the CLI) waits for the batch:
 * DEFAULT_BUSY_TIMEOUT_MS is longer than WORKER_BATCH_MS.
 */
export const WORKER_BATCH_STEPS = 16_000;
export const WORKER_BATCH_MS = 15_000;

/**
 * Billing in a worker thread with its own SQLite connection, one worker per
 * business, kept between runs: the thread serving the UI only relays
 * progress. Killing the worker mid-run loses nothing committed; the next run
 * (in a new worker) carries on (engine.ts).
 */
export class WorkerExecutor implements BillingExecutor {
  /** The worker of each business (tests kill it to prove a run survives that). */
  readonly active = new Map<string, Worker>();
  /** The writers waiting for each business's file while a run of it goes (WorkerJob.yieldFlag). */
  private readonly waiting = new Map<string, Int32Array>();
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; onProgress(p: RunProgress): void }>();
  private jobs = 0;

  constructor(private readonly entry: WorkerEntry) {}

  async run(db: BusinessDb, job: RunJob, onProgress: (p: RunProgress) => void) {
    const runId = job.runId ?? newId();
    const waiting = new Int32Array(new SharedArrayBuffer(4));
    this.waiting.set(db.businessId, waiting);
    try {
      return await this.send<RunSummary & { runId: string }>(
        db.businessId,
        {
          kind: 'run',
          file: db.file,
          nativeBinding: this.entry.nativeBinding,
          key: fileKey(db.file)?.toString('hex'),
          run: { batchSize: WORKER_BATCH_STEPS, batchMs: WORKER_BATCH_MS, ...job, runId },
          yieldFlag: waiting.buffer as SharedArrayBuffer,
        },
        onProgress,
      );
    } catch (error) {
      // A worker that died mid-run leaves its lease and its run record: clear them so the next run can carry on
      // (its lease names this process, alive, so no other run would take it over before it lapses). The file may
      // be busy (the CLI writing): wait for it without blocking this thread, as the dispatcher does.
      for (let tries = 0; ; tries++) {
        try {
          cleanUpAfterRun(db, runId, new Date());
          break;
        } catch (cleanUpError) {
          if ((cleanUpError as { code?: string }).code !== 'SQLITE_BUSY' || tries >= 400) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      throw error;
    } finally {
      if (this.waiting.get(db.businessId) === waiting) this.waiting.delete(db.businessId);
    }
  }

  writerWaiting(businessId: string): () => void {
    const waiting = this.waiting.get(businessId);
    if (!waiting) return () => {};
    Atomics.add(waiting, 0, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      Atomics.sub(waiting, 0, 1);
      Atomics.notify(waiting, 0);
    };
  }

  simulate(db: BusinessDb, from: string, months: number) {
    return this.send<Simulation>(db.businessId, { kind: 'simulate', file: db.file, nativeBinding: this.entry.nativeBinding, key: fileKey(db.file)?.toString('hex'), simulate: { from, months } }, () => {});
  }

  async release(businessId: string, file: string): Promise<void> {
    if (!this.active.has(businessId)) return;
    await this.send(businessId, { kind: 'close', file }, () => {}).catch(() => {});
    await this.active.get(businessId)?.terminate();
    this.active.delete(businessId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.active.values()].map((w) => w.terminate()));
    this.active.clear();
  }

  private worker(businessId: string): Worker {
    let worker = this.active.get(businessId);
    if (worker) return worker;
    worker = new Worker(this.entry.url, { execArgv: this.entry.execArgv ?? [] });
    worker.unref(); // an idle billing worker never keeps the process alive
    const started = worker;
    worker.on('message', (message: WorkerMessage & { jobId: number }) => {
      // Stats come after the answer (the worker checkpoints in between: run-recorder's settleWal).
      if (message.type === 'stats') return this.entry.onStats?.(message.stats);
      const job = this.pending.get(message.jobId);
      if (!job) return;
      if (message.type === 'progress') return job.onProgress(message.progress);
      this.pending.delete(message.jobId);
      if (message.type === 'done') job.resolve(message.summary);
      else if (message.type === 'simulated') job.resolve(message.simulation);
      else if (message.type === 'closed') job.resolve(undefined);
      else {
        const e = message.error;
        job.reject(e.code ? new AppError(e.code as never, e.message, e.field) : new Error(e.message));
      }
    });
    const fail = (error: Error) => {
      if (this.active.get(businessId) === started) this.active.delete(businessId);
      for (const [id, job] of this.pending) {
        if (this.owner.get(id) === started) {
          this.pending.delete(id);
          job.reject(error);
        }
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The billing worker stopped before finishing (exit code ${code}); the next run carries on.`)));
    this.active.set(businessId, worker);
    return worker;
  }

  private readonly owner = new Map<number, Worker>();

  private send<T>(businessId: string, job: Omit<WorkerJob, 'jobId'>, onProgress: (p: RunProgress) => void): Promise<T> {
    const worker = this.worker(businessId);
    const jobId = ++this.jobs;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(jobId, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.owner.set(jobId, worker);
      worker.ref(); // a job in progress keeps the process alive until it answers
      worker.postMessage({ ...job, jobId });
    }).finally(() => {
      this.owner.delete(jobId);
      if (![...this.owner.values()].includes(worker)) worker.unref();
    });
  }
}
