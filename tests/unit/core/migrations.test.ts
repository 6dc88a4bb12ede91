import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { DatabaseTooNewError, loadMigrations, migrate, MigrationError } from '../../../src-main/core/db/migrate';
import { callError, connect, makeCore, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, openBusinessFile } from '../../support/core';

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A copy of the real migrations plus one more, as a future version would ship. */
function migrationsWithExtra(sql: string): string {
  const dir = tempDir('recurra-migrations-');
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const idx = journal.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_extra`;
  journal.entries.push({ ...journal.entries[0]!, idx, tag });
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  fs.writeFileSync(path.join(dir, `${tag}.sql`), sql);
  return dir;
}

/** A fresh business file, closed (checkpointed), ready to be reopened. */
function businessFile(): string {
  const file = path.join(tempDir(), 'b.sqlite');
  const db = openBusinessDb('b', file, { migrationsDir: MIGRATIONS_DIR, create: true });
  db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('keep', 'me', 'now')").run();
  db.sqlite.close();
  return file;
}

describe('migrations', () => {
  it('a new file starts from the migrated schema image: the same schema and rows as replaying every migration, mode 0600, no file left behind', () => {
    const dir = tempDir();
    const made = openBusinessDb('b', path.join(dir, 'made.sqlite'), { migrationsDir: MIGRATIONS_DIR, create: true });
    const replayed = new Database(path.join(dir, 'replayed.sqlite'));
    migrate(replayed, loadMigrations(MIGRATIONS_DIR));
    const schemaOf = (db: Database.Database) => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all();
    expect(schemaOf(made.sqlite)).toEqual(schemaOf(replayed));
    expect(made.sqlite.pragma('user_version', { simple: true })).toBe(replayed.pragma('user_version', { simple: true }));
    for (const { name } of made.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
      expect(made.sqlite.prepare(`SELECT * FROM "${name}"`).all(), name).toEqual(replayed.prepare(`SELECT * FROM "${name}"`).all());
    }
    expect(made.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(made.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    made.sqlite.close();
    replayed.close();
    expect(fs.statSync(path.join(dir, 'made.sqlite')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.new'))).toEqual([]);
  });

  it('a file another process created first is kept, not overwritten by the image', () => {
    const file = businessFile();
    const before = new Database(file);
    expect(before.prepare("SELECT value FROM settings WHERE key = 'keep'").pluck().get()).toBe('me');
    before.close();
    const again = openBusinessDb('b', file, { migrationsDir: MIGRATIONS_DIR, create: true });
    expect(again.sqlite.prepare("SELECT value FROM settings WHERE key = 'keep'").pluck().get()).toBe('me');
    again.sqlite.close();
  });

  it('apply the committed SQL to a new file, which records its version', () => {
    const file = businessFile();
    const db = openBusinessFile(file);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    for (const t of ['business', 'users', 'plans', 'plan_tiers', 'products', 'customers', 'customer_events', 'coupons', 'subscriptions', 'subscription_history', 'invoices', 'invoice_lines', 'payments', 'refunds', 'sales', 'audit_log']) {
      expect(tables).toContain(t);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('apply a pending migration on open, in one transaction', () => {
    const file = businessFile();
    const dir = migrationsWithExtra('CREATE TABLE extra (id text primary key);\n--> statement-breakpoint\nINSERT INTO extra VALUES (\'x\');');
    const db = openBusinessDb('b', file, { migrationsDir: dir });
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM extra').get()).toEqual({ n: 1 });
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length + 1);
    db.sqlite.close();
  });

  it('leave the file exactly as it was when a migration fails midway', () => {
    const file = businessFile();
    const before = hash(file);
    const dir = migrationsWithExtra('CREATE TABLE half (id text);\n--> statement-breakpoint\nALTER TABLE no_such_table ADD COLUMN x text;');
    expect(() => openBusinessDb('b', file, { migrationsDir: dir })).toThrow(MigrationError);
    const db = openBusinessFile(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'keep'").get()).toEqual({ value: 'me' });
    db.close();
    expect(hash(file)).toBe(before);
  });

  it('refuse a file written by a newer version, with a clear message, without touching it', async () => {
    const { core } = makeCore();
    const { businessId } = await signUp(core);
    const file = core.businesses.registry.get(businessId)!.file;
    core.close();
    const raw = openBusinessFile(file);
    raw.pragma('user_version = 99');
    raw.close();
    const before = hash(file);
    expect(() => openBusinessDb('b', file, { migrationsDir: MIGRATIONS_DIR })).toThrow(DatabaseTooNewError);
    const again = makeCore({ dataDir: path.dirname(path.dirname(file)) }).core;
    const error = await callError(again, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('newer version of Recurra') });
    again.close();
    expect(hash(file)).toBe(before);
  });

  it('keep business files private to the user (0600), wal and shm included', async () => {
    const { core } = makeCore();
    const { businessId, conn } = await signUp(core);
    await core.dispatch(conn, 'business.update', { name: 'Written' });
    const file = core.businesses.registry.get(businessId)!.file;
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(f)) expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
    }
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    core.close();
  });
});
