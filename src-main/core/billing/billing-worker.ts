import { parentPort, workerData } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { openSqlite } from '../db/open';
import * as schema from '../db/schema';
import { AppError } from '../errors';
import type { WorkerJob, WorkerMessage } from './executor';
import { runRecorded } from './run-recorder';
import { simulate } from './simulate';

// The billing worker: its own connection to the business file, one job, then exit.
const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const sqlite = openSqlite(job.file, { nativeBinding: job.nativeBinding });
try {
  if (job.kind === 'run') {
    const db = { businessId: 'worker', file: job.file, sqlite, orm: drizzle(sqlite, { schema }) };
    const summary = runRecorded(db, job.run!, { now: () => new Date(), onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'done', summary });
  } else {
    post({ type: 'simulated', simulation: simulate(sqlite, job.simulate!.from, job.simulate!.months, () => new Date(), job.nativeBinding) });
  }
} catch (error) {
  const e = error instanceof AppError ? { message: error.message, code: error.code, field: error.field } : { message: error instanceof Error ? error.message : String(error) };
  post({ type: 'error', error: e });
} finally {
  sqlite.close();
}
