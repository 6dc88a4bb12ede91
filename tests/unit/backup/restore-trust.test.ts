import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src-main/core/auth/passwords';
import { loadMigrations, migrate } from '../../../src-main/core/db/migrate';
import type { ImportSource } from '../../../src-main/core/ports';
import { billingBusiness, type BillingFixture } from '../../support/billing';
import { call, callError, connect, makeCore, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, openBackupFile, BACKUP_PASSPHRASE } from '../../support/core';

// Issue 11, defect 3: a restore does not trust the file, nor the caller.

function picking(file: string): ImportSource & { picks: number } {
  const source = {
    picks: 0,
    open: async () => {
      source.picks += 1;
      return { path: file, name: path.basename(file) };
    },
  };
  return source;
}

const STAFF = { email: 'staff@example.com', password: 'staff password' };

async function businessWithBackup(): Promise<{ b: BillingFixture; backup: string }> {
  const b = await billingBusiness();
  await b.call('users.create', { name: 'Staff', email: STAFF.email, role: 'staff', password: STAFF.password });
  const plan = await b.plan({ price: 4900 });
  await b.subscribe({ planId: plan.id, startDate: '2026-01-03' });
  await b.call('coupons.create', { code: 'TEN', percentOff: '10', duration: 'forever' });
  const { path: backup } = await b.call('backup.create', { passphrase: BACKUP_PASSPHRASE });
  return { b, backup: backup! };
}

/** A copy of the backup changed by `tamper` (run with the raw driver, as anyone with the file could). */
function tampered(backup: string, tamper: (db: Database.Database) => void): string {
  const file = path.join(tempDir(), 'tampered.recurra');
  fs.copyFileSync(backup, file);
  const db = openBackupFile(file);
  tamper(db);
  db.close();
  return file;
}

const businessFiles = (b: BillingFixture) => fs.readdirSync(path.join(b.core.paths.dataDir, 'businesses')).sort();

