import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import readline from 'node:readline';
import pg from 'pg';
import type Database from 'better-sqlite3';
import { Core } from '../src-main/core/core';
import { refreshPlannerStats } from '../src-main/core/db/open';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { pendingCount } from '../src-main/core/sync';
import { SYNC_BASE_PATH } from '@shared/sync/server-wire';
import { postgresBin, startPostgres, type Postgres } from '../tests/support/postgres';
import { seedReports } from './reports-seed';
import { latency, limit, note, percentile, rate, round, type BenchResult } from './support';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const INCREMENTAL_ROUNDS = Number(process.env.BENCH_SYNC_ROUNDS ?? 50);
const INCREMENTAL_CHANGES = 100;
const LOAD_DEVICES = Number(process.env.BENCH_SYNC_DEVICES ?? 50);
const LOAD_SECONDS = Number(process.env.BENCH_SYNC_LOAD_SECONDS ?? 60);
const LOAD_PUSH = 10;
/** Each PC starts a sync round this often (auto-sync waits 4 s after a change: this is four times as often), all 50 at the same instants. */
const LOAD_PERIOD_MS = Number(process.env.BENCH_SYNC_PERIOD_MS ?? 1000);
/** Changes per push at most (default: the protocol's most; the 4 MB body usually cuts a batch first). */
const PUSH_BATCH = process.env.BENCH_SYNC_PUSH_BATCH ? Number(process.env.BENCH_SYNC_PUSH_BATCH) : undefined;
/** Bytes a push is filled to (default the client's PUSH_BATCH_BYTES). */
const PUSH_BYTES = process.env.BENCH_SYNC_PUSH_BYTES ? Number(process.env.BENCH_SYNC_PUSH_BYTES) : undefined;
const MB = 1024 * 1024;
/** BENCH_SYNC_CONNECT_ONLY=1: the first connect and its raw bound only (quick loops; the other figures are skipped). */
const CONNECT_ONLY = process.env.BENCH_SYNC_CONNECT_ONLY === '1';

