import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openStorage } from '../src-server/db/open';
import { runLookup, sha256 } from '../src-server/licenses/lookup';
import { VerdictCache } from '../src-server/licenses/verdict-cache';
const dir = fs.mkdtempSync('/tmp/pgl-');
const storage = await openStorage({ dataDir: dir });
const db = storage.db;
await db.execute(sql`insert into businesses (id, name, last_seq) values ('b1','B1', 20000)`);
await db.execute(sql`insert into projection_cursors (business_id, seq) values ('b1', 20000)`);
await db.execute(sql`insert into synced_rows (business_id, tbl, row_id, data, stamps, latest, unique_value, refs)
  select 'b1', 'subscriptions', 's' || i, jsonb_build_object('license_key', 'KEY-' || i, 'plan_id', 'p', 'status', 'active'), '{}'::jsonb, '{}'::jsonb, 'KEY-' || i, '{}' from generate_series(1, 5000) i`);
await db.execute(sql`insert into changes (business_id, seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes)
  select 'b1', i, 'c' || i, 'd', 'h' || i, case when i <= 5000 then 'subscriptions' else 'customers' end, 's' || i, 'upsert', case when i <= 5000 then jsonb_build_object('license_key', 'KEY-' || i) else '{}'::jsonb end, 10 from generate_series(1, 20000) i`);
const t0 = performance.now();
for (let i = 0; i < 200; i++) await runLookup(db, sha256(`KEY-${i}`), undefined);
console.log('lookup ms each', (performance.now() - t0) / 200);
const cache = new VerdictCache(db);
for (let i = 0; i < 50; i++) await cache.find(`KEY-${i}`, undefined);
const t1 = performance.now();
for (let r = 0; r < 20; r++) await Promise.all(Array.from({ length: 50 }, (_, i) => cache.find(`KEY-${i}`, undefined)));
console.log('50 hits ms each round', (performance.now() - t1) / 20, 'checks', cache.checks, 'reads', cache.reads);
const t2 = performance.now();
for (let r = 0; r < 20; r++) await cache.find(`KEY-${r}`, undefined);
console.log('1 hit ms', (performance.now() - t2) / 20);
await storage.close();
fs.rmSync(dir, { recursive: true });
