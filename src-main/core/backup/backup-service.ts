import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import type { BusinessDb } from '../db/open';
import { loadMigrations } from '../db/migrate';
import type { Businesses } from '../businesses';
import { AppError, validation } from '../errors';
import { newId } from '../ids';
import type { ExportDestination, Paths } from '../ports';

/**
 * Backs a business up to one file with SQLite's online backup API (a
 * consistent copy while the app keeps running), then hands the file to the
 * export destination. Returns where it went and its size.
 */
export async function createBackup(db: BusinessDb, destination: ExportDestination, fileName: string) {
  const temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-backup-')), 'backup.sqlite');
  try {
    await db.sqlite.backup(temp);
    const file = await destination.open(fileName);
    if (!file) return { path: null, downloadUrl: null, bytes: 0 };
    const bytes = fs.statSync(temp).size;
    await pipeline(fs.createReadStream(temp), file.stream as NodeJS.WritableStream);
    file.done?.();
    return { path: file.path, downloadUrl: file.downloadUrl, bytes };
  } finally {
    fs.rmSync(path.dirname(temp), { recursive: true, force: true });
  }
}

/** Checks a file is a Recurra business this version can open; the reason if not. */
export function inspectBackup(file: string, paths: Paths): { name: string; currency: string; timezone: string; createdAt: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(paths.sqliteNativeBinding ? { nativeBinding: paths.sqliteNativeBinding } : {}) });
    const version = db.pragma('user_version', { simple: true }) as number;
    const known = loadMigrations(paths.migrationsDir).length;
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    if (!tables.has('business') || !tables.has('users') || version === 0) throw validation('file', 'This file is not a Recurra backup');
    if (version > known) {
      throw new AppError('conflict', `This backup was made by a newer version of Recurra (data version ${version}; this version understands up to ${known}). Update Recurra to restore it.`, 'file');
    }
    const row = db.prepare('SELECT name, currency, timezone, created_at AS createdAt FROM business LIMIT 1').get() as
      | { name: string; currency: string; timezone: string; createdAt: string }
      | undefined;
    if (!row) throw validation('file', 'This backup holds no business');
    return row;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw validation('file', 'This file is not a Recurra backup');
  } finally {
    db?.close();
  }
}

/**
 * Restores a backup as a new business: a copy under a new id (so it can sit
 * beside the original), brought up to date by the usual migrations on open.
 */
export function restoreBackup(businesses: Businesses, paths: Paths, file: string) {
  const info = inspectBackup(file, paths);
  const id = newId();
  const target = businesses.registry.fileFor(id);
  fs.copyFileSync(file, target);
  fs.chmodSync(target, 0o600);
  const taken = new Set(businesses.registry.list().map((b) => b.name));
  let name = info.name;
  for (let n = 1; taken.has(name); n++) name = `${info.name} (restored${n > 1 ? ` ${n}` : ''})`;
  try {
    const raw = new Database(target, paths.sqliteNativeBinding ? { nativeBinding: paths.sqliteNativeBinding } : {});
    try {
      // The copy is a new business: its own id, and no lease from a billing run the original was in.
      raw.prepare('UPDATE business SET id = ?, name = ?').run(id, name);
      raw.prepare("DELETE FROM settings WHERE key = 'billing.lock'").run();
    } finally {
      raw.close();
    }
    businesses.registry.add({ id, name, currency: info.currency, timezone: info.timezone, file: target, createdAt: info.createdAt });
    businesses.get(id); // opens it: migrations run, services start
  } catch (error) {
    businesses.registry.remove(id);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    throw error;
  }
  return { id, name, currency: info.currency, timezone: info.timezone };
}