/** What the raw bounds write to: the server's own PostgreSQL through `pg`, or (no PostgreSQL here) a PGlite of its own. */
interface RawDb {
  query(text: string, params?: unknown[]): Promise<unknown>;
  /** Bulk-loads tab-separated lines (COPY's text format) into bench_raw_changes. */
  copy(lines: AsyncIterable<string> | Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

const RAW_COLUMNS = 'business_id, seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes';

/**
 * Issue 12: the sync server on a real PostgreSQL (a throwaway cluster this
 * bench starts on 127.0.0.1 and stops; PGlite when there are no PostgreSQL
 * binaries, said on stderr), the server in a process of its own
 * (bench/sync-server.ts), and one PC (a Core in this process):
 *
 * 1. the first connect of a business with 100,000 subscriptions and
 *    1,000,000 invoices through `sync.connect` (the snapshot and every push),
 *    in rows/s, against a raw bulk load of the same rows (read from the PC's
 *    log, COPY into a table shaped like the server's `changes`, same indexes,
 *    same PostgreSQL);
 * 2. `sync.now` with 100 pending local changes, p95 over 50 rounds, against
 *    the same 100 rows inserted in one statement over `pg`;
 * 3. 50 PCs of 50 businesses, each starting a sync round (status, a push of
 *    10 changes, a pull) every second, all at the same instants, for 60 s:
 *    p95 per request, errors, the server's RSS.
 */
export async function syncBench(dataDir: string): Promise<BenchResult[]> {
  // BENCH_SYNC_PGLITE=1 runs the fallback even where PostgreSQL is installed.
  const bin = process.env.BENCH_SYNC_PGLITE === '1' ? null : postgresBin();
  let postgres: Postgres | null = null;
  // PostgreSQL's own durability settings: the bench measures what a real server pays per commit.
  if (bin) postgres = await startPostgres(bin, { prefix: 'recurra-bench-pg-', settings: ['shared_buffers=256MB'], stopMode: 'fast' });
  else {
    note('!!! sync: no PostgreSQL binaries (/usr/lib/postgresql/*/bin, or PG_BIN): the server runs on PGlite and the raw bounds load a PGlite of their own.');
    note("!!! sync: these figures are PGlite's, not PostgreSQL's; install Debian's postgresql package for the real ones.");
  }
  let server: ServerChild | undefined;
  let core: Core | undefined;
  let raw: RawDb | undefined;
  // Stopped by hand (a long run): the cluster goes too; the server process ends with this one (its IPC channel closes).
  const interrupted = () => {
    postgres?.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    server = await startServerChild(path.join(dataDir, 'server'), postgres?.url, 1 + LOAD_DEVICES);
    note(`sync: server ${server.url} (pid ${server.pid}) on ${postgres ? `PostgreSQL from ${postgres.bin}` : 'PGlite'}`);
    core = new Core({ paths: { dataDir: path.join(dataDir, 'pc'), migrationsDir: sourceMigrationsDir() }, logger: silentLogger, syncPushBatchSize: PUSH_BATCH, syncPushBatchBytes: PUSH_BYTES });
    const conn: Connection = { id: 'bench-sync', sessionId: null, send() {} };
    const pc = core;
    const must = async (method: string, input: unknown) => {
      const result = await pc.dispatch(conn, method, input);
      if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
      return result.data as Record<string, unknown>;
    };
    const signUp = await must('business.signUp', {
      businessName: 'Bench Sync',
      currency: 'USD',
      timezone: 'UTC',
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      password: 'benchmark password',
    });
    const businessId = (signUp.business as { id: string }).id;
    const db = core.businesses.get(businessId);
    note(`sync: seeding ${SUBSCRIPTIONS.toLocaleString()} subscriptions and ${INVOICES.toLocaleString()} invoices`);
    seedReports(db.sqlite, SUBSCRIPTIONS, INVOICES);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    refreshPlannerStats(db.sqlite);

    // 1. First connect: the snapshot of every row, then every push, as `recurra sync connect` does it.
    note('sync: first connect (sync.connect: snapshot of every row, then pushes of about 1 MB each)');
    // Where the time goes: the phases from the progress events, the CPU of each process (this one is the PC).
    let uploadStart = 0;
    const broadcast = core.broadcast.bind(core);
    core.broadcast = (id, event, payload) => {
      if (event === 'sync-progress' && (payload as { phase: string }).phase === 'uploading' && uploadStart === 0) uploadStart = performance.now();
      broadcast(id, event, payload);
    };
    const cpu = cpuMeter(server.pid, postgres?.url);
    const connectStart = performance.now();
    const connected = await must('sync.connect', { server: server.url, inviteCode: server.invites[0], deviceName: 'Bench PC' });
    const connectMs = performance.now() - connectStart;
    const spent = cpu();
    const rows = connected.pushed as number;
    if (pendingCount(db) !== 0) throw new Error(`connect left ${pendingCount(db)} changes unpushed`);
    const connectRate = rows / (connectMs / 1000);
    note(`sync: connect uploaded ${rows.toLocaleString()} rows in ${(connectMs / 1000).toFixed(1)} s (${Math.round(connectRate)} rows/s); server RSS now ${server.rssMb().toFixed(0)} MB`);
    note(
      `sync: connect until the upload's first progress ${((uploadStart - connectStart) / 1000).toFixed(1)} s, after it ${((performance.now() - uploadStart) / 1000).toFixed(1)} s; ` +
        `CPU: PC ${spent.pc.toFixed(1)} s, server ${spent.server.toFixed(1)} s, PostgreSQL ${spent.postgres === null ? 'n/a' : `${spent.postgres.toFixed(1)} s`} (wall ${(connectMs / 1000).toFixed(1)} s)`,
    );

    raw = postgres ? await postgresRaw(postgres) : await pgliteRaw(path.join(dataDir, 'raw'), businessId);
    note('sync: raw bound: the same rows from the PC log, COPY into a table shaped like `changes` in the same database');
    const rawCopy = async () => {
      await raw!.query('TRUNCATE bench_raw_changes');
      const start = performance.now();
      await raw!.copy(copyLines(db.sqlite, businessId));
      return rows / ((performance.now() - start) / 1000);
    };
    // Twice: now, and again after the other figures (this machine's speed drifts within minutes; the mean is the bound).
    const rawRates = [await rawCopy()];
    note(`sync: raw COPY ${Math.round(rawRates[0]!)} rows/s; ours is ${((connectRate / rawRates[0]!) * 100).toFixed(0)} % of it (measured again at the end)`);
    if (CONNECT_ONLY) {
      rawRates.push(await rawCopy());
      const rawRate = (rawRates[0]! + rawRates[1]!) / 2;
      note(`sync: raw COPY again ${Math.round(rawRates[1]!)} rows/s; first connect ${Math.round(connectRate)} rows/s is ${((connectRate / rawRate) * 100).toFixed(0)} % of the mean (aim: 30 %)`);
      return [rate('sync', 'first_connect_rows_per_s', 'rows/s', connectRate, rawRate, round(1 / 0.3))];
    }

    // 2. Incremental: 100 customers changed on the PC, then `sync now`; the raw bound inserts the same 100 rows.
    note(`sync: ${INCREMENTAL_ROUNDS} rounds of 100 local changes, then sync.now`);
    const customerIds = db.sqlite.prepare(`SELECT id FROM customers ORDER BY id LIMIT ${INCREMENTAL_CHANGES}`).pluck().all() as string[];
    const touch = db.sqlite.prepare('UPDATE customers SET notes = ?, updated_at = ? WHERE id = ?');
    const lastChanges = db.sqlite.prepare(`SELECT id, hlc, device_id, tbl, row_id, op, fields FROM sync_changes ORDER BY seq DESC LIMIT ${INCREMENTAL_CHANGES}`).raw();
    let rawSeq = 1_000_000_000;
    const ours: number[] = [];
    const rawInc: number[] = [];
    for (let r = 0; r < INCREMENTAL_ROUNDS; r++) {
      const at = new Date().toISOString();
      db.sqlite.transaction(() => {
        for (const id of customerIds) touch.run(`Round ${r}`, at, id);
      })();
      const pending = pendingCount(db);
      if (pending !== INCREMENTAL_CHANGES) throw new Error(`expected ${INCREMENTAL_CHANGES} pending changes, have ${pending}`);
      const start = performance.now();
      const result = await must('sync.now', {});
      ours.push(performance.now() - start);
      if (result.pushed !== INCREMENTAL_CHANGES) throw new Error(`sync.now pushed ${String(result.pushed)}`);
      const batch = lastChanges.all() as unknown[][];
      const values: unknown[] = [];
      const tuples = batch.map((c, i) => {
        values.push(businessId, ++rawSeq, `${String(c[0])}-raw${r}`, c[2], c[1], c[3], c[4], c[5], c[6], Buffer.byteLength(String(c[6])));
        return `(${Array.from({ length: 10 }, (_, k) => `$${i * 10 + k + 1}`).join(', ')})`;
      });
      const rawStartInc = performance.now();
      await raw.query('BEGIN');
      await raw.query(`INSERT INTO bench_raw_changes (${RAW_COLUMNS}) VALUES ${tuples.join(', ')}`, values);
      await raw.query('COMMIT');
      rawInc.push(performance.now() - rawStartInc);
    }
    note(
      `sync: incremental p50 ${percentile(ours, 50).toFixed(1)} ms, p95 ${percentile(ours, 95).toFixed(1)} ms ` +
        `(raw insert p50 ${percentile(rawInc, 50).toFixed(1)} ms, p95 ${percentile(rawInc, 95).toFixed(1)} ms)`,
    );

    // 3. Load: 50 PCs of 50 businesses, each syncing back to back, for 60 s.
    note(`sync: ${LOAD_DEVICES} PCs of ${LOAD_DEVICES} businesses each syncing every ${LOAD_PERIOD_MS} ms, all at once, for ${LOAD_SECONDS} s (a round: status, push of ${LOAD_PUSH}, pull)`);
    const load = await loadTest(server, LOAD_DEVICES, LOAD_SECONDS);
    note(
      `sync: load ${load.requests.toLocaleString()} requests (${Math.round(load.requests / LOAD_SECONDS)}/s, ${load.changes.toLocaleString()} changes pushed), ` +
        `p50 ${percentile(load.latencies, 50).toFixed(1)} ms, p95 ${percentile(load.latencies, 95).toFixed(1)} ms, ` +
        `round p95 ${percentile(load.rounds, 95).toFixed(1)} ms, errors ${load.errors}${load.firstError ? ` (first: ${load.firstError})` : ''}, ` +
        `server RSS peak ${load.peakRssMb.toFixed(0)} MB (${server.hwmMb().toFixed(0)} MB peak since start, the first connect included)`,
    );

    rawRates.push(await rawCopy());
    const rawRate = (rawRates[0]! + rawRates[1]!) / 2;
    note(
      `sync: raw COPY again ${Math.round(rawRates[1]!)} rows/s; bound ${Math.round(rawRate)} rows/s (the mean); ` +
        `first connect ${Math.round(connectRate)} rows/s is ${((connectRate / rawRate) * 100).toFixed(0)} % of it (aim: 30 %)`,
    );
    return [
      rate('sync', 'first_connect_rows_per_s', 'rows/s', connectRate, rawRate, round(1 / 0.3)),
      latency('sync', 'incremental_100_p95', percentile(ours, 95), percentile(rawInc, 95), 10),
      limit('sync', 'incremental_100_p95_ms', 'ms', percentile(ours, 95), 250),
      limit('sync', 'load_50_p95_ms', 'ms', percentile(load.latencies, 95), 250),
      limit('sync', 'load_50_errors', 'errors', load.errors, 0),
      limit('sync', 'load_50_server_rss', 'MB', load.peakRssMb, 300),
    ];
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    core?.close();
    await raw?.close().catch(() => {});
    await server?.stop();
    postgres?.stop();
  }
}

/**
 * CPU seconds spent from now until the returned function is called: this process (the PC), the
 * server's process, and the PostgreSQL cluster at `url` (its postmaster, its children and the
 * children it reaped; null without one or where /proc cannot tell).
 */
function cpuMeter(serverPid: number, url: string | undefined): () => { pc: number; server: number; postgres: number | null } {
  const tick = 100; // USER_HZ on Linux
  const stat = (pid: number): number[] | null => {
    try {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    } catch {
      return null;
    }
  };
  // Fields after the command (0-based from the state): 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime.
  const own = (pid: number) => {
    const f = stat(pid);
    return f ? (f[11]! + f[12]!) / tick : 0;
  };
  const port = url ? new URL(url).port : null;
  const postmaster = (() => {
    if (!port) return null;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (cmd[0]?.endsWith('/postgres') && cmd.includes('-D') && cmd.join(' ').includes(`-p ${port}`)) return Number(entry);
      } catch {
        /* gone meanwhile */
      }
    }
    return null;
  })();
  const cluster = () => {
    if (postmaster === null) return null;
    const f = stat(postmaster);
    if (!f) return null;
    let total = (f[11]! + f[12]! + f[13]! + f[14]!) / tick;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const c = stat(Number(entry));
      if (c && c[1] === postmaster) total += (c[11]! + c[12]!) / tick;
    }
    return total;
  };
  const start = { pc: process.cpuUsage(), server: own(serverPid), postgres: cluster() };
  return () => {
    const pc = process.cpuUsage(start.pc);
    const pgNow = cluster();
    return {
      pc: (pc.user + pc.system) / 1e6,
      server: own(serverPid) - start.server,
      postgres: pgNow === null || start.postgres === null ? null : pgNow - start.postgres,
    };
  };
}

