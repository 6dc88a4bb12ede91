import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { setFileKey } from '../db/keyring';
import { openSqlite } from '../db/open';
import * as schema from '../db/schema';
import { AppError } from '../errors';
import { dashboard } from '../metrics/dashboard';
import { foldMarksNow } from '../metrics/maintained';
import { businessTimezone } from '../db/settings';
import { lowerThreadPriority } from '../thread-priority';
import type { WorkerJob, WorkerMessage } from './executor';
import { emptyTimings } from './engine';
import { runRecorded, settleWal } from './run-recorder';
import { simulate } from './simulate';

// The billing worker: its own connection to each business file it is given,
// kept open between jobs (a run every few minutes should not pay start-up).
const connections = new Map<string, Database.Database>();

/**
 * Between two batches, a full garbage collection once the heap holds more than this. A batch's rows
 * and held writes live through thousands of steps, so V8 promotes them and lets its old generation grow
 * to two or three times what is live before it collects: the worker's heap measured 97-169 MB at a
 * batch's end at 100,000 subscriptions (the process's peak RSS 373-438 MB, against the aim of 400).
 * Collected here it stays at 55-80 MB (peak RSS 353-368 MB), in 4-9 collections taking 0.1-0.3 s a month.
 */
const COLLECT_ABOVE_BYTES = 48 * 1024 * 1024;

// A run is background work: on a busy CPU the thread serving the UI goes first (thread-priority.ts).
// RECURRA_WORKER_NICE=0 keeps the default priority (a diagnosis: the billing bench's stall with and without).
lowerThreadPriority(Number(process.env.RECURRA_WORKER_NICE ?? 10));
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** A full collection if the heap holds over COLLECT_ABOVE_BYTES; returns how long it took, or null if none was needed. */
function collectIfLarge(): number | null {
  if (v8.getHeapStatistics().used_heap_size <= COLLECT_ABOVE_BYTES) return null;
  const started = performance.now();
  collect();
  return performance.now() - started;
}

/** After a batch that ended for the writers waiting (WorkerJob.yieldFlag): how long they have to get in before the run goes on. */
const WRITERS_GRACE_MS = 1000;

/** Waits, at most WRITERS_GRACE_MS, until no writer of the other thread waits any more (each says so when it is done). */
function letWritersIn(waiting: Int32Array): void {
  const until = performance.now() + WRITERS_GRACE_MS;
  for (let n = Atomics.load(waiting, 0); n > 0; n = Atomics.load(waiting, 0)) {
    const left = until - performance.now();
    if (left <= 0) return;
    Atomics.wait(waiting, 0, n, left);
  }
}

function connection(job: WorkerJob): Database.Database {
  let sqlite = connections.get(job.file);
  if (job.key) setFileKey(job.file, Buffer.from(job.key, 'hex'));
  if (!sqlite) connections.set(job.file, (sqlite = openSqlite(job.file, { nativeBinding: job.nativeBinding })));
  return sqlite;
}

parentPort!.on('message', (job: WorkerJob) => {
  const post = (m: WorkerMessage) => parentPort!.postMessage({ ...m, jobId: job.jobId });
  try {
    const sqlite = connection(job);
    if (job.kind === 'run') {
      const db = { businessId: 'worker', file: job.file, sqlite, orm: drizzle(sqlite, { schema }) };
      const timings = emptyTimings();
      let heapUsedPeakBytes = 0;
      const sampleHeap = () => {
        heapUsedPeakBytes = Math.max(heapUsedPeakBytes, v8.getHeapStatistics().used_heap_size);
      };
      const waiting = job.yieldFlag ? new Int32Array(job.yieldFlag) : null;
      const summary = runRecorded(db, job.run!, {
        now: () => new Date(),
        timings,
        deferCheckpoint: true,
        yieldRequested: waiting ? () => Atomics.load(waiting, 0) > 0 : undefined,
        onProgress: (progress) => {
          sampleHeap();
          const gcMs = collectIfLarge();
          if (gcMs !== null) {
            timings.collections++;
            timings.gcMs += gcMs;
          }
          post({ type: 'progress', progress });
          // The batch has committed: a writer that asked for the file gets it before the next batch starts.
          if (waiting) letWritersIn(waiting);
        },
      });
      sampleHeap();
      post({ type: 'done', summary });
      // The owner has the answer. The run marked what it changed for the dashboard; fold that in here, off the
      // thread serving the UI, which would otherwise pay it on the dashboard's next open (a whole rebuild after a
      // big run: 4-5 s at 100,000 subscriptions), and keep the months of the run's date (the day the owner
      // looks at), which a rebuild empties (1 s more). A dashboard asked meanwhile waits for the file without
      // blocking (rpc.ts whenFree). The run's garbage goes first: the rebuild holds every customer's stretches.
      collectIfLarge();
      const foldStarted = performance.now();
      try {
        foldMarksNow(db);
        dashboard(db, job.run!.asOf, businessTimezone(db));
      } catch {
        // Nothing is lost (one transaction each): the dashboard folds on its next open, as it would have,
        // and shows the owner whatever went wrong there. The checkpoint below must still happen.
      }
      sampleHeap();
      timings.foldMs += performance.now() - foldStarted;
      // Then the WAL goes back into the file (nobody waits: see settleWal).
      const checkpointStarted = performance.now();
      settleWal(db);
      timings.checkpointMs += performance.now() - checkpointStarted;
      post({ type: 'stats', stats: { timings, heapUsedPeakBytes } });
    } else if (job.kind === 'simulate') {
      post({ type: 'simulated', simulation: simulate(sqlite, job.simulate!.from, job.simulate!.months, () => new Date(), job.nativeBinding) });
    } else {
      connections.get(job.file)?.close();
      connections.delete(job.file);
      post({ type: 'closed' });
    }
  } catch (error) {
    const e = error instanceof AppError ? { message: error.message, code: error.code, field: error.field } : { message: error instanceof Error ? error.message : String(error) };
    post({ type: 'error', error: e });
  }
});
