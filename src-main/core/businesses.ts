import fs from 'node:fs';
import path from 'node:path';
import { writeAudit } from './audit/audit';
import { fileKey, fileKind, keyAccount, newDataKey, openExisting, readRecoveryWrap, recoveryWrapOf, setFileKey, unlockFileOf } from './db/keyring';
import { DEFAULT_BUSY_TIMEOUT_MS, openBusinessDb, type BusinessDb } from './db/open';
import { KEYED_FILE, Registry } from './db/registry';
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from './auth/passwords';
import { AppError, notFound, validation } from './errors';
import { FileSecretStore } from './file-secret-store';
import type { Logger, Paths, SecretStore } from './ports';


/** Something that runs while a business is open (the billing timer, later sync). */
export interface BusinessService {
  start(db: BusinessDb): void;
  stop(businessId: string): void;
}

/**
 * Opens each business file once, runs its migrations, starts its services,
 * and closes it all again. There is no global "current database": callers get
 * the handle of the business their session belongs to.
 */
export class Businesses {
  readonly registry: Registry;
  private readonly open = new Map<string, BusinessDb>();
  private readonly services: BusinessService[] = [];
  /** The files whose keys this object loaded from its secret store (or made). */
  private readonly keyed = new Set<string>();
  /** Businesses under another file name whose key is known to be in the store. */
  private readonly stored = new Set<string>();

  constructor(
    private readonly paths: Paths,
    private readonly logger: Logger,
    /** How long a statement blocks this thread for another connection's write lock (open.ts). */
    private readonly busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
    /** Where the businesses' data keys are kept (default: the 0600 file in the data folder). */
    readonly secrets: SecretStore = new FileSecretStore(paths.dataDir, (message) => logger.warn(message)),
  ) {
    this.registry = new Registry(paths.dataDir, paths.sqliteNativeBinding);
  }

  /**
   * Loads a business's data key from the secret store into this process's
   * keyring (db/keyring.ts), so its file can be opened. A plain file (from
   * before encryption, a restore, a join) is given a new key, stored first:
   * the next open encrypts the file in place with it. An encrypted file whose
   * key is not in the store stays locked (the recovery key unlocks it).
   */
  async unlock(businessId: string, file = this.registry.fileFor(businessId)): Promise<'unlocked' | 'locked'> {
    if (this.keyed.has(file)) return 'unlocked';
    const stored = await this.readKey(businessId);
    if (stored) {
      this.remember(file, Buffer.from(stored, 'hex'));
      return 'unlocked';
    }
    if (fileKind(file) === 'encrypted') {
      // The secret store is the truth: a key this process held before (another Core) is not used.
      setFileKey(file, null);
      return 'locked';
    }
    await this.createKey(businessId, file);
    return 'unlocked';
  }

  /** Unlocks every business file in the folder this process has no key for yet (cheap once all are). */
  async unlockAll(): Promise<void> {
    let names: string[];
    try {
      names = fs.readdirSync(this.registry.businessesDir);
    } catch {
      return;
    }
    for (const name of names) {
      const id = KEYED_FILE.exec(name)?.[1];
      if (id && !this.keyed.has(path.join(this.registry.businessesDir, name))) await this.unlock(id);
    }
    // Files under other names (copied by hand): a copy of an encrypted file was read with its
    // original's key (registry.ts), which is stored under the copy's own id here.
    for (const entry of this.registry.list()) {
      if (path.basename(entry.file) === `${entry.id}.sqlite` || this.stored.has(entry.id)) continue;
      const key = fileKey(entry.file);
      if (!key) await this.unlock(entry.id, entry.file);
      else if (!(await this.readKey(entry.id))) await this.restoreKey(entry.id, key, entry.file);
      this.stored.add(entry.id);
    }
  }

  /** A new data key for a business, stored before any file uses it. */
  async createKey(businessId: string, file = this.registry.fileFor(businessId)): Promise<Buffer> {
    const key = newDataKey();
    try {
      await this.secrets.set(keyAccount(businessId), key.toString('hex'));
    } catch (error) {
      throw keychainError(error);
    }
    this.remember(file, key);
    return key;
  }

