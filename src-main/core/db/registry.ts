import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { newId } from '../ids';
import { adoptNeighbourKey, fileKey, fileKind, openExisting } from './keyring';
import { openSqlite } from './open';

// The registry lists the businesses on this PC so the picker need not open
// every file. It is a cache of the businesses/ folder: files added by hand (a
// restored backup) appear, rows whose file is gone disappear.
//
// One business id, one file. A file copied by hand into the folder carries the
// id of the business it was copied from; left so, the two files would take
// turns being "the" business. So a file found with an id that another file
// already has is made a business of its own: a new id and the name
// "<name> (copy)", written into that file. Which file keeps the id is
// decided, not left to the order of the folder: the one the registry already
// listed for it, else the one named <id>.sqlite, else the first by name.
//
// A restore writes its work in `.restore-<pid>-<id>.tmp` in the folder and
// renames it into place when it is finished (backup-service.ts); such a file
// is never listed, and one whose process has died is removed at start.

/** The temporary file of a restore in progress by this process. */
export function restoreTempName(id: string): string {
  return `.restore-${process.pid}-${id}.tmp`;
}

/** A business file under its own id's name. */
export const KEYED_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.sqlite$/;

/** As long as `business.unlock` takes a business id: a longer file name is not listed. */
const MAX_LISTED_NAME = 100;