/** The PC's log as COPY text lines, in seq order, numbered as the server numbers them. */
function* copyLines(sqlite: Database.Database, businessId: string): Generator<string> {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  let seq = 0;
  const biz = escape(businessId);
  for (const row of sqlite.prepare('SELECT id, hlc, device_id, tbl, row_id, op, fields FROM sync_changes ORDER BY seq').raw().iterate() as Iterable<string[]>) {
    const [id, hlc, device, tbl, rowId, op, fields] = row;
    yield `${biz}\t${++seq}\t${escape(id!)}\t${escape(device!)}\t${escape(hlc!)}\t${tbl}\t${escape(rowId!)}\t${op}\t${escape(fields!)}\t${Buffer.byteLength(fields!)}\n`;
  }
}

/** Groups lines into chunks of about 1 MB. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  let size = 0;
  for (const line of lines) {
    buffer.push(line);
    size += line.length;
    if (size >= MB) {
      yield buffer.join('');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length) yield buffer.join('');
}

async function postgresRaw(postgres: Postgres): Promise<RawDb> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  // The server's table, its primary key, unique index and foreign key; the same business row.
  await client.query('CREATE TABLE bench_raw_changes (LIKE changes INCLUDING ALL)');
  await client.query('ALTER TABLE bench_raw_changes ADD FOREIGN KEY (business_id) REFERENCES businesses (id)');
  return {
    query: (text, params) => client.query(text, params),
    async copy(lines) {
      // COPY through psql (the driver here has no COPY): its stdin is fed as it drains.
      const url = new URL(postgres.url);
      const psql = spawn(
        path.join(postgres.bin, 'psql'),
        ['-h', url.hostname, '-p', url.port, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', `COPY bench_raw_changes (${RAW_COLUMNS}) FROM STDIN`],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let stderr = '';
      psql.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(psql, 'exit');
      for (const chunk of chunks(lines as Iterable<string>)) {
        if (!psql.stdin.write(chunk)) await once(psql.stdin, 'drain');
      }
      psql.stdin.end();
      const [code] = (await exited) as [number | null];
      if (code !== 0) throw new Error(`psql COPY failed (${code}): ${stderr}`);
    },
    close: () => client.end(),
  };
}

async function pgliteRaw(dir: string, businessId: string): Promise<RawDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  fs.mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(path.join(dir, 'pgdata'));
  // The server's `changes` as its migration makes it (resources/server-migrations).
  await db.exec(`
    CREATE TABLE businesses (id text PRIMARY KEY);
    INSERT INTO businesses VALUES ('${businessId.replace(/'/g, "''")}');
    CREATE TABLE bench_raw_changes (
      business_id text NOT NULL REFERENCES businesses (id) ON DELETE CASCADE, seq bigint NOT NULL, change_id text NOT NULL, device_id text NOT NULL,
      hlc text NOT NULL, table_name text NOT NULL, row_id text NOT NULL, op text NOT NULL, fields jsonb NOT NULL, bytes integer NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (business_id, seq));
    CREATE UNIQUE INDEX bench_raw_change_id ON bench_raw_changes (business_id, change_id);`);
  return {
    query: (text, params) => (params ? db.query(text, params) : db.exec(text)),
    async copy(lines) {
      for (const chunk of chunks(lines as Iterable<string>)) {
        await db.query(`COPY bench_raw_changes (${RAW_COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([chunk]) });
      }
    },
    close: () => db.close(),
  };
}

interface ServerChild {
  url: string;
  pid: number;
  invites: string[];
  rssMb(): number;
  hwmMb(): number;
  stop(): Promise<void>;
}

export async function startServerChild(dataDir: string, databaseUrl: string | undefined, invites: number): Promise<ServerChild> {
  // BENCH_SYNC_PROFILE=DIR: the server writes a V8 CPU profile there when it stops (where its time goes).
  const profile = process.env.BENCH_SYNC_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_SYNC_PROFILE)}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(import.meta.dirname, 'sync-server.ts'), dataDir, String(invites)], {
    env: { ...process.env, DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const first = await Promise.race([
    (async () => {
      for await (const line of readline.createInterface({ input: child.stdout! })) return line;
      return null;
    })(),
    exited.then(() => null),
  ]);
  if (!first) throw new Error('the sync server process ended before it listened');
  const started = JSON.parse(first) as { url: string; invites: string[] };
  const status = (key: string) => {
    const text = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return kb / 1024;
  };
  return {
    url: started.url,
    pid: child.pid!,
    invites: started.invites,
    rssMb: () => status('VmRSS'),
    hwmMb: () => status('VmHWM'),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface LoadResult {
  requests: number;
  changes: number;
  errors: number;
  firstError: string | null;
  latencies: number[];
  rounds: number[];
  peakRssMb: number;
}

/** `devices` new businesses (one PC each, connected over the wire), then every PC syncing every LOAD_PERIOD_MS (0: back to back) until the time is up. */
async function loadTest(server: ServerChild, devices: number, seconds: number): Promise<LoadResult> {
  const base = `${server.url}${SYNC_BASE_PATH}`;
  const result: LoadResult = { requests: 0, changes: 0, errors: 0, firstError: null, latencies: [], rounds: [], peakRssMb: 0 };
  const call = async (method: 'GET' | 'POST', route: string, token: string | null, body?: unknown): Promise<Record<string, unknown> | null> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const start = performance.now();
    try {
      const response = await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route.split('?')[0]}: HTTP ${response.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      result.errors++;
      result.firstError ??= String((error as Error).message ?? error);
      return null;
    } finally {
      result.latencies.push(performance.now() - start);
      result.requests++;
    }
  };
  const pcs = await Promise.all(
    Array.from({ length: devices }, async (_, i) => {
      const answer = await call('POST', '/connect', null, {
        inviteCode: server.invites[1 + i],
        businessId: `load-${i}-${Date.now().toString(36)}`,
        businessName: `Load ${i}`,
        deviceName: `PC ${i}`,
      });
      if (!answer) throw new Error(`connect of load business ${i} failed: ${result.firstError}`);
      return { token: answer.token as string, deviceId: answer.deviceId as string, cursor: 0, n: 0 };
    }),
  );
  // Only the timed window counts.
  Object.assign(result, { requests: 0, errors: 0, firstError: null, latencies: [], rounds: [] });
  const begin = performance.now();
  const end = begin + seconds * 1000;
  const sampler = setInterval(() => (result.peakRssMb = Math.max(result.peakRssMb, server.rssMb())), 250);
  await Promise.all(
    pcs.map(async (pc) => {
      while (performance.now() < end) {
        const start = performance.now();
        await call('GET', '/status', pc.token);
        const changes = Array.from({ length: LOAD_PUSH }, () => {
          const n = ++pc.n;
          const hlc = `${String(Date.now()).padStart(13, '0')}-${String(n).padStart(9, '0')}-${pc.deviceId}`;
          return {
            id: hlc,
            hlc,
            table: 'customers',
            rowId: `c${n % 100}`,
            op: 'upsert',
            fields: { name: `Customer ${n}`, email: `customer${n}@example.com`, phone: '(555) 010-0000', company: 'Acme Yoga', notes: '', updated_at: new Date().toISOString() },
          };
        });
        if (await call('POST', '/push', pc.token, { changes })) result.changes += LOAD_PUSH;
        const page = await call('GET', `/pull?after=${pc.cursor}&limit=1000`, pc.token);
        if (page) pc.cursor = page.next as number;
        result.rounds.push(performance.now() - start);
        // The next round at the next tick of the period (at once if this one overran it).
        const wait = LOAD_PERIOD_MS - ((performance.now() - begin) % LOAD_PERIOD_MS);
        if (LOAD_PERIOD_MS > 0 && performance.now() + wait < end) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (LOAD_PERIOD_MS > 0) break;
      }
    }),
  );
  clearInterval(sampler);
  result.peakRssMb = Math.max(result.peakRssMb, server.rssMb());
  return result;
}
