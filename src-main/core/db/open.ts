import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';
import { loadMigrations, migrate } from './migrate';

export type Orm = BetterSQLite3Database<typeof schema>;

/** One open business file: the raw handle for prepared hot paths, drizzle for the rest. */
export interface BusinessDb {
  readonly businessId: string;
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
}

export interface OpenOptions {
  migrationsDir: string;
  nativeBinding?: string | undefined;
  /** Create the file if it does not exist (sign-up); otherwise a missing file is an error. */
  create?: boolean;
}

/** Opens with WAL, foreign keys, a busy timeout, owner-only file mode, then migrates. */
export function openSqlite(file: string, opts: { nativeBinding?: string | undefined; create?: boolean }): Database.Database {
  if (file !== ':memory:') {
    if (!opts.create && !fs.existsSync(file)) throw new Error(`No business file at ${file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Create it empty with mode 0600 before SQLite does; SQLite gives -wal and -shm the same mode.
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const sqlite = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

export function openBusinessDb(businessId: string, file: string, opts: OpenOptions): BusinessDb {
  const sqlite = openSqlite(file, opts);
  try {
    migrate(sqlite, loadMigrations(opts.migrationsDir));
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { businessId, file, sqlite, orm: drizzle(sqlite, { schema }) };
}