const RESTORE_TEMP = /^\.restore-(\d+)-.+\.tmp(-journal|-wal|-shm)?$/;

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
    // Wrong recovery keys typed to unlock a locked file, which cannot record them itself: when, never what.
    // They count toward the unlock lockout and go into the business's audit log once it is unlocked.
    this.db.exec('CREATE TABLE IF NOT EXISTS unlock_failures (business_id TEXT NOT NULL, at INTEGER NOT NULL)');
    this.removeStaleRestores();
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

  /**
   * The encrypted `.sqlite` files that no registry row lists after reconciling: files this process
   * could not read (locked: no key it holds opens them), e.g. a data folder copied without
   * registry.sqlite, or a business file copied in under a name of the user's (`my-books.sqlite`).
   * A file named `<id>.sqlite` is listed by that id; another by its name without `.sqlite`, which
   * `business.unlock` takes too (the real id is inside, readable once the file is unlocked).
   */
  unlisted(): { id: string; file: string }[] {
    const listed = new Set(this.db.prepare('SELECT file FROM businesses').pluck().all() as string[]);
    return fs
      .readdirSync(this.businessesDir)
      .filter((f) => !listed.has(f) && f.endsWith('.sqlite') && !f.startsWith('.'))
      .flatMap((f) => {
        const keyed = KEYED_FILE.exec(f)?.[1];
        const id = keyed ?? f.slice(0, -'.sqlite'.length);
        const file = path.join(this.businessesDir, f);
        if (id.length > MAX_LISTED_NAME || fileKind(file) !== 'encrypted') return [];
        // Under another name, only what has the shape of an encrypted database: whole pages (SQLCipher's
        // 4 KiB), not some other file that happens to end in .sqlite.
        const size = fs.statSync(file).size;
        return keyed || (size >= 4096 && size % 4096 === 0) ? [{ id, file }] : [];
      })
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * The file a business id or listed name stands for in the folder (`business.unlock` takes both):
   * the registry's, else `<id>.sqlite`. Never outside the folder: a name with a path in it is refused.
   */
  fileOf(idOrName: string): string | undefined {
    if (!idOrName || idOrName.startsWith('.') || /[\\/:\0]/.test(idOrName)) return undefined;
    return this.get(idOrName)?.file ?? this.fileFor(idOrName);
  }

  recordUnlockFailure(businessId: string, at: Date): void {
    this.db.prepare('INSERT INTO unlock_failures (business_id, at) VALUES (?, ?)').run(businessId, at.getTime());
  }

  /** The failed unlock attempts kept for a business (epoch ms), oldest first. */
  unlockFailures(businessId: string): number[] {
    return this.db.prepare('SELECT at FROM unlock_failures WHERE business_id = ? ORDER BY at').pluck().all(businessId) as number[];
  }

  /** Forgets the attempts up to `through` (ms), once the business's audit log holds them. */
  clearUnlockFailures(businessId: string, through: number): void {
    this.db.prepare('DELETE FROM unlock_failures WHERE business_id = ? AND at <= ?').run(businessId, through);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Makes the table match the folder. Unreadable files are skipped, never
   * deleted. A new file whose business id another file already has is given
   * a new id (see the top of this file).
   */
  private reconcile(): void {
    const files = fs
      .readdirSync(this.businessesDir)
      .filter((f) => f.endsWith('.sqlite'))
      .sort();
    const rows = this.db.prepare('SELECT * FROM businesses').all() as Row[];
    const known = new Set<string>();
    const owners = new Map<string, string>(); // business id -> the file that has it
    for (const row of rows) {
      if (files.includes(row.file)) {
        known.add(row.file);
        owners.set(row.id, row.file);
      } else this.remove(row.id);
    }
    const found = files
      .filter((file) => !known.has(file))
      .map((file) => readBusinessRow(path.join(this.businessesDir, file), this.nativeBinding))
      .filter((entry): entry is RegistryEntry => entry !== null);
    // With no file listed for an id, the one named after it has the first claim.
    found.sort((a, b) => Number(path.basename(b.file) === `${b.id}.sqlite`) - Number(path.basename(a.file) === `${a.id}.sqlite`));
    for (const entry of found) {
      const base = path.basename(entry.file);
      if (!owners.has(entry.id)) {
        owners.set(entry.id, base);
        this.add(entry);
        continue;
      }
      const copy = this.makeSeparate(entry, new Set([...this.db.prepare('SELECT name FROM businesses').pluck().all()] as string[]));
      if (copy) {
        owners.set(copy.id, base);
        this.add(copy);
      }
    }
  }

  /**
   * Gives a hand-copied file its own id and the name "<name> (copy)", in one
   * transaction on that file, only if it still has the id it was read with
   * (another process may have done it first: then its id is taken as found).
   */
  private makeSeparate(entry: RegistryEntry, names: Set<string>): RegistryEntry | null {
    let db: Database.Database | undefined;
    try {
      db = openExisting(entry.file, { nativeBinding: this.nativeBinding });
      db.pragma('busy_timeout = 5000');
      let name = `${entry.name} (copy)`;
      for (let n = 2; names.has(name); n++) name = `${entry.name} (copy ${n})`;
      const id = newId();
      const file = db;
      // Nor is a copy the original's sync device (it would stamp with its device id): capture off before
      // the re-id, sync state and log gone (a file from before sync has none of these tables).
      const syncs = file.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sync_clock'").get() !== undefined;
      const changed = file
        .transaction(() => {
          if (syncs) file.prepare('UPDATE sync_clock SET capture = 0, applying = 0').run();
          const n = file.prepare('UPDATE business SET id = ?, name = ? WHERE id = ?').run(id, name, entry.id).changes;
          // A copy is not in the billing run the original may be in.
          if (n > 0) file.prepare("DELETE FROM settings WHERE key = 'billing.lock'").run();
          if (n > 0 && syncs) file.exec('DELETE FROM sync_changes; DELETE FROM sync_state; DELETE FROM sync_clock;');
          return n > 0;
        })
        .immediate();
      if (changed) return { ...entry, id, name };
      const again = readBusinessRow(entry.file, this.nativeBinding);
      return again && again.id !== entry.id ? again : null;
    } catch {
      return null; // read-only or unreadable: not listed, and left as it is
    } finally {
      db?.close();
    }
  }

  /** Removes the temporary files of restores whose process is gone (killed midway). */
  private removeStaleRestores(): void {
    for (const file of fs.readdirSync(this.businessesDir)) {
      const match = RESTORE_TEMP.exec(file);
      if (match && !processAlive(Number(match[1]))) fs.rmSync(path.join(this.businessesDir, file), { force: true });
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

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // alive, another user's
  }
}

function readBusinessRow(file: string, nativeBinding: string | undefined): RegistryEntry | null {
  let db: Database.Database | undefined;
  try {
    // A read-only peek: never migrates or changes a file it does not know. A business file copied by hand
    // is encrypted with the key of the file it was copied from: one of its neighbours' keys opens it.
    if (fileKind(file) === 'encrypted' && !fileKey(file)) adoptNeighbourKey(file, nativeBinding);
    db = openExisting(file, { readonly: true, nativeBinding });
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