describe('a restore checks the file', () => {
  it('refuses a backup with a zeroed page, naming the damage, and adds nothing', async () => {
    const { b, backup } = await businessWithBackup();
    const file = tampered(backup, (db) => db.pragma('journal_mode = DELETE'));
    const probe = openBackupFile(file, { readonly: true });
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    // A page the owner's login and the opening of the file never read: the coupons table's.
    const page = probe.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'coupons'").pluck().get() as number;
    probe.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize);
    fs.closeSync(fd);
    const before = businessFiles(b);
    const error = await callError(b.core, { ...b.conn, imports: picking(file) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
    expect(error).toMatchObject({ code: 'validation', field: 'file', message: expect.stringMatching(/^This backup is damaged \(.+\)\. It was not restored/) });
    expect(businessFiles(b)).toEqual(before);
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(1);
    b.close();
  });

  it('refuses a backup holding a trigger, view, table or index Recurra does not make, or one of ours changed or missing', async () => {
    const { b, backup } = await businessWithBackup();
    const metric = openBackupFile(backup, { readonly: true })
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'metric_%' AND tbl_name = 'customers' ORDER BY name LIMIT 1")
      .get() as { name: string; sql: string };
    expect(metric).toBeDefined(); // migration 0006's triggers are ours: a clean backup with them restores (below)
    const cases: [string, (db: Database.Database) => void, string][] = [
      [
        'a planted trigger',
        (db) => db.exec('CREATE TRIGGER evil AFTER INSERT ON customers BEGIN UPDATE customers SET credit_balance = 999999 WHERE id = NEW.id; END'),
        'trigger "evil" on customers (not made by Recurra)',
      ],
      ['a view', (db) => db.exec('CREATE VIEW everyone AS SELECT email, password_hash FROM users'), 'view "everyone" (not made by Recurra)'],
      ['a table', (db) => db.exec('CREATE TABLE extra (x TEXT)'), 'table "extra" (not made by Recurra)'],
      ['an index', (db) => db.exec('CREATE INDEX extra_by_name ON customers (name)'), 'index "extra_by_name" on customers (not made by Recurra)'],
      [
        'one of our triggers doing something else',
        (db) => {
          db.exec(`DROP TRIGGER "${metric.name}"`);
          db.exec(metric.sql.replace(/BEGIN/i, 'BEGIN UPDATE customers SET credit_balance = 999999;'));
        },
        `trigger "${metric.name}" (changed)`,
      ],
      ['one of our triggers dropped', (db) => db.exec(`DROP TRIGGER "${metric.name}"`), `trigger "${metric.name}" (missing)`],
    ];
    const before = businessFiles(b);
    for (const [, tamper, named] of cases) {
      const error = await callError(b.core, { ...b.conn, imports: picking(tampered(backup, tamper)) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
      expect(error).toMatchObject({ code: 'validation', field: 'file' });
      expect(error.message).toContain("This backup's database was altered outside Recurra, so it was not restored");
      expect(error.message).toContain(named);
    }
    expect(businessFiles(b)).toEqual(before);
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(1);

    // The untouched backup restores, and a new customer in it starts with no credit.
    const restored = await call(b.core, { ...b.conn, imports: picking(backup) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
    const owner = connect();
    await call(b.core, owner, 'auth.login', { businessId: restored.business!.id, email: 'olivia@example.com', password: OWNER_PASSWORD });
    const customer = await call(b.core, owner, 'customers.create', { name: 'New', email: 'new@example.com', paymentMethod: 'manual' });
    expect(customer.creditBalance).toBe(0);
    b.close();
  });
});

describe('only an owner of the business in the backup may restore it', () => {
  it('refuses a logged-out caller without an owner password, before a file is even picked', async () => {
    const { b, backup } = await businessWithBackup();
    const source = picking(backup);
    expect(await callError(b.core, { ...connect(), imports: source }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'unauthenticated', field: 'email' });
    expect(source.picks).toBe(0);
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(1);
    b.close();
  });

  it('refuses a wrong password, a staff member logged in, and a staff member\'s password from the file', async () => {
    const { b, backup } = await businessWithBackup();
    const loggedOut = { ...connect(), imports: picking(backup) };
    expect(await callError(b.core, loggedOut, 'backup.restore', { email: 'olivia@example.com', password: 'not it at all', passphrase: BACKUP_PASSPHRASE })).toMatchObject({
      code: 'validation',
      field: 'password',
    });
    expect(await callError(b.core, loggedOut, 'backup.restore', { email: 'nobody@example.com', password: OWNER_PASSWORD, passphrase: BACKUP_PASSPHRASE })).toMatchObject({
      code: 'validation',
      field: 'password',
    });
    expect(await callError(b.core, loggedOut, 'backup.restore', { ...STAFF, passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'forbidden' });
    expect(await callError(b.core, loggedOut, 'backup.restore', { email: 'olivia@example.com', passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'validation', field: 'password' });

    const staff = { ...connect(), imports: picking(backup) };
    await call(b.core, staff, 'auth.login', { businessId: b.businessId, ...STAFF });
    const source = staff.imports;
    expect(await callError(b.core, staff, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'forbidden' });
    expect(source.picks).toBe(0);
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(1);
    b.close();
  });

  it("refuses a logged-in owner of another business without the backup's owner password", async () => {
    const { b, backup } = await businessWithBackup();
    const other = await signUp(b.core, { businessName: 'Other Co', ownerEmail: 'other@example.com' });
    const conn = { ...other.conn, imports: picking(backup) };
    expect(await callError(b.core, conn, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'validation', field: 'email', message: expect.stringContaining('another business') });
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(2);
    // With the password of an owner in the file, they may.
    const restored = await call(b.core, conn, 'backup.restore', { email: 'olivia@example.com', password: OWNER_PASSWORD, passphrase: BACKUP_PASSPHRASE });
    expect(restored.business?.name).toBe('Sunrise Yoga (restored)');
    b.close();
  });

  it('accepts the logged-in owner of the business, and a logged-out caller with an owner password from the file', async () => {
    const { b, backup } = await businessWithBackup();
    const owner = await call(b.core, { ...b.conn, imports: picking(backup) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
    expect(owner.business?.name).toBe('Sunrise Yoga (restored)');
    const fromPicker = await call(b.core, { ...connect(), imports: picking(backup) }, 'backup.restore', { email: 'OLIVIA@example.com', password: OWNER_PASSWORD, passphrase: BACKUP_PASSPHRASE });
    expect(fromPicker.business?.name).toBe('Sunrise Yoga (restored 2)');
    const ids = (await call(b.core, connect(), 'business.list', {})).map((x) => x.id);
    expect(new Set(ids).size).toBe(3);
    b.close();
  });
});

describe('business restore on the command line', () => {
  it('needs --user and RECURRA_PASSWORD of an owner in the backup: otherwise exit 3 and nothing restored', async () => {
    const { runCli } = await import('../../../src-main/cli/main');
    const { b, backup } = await businessWithBackup();
    const dataDir = b.core.paths.dataDir;
    b.close();
    const out: string[] = [];
    const io = (env: Record<string, string>) => ({ env: { RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE, ...env }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) });
    const restore = (extra: string[], env: Record<string, string>) => runCli(['--data-dir', dataDir, '--json', ...extra, 'business', 'restore', '--file', backup], io(env));
    expect(await restore([], { RECURRA_PASSWORD: OWNER_PASSWORD })).toBe(3);
    expect(await restore(['--user', 'olivia@example.com'], {})).toBe(3);
    expect(await restore(['--user', 'olivia@example.com'], { RECURRA_PASSWORD: 'not the password' })).toBe(3);
    expect(out.at(-1)).toContain('Wrong email or password for this backup');
    expect(await restore(['--user', STAFF.email], { RECURRA_PASSWORD: STAFF.password })).toBe(3);
    expect(fs.readdirSync(path.join(dataDir, 'businesses')).filter((f) => f.endsWith('.sqlite')).length).toBe(1);
    expect(await restore(['--user', 'olivia@example.com'], { RECURRA_PASSWORD: OWNER_PASSWORD })).toBe(0);
    expect(fs.readdirSync(path.join(dataDir, 'businesses')).filter((f) => f.endsWith('.sqlite')).length).toBe(2);
  });
});

describe('a backup made by an older version', () => {
  /** A file as an older Recurra left it: migrated to `version`, one business and its owner. */
  function oldBackup(version: number): string {
    const file = path.join(tempDir(), `v${version}.recurra`);
    const db = new Database(file);
    migrate(db, loadMigrations(MIGRATIONS_DIR).slice(0, version));
    const at = '2025-06-01T10:00:00.000Z';
    db.prepare("INSERT INTO business (id, name, currency, timezone, created_at, updated_at) VALUES ('old-biz', 'Old Co', 'EUR', 'Europe/Paris', ?, ?)").run(at, at);
    db.prepare(
      "INSERT INTO users (id, name, email, email_normalized, role, password_hash, password_changed_at, created_at, updated_at) VALUES ('old-owner', 'O', 'o@example.com', 'o@example.com', 'owner', ?, ?, ?, ?)",
    ).run(hashPassword(OWNER_PASSWORD), at, at, at);
    db.close();
    return file;
  }

  it.each([1, 5])('at data version %i: compared with a fresh file of that version, migrated, restored', async (version) => {
    expect(version).toBeLessThan(loadMigrations(MIGRATIONS_DIR).length);
    const { core } = makeCore();
    const conn = { ...connect(), imports: picking(oldBackup(version)) };
    const restored = await call(core, conn, 'backup.restore', { email: 'o@example.com', password: OWNER_PASSWORD, passphrase: BACKUP_PASSPHRASE });
    expect(restored.business).toMatchObject({ name: 'Old Co', currency: 'EUR' });
    const owner = connect();
    await call(core, owner, 'auth.login', { businessId: restored.business!.id, email: 'o@example.com', password: OWNER_PASSWORD });
    expect((await call(core, owner, 'customers.create', { name: 'N', email: 'n@example.com', paymentMethod: 'manual' })).creditBalance).toBe(0);

    const planted = tampered(oldBackup(version), (db) => db.exec('CREATE TRIGGER evil AFTER INSERT ON customers BEGIN UPDATE customers SET credit_balance = 999999; END'));
    expect(await callError(core, { ...connect(), imports: picking(planted) }, 'backup.restore', { email: 'o@example.com', password: OWNER_PASSWORD, passphrase: BACKUP_PASSPHRASE })).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('trigger "evil"'),
    });
    core.close();
  });
});
