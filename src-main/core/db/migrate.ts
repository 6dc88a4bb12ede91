import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

// Applies the SQL migrations drizzle-kit generated (resources/migrations),
// all pending ones in one transaction. PRAGMA user_version counts the
// migrations applied, so a file written by a newer Recurra is recognised and
// refused before anything is touched.

export interface Migration {
  index: number;
  tag: string;
  statements: string[];
}

export class DatabaseTooNewError extends Error {
  constructor(
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This business file was written by a newer version of Recurra (data version ${fileVersion}; ` +
        `this version understands up to ${appVersion}). Update Recurra to open it. The file was not changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

export class MigrationError extends Error {
  constructor(
    readonly tag: string,
    cause: unknown,
  ) {
    super(`Could not upgrade the business file (step ${tag}): ${(cause as Error)?.message ?? cause}. The file was left as it was.`);
    this.name = 'MigrationError';
  }
}

const cache = new Map<string, Migration[]>();

export function loadMigrations(dir: string): Migration[] {
  const cached = cache.get(dir);
  if (cached) return cached;
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const migrations = journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((entry, position) => {
      if (entry.idx !== position) throw new Error(`migration journal has a gap at ${position}`);
      const sql = fs.readFileSync(path.join(dir, `${entry.tag}.sql`), 'utf8');
      const statements = sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean);
      return { index: entry.idx, tag: entry.tag, statements };
    });
  cache.set(dir, migrations);
  return migrations;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the file up to date, or throws with the file exactly as it was. */
export function migrate(db: Database.Database, migrations: Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const to = migrations.length;
  if (from > to) throw new DatabaseTooNewError(from, to);
  if (from === to) return { from, to };

  // Table rebuilds in generated migrations need foreign keys off; it can only
  // be switched outside a transaction, and integrity is checked before commit.
  db.pragma('foreign_keys = OFF');
  let current = migrations[from]!;
  try {
    db.exec('BEGIN IMMEDIATE');
    // Another process may have migrated while we waited for the lock.
    const locked = schemaVersion(db);
    if (locked > to) throw new DatabaseTooNewError(locked, to);
    for (const migration of migrations.slice(locked)) {
      current = migration;
      for (const statement of migration.statements) db.exec(statement);
    }
    const violations = db.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) throw new Error(`${violations.length} broken references`);
    db.pragma(`user_version = ${to}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (error instanceof DatabaseTooNewError) throw error;
    throw new MigrationError(current.tag, error);
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return { from, to };
}
