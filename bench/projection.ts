// The server projection's catch-up (src-server/projection): how many changes a
// second the fold makes into synced_rows, against a raw bound measured in the
// same run on the same database: the same rows copied straight from the change
// log into a table of synced_rows' shape (INSERT ... SELECT, no rules).
//
//   npx tsx bench/projection.ts            PostgreSQL if its binaries are installed, else PGlite
//   BENCH_SYNC_PGLITE=1 npx tsx bench/projection.ts
//   BENCH_SUBSCRIPTIONS=5000 BENCH_INVOICES=50000 (the defaults) size the business
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { Core } from '../src-main/core/core';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { enableSync, pendingChanges, recordSnapshot, markPushed } from '../src-main/core/sync';
import { catchUpChunk, CHUNK } from '../src-server/projection/catch-up';
import { openStorage } from '../src-server/db/open';
import { postgresBin, startPostgres, type Postgres } from '../tests/support/postgres';
import { seedReports } from './reports-seed';
import { note } from './support';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 5_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 50_000);
const EDIT_ROUNDS = 20;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-bench-proj-'));
  const bin = process.env.BENCH_SYNC_PGLITE === '1' ? null : postgresBin();
  let postgres: Postgres | null = null;
  if (bin) postgres = await startPostgres(bin, { prefix: 'recurra-bench-proj-pg-', settings: ['shared_buffers=256MB'], stopMode: 'fast' });
  const storage = await openStorage({ databaseUrl: postgres?.url, dataDir: path.join(dir, 'server') });
  const db = storage.db;
  const core = new Core({ paths: { dataDir: path.join(dir, 'pc'), migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  try {
    note(`projection: on ${postgres ? `PostgreSQL (${postgres.bin})` : 'PGlite'}; seeding ${SUBSCRIPTIONS} subscriptions, ${INVOICES} invoices`);
    const conn: Connection = { id: 'bench-proj', sessionId: null, send() {} };
    const made = await core.dispatch(conn, 'business.signUp', {
      businessName: 'Bench Projection',
      currency: 'USD',
      timezone: 'UTC',
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      password: 'benchmark password',
    });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const businessId = (made.data as { business: { id: string } }).business.id;
    const pc = core.businesses.get(businessId);
    seedReports(pc.sqlite, SUBSCRIPTIONS, INVOICES);
    enableSync(pc, 'bench00000000001');
    recordSnapshot(pc);

    // The snapshot straight into the change log, as a first connect leaves it (no push: no background fold).
    await db.execute(sql`insert into businesses (id, name) values (${businessId}, 'Bench Projection')`);
    let seq = 0;
    const append = async (limit: number) => {
      const page = pendingChanges(pc, limit);
      if (page.length === 0) return 0;
      const rows = page.map((c) => ({ seq: ++seq, id: c.id, hlc: c.hlc, t: c.table, r: c.rowId, op: c.op, f: c.fields }));
      await db.execute(sql`
        insert into changes (business_id, seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes)
        select ${businessId}, x.seq, x.id, 'bench00000000001', x.hlc, x.t, x.r, x.op, x.f, 0
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(seq bigint, id text, hlc text, t text, r text, op text, f jsonb)`);
      await db.execute(sql`update businesses set last_seq = ${seq} where id = ${businessId}`);
      markPushed(pc, page.map((c) => c.id));
      return page.length;
    };
    while ((await append(5000)) > 0);
    note(`projection: ${seq.toLocaleString()} changes in the log`);

    // The fold, chunk by chunk, as the background catch-up runs it.
    const chunkMs: number[] = [];
    const start = performance.now();
    for (;;) {
      const t0 = performance.now();
      const r = await catchUpChunk(db, businessId);
      chunkMs.push(performance.now() - t0);
      if (r.state === 'done') break;
    }
    const foldS = (performance.now() - start) / 1000;
    chunkMs.sort((a, b) => a - b);
    const foldRate = seq / foldS;

    // Raw bound: the same rows copied from the log into a table shaped like synced_rows (its key and indexes), no rules.
    await db.execute(sql`create table bench_raw_rows (like synced_rows including all)`);
    const rawStart = performance.now();
    await db.execute(sql`
      insert into bench_raw_rows (business_id, tbl, row_id, data, stamps, latest, unique_value, refs)
      select business_id, table_name, row_id, fields, '{}'::jsonb, fields, null, '{}'::text[] from changes where business_id = ${businessId}
      on conflict do nothing`);
    const rawS = (performance.now() - rawStart) / 1000;
    const rawRate = seq / rawS;
    note(
      `projection: first fold ${seq.toLocaleString()} changes in ${foldS.toFixed(1)} s = ${Math.round(foldRate)} changes/s; ` +
        `raw copy ${rawS.toFixed(1)} s = ${Math.round(rawRate)} rows/s; fold is ${((foldRate / rawRate) * 100).toFixed(0)} % of raw; ` +
        `chunks of ${CHUNK}: median ${chunkMs[Math.floor(chunkMs.length / 2)]!.toFixed(0)} ms, max ${chunkMs.at(-1)!.toFixed(0)} ms`,
    );

    // Incremental: 100 customer edits at a time, folded over the full projection.
    const ids = pc.sqlite.prepare('SELECT id FROM customers ORDER BY id LIMIT 100').pluck().all() as string[];
    const touch = pc.sqlite.prepare('UPDATE customers SET notes = ?, updated_at = ? WHERE id = ?');
    const times: number[] = [];
    for (let round = 0; round < EDIT_ROUNDS; round++) {
      pc.sqlite.transaction(() => {
        for (const id of ids) touch.run(`round ${round}`, new Date().toISOString(), id);
      })();
      await append(1000);
      const t0 = performance.now();
      while ((await catchUpChunk(db, businessId)).state !== 'done');
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    note(`projection: 100 customer edits (plus their audit rows) folded in median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(0)} ms`);
  } finally {
    core.close();
    await storage.close();
    postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
