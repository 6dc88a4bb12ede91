import { runRecorded } from '../../../src-main/core/billing/run-recorder';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { sourceMigrationsDir } from '../../../src-main/core/paths';

// A billing run in its own process, as the CLI makes one, for the tests that
// kill it (run-lease.test.ts, crash.test.ts): `node --import tsx billing-child.ts
// FILE AS_OF BATCH_SIZE [HANG_AFTER]`. It prints "batch N" after each batch
// (N steps done so far) and "done" with the summary at the end; with
// HANG_AFTER it stops dead after that many batches, holding its lease, until killed.

const [file, asOf, batchSize, hangAfter] = process.argv.slice(2);
if (!file || !asOf || !batchSize) throw new Error('usage: billing-child.ts FILE AS_OF BATCH_SIZE [HANG_AFTER]');
// The parent passes the file's data key (it holds it; a child has no keychain of its own here).
const key = process.env.RECURRA_TEST_FILE_KEY ? Buffer.from(process.env.RECURRA_TEST_FILE_KEY, 'hex') : undefined;
// Found by walking up from the code (also from the bundle child-run.ts may run instead of this file).
const db = openBusinessDb('child', file, { key, migrationsDir: sourceMigrationsDir() });
let batches = 0;
const summary = runRecorded(
  db,
  { asOf, trigger: 'cli', userId: null, batchSize: Number(batchSize) },
  {
    now: () => new Date(),
    onProgress: (p) => {
      process.stdout.write(`batch ${p.processed}\n`); // synchronous on a pipe (Linux): the parent sees it before a kill
      if (++batches === Number(hangAfter)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    },
  },
);
process.stdout.write(`done ${JSON.stringify(summary)}\n`);
db.sqlite.close();
