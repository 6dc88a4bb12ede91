import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { copyDatabaseInto } from './encrypted-copy';
import { adoptNeighbourKey, applyKey, encryptInPlace, fileKey, fileKind, lockedError } from './keyring';
import * as schema from './schema';
import { loadMigrations, migrate } from './migrate';

/** drizzle over the file, with its better-sqlite3 handle (`$client`) for prepared statements. */
export type Orm = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** One open business file: the raw handle for prepared hot paths, drizzle for the rest. */
export interface BusinessDb {
  readonly businessId: string;
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
}

/**
 * How long a statement waits, blocking its thread, for another connection's
 * write lock (a billing batch, the CLI). The CLI, the billing worker and
 * tests wait and succeed: longer than the longest batch of a run in the
 * app's worker (billing/executor.ts WORKER_BATCH_MS, 15 s), which only yields
 * at once to the writers of its own process.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 20_000;
/**
 * The thread serving the UI (the app's main process, the browser host)
 * blocks only briefly: the dispatcher waits for a busy file without blocking
 * (rpc.ts `whenFree`), so a window never freezes behind a billing batch.
 */
export const UI_THREAD_BUSY_TIMEOUT_MS = 20;

export interface OpenOptions {
  migrationsDir: string;
  nativeBinding?: string | undefined;
  /** How long a write waits, blocking its thread, when another connection is writing. */
  busyTimeoutMs?: number;
  /** Create the file if it does not exist (sign-up); otherwise a missing file is an error. */
  create?: boolean;
  /** The file's data key (default: this process's keyring's, keyring.ts); null opens it plain. */
  key?: Buffer | null | undefined;
  /** Called at each step of creating a new file (the plaintext test). */
  onCreateStep?: ((step: CreateStep, path: string) => void) | undefined;
}

const bindings = new WeakMap<Database.Database, string | undefined>();

/** The compiled addon a connection was opened with (Electron's), for a second connection beside it (a backup's copy). */
export function nativeBindingOf(sqlite: Database.Database): string | undefined {
  return bindings.get(sqlite);
}

/**
 * Opens with WAL, foreign keys, a busy timeout, owner-only file mode. With a
 * key (given, or this process's keyring has one for the file: keyring.ts) the
 * file is encrypted: a new one is created so, a plain one is encrypted in
 * place first. Without a key, an encrypted file is refused with a clear error.
 */
