// What the sync capture triggers cost a billing run: the same run (10,000
// subscriptions by default) on two fresh businesses, capture off and on, in
// one process, alternating, best of two each. `npx tsx bench/sync-capture.ts`.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../src-main/core/core';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { enableSync, pendingCount } from '../src-main/core/sync';
import { seed } from './billing';

const COUNT = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);

async function once(capture: boolean): Promise<{ ms: number; changes: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-sync-bench-'));
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const conn: Connection = { id: 'bench', sessionId: null, send() {} };
  try {
    const signUp = await core.dispatch(conn, 'business.signUp', {
      businessName: 'Bench', currency: 'USD', timezone: 'UTC', ownerName: 'Owner', ownerEmail: 'owner@example.com', password: 'benchmark password',
    });
    if (!signUp.ok) throw new Error(JSON.stringify(signUp.error));
    const db = core.businesses.get((signUp.data as { business: { id: string } }).business.id);
    seed(db.sqlite, COUNT);
    if (capture) enableSync(db, 'bench00000000001');
    for (const ix of (process.env.DROP ?? '').split(',').filter(Boolean)) db.sqlite.exec(`DROP INDEX ${ix}`);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const start = performance.now();
    const run = await core.dispatch(conn, 'billing.run', { asOf: '2026-03-31' });
    const ms = performance.now() - start;
    if (!run.ok) throw new Error(JSON.stringify(run.error));
    return { ms, changes: pendingCount(db) };
  } finally {
    core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const off: number[] = [];
const on: number[] = [];
let changes = 0;
for (let round = 0; round < 2; round += 1) {
  off.push((await once(false)).ms);
  const r = await once(true);
  on.push(r.ms);
  changes = r.changes;
}
const best = (xs: number[]) => Math.min(...xs);
console.log(JSON.stringify({ subscriptions: COUNT, offMs: off.map(Math.round), onMs: on.map(Math.round), changes, ratio: +(best(on) / best(off)).toFixed(2) }));
