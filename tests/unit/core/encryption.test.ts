import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encryptInPlace, encryptTempName, fileKind, keyAccount, openExisting, type EncryptStep } from '../../../src-main/core/db/keyring';
import { loadMigrations, migrate } from '../../../src-main/core/db/migrate';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { Core } from '../../../src-main/core/core';
import { FileSecretStore, SECRETS_FILE } from '../../../src-main/core/file-secret-store';
import { silentLogger, type SecretStore } from '../../../src-main/core/ports';
import { bundleChild, type ChildBundle } from '../../support/child-bundle';
import { call, callError, connect, FakeClock, makeCore, MIGRATIONS_DIR, openBusinessFile, OWNER_PASSWORD, SIGN_UP, signUp, tempDir } from '../../support/core';

// Issue 16, part 2: each business file is encrypted at rest with a random key kept by the secret store.

/** encrypt-child.ts, bundled once for this file's processes. */
let child: ChildBundle;
beforeAll(async () => {
  child = await bundleChild(path.resolve(import.meta.dirname, '../../support/encrypt-child.ts'));
}, 60_000);
afterAll(() => child?.remove());
const ROOT = path.resolve(import.meta.dirname, '../../..');

function secrets(dataDir: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8')) as Record<string, string>;
}

function writeSecrets(dataDir: string, value: Record<string, string>): void {
  fs.writeFileSync(path.join(dataDir, SECRETS_FILE), JSON.stringify(value), { mode: 0o600 });
}

/** A business with one customer, closed; its file and data folder. */
async function business() {
  const { core, dataDir } = makeCore();
  const { conn, businessId } = await signUp(core);
  await call(core, conn, 'customers.create', { name: 'Private Person', email: 'private@example.com', paymentMethod: 'manual' });
  core.close();
  return { dataDir, businessId, file: path.join(dataDir, 'businesses', `${businessId}.sqlite`) };
}

/** Turns a business back into a file from before encryption: decrypted in place, its key gone from the store. */
function decrypt(dataDir: string, businessId: string, file: string): void {
  const db = openBusinessFile(file);
  db.pragma('journal_mode = DELETE');
  db.pragma("rekey = ''");
  db.close();
  const rest = secrets(dataDir);
  delete rest[keyAccount(businessId)];
  writeSecrets(dataDir, rest);
  expect(fileKind(file)).toBe('plain');
}

async function customerNames(dataDir: string, businessId: string) {
  const { core } = makeCore({ dataDir });
  const conn = connect();
  await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
  const names = (await call(core, conn, 'customers.list', {})).rows.map((c) => c.name);
  core.close();
  return names;
}

