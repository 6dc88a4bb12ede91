import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { applyKey, fileKey, fileKind } from '../db/keyring';
import { nativeBindingOf, type BusinessDb } from '../db/open';
import { loadMigrations, migrate, type Migration } from '../db/migrate';
import { restoreTempName } from '../db/registry';
import type { Businesses } from '../businesses';
import { AppError, validation } from '../errors';
import { newId } from '../ids';
import type { ExportDestination, Paths } from '../ports';

/** A backup's passphrase: what the owner types to make it and to restore it. */
export const MIN_PASSPHRASE = 8;

/**
 * Backs a business up to one file, then hands the file to the export
 * destination. Returns where it went and its size. The copy is made with
 * `VACUUM INTO` (one read transaction: consistent while the app keeps
 * running; an encrypted file's copy comes out under the same key), then
 * re-keyed with the owner's passphrase (SQLCipher 4's own passphrase scheme,
 * PBKDF2-HMAC-SHA512 with 256,000 rounds and a random salt in the file's first
 * bytes), so the backup opens with the passphrase alone, on any PC. The
 * temporary copy is owner-only (0600) from its creation, like the file it becomes.
 */
export async function createBackup(db: BusinessDb, destination: ExportDestination, fileName: string, passphrase: string) {
  const nativeBinding = nativeBindingOf(db.sqlite);
  if (passphrase.length < MIN_PASSPHRASE) throw validation('passphrase', `Choose a backup passphrase of at least ${MIN_PASSPHRASE} characters`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-backup-'), { encoding: 'utf8' });
  fs.chmodSync(dir, 0o700);
  const temp = path.join(dir, 'backup.sqlite');
  try {
    db.sqlite.prepare('VACUUM INTO ?').run(temp);
    fs.chmodSync(temp, 0o600);
    const copy = new Database(temp, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    try {
      const key = fileKey(db.file);
      if (key) applyKey(copy, key, temp);
      copy.pragma('journal_mode = DELETE');
      copy.pragma("cipher = 'sqlcipher'");
      copy.pragma('legacy = 4');
      copy.pragma(`rekey = '${passphrase.replace(/'/g, "''")}'`);
    } finally {
      copy.close();
    }
    const file = await destination.open(fileName);
    if (!file) return { path: null, downloadUrl: null, bytes: 0 };
    const bytes = fs.statSync(temp).size;
    await pipeline(fs.createReadStream(temp), file.stream as NodeJS.WritableStream);
    file.done?.();
    return { path: file.path, downloadUrl: file.downloadUrl, bytes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface BackupInfo {
  name: string;
  currency: string;
  timezone: string;
  createdAt: string;
}

/** The file being restored, checked and migrated, before it is given its new id: who may restore it is decided here. */
export interface RestoreCandidate {
  readonly db: Database.Database;
  /** The id of the business in the backup (the original's). */
  readonly businessId: string;
}

/** The steps of a restore, named for tests that kill the process between them. */
export type RestoreStep = 'copied' | 'checked' | 'migrated' | 'authorized' | 'reIded' | 'synced' | 'renamed' | 'listed';

const NOT_A_BACKUP = 'This file is not a Recurra backup';

/**
 * Restores a backup as a new business: a copy under a new id (so it can sit
 * beside the original). Crash-safe: the copy is made, checked, migrated and
 * given its new id in a private temporary file in the businesses folder
 * (`.restore-<pid>-<id>.tmp`, never listed, removed at the next start if its
 * process died), synced to disk, then renamed into place in one step. Killed
 * at any point, the folder holds either what it held before or the finished
 * business, never a second file with the original's id.
 *
 * The file is not trusted: it must pass `PRAGMA integrity_check`, hold
 * exactly the schema objects our migrations make (no extra trigger, view,
 * table or index, none changed), and have no broken reference; `authorize`
 * then decides whether the caller may restore it.
 */
export function restoreBackup(
  businesses: Businesses,
  paths: Paths,
  file: string,
  authorize: (candidate: RestoreCandidate) => void,
  onStep: (step: RestoreStep) => void = () => {},
  /**
   * The backup's passphrase (an encrypted backup needs it), and the id the new business gets: the
   * caller stores its data key first (Businesses.createKey), and the copy is encrypted with it.
   */
  opts: { passphrase?: string | undefined; id?: string } = {},
) {
  const id = opts.id ?? newId();
  const folder = businesses.registry.businessesDir;
  const temp = path.join(folder, restoreTempName(id));
  const target = businesses.registry.fileFor(id);
  let info: BackupInfo;
  try {
    copyPrivately(file, temp);
    onStep('copied');
    const taken = new Set(businesses.registry.list().map((b) => b.name));
    info = prepareCandidate(temp, paths, { passphrase: opts.passphrase, dataKey: fileKey(target) }, authorize, onStep, (original) => {
      let name = original;
      for (let n = 1; taken.has(name); n++) name = `${original} (restored${n > 1 ? ` ${n}` : ''})`;
      return { id, name };
    });
    fsyncPath(temp);
    onStep('synced');
  } catch (error) {
    removeWithSidecars(temp);
    throw error;
  }
  fs.renameSync(temp, target);
  fsyncPath(folder);
  onStep('renamed');
  try {
    businesses.registry.add({ id, name: info.name, currency: info.currency, timezone: info.timezone, file: target, createdAt: info.createdAt });
    onStep('listed');
    businesses.get(id); // opens it: services start
  } catch (error) {
    businesses.close(id);
    businesses.registry.remove(id);
    removeWithSidecars(target);
    throw error;
  }
  return { id, name: info.name, currency: info.currency, timezone: info.timezone };
}

/** Checks, migrates, authorizes and re-ids the private copy in place; throws (naming what is wrong) if it is not acceptable. */
function prepareCandidate(
  temp: string,
  paths: Paths,
  keys: { passphrase?: string | undefined; dataKey?: Buffer | undefined },
  authorize: (candidate: RestoreCandidate) => void,
  onStep: (step: RestoreStep) => void,
  newIdentity: (originalName: string) => { id: string; name: string },
): BackupInfo {
  let db: Database.Database | undefined;
  try {
    const encrypted = fileKind(temp) !== 'plain';
    // An encrypted SQLite file is whole pages (at least 512 bytes each): anything else was never one, or was cut short.
    const size = fs.statSync(temp).size;
    if (encrypted && size < 4096) throw validation('file', NOT_A_BACKUP);
    if (encrypted && size % 512 !== 0) {
      throw validation('file', 'This backup is cut short (truncated) or is not a Recurra backup: copy it again from where it was saved. Nothing was restored.');
    }
    if (encrypted && !keys.passphrase) {
      throw validation('passphrase', 'This backup is encrypted: enter the passphrase it was made with (RECURRA_BACKUP_PASSPHRASE on the command line)');
    }
    db = new Database(temp, { fileMustExist: true, ...(paths.sqliteNativeBinding ? { nativeBinding: paths.sqliteNativeBinding } : {}) });
    if (encrypted) {
      db.pragma("cipher = 'sqlcipher'");
      db.pragma('legacy = 4');
      db.pragma(`key = '${keys.passphrase!.replace(/'/g, "''")}'`);
      try {
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_NOTADB') throw error;
        throw validation(
          'passphrase',
          'Wrong passphrase for this backup, or the file is not a Recurra backup: type the passphrase the backup was made with. Nothing was restored.',
        );
      }
    }
    // An untrusted file (SQLite's "defense against the dark arts"): no SQL function with side effects
    // runs from its schema, and malformed cells are caught as they are read.
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
    // One file, no -wal beside it while it is a temporary (the business's own open turns WAL back on).
    db.pragma('journal_mode = DELETE');
    const migrations = loadMigrations(paths.migrationsDir);
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    if (!tables.has('business') || !tables.has('users') || version === 0) throw validation('file', NOT_A_BACKUP);
    if (version > migrations.length) {
      throw new AppError(
        'conflict',
        `This backup was made by a newer version of Recurra (data version ${version}; this version understands up to ${migrations.length}). Update Recurra to restore it.`,
        'file',
      );
    }
    assertIntact(db);
    assertOurSchema(db, migrations, version);
    onStep('checked');
    migrate(db, migrations);
    const broken = db.pragma('foreign_key_check') as { table: string }[];
    if (broken.length > 0) {
      throw validation('file', `This backup is damaged: ${broken.length} broken reference${broken.length === 1 ? '' : 's'} (in ${[...new Set(broken.map((b) => b.table))].join(', ')}). It was not restored.`);
    }
    onStep('migrated');
    const rows = db.prepare('SELECT id, name, currency, timezone, created_at AS createdAt FROM business').all() as (BackupInfo & { id: string })[];
    const row = rows[0];
    if (!row || rows.length > 1) throw validation('file', rows.length > 1 ? 'This backup holds more than one business' : 'This backup holds no business');
    authorize({ db, businessId: row.id });
    onStep('authorized');
    const next = newIdentity(row.name);
    // The copy is a new business: its own id, and no lease from a billing run the original was in.
    // Nor is it the original's sync device (docs/sync-client.md, "Restore"): it would stamp with that
    // device's id beside the original. Capture off before the re-id (not recorded), sync state and log gone.
    db.transaction(() => {
      db!.prepare('UPDATE sync_clock SET capture = 0, applying = 0').run();
      db!.prepare('UPDATE business SET id = ?, name = ?').run(next.id, next.name);
      db!.prepare("DELETE FROM settings WHERE key = 'billing.lock'").run();
      db!.exec('DELETE FROM sync_changes; DELETE FROM sync_state; DELETE FROM sync_clock;');
    })();
    onStep('reIded');
    // The new business's file is encrypted with its own data key (stored by the caller before the restore).
    if (keys.dataKey) {
      db.pragma("cipher = 'sqlcipher'");
      db.pragma('legacy = 4');
      db.pragma(`rekey = "x'${keys.dataKey.toString('hex')}'"`);
    }
    return { name: next.name, currency: row.currency, timezone: row.timezone, createdAt: row.createdAt };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string })?.code ?? '';
    if (code.startsWith('SQLITE_CORRUPT')) throw damaged(String((error as Error).message));
    if (code.startsWith('SQLITE_')) throw validation('file', NOT_A_BACKUP);
    throw error;
  } finally {
    db?.close();
  }
}

const damaged = (what: string) => validation('file', `This backup is damaged (${what}). It was not restored: try another backup.`);

function assertIntact(db: Database.Database): void {
  const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    const first = problems.find((p) => !p.startsWith('***')) ?? problems[0] ?? 'unknown';
    throw damaged(`${first.trim()}${problems.length > 2 ? ` and ${problems.length - 1} more problems` : ''}`);
  }
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

// SQLite's own bookkeeping: statistics from ANALYZE (the app makes them as tables grow) and AUTOINCREMENT counters.
const BOOKKEEPING = new Set(['sqlite_stat1', 'sqlite_stat4', 'sqlite_sequence']);

function schemaObjects(db: Database.Database): SchemaObject[] {
  return (db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as SchemaObject[]).filter(
    (o) => !(o.type === 'table' && BOOKKEEPING.has(o.name)),
  );
}

const referenceSchemas = new Map<string, Map<string, SchemaObject>>();

/** The schema objects a fresh file migrated to `version` has: what a backup at that version may hold, and nothing else. */
function referenceSchema(migrations: Migration[], version: number): Map<string, SchemaObject> {
  const key = `${migrations[0]?.tag ?? ''}:${migrations.length}:${version}`;
  let reference = referenceSchemas.get(key);
  if (!reference) {
    const fresh = new Database(':memory:');
    try {
      migrate(fresh, migrations.slice(0, version));
      reference = new Map(schemaObjects(fresh).map((o) => [`${o.type} ${o.name}`, o]));
    } finally {
      fresh.close();
    }
    referenceSchemas.set(key, reference);
  }
  return reference;
}

/**
 * Compares the candidate's schema with a fresh file's at the same version,
 * by type, name, table and SQL (migration 0006's metric triggers are ours; a
 * trigger of the same name doing something else is not). Anything planted,
 * changed or missing is refused, named in the message.
 */
function assertOurSchema(db: Database.Database, migrations: Migration[], version: number): void {
  const reference = referenceSchema(migrations, version);
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const o of schemaObjects(db)) {
    const key = `${o.type} ${o.name}`;
    const ours = reference.get(key);
    if (seen.has(key)) wrong.push(`${o.type} "${o.name}" (twice)`);
    seen.add(key);
    if (!ours) wrong.push(`${o.type} "${o.name}"${o.type === 'trigger' || o.type === 'index' ? ` on ${o.tbl_name}` : ''} (not made by Recurra)`);
    else if (ours.sql !== o.sql || ours.tbl_name !== o.tbl_name) wrong.push(`${o.type} "${o.name}" (changed)`);
  }
  for (const [key, o] of reference) if (!seen.has(key)) wrong.push(`${o.type} "${o.name}" (missing)`);
  if (wrong.length > 0) {
    const shown = wrong.slice(0, 5).join(', ') + (wrong.length > 5 ? ` and ${wrong.length - 5} more` : '');
    throw validation('file', `This backup's database was altered outside Recurra, so it was not restored: ${shown}.`);
  }
}

/** Copies into a new file that is owner-only (0600) before a byte is written, and syncs it. */
function copyPrivately(from: string, to: string): void {
  let input: number;
  try {
    input = fs.openSync(from, 'r');
  } catch {
    throw validation('file', `Could not read ${path.basename(from)}`);
  }
  try {
    const output = fs.openSync(to, 'wx', 0o600);
    try {
      fs.fchmodSync(output, 0o600);
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = fs.readSync(input, buffer, 0, buffer.length, null);
        if (n === 0) break;
        for (let off = 0; off < n; ) off += fs.writeSync(output, buffer, off, n - off);
      }
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(input);
  }
}

/** Flushes a file (or a folder's entries, where the system allows it) to disk. */
function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Windows cannot open or sync a folder; the rename is still atomic there.
    if (!fs.statSync(p).isDirectory()) throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
