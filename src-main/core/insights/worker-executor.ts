import { Worker } from 'node:worker_threads';
import { fileKey } from '../db/keyring';
import type { BusinessDb } from '../db/open';
import { AppError } from '../errors';
import { withInsightsCacheAsync } from './cache';
import { computeInsight, queryKey, type InsightKind, type InsightsAnswers, type InsightsQuery, type QueryOf } from './compute';

/** Where insights are computed: in this thread (CLI, tests) or in a worker (the app: the window never waits). */
export interface InsightsExecutor {
  run<K extends InsightKind>(db: BusinessDb, query: QueryOf<K>): Promise<InsightsAnswers[K]>;
  /** The business of this file was closed: let go of it (the core calls it as each business closes). */
  release?(file: string): Promise<void>;
  close?(): Promise<void>;
}

/** On the calling thread (cached on its connection until the books change). */
export class InlineInsights implements InsightsExecutor {
  async run<K extends InsightKind>(db: BusinessDb, query: QueryOf<K>) {
    return computeInsight(db, query);
  }
}

export interface InsightsWorkerEntry {
  /** The worker script: the bundled file in the app, the TypeScript source under tsx. */
  url: URL | string;
  execArgv?: string[];
  nativeBinding?: string | undefined;
}

export interface InsightsJob {
  jobId: number;
  file: string;
  nativeBinding?: string | undefined;
  /** The file's data key, hex (db/keyring.ts): the worker has a keyring of its own. */
  key?: string | undefined;
  /** The question, or null: the business is closing, let go of its file. */
  query: InsightsQuery | null;
}

export type InsightsAnswer = { type: 'done'; value: unknown } | { type: 'error'; error: { message: string; code?: string; field?: string } };
export type InsightsReply = InsightsAnswer & { jobId: number };

/**
 * Every insight in one worker thread with its own read-only use of each business file (kept open,
 * with its ledger cached there until the books change). This thread keeps the answers too, keyed by
 * its own connection's book version: a repeated call costs nothing, a call after a change goes to the
 * worker once (two callers asking at the same time share the one computation).
 */
export class WorkerInsights implements InsightsExecutor {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private jobs = 0;
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly entry: InsightsWorkerEntry) {}

  run<K extends InsightKind>(db: BusinessDb, query: QueryOf<K>): Promise<InsightsAnswers[K]> {
    return withInsightsCacheAsync(db.sqlite, `worker-${queryKey(query)}`, () => this.send<InsightsAnswers[K]>({ file: db.file, query }));
  }

  /** The business is closing: the worker lets go of its file (closes its connection and drops what it kept). */
  release(file: string): Promise<void> {
    if (!this.worker) return Promise.resolve();
    const done: Promise<void> = this.send({ file, query: null }).then(
      () => {},
      () => {},
    );
    this.releasing.add(done);
    void done.finally(() => this.releasing.delete(done));
    return done;
  }

  /** Stops the worker, once the files being released are let go. */
  async close(): Promise<void> {
    await Promise.all([...this.releasing]);
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry.url, { execArgv: this.entry.execArgv ?? [] });
    worker.unref(); // an idle worker never keeps the process alive
    worker.on('message', (m: InsightsReply) => {
      const job = this.pending.get(m.jobId);
      if (!job) return;
      this.pending.delete(m.jobId);
      if (this.pending.size === 0) worker.unref();
      if (m.type === 'done') job.resolve(m.value);
      else job.reject(m.error.code ? new AppError(m.error.code as never, m.error.message, m.error.field) : new Error(m.error.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The insights worker stopped (exit code ${code}); the next call starts a new one.`)));
    this.worker = worker;
    return worker;
  }

  private send<T>(job: Omit<InsightsJob, 'jobId' | 'nativeBinding' | 'key'>): Promise<T> {
    const worker = this.start();
    const jobId = ++this.jobs;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(jobId, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref(); // a job in progress keeps the process alive until it answers
      worker.postMessage({ ...job, jobId, nativeBinding: this.entry.nativeBinding, key: fileKey(job.file)?.toString('hex') } satisfies InsightsJob);
    });
  }
}

/** The insights worker run from its TypeScript source under tsx (the browser host, tests); the app passes its bundled file. */
export function sourceInsightsWorkerEntry(nativeBinding?: string): InsightsWorkerEntry {
  return { url: new URL('./worker-insights-tsx.mjs', import.meta.url), nativeBinding };
}