describe('a business file at rest', () => {
  it('is encrypted from sign-up: plain SQLite reads "file is not a database", and no name shows in its bytes', async () => {
    const { dataDir, businessId, file } = await business();
    expect(fileKind(file)).toBe('encrypted');
    const plain = new Database(file, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM customers').get()).toThrow('file is not a database');
    plain.close();
    for (const f of [file, `${file}-wal`].filter((f) => fs.existsSync(f))) {
      expect(fs.readFileSync(f).includes('Private Person')).toBe(false);
    }
    // The key is in the secret store (a 0600 file here), 256 random bits, and opens the books.
    expect(secrets(dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    expect((fs.statSync(path.join(dataDir, SECRETS_FILE)).mode & 0o777).toString(8)).toBe('600');
    expect(await customerNames(dataDir, businessId)).toEqual(['Private Person']);
  });

  it('from before encryption is encrypted on its first open, its data kept', async () => {
    const { dataDir, businessId, file } = await business();
    decrypt(dataDir, businessId, file);
    expect(await customerNames(dataDir, businessId)).toEqual(['Private Person']);
    expect(fileKind(file)).toBe('encrypted');
    expect(secrets(dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(encryptTempName(file))).toBe(false);
  });

  const steps: EncryptStep[] = ['checkpointed', 'writing', 'written', 'synced', 'renamed'];
  it.each(steps)('encrypted in place, killed after "%s": the next open finds a usable file and finishes', async (step) => {
    const { dataDir, businessId, file } = await business();
    decrypt(dataDir, businessId, file);
    const killed = spawnSync(process.execPath, [child.file, dataDir, MIGRATIONS_DIR, businessId, step], { cwd: ROOT, encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(fileKind(file)).toBe(step === 'renamed' ? 'encrypted' : 'plain');
    expect(await customerNames(dataDir, businessId)).toEqual(['Private Person']);
    expect(fileKind(file)).toBe('encrypted');
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.encrypting'))).toEqual([]);
    const check = openBusinessFile(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('with its key missing or another key in the keychain: a clear error naming the recovery key, the file untouched', async () => {
    const { dataDir, businessId, file } = await business();
    const before = fs.readFileSync(file);
    const key = secrets(dataDir)[keyAccount(businessId)]!;
    writeSecrets(dataDir, { [keyAccount(businessId)]: 'ab'.repeat(32) });
    const { core } = makeCore({ dataDir });
    const wrong = await callError(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(wrong.message).toMatch(/does not open .*recovery key/);
    core.close();
    writeSecrets(dataDir, {});
    const { core: again } = makeCore({ dataDir });
    const missing = await callError(again, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(missing.message).toMatch(/not in this PC's keychain.*recovery key/);
    again.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    writeSecrets(dataDir, { [keyAccount(businessId)]: key });
    expect(await customerNames(dataDir, businessId)).toEqual(['Private Person']);
  });
});

describe('no plain copy of the books on disk, ever', () => {
  const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

  /** Every file in the folder (work files and journals included) whose bytes show plain SQLite or plain text. */
  function plainFiles(dir: string, texts: string[], except: string[] = []): string[] {
    return fs
      .readdirSync(dir)
      .map((f) => path.join(dir, f))
      .filter((f) => fs.statSync(f).isFile() && !except.includes(f))
      .filter((f) => {
        const bytes = fs.readFileSync(f);
        return bytes.subarray(0, 16).equals(HEADER) || texts.some((t) => bytes.includes(t));
      })
      .map((f) => path.basename(f));
  }

  /** Records every write or copy made through node's fs whose bytes are a plain SQLite file. */
  function watchPlainWrites() {
    const seen: string[] = [];
    const isPlain = (data: unknown) => (Buffer.isBuffer(data) || data instanceof Uint8Array) && Buffer.from(data.buffer, data.byteOffset, Math.min(16, data.byteLength)).equals(HEADER);
    const spies = [
      vi.spyOn(fs, 'writeFileSync').mockImplementation(function (this: unknown, ...args: Parameters<typeof fs.writeFileSync>) {
        if (isPlain(args[1])) seen.push(`writeFileSync ${String(args[0])}`);
        return original.writeFileSync.apply(this, args);
      }),
      vi.spyOn(fs, 'writeSync').mockImplementation(function (this: unknown, ...args: unknown[]) {
        if (isPlain(args[1])) seen.push('writeSync');
        return (original.writeSync as (...a: unknown[]) => number).apply(this, args);
      }),
      vi.spyOn(fs, 'copyFileSync').mockImplementation(function (this: unknown, ...args: Parameters<typeof fs.copyFileSync>) {
        const result = original.copyFileSync.apply(this, args);
        if (fileKind(String(args[1])) === 'plain') seen.push(`copyFileSync ${String(args[1])}`);
        return result;
      }),
    ];
    return { seen, restore: () => spies.forEach((s) => s.mockRestore()) };
  }
  const original = { writeFileSync: fs.writeFileSync, writeSync: fs.writeSync, copyFileSync: fs.copyFileSync };

  it('a new business: its file is keyed while still empty, so no file made on the way (work file, journal) is plain SQLite', async () => {
    // Through sign-up: nothing written through node's fs is a plain SQLite image.
    const watch = watchPlainWrites();
    let made: Awaited<ReturnType<typeof business>>;
    try {
      made = await business();
    } finally {
      watch.restore();
    }
    expect(watch.seen).toEqual([]);
    expect(fileKind(made.file)).toBe('encrypted');

    // Step by step (SQLite writes its own files, which node's fs does not see): the folder at each step.
    const dir = tempDir();
    const file = path.join(dir, 'b.sqlite');
    const key = crypto.randomBytes(32);
    const steps: string[] = [];
    const db = openBusinessDb('b', file, {
      migrationsDir: MIGRATIONS_DIR,
      create: true,
      key,
      onCreateStep: (step) => {
        steps.push(`${step}: ${fs.readdirSync(dir).length} files`);
        expect(plainFiles(dir, ['CREATE TABLE']), step).toEqual([]);
      },
    });
    // A journal was there while the schema went in ("writing"): it was looked at too.
    expect(steps).toEqual(['created: 1 files', 'writing: 2 files', 'synced: 1 files', 'linked: 2 files']);
    // The encrypted file is the one replaying the migrations makes: same schema, rows and version.
    const replayed = new Database(path.join(dir, 'replayed.sqlite'));
    migrate(replayed, loadMigrations(MIGRATIONS_DIR));
    const schemaOf = (d: Database.Database) => d.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all();
    expect(schemaOf(db.sqlite)).toEqual(schemaOf(replayed));
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(replayed.pragma('user_version', { simple: true }));
    // Every stored table, the search indexes' shadow tables included, row for row and rowid for rowid.
    const stored = db.sqlite.prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow') AND name NOT LIKE 'sqlite_%'").all() as { name: string; wr: number }[];
    expect(stored.length).toBeGreaterThan(60);
    for (const { name, wr } of stored) {
      const sql = `SELECT ${wr ? '' : 'rowid, '}* FROM "${name}"`;
      expect(db.sqlite.prepare(sql).all(), name).toEqual(replayed.prepare(sql).all());
    }
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    db.sqlite.close();
    replayed.close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.new'))).toEqual([]);
    expect(fileKind(file)).toBe('encrypted');
  });

  it('a file from before encryption: encrypted in place with no plain copy beside the original, its rows, ids and search kept', async () => {
    const { dataDir, businessId, file } = await business();
    const key = Buffer.from(secrets(dataDir)[keyAccount(businessId)]!, 'hex');
    decrypt(dataDir, businessId, file);
    const dir = path.dirname(file);
    const before = openBusinessFile(file, { readonly: true });
    const rows = (d: Database.Database) => ({
      customers: d.prepare('SELECT rowid, * FROM customers').all(),
      found: d.prepare("SELECT rowid FROM customers_fts WHERE customers_fts MATCH 'Private'").all(),
      version: d.pragma('user_version', { simple: true }),
    });
    const expected = rows(before);
    before.close();
    expect(expected.found).toHaveLength(1);
    const seen: string[] = [];
    const watch = watchPlainWrites();
    try {
      encryptInPlace(file, key, {
        onStep: (step) => {
          seen.push(step);
          // Only the original may be plain until the encrypted file replaces it.
          expect(plainFiles(dir, ['Private Person', 'CREATE TABLE'], [file]), step).toEqual([]);
        },
      });
    } finally {
      watch.restore();
    }
    expect(watch.seen).toEqual([]);
    expect(seen).toEqual(['checkpointed', 'writing', 'written', 'synced', 'renamed']);
    expect(plainFiles(dir, ['Private Person', 'CREATE TABLE'])).toEqual([]);
    const after = openExisting(file, { readonly: true, key });
    expect(rows(after)).toEqual(expected);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });
});

describe('a keychain that refuses', () => {
  /** The data folder's store, refusing every call while `refusing` is set (a locked or denied OS keychain). */
  class RefusingStore implements SecretStore {
    refusing = true;
    constructor(private readonly inner: SecretStore) {}
    private check() {
      if (this.refusing) throw new Error('User interaction is not allowed.');
    }
    async get(account: string) {
      this.check();
      return this.inner.get(account);
    }
    async set(account: string, secret: string) {
      this.check();
      return this.inner.set(account, secret);
    }
    async delete(account: string) {
      this.check();
      return this.inner.delete(account);
    }
  }

  const coreWith = (dataDir: string, store: SecretStore) =>
    new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock: new FakeClock(), logger: silentLogger, secrets: store });

  it('at sign-up: a clear error naming the keychain, and no business or file left behind', async () => {
    const dataDir = tempDir();
    const store = new RefusingStore(new FileSecretStore(dataDir, () => undefined));
    const core = coreWith(dataDir, store);
    const refused = await callError(core, connect(), 'business.signUp', SIGN_UP);
    expect(refused.message).toMatch(/keychain refused.*Unlock the keychain/);
    expect(await call(core, connect(), 'business.list', {})).toEqual([]);
    const folder = path.join(dataDir, 'businesses');
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);
    // Once the keychain answers again, the same sign-up works.
    store.refusing = false;
    const { businessId } = await signUp(core);
    expect(fileKind(path.join(folder, `${businessId}.sqlite`))).toBe('encrypted');
    core.close();
  });

  it('when opening: a clear error naming the keychain, the file untouched; it opens once the keychain answers', async () => {
    const { dataDir, businessId, file } = await business();
    const before = fs.readFileSync(file);
    const store = new RefusingStore(new FileSecretStore(dataDir, () => undefined));
    const core = coreWith(dataDir, store);
    const refused = await callError(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(refused.message).toMatch(/keychain refused.*Unlock the keychain/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    store.refusing = false;
    const conn = connect();
    await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect((await call(core, conn, 'customers.list', {})).rows.map((c) => c.name)).toEqual(['Private Person']);
    core.close();
  });
});

describe('the recovery key', () => {
  it('unlocks the books on a PC whose keychain lost their key, puts the key back, and is audited', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
    expect((fs.statSync(`${file}.unlock`).mode & 0o777).toString(8)).toBe('600');
    writeSecrets(dataDir, {});
    const { core: pc } = makeCore({ dataDir });
    const login = { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD };
    expect((await callError(pc, connect(), 'auth.login', login)).message).toMatch(/recovery key/);
    expect(await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).toMatchObject({ code: 'validation', field: 'recoveryKey' });
    // As typed from paper: lower case, spaces for dashes.
    await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey.toLowerCase().replace(/-/g, ' ') });
    expect(secrets(dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    const owner = connect();
    await call(pc, owner, 'auth.login', login);
    const audit = await call(pc, owner, 'audit.list', {});
    expect(audit.entries.map((r) => r.action)).toContain('business.keyRestored');
    // A new recovery key rewraps the data key: the old one stops unlocking, the new one works.
    const { recoveryKey } = await call(pc, owner, 'auth.newRecoveryKey', { currentPassword: OWNER_PASSWORD });
    pc.close();
    writeSecrets(dataDir, {});
    const { core: next } = makeCore({ dataDir });
    expect(await callError(next, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey })).toMatchObject({ field: 'recoveryKey' });
    await call(next, connect(), 'business.unlock', { businessId, recoveryKey });
    await call(next, connect(), 'auth.login', login);
    next.close();
  });
});

describe('a locked file with no registry row (a data folder copied without registry.sqlite)', () => {
  it('is listed as locked by its id, name unknown; the recovery key unlocks it and its name shows', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    // The folder on a new PC: the business file and its recovery wrap, no registry, no keychain entry.
    fs.rmSync(path.join(dataDir, 'registry.sqlite'));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(dataDir, `registry.sqlite${suffix}`), { force: true });
    writeSecrets(dataDir, {});
    // Beside it, a plain file that is not a business: not listed.
    fs.writeFileSync(path.join(dataDir, 'businesses', 'notes.sqlite'), 'not a database at all');
    const { core: pc } = makeCore({ dataDir });
    expect(await call(pc, connect(), 'business.list', {})).toEqual([
      { id: businessId, name: businessId, currency: null, timezone: null, nameKnown: false, syncServer: null, locked: true, recoverySetUp: true },
    ]);
    // The command line lists it too, and says how to unlock it.
    const { runCli } = await import('../../../src-main/cli/main');
    const out: string[] = [];
    expect(await runCli(['--data-dir', dataDir, 'business', 'list'], { env: {}, stdout: (t: string) => out.push(t), stderr: () => {} })).toBe(0);
    expect(out.join('')).toContain(`The business in ${businessId}.sqlite (its name is inside it) is locked on this PC: run a command with --business ${businessId} and env RECURRA_RECOVERY_KEY`);
    // A wrong key is refused; the right one unlocks it, and the list now reads its name from the file.
    expect(await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).toMatchObject({ code: 'validation', field: 'recoveryKey' });
    await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey });
    const listed = await call(pc, connect(), 'business.list', {});
    expect(listed.find((b) => b.id === businessId)).toMatchObject({ name: SIGN_UP.businessName, currency: SIGN_UP.currency, nameKnown: true, locked: false });
    await call(pc, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    pc.close();
  });
});

describe('a locked business file copied in under a name of the user\'s (my-books.sqlite)', () => {
  it('is listed by its file name, locked; the recovery key unlocks it once its .unlock file is beside it, and it is then listed by its own id and name', async () => {
    const { core, dataDir: oldPc } = makeCore();
    const { conn: owner, session, businessId } = await signUp(core);
    await call(core, owner, 'customers.create', { name: 'Private Person', email: 'private@example.com', paymentMethod: 'manual' });
    core.close();
    // A new PC: the file copied in by hand under another name, no keychain entry, no registry row.
    const { core: pc, dataDir } = makeCore();
    const books = path.join(dataDir, 'businesses', 'my-books.sqlite');
    fs.copyFileSync(path.join(oldPc, 'businesses', `${businessId}.sqlite`), books);
    fs.writeFileSync(path.join(dataDir, 'businesses', 'notes.sqlite'), 'not a database at all');
    const locked = { id: 'my-books', name: 'my-books', currency: null, timezone: null, nameKnown: false, syncServer: null, locked: true, recoverySetUp: false };
    expect(await call(pc, connect(), 'business.list', {})).toEqual([locked]);
    // Its data key under the recovery key is in the file that was beside it on the old PC: the error says so.
    const missing = await callError(pc, connect(), 'business.unlock', { businessId: 'my-books', recoveryKey: session.recoveryKey });
    expect(missing).toMatchObject({ code: 'validation', field: 'recoveryKey' });
    expect(missing.message).toContain('my-books.sqlite.unlock');
    // A name with a path in it never reaches a file outside the folder.
    expect(await callError(pc, connect(), 'business.unlock', { businessId: '../registry', recoveryKey: session.recoveryKey })).toMatchObject({ code: 'not_found' });
    fs.copyFileSync(path.join(oldPc, 'businesses', `${businessId}.sqlite.unlock`), `${books}.unlock`);
    expect((await call(pc, connect(), 'business.list', {}))[0]).toMatchObject({ id: 'my-books', recoverySetUp: true });
    expect(await callError(pc, connect(), 'business.unlock', { businessId: 'my-books', recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).toMatchObject({ field: 'recoveryKey' });
    // Unlocked: the answer names the business's own id (read from the file) to log in with.
    expect(await call(pc, connect(), 'business.unlock', { businessId: 'my-books', recoveryKey: session.recoveryKey })).toEqual({ unlocked: true, businessId, keyRestored: true, recoverySetUp: false });
    expect(await call(pc, connect(), 'business.list', {})).toEqual([
      { id: businessId, name: SIGN_UP.businessName, currency: SIGN_UP.currency, timezone: SIGN_UP.timezone, nameKnown: true, syncServer: null, locked: false, recoverySetUp: true },
    ]);
    expect(secrets(dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    const conn = connect();
    await call(pc, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect((await call(pc, conn, 'customers.list', {})).rows.map((c) => c.name)).toEqual(['Private Person']);
    const audit = (await call(pc, conn, 'audit.list', {})).entries.map((e) => e.action);
    expect(audit).toContain('business.keyRestored');
    expect(audit).toContain('business.unlockFailed'); // the wrong key typed while it was locked
    pc.close();
    // Next start: it opens with the key now in the keychain, under its file name still.
    expect(await customerNames(dataDir, businessId)).toEqual(['Private Person']);
    expect(fs.existsSync(books)).toBe(true);
  });

  it('on the command line: the list names the file, and --business my-books with RECURRA_RECOVERY_KEY unlocks it and runs the command', async () => {
    const { core, dataDir: oldPc } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'businesses'));
    for (const suffix of ['', '.unlock']) fs.copyFileSync(path.join(oldPc, 'businesses', `${businessId}.sqlite${suffix}`), path.join(dataDir, 'businesses', `my-books.sqlite${suffix}`));
    const { runCli } = await import('../../../src-main/cli/main');
    const out: string[] = [];
    const io = (env: Record<string, string>) => ({ env: { RECURRA_PASSWORD: OWNER_PASSWORD, ...env }, stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) });
    expect(await runCli(['--data-dir', dataDir, 'business', 'list'], io({}))).toBe(0);
    expect(out.join('')).toContain('The business in my-books.sqlite (its name is inside it) is locked on this PC: run a command with --business my-books and env RECURRA_RECOVERY_KEY');
    out.length = 0;
    const list = (business: string) => ['--data-dir', dataDir, '--business', business, '--user', 'olivia@example.com', '--json', 'customer', 'list'];
    expect(await runCli(list('my-books'), io({ RECURRA_RECOVERY_KEY: session.recoveryKey }))).toBe(0);
    expect(out.join('')).toContain(`my-books.sqlite holds the business with id ${businessId}: use --business ${businessId} from now on.`);
    expect(await runCli(list(businessId), io({}))).toBe(0);
  });
});

describe('wrong recovery keys typed against a locked file', () => {
  it('are kept in the registry (when, not what), five lock unlocking for 15 minutes, and go into the audit log once unlocked', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    writeSecrets(dataDir, {});
    const clock = new FakeClock(new Date('2026-03-02T09:00:00Z'));
    const { core: pc } = makeCore({ dataDir, clock });
    const wrong = { businessId, recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' };
    for (let i = 0; i < 5; i++) {
      expect((await callError(pc, connect(), 'business.unlock', wrong)).message).toMatch(/does not unlock this business/);
      clock.advance(60_000);
    }
    expect(pc.businesses.registry.unlockFailures(businessId)).toHaveLength(5);
    const registry = fs.readFileSync(path.join(dataDir, 'registry.sqlite'));
    expect(registry.includes(Buffer.from('AAAA'))).toBe(false);
    // Locked out: even the right key waits, and the attempt is not counted.
    const refused = await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey });
    expect(refused).toMatchObject({ code: 'validation', field: 'recoveryKey', message: 'Too many wrong recovery keys. Try again in 14 minutes.' });
    expect(pc.businesses.registry.unlockFailures(businessId)).toHaveLength(5);
    clock.advance(14 * 60_000);
    await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey });
    expect(pc.businesses.registry.unlockFailures(businessId)).toEqual([]);
    const owner = connect();
    await call(pc, owner, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    const audit = (await call(pc, owner, 'audit.list', {})).entries;
    const failed = audit.filter((r) => r.action === 'business.unlockFailed');
    expect(failed.map((r) => r.at).sort()).toEqual([0, 1, 2, 3, 4].map((m) => new Date(Date.parse('2026-03-02T09:00:00Z') + m * 60_000).toISOString()));
    expect(audit.map((r) => r.action)).toContain('business.keyRestored');
    pc.close();
  });
});

describe('a file the recovery key was never shown (encrypted on upgrade)', () => {
  it('says recovery is not set up, until the owner types the key once: then the key unlocks it on a PC that lost its key', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
    // An older Recurra's file: plain, no key in the store, no wrap beside it.
    decrypt(dataDir, businessId, file);
    fs.rmSync(`${file}.unlock`);
    const { core: pc } = makeCore({ dataDir });
    const owner = connect();
    await call(pc, owner, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(fileKind(file)).toBe('encrypted');
    expect(fs.existsSync(`${file}.unlock`)).toBe(false);
    expect(await call(pc, owner, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: false });
    expect(await call(pc, connect(), 'business.list', {})).toEqual([expect.objectContaining({ id: businessId, locked: false, recoverySetUp: false })]);

    // A wrong key is a field error and writes nothing; the right one, as typed from paper, sets it up once.
    expect(await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).toMatchObject({
      code: 'validation',
      field: 'recoveryKey',
      message: expect.stringContaining('not the recovery key'),
    });
    expect(fs.existsSync(`${file}.unlock`)).toBe(false);
    const typed = session.recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: typed })).toEqual({ unlocked: true, businessId, keyRestored: false, recoverySetUp: true });
    expect(await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: typed })).toEqual({ unlocked: true, businessId, keyRestored: false, recoverySetUp: false });
    expect(await call(pc, owner, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: true });
    const audit = await call(pc, owner, 'audit.list', {});
    expect(audit.entries.filter((r) => r.action === 'business.recoverySetUp')).toHaveLength(1);
    pc.close();

    // The keychain loses the key: the recovery key unlocks the books.
    writeSecrets(dataDir, {});
    const { core: next } = makeCore({ dataDir });
    expect(await call(next, connect(), 'business.list', {})).toEqual([expect.objectContaining({ id: businessId, locked: true })]);
    expect(await call(next, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey })).toEqual({ unlocked: true, businessId, keyRestored: true, recoverySetUp: false });
    expect(await call(next, connect(), 'business.list', {})).toEqual([expect.objectContaining({ id: businessId, locked: false, recoverySetUp: true })]);
    next.close();
    expect(await customerNames(dataDir, businessId)).toEqual([]);
  });

  it('kept under an older recovery key (a new one made on another PC, synced here): not counted, the locked error names the older key, the new key sets it up', async () => {
    const { core, dataDir, clock } = makeCore();
    const { session, businessId, conn } = await signUp(core);
    const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
    const olderWrap = fs.readFileSync(`${file}.unlock`);
    (clock as FakeClock).advance(86_400_000);
    const { recoveryKey } = await call(core, conn, 'auth.newRecoveryKey', { currentPassword: OWNER_PASSWORD });
    // As on a PC that got the new key's hash through sync: its wrap is still under the older key.
    fs.writeFileSync(`${file}.unlock`, olderWrap, { mode: 0o600 });
    expect(await call(core, conn, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: false });
    core.close();

    writeSecrets(dataDir, {});
    const { core: pc } = makeCore({ dataDir });
    const refused = await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey });
    expect(refused).toMatchObject({ field: 'recoveryKey', message: expect.stringMatching(/the books open with the recovery key made on \d{4}-\d{2}-\d{2}/) });
    await call(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey });
    // Open again: the current key is checked and wrapped in place of the older one.
    expect(await call(pc, connect(), 'business.unlock', { businessId, recoveryKey })).toMatchObject({ recoverySetUp: true });
    const owner = connect();
    await call(pc, owner, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(await call(pc, owner, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: true });
    expect(await callError(pc, connect(), 'business.unlock', { businessId, recoveryKey: session.recoveryKey })).toMatchObject({ field: 'recoveryKey' });
    pc.close();
  });

  it('on the command line: the business list says so, and one command with RECURRA_RECOVERY_KEY sets it up', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
    decrypt(dataDir, businessId, file);
    fs.rmSync(`${file}.unlock`);
    const { runCli } = await import('../../../src-main/cli/main');
    const out: string[] = [];
    const io = (env: Record<string, string>) => ({ env: { RECURRA_PASSWORD: OWNER_PASSWORD, ...env }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) });
    expect(await runCli(['--data-dir', dataDir, 'business', 'list'], io({}))).toBe(0);
    expect(out.join('')).toContain('Sunrise Yoga: its recovery key cannot unlock its encrypted file yet; run a command once with env RECURRA_RECOVERY_KEY');
    out.length = 0;
    const args = ['--data-dir', dataDir, '--business', businessId, '--user', 'olivia@example.com', '--json', 'customer', 'list'];
    expect(await runCli(args, io({ RECURRA_RECOVERY_KEY: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }))).not.toBe(0);
    expect(out.join('')).toContain('not the recovery key');
    out.length = 0;
    expect(await runCli(args, io({ RECURRA_RECOVERY_KEY: session.recoveryKey }))).toBe(0);
    expect(out.join('')).toContain('can now also unlock');
    expect(fs.existsSync(`${file}.unlock`)).toBe(true);
    out.length = 0;
    expect(await runCli(['--data-dir', dataDir, 'business', 'list'], io({}))).toBe(0);
    expect(out.join('')).not.toContain('RECURRA_RECOVERY_KEY');
  });
});

describe('the recovery key on the command line', () => {
  it('RECURRA_RECOVERY_KEY unlocks a business whose key the keychain lost; without it the error names it', async () => {
    const { core, dataDir } = makeCore();
    const { session, businessId } = await signUp(core);
    core.close();
    writeSecrets(dataDir, {});
    const { runCli } = await import('../../../src-main/cli/main');
    const out: string[] = [];
    const io = (env: Record<string, string>) => ({ env: { RECURRA_PASSWORD: OWNER_PASSWORD, ...env }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) });
    const args = ['--data-dir', dataDir, '--business', businessId, '--user', 'olivia@example.com', '--json', 'customer', 'list'];
    expect(await runCli(args, io({}))).not.toBe(0);
    expect(out.join('')).toContain('RECURRA_RECOVERY_KEY');
    out.length = 0;
    expect(await runCli(args, io({ RECURRA_RECOVERY_KEY: session.recoveryKey }))).toBe(0);
    expect(secrets(dataDir)[keyAccount(businessId)]).toMatch(/^[0-9a-f]{64}$/);
    // The key is back: later commands need no recovery key.
    expect(await runCli(args, io({}))).toBe(0);
  });
});
