import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from './open';

// The registry lists the businesses on this PC so the picker need not open
// every file. It is a cache of the businesses/ folder: files added by hand (a
// restored backup) appear, rows whose file is gone disappear.

export interface RegistryEntry {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  file: string;
  createdAt: string;
}

export class Registry {
  private readonly db: Database.Database;

  constructor(
    private readonly dataDir: string,
    private readonly nativeBinding?: string,
  ) {
    fs.mkdirSync(this.businessesDir, { recursive: true, mode: 0o700 });
    this.db = openSqlite(path.join(dataDir, 'registry.sqlite'), { nativeBinding, create: true });
    this.db.exec(`CREATE TABLE IF NOT EXISTS businesses (
      id TEXT PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      currency TEXT NOT NULL,
      timezone TEXT NOT NULL,
      file TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
  }

  get businessesDir(): string {
    return path.join(this.dataDir, 'businesses');
  }

  fileFor(id: string): string {
    return path.join(this.businessesDir, `${id}.sqlite`);
  }

  add(entry: RegistryEntry): void {
    this.db
      .prepare(
        `INSERT INTO businesses (id, name, currency, timezone, file, created_at)
         VALUES (@id, @name, @currency, @timezone, @file, @createdAt)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
           timezone = excluded.timezone, file = excluded.file`,
      )
      .run({ ...entry, file: path.basename(entry.file) });
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM businesses WHERE id = ?').run(id);
  }

  get(id: string): RegistryEntry | undefined {
    const row = this.db.prepare('SELECT * FROM businesses WHERE id = ?').get(id) as Row | undefined;
    if (row && fs.existsSync(path.join(this.businessesDir, row.file))) return this.toEntry(row);
    this.reconcile();
    const again = this.db.prepare('SELECT * FROM businesses WHERE id = ?').get(id) as Row | undefined;
    return again ? this.toEntry(again) : undefined;
  }

  list(): RegistryEntry[] {
    this.reconcile();
    const rows = this.db.prepare('SELECT * FROM businesses ORDER BY name COLLATE NOCASE, created_at').all() as Row[];
    return rows.map((r) => this.toEntry(r));
  }

  close(): void {
    this.db.close();
  }

  /** Makes the table match the folder. Unreadable files are skipped, never deleted. */
  private reconcile(): void {
    const files = new Set(fs.readdirSync(this.businessesDir).filter((f) => f.endsWith('.sqlite')));
    const rows = this.db.prepare('SELECT * FROM businesses').all() as Row[];
    const known = new Set<string>();
    for (const row of rows) {
      if (files.has(row.file)) known.add(row.file);
      else this.remove(row.id);
    }
    for (const file of files) {
      if (known.has(file)) continue;
      const entry = readBusinessRow(path.join(this.businessesDir, file), this.nativeBinding);
      if (entry) this.add(entry);
    }
  }

  private toEntry(row: Row): RegistryEntry {
    return {
      id: row.id,
      name: row.name,
      currency: row.currency,
      timezone: row.timezone,
      file: path.join(this.businessesDir, row.file),
      createdAt: row.created_at,
    };
  }
}

interface Row {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  file: string;
  created_at: string;
}

function readBusinessRow(file: string, nativeBinding: string | undefined): RegistryEntry | null {
  let db: Database.Database | undefined;
  try {
    // A read-only peek: never migrates or changes a file it does not know.
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    const row = db.prepare('SELECT id, name, currency, timezone, created_at FROM business LIMIT 1').get() as
      | Omit<Row, 'file'>
      | undefined;
    if (!row) return null;
    return { id: row.id, name: row.name, currency: row.currency, timezone: row.timezone, file, createdAt: row.created_at };
  } catch {
    return null; // not a Recurra file, or unreadable: leave it alone
  } finally {
    db?.close();
  }
}