export function openSqlite(
  file: string,
  opts: { nativeBinding?: string | undefined; create?: boolean; busyTimeoutMs?: number; key?: Buffer | null },
): Database.Database {
  let key = file === ':memory:' ? null : opts.key === undefined ? fileKey(file) ?? null : opts.key;
  if (file !== ':memory:') {
    if (!opts.create && !fs.existsSync(file)) throw new Error(`No business file at ${file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Create it empty with mode 0600 before SQLite does; SQLite gives -wal and -shm the same mode.
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
    const kind = fileKind(file);
    if (key && kind === 'plain') encryptInPlace(file, key, { nativeBinding: opts.nativeBinding });
    // A copy of a business file (a simulation's, a test's) opens with the key of the file it was copied
    // from, if this process holds it.
    if (!key && kind === 'encrypted') key = adoptNeighbourKey(file, opts.nativeBinding, true) ?? null;
    if (!key && kind === 'encrypted') throw lockedError(file, 'no-key');
  }
  const sqlite = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  bindings.set(sqlite, opts.nativeBinding);
  try {
    if (key) applyKey(sqlite, key, file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    // 64 MiB of page cache (SQLite's default is 2 MiB): a billing batch touches many index pages, and
    // with a small cache each commit rewrites pages it evicted and read back.
    sqlite.pragma('cache_size = -65536');
    // Statement journals in memory. A statement that fires triggers (the metric_* upkeep fires on
    // most writes) keeps a journal of the pages it changes, to undo itself if it fails part way;
    // past 64 KiB SQLite spills it to a temporary file, created, written and deleted for each such
    // statement. On disk that made the triggers cost a billing run 2.5-4 times the writes themselves;
    // in memory, next to nothing (bench: the raw bound with and without the triggers).
    sqlite.pragma('temp_store = MEMORY');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

export function openBusinessDb(businessId: string, file: string, opts: OpenOptions): BusinessDb {
  if (opts.create && file !== ':memory:' && !fs.existsSync(file)) writeSchemaImage(file, opts);
  // Migrations wait for the lock as long as any writer would (a rare, one-time step), whatever the
  // connection's own timeout is afterwards.
  const sqlite = openSqlite(file, { ...opts, busyTimeoutMs: Math.max(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_BUSY_TIMEOUT_MS) });
  try {
    migrate(sqlite, loadMigrations(opts.migrationsDir));
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    refreshPlannerStats(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { businessId, file, sqlite, orm: drizzle(sqlite, { schema }) };
}

/**
 * The migrated empty schema, built once per process and migrations folder: a new business file starts
 * as a copy of it instead of replaying every migration (about 350 ms of CPU for the 19 of them, paid
 * at each sign-up, and by every test that makes a business). Migrations only run SQL (no clock, no
 * random), so the copy is the file the migrations would have made; `migrate` then finds it current.
 */
const schemaImages = new Map<string, Buffer>();

function schemaImage(opts: OpenOptions): Buffer {
  let image = schemaImages.get(opts.migrationsDir);
  if (!image) {
    const memory = new Database(':memory:', opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    try {
      migrate(memory, loadMigrations(opts.migrationsDir));
      image = memory.serialize();
    } finally {
      memory.close();
    }
    schemaImages.set(opts.migrationsDir, image);
  }
  return image;
}

/** The steps of writing a new business file, for the test that looks at every file on disk at each. */
export type CreateStep = 'created' | 'writing' | 'synced' | 'linked';

/**
 * Puts the schema image at `file`, whole or not at all: written to a temporary name, then linked to
 * the real one, which fails if the file appeared meanwhile (another process created it: theirs stays).
 * An encrypted business (its key given, or in this process's keyring: keyring.ts) never has a plain
 * byte on disk: the temporary file is keyed while still empty and the image copied into it
 * (encrypted-copy.ts), so the file, its journal and the name it takes are encrypted from the start.
 */
function writeSchemaImage(file: string, opts: OpenOptions): void {
  const image = schemaImage(opts);
  const key = opts.key === undefined ? fileKey(file) : opts.key;
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
  try {
    if (key) {
      fs.closeSync(fs.openSync(temp, 'wx', 0o600));
      const target = new Database(temp, { fileMustExist: true, ...binding });
      try {
        applyKey(target, key, temp);
        opts.onCreateStep?.('created', temp);
        const source = new Database(image, binding);
        try {
          copyDatabaseInto(target, { db: source }, () => opts.onCreateStep?.('writing', temp));
        } finally {
          source.close();
        }
      } finally {
        target.close();
      }
    } else {
      fs.writeFileSync(temp, image, { mode: 0o600, flag: 'wx' });
      opts.onCreateStep?.('created', temp);
    }
    const fd = fs.openSync(temp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    opts.onCreateStep?.('synced', temp);
    fs.linkSync(temp, file);
    opts.onCreateStep?.('linked', file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    for (const suffix of ['', '-journal']) fs.rmSync(temp + suffix, { force: true });
  }
}

/** The tables whose planner statistics matter (the dashboard-plan test takes them too; never the search index's shadow tables: stats there slow it badly). */
export const ANALYZED_TABLES = [
  'customers',
  'customer_tags',
  'customer_events',
  'subscriptions',
  'subscription_history',
  'invoices',
  'invoice_lines',
  'payments',
  'refunds',
  'audit_log',
];

/**
 * The page cache ANALYZE reads through (KiB). ANALYZE reads every page of a table and its indexes:
 * through the connection's own 64 MiB cache, the first open after the books doubled left that
 * cache full of pages nobody asked for (at 100,000 subscriptions the process's memory grew by
 * about 75 MB, and stayed so: freed pages go back to the allocator, not the system). Through a
 * small one, the same statistics cost the same CPU and no memory.
 */
const ANALYZE_CACHE_KIB = 2048;

/**
 * Refreshes the planner's statistics of a table once it holds 1,000 rows and
 * has doubled or halved since they were taken, so filters pick selective
 * indexes. Empty tables are never analysed: stats taken then mislead later.
 */
export function refreshPlannerStats(sqlite: Database.Database): void {
  const stale: string[] = [];
  const hasStats = sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get() !== undefined;
  for (const table of ANALYZED_TABLES) {
    // The largest rowid, not count(*): one index step instead of a scan of a million-row table on every
    // open (a cold open reads those pages from disk). Deleted rows make it overcount; an estimate is enough here.
    const rows = (sqlite.prepare(`SELECT coalesce(max(rowid), 0) FROM "${table}"`).pluck().get() as number);
    if (rows < 1000) continue;
    const stat = hasStats
      ? (sqlite.prepare('SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1').pluck().get(table) as string | undefined)
      : undefined;
    const seen = stat ? Number(stat.split(' ')[0]) : 0;
    if (seen === 0 || rows > seen * 2 || rows < seen / 2) stale.push(table);
  }
  if (stale.length === 0) return;
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = -${ANALYZE_CACHE_KIB}`);
  try {
    for (const table of stale) sqlite.exec(`ANALYZE "${table}"`);
  } catch (error) {
    // Another connection is writing (a billing run): statistics are only a hint, the next open takes them.
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}