  /** Puts a key back into the secret store (one unlocked with the recovery key). */
  async restoreKey(businessId: string, key: Buffer, file = this.registry.fileFor(businessId)): Promise<void> {
    try {
      await this.secrets.set(keyAccount(businessId), key.toString('hex'));
    } catch (error) {
      throw keychainError(error);
    }
    this.remember(file, key);
  }

  /**
   * The recovery key unwraps the data key kept beside the file (keyring.ts), which must open the
   * file; it goes back into the secret store, and the business's audit log records it. `businessId`
   * may also be the name a locked file is listed by (`my-books` for `my-books.sqlite`: registry.ts
   * `unlisted`); the id returned is the business's own, read from the file once it opens.
   */
  async unlockWithRecoveryKey(businessId: string, recoveryKey: string, now: Date): Promise<{ outcome: 'restored' | 'open'; businessId: string }> {
    const file = this.registry.fileOf(businessId);
    if (!file || !fs.existsSync(file)) throw notFound('That business', 'businessId');
    // Already open with the keychain's key: nothing to restore (a script may pass the key on every run;
    // the caller checks the key and sets up its wrap where there is none: recovery-key.ts).
    if ((await this.unlock(businessId, file)) === 'unlocked') {
      try {
        openExisting(file, { nativeBinding: this.paths.sqliteNativeBinding }).close();
        return { outcome: 'open', businessId };
      } catch {
        // the keychain's key does not open it: the recovery key replaces it
      }
    }
    const failures = this.registry.unlockFailures(businessId);
    // As wrong passwords: five within 15 minutes lock unlocking for 15 minutes from the fifth.
    const last = failures.slice(-MAX_FAILED_LOGINS);
    const lockedUntil = last.length === MAX_FAILED_LOGINS && last.at(-1)! - last[0]! <= LOCKOUT_MS ? last.at(-1)! + LOCKOUT_MS : 0;
    if (now.getTime() < lockedUntil) {
      const minutes = Math.ceil((lockedUntil - now.getTime()) / 60_000);
      throw validation('recoveryKey', `Too many wrong recovery keys. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
    }
    const key = readRecoveryWrap(file, recoveryKey);
    const underItsId = path.basename(file) === `${businessId}.sqlite` && KEYED_FILE.test(path.basename(file));
    if (key === 'none' && !underItsId) {
      // A business file copied in under a name of the user's: the wrap beside it kept its old name.
      const name = path.basename(file);
      throw validation(
        'recoveryKey',
        `${name} has no data key kept under a recovery key beside it. Copy the file that was next to it on the other PC (named <id>.sqlite.unlock) into the same folder as ${name}.unlock, or give ${name} its original name back with its .unlock file, then unlock it again.`,
      );
    }
    if (key === 'none') {
      throw validation('recoveryKey', 'This business has no data key kept under a recovery key (it was encrypted before recovery keys unlocked it): find the PC whose keychain has it.');
    }
    if (!key) {
      this.registry.recordUnlockFailure(businessId, now);
      const wrap = recoveryWrapOf(file);
      const which = wrap !== 'none' && wrap.keyMadeAt !== 'unknown' ? ` On this PC, the books open with the recovery key made on ${wrap.keyMadeAt.slice(0, 10)}.` : '';
      throw validation('recoveryKey', `That recovery key does not unlock this business: check it against the one saved at sign-up (or the newest one made since).${which}`);
    }
    openExisting(file, { key, nativeBinding: this.paths.sqliteNativeBinding }).close();
    const id = underItsId ? businessId : this.idInside(file, key);
    this.close(id);
    await this.restoreKey(id, key, file);
    const db = this.get(id);
    db.sqlite
      .transaction(() => {
        // The wrong keys typed while it was locked, each at its time (kept in the registry until now).
        for (const at of failures) {
          writeAudit(db.orm, { userId: null, userEmail: null }, new Date(at), { action: 'business.unlockFailed', entity: 'business', entityId: id });
        }
        writeAudit(db.orm, { userId: null, userEmail: null }, now, { action: 'business.keyRestored', entity: 'business', entityId: id, after: { keyRestored: true } });
      })
      .immediate();
    if (failures.length > 0) this.registry.clearUnlockFailures(businessId, failures.at(-1)!);
    return { outcome: 'restored', businessId: id };
  }

  /**
   * The id of the business in a file under another name, once its key is known: the registry reads it
   * (and, if another file already has that id, makes this one a business of its own: registry.ts).
   */
  private idInside(file: string, key: Buffer): string {
    setFileKey(file, key);
    const entry = this.registry.list().find((e) => e.file === file);
    if (!entry) {
      setFileKey(file, null);
      throw validation('businessId', `${path.basename(file)} opens with this recovery key but holds no Recurra business.`);
    }
    return entry.id;
  }

  /** Removes the key of a business that was never made (a sign-up that failed). */
  async forgetKey(businessId: string, file = this.registry.fileFor(businessId)): Promise<void> {
    setFileKey(file, null);
    await this.secrets.delete(keyAccount(businessId)).catch(() => false);
  }

  private remember(file: string, key: Buffer): void {
    setFileKey(file, key);
    this.keyed.add(file);
  }

  private async readKey(businessId: string): Promise<string | null> {
    try {
      return await this.secrets.get(keyAccount(businessId));
    } catch (error) {
      throw keychainError(error);
    }
  }

  addService(service: BusinessService): void {
    this.services.push(service);
    for (const db of this.open.values()) service.start(db);
  }

  get(businessId: string): BusinessDb {
    const already = this.open.get(businessId);
    if (already) return already;
    const entry = this.registry.get(businessId);
    if (!entry) throw notFound('That business', 'businessId');
    const db = openBusinessDb(businessId, entry.file, this.openOptions());
    this.open.set(businessId, db);
    for (const service of this.services) {
      try {
        service.start(db);
      } catch (error) {
        this.logger.error('a business service failed to start', { businessId, error: String(error) });
      }
    }
    return db;
  }

  /** A new, empty, migrated file for a business being signed up. Not yet listed. */
  createFile(businessId: string): BusinessDb {
    const file = this.registry.fileFor(businessId);
    if (fs.existsSync(file)) throw new Error(`A business file already exists at ${file}`);
    return openBusinessDb(businessId, file, { ...this.openOptions(), create: true });
  }

  /** Lists a business created by createFile and keeps its handle open. */
  adopt(db: BusinessDb, entry: { name: string; currency: string; timezone: string; createdAt: string }): void {
    this.registry.add({ id: db.businessId, file: db.file, ...entry });
    this.open.set(db.businessId, db);
    for (const service of this.services) service.start(db);
  }

  /** Removes a half-made business file (sign-up failed after the file was created). */
  discardFile(db: BusinessDb): void {
    db.sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db.file + suffix, { force: true });
    fs.rmSync(unlockFileOf(db.file), { force: true });
  }

  isOpen(businessId: string): boolean {
    return this.open.has(businessId);
  }

  close(businessId: string): void {
    const db = this.open.get(businessId);
    if (!db) return;
    for (const service of this.services) service.stop(businessId);
    db.sqlite.close();
    this.open.delete(businessId);
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
    this.registry.close();
  }

  /** How this process opens business files (a file made elsewhere first, as a join does, uses the same). */
  openOptions() {
    // 5 s for the CLI and tests (a batch is short: they wait and succeed); the app and the browser host,
    // whose thread serves the UI, pass a short one and the dispatcher waits without blocking (rpc.ts).
    return { migrationsDir: this.paths.migrationsDir, nativeBinding: this.paths.sqliteNativeBinding, busyTimeoutMs: this.busyTimeoutMs };
  }
}

function keychainError(error: unknown): AppError {
  return new AppError(
    'conflict',
    `The system keychain refused to read or store a business key (${error instanceof Error ? error.message : String(error)}). Unlock the keychain (log in to your desktop session) and try again.`,
  );
}
