import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as Argon2 from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { AppError } from '../errors';
import { lazyRequire } from '../lazy-require';
import { copyDatabaseInto } from './encrypted-copy';

// Business files are encrypted at rest (SQLite3 Multiple Ciphers, SQLCipher 4
// format) with a random 256-bit key per business. The key is passed raw
// (`x'…'`): no key derivation per open, so an open costs about a millisecond
// more, not the 0.4 s of SQLCipher's passphrase KDF. The key lives in the
// secret store (the OS keychain in the app, a 0600 file for the CLI and
// tests) under `business-key:<id>`; the secret store is asynchronous and
// opening is not, so keys are loaded first (Businesses.unlock*) into this
// process's keyring, which `openSqlite` consults by file path. A worker thread
// has a keyring of its own and is given the key with each job.

export const KEY_BYTES = 32;

/** The secret store account of a business's data key. */
export function keyAccount(businessId: string): string {
  return `business-key:${businessId}`;
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

const keys = new Map<string, Buffer>();

/** Remembers (or, with null, forgets) the key of a file for this process. */
export function setFileKey(file: string, key: Buffer | null): void {
  if (key) keys.set(path.resolve(file), key);
  else keys.delete(path.resolve(file));
}

export function fileKey(file: string): Buffer | undefined {
  return keys.get(path.resolve(file));
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What is at a path: nothing, an empty file (just created), a plain SQLite file, or something else (encrypted). */
export function fileKind(file: string): 'missing' | 'empty' | 'plain' | 'encrypted' {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'empty';
    return n === 16 && head.equals(SQLITE_HEADER) ? 'plain' : 'encrypted';
  } finally {
    fs.closeSync(fd);
  }
}

/** The error for an encrypted file whose key this PC does not have, or whose key does not open it. */
export function lockedError(file: string, reason: 'no-key' | 'wrong-key'): AppError {
  const what =
    reason === 'no-key'
      ? `The key of ${path.basename(file)} is not in this PC's keychain`
      : `The key in this PC's keychain does not open ${path.basename(file)} (the file was encrypted with another key, or is damaged)`;
  return new AppError(
    'conflict',
    `${what}. Unlock it with the business's recovery key from sign-up: "Unlock with recovery key" in the list of businesses (on the command line: env RECURRA_RECOVERY_KEY with the command).`,
    'recoveryKey',
  );
}

/**
 * Whether this process cannot open an existing business file: it is encrypted and no key it holds
 * opens it (none in the keyring, or one that is not the file's). The picker shows it locked.
 */
export function isLocked(file: string, nativeBinding?: string): boolean {
  if (fileKind(file) !== 'encrypted') return false;
  if (!fileKey(file)) return true;
  try {
    // Not read-only: a read-only connection leaves -wal and -shm behind (sync/index.ts, syncServerOfFile).
    openExisting(file, { nativeBinding }).close();
    return false;
  } catch (error) {
    return error instanceof AppError && error.field === 'recoveryKey';
  }
}

/**
 * Keys a fresh connection: cipher, then key, before any other statement. The
 * key is checked at once (a wrong key reads page 1 as garbage: SQLITE_NOTADB).
 */
export function applyKey(sqlite: Database.Database, key: Buffer, file: string): void {
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 4');
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw lockedError(file, 'wrong-key');
    throw error;
  }
}

/** The steps of an in-place encryption, for the crash test ('writing': inside the copy's transaction). */
export type EncryptStep = 'checkpointed' | 'writing' | 'written' | 'synced' | 'renamed';

/** The work file of an in-place encryption; one left by a killed process is removed by the next attempt. */
export function encryptTempName(file: string): string {
  return `${file}.encrypting`;
}

/**
 * Encrypts a plain SQLite file in place, crash-safe: the WAL is folded into
 * the file (which needs the file to be open nowhere else: else SQLITE_BUSY, a
 * clear error, nothing changed), its content is copied into a new file keyed
 * while still empty (encrypted-copy.ts: no plain copy of the books is ever
 * written beside the original, not even a journal), which is synced and
 * renamed over the original. Killed at any step, the original plain file or
 * the finished encrypted one is in place; a leftover work file is removed by
 * the next attempt.
 */
export function encryptInPlace(
  file: string,
  key: Buffer,
  opts: { nativeBinding?: string | undefined; onStep?: (step: EncryptStep) => void } = {},
): void {
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const temp = encryptTempName(file);
  for (const suffix of ['', '-journal']) fs.rmSync(temp + suffix, { force: true });
  const plain = new Database(file, { fileMustExist: true, ...binding });
  try {
    plain.pragma('busy_timeout = 5000');
    const mode = plain.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') {
      throw new AppError('conflict', `${path.basename(file)} is open in another Recurra (app or command): close it, then open the business again to finish encrypting it`);
    }
  } finally {
    plain.close();
  }
  opts.onStep?.('checkpointed');
  fs.closeSync(fs.openSync(temp, 'w', 0o600));
  const target = new Database(temp, { fileMustExist: true, ...binding });
  try {
    applyKey(target, key, temp);
    // The original attached unkeyed (an attached file takes the main file's key unless given one).
    target.prepare("ATTACH DATABASE ? AS plain KEY ''").run(file);
    copyDatabaseInto(target, { attached: 'plain' }, () => opts.onStep?.('writing'));
    target.exec('DETACH DATABASE plain');
  } finally {
    target.close();
  }
  opts.onStep?.('written');
  const fd = fs.openSync(temp, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  opts.onStep?.('synced');
  fs.renameSync(temp, file);
  syncDir(path.dirname(file));
  opts.onStep?.('renamed');
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder to sync it; NTFS journals the rename.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * An existing file opened as it is, for a quick look (the registry reading a
 * business row, the sync server of a file): keyed if it is encrypted (with
 * the key given, else the keyring's), plain if plain; nothing is encrypted or created.
 */
export function openExisting(file: string, opts: { readonly?: boolean; nativeBinding?: string | undefined; key?: Buffer } = {}): Database.Database {
  const kind = fileKind(file);
  const key = opts.key ?? fileKey(file);
  if (kind === 'encrypted' && !key) throw lockedError(file, 'no-key');
  const sqlite = new Database(file, { fileMustExist: true, readonly: opts.readonly ?? false, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    if (kind === 'encrypted' && key) applyKey(sqlite, key, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

/**
 * A file copied by hand within the folder carries the key of the file it was
 * copied from: tries the keys this process holds for the files beside it and
 * remembers the one that opens it (Businesses.unlockAll then stores it under
 * the copy's own id).
 */
export function adoptNeighbourKey(file: string, nativeBinding?: string, anywhere = false): Buffer | undefined {
  const dir = path.dirname(path.resolve(file));
  for (const [other, key] of [...keys]) {
    if ((!anywhere && path.dirname(other) !== dir) || other === path.resolve(file)) continue;
    let db: Database.Database | undefined;
    try {
      db = openExisting(file, { readonly: true, nativeBinding, key });
      setFileKey(file, key);
      return key;
    } catch {
      // not this one
    } finally {
      db?.close();
    }
  }
  return undefined;
}

// The recovery key (sign-up) unlocks the data key too: the data key is kept wrapped (AES-256-GCM) under
// a key derived from the recovery key with argon2id, in a sidecar file beside the business file
// (`<id>.sqlite.unlock`, mode 0600), readable before the file is open. A PC with no keychain entry
// (reinstalled, or the folder moved) asks for the recovery key and puts the data key back in the keychain.
const WRAP_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function unlockFileOf(file: string): string {
  return `${file}.unlock`;
}

interface Wrapped {
  v: 1;
  kdf: 'argon2id';
  salt: string;
  iv: string;
  tag: string;
  ct: string;
  /** When the recovery key it is wrapped under was made (its `createdAt`): a newer key made on another PC and synced here is not it. */
  keyMadeAt?: string;
}

function wrappingKey(recoveryKey: string, salt: Buffer): Buffer {
  const argon2 = lazyRequire<typeof Argon2>('@node-rs/argon2')();
  return argon2.hashRawSync(recoveryKey, { ...WRAP_PARAMS, salt }); // argon2id, the library's default
}

/** Keeps the data key wrapped under the (normalized) recovery key beside the file, replacing any older wrap. */
export function writeRecoveryWrap(file: string, dataKey: Buffer, recoveryKey: string, keyMadeAt?: string): void {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(recoveryKey, salt), iv);
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const wrapped: Wrapped = { v: 1, kdf: 'argon2id', salt: salt.toString('hex'), iv: iv.toString('hex'), tag: cipher.getAuthTag().toString('hex'), ct: ct.toString('hex'), ...(keyMadeAt ? { keyMadeAt } : {}) };
  const target = unlockFileOf(file);
  const temp = `${target}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(wrapped));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

/**
 * Whether the file's data key is kept under a recovery key beside it: 'none', or when that recovery
 * key was made ('unknown' for a wrap that did not record it), to compare with the business's current one.
 */
export function recoveryWrapOf(file: string): { keyMadeAt: string | 'unknown' } | 'none' {
  try {
    const wrapped = JSON.parse(fs.readFileSync(unlockFileOf(file), 'utf8')) as Wrapped;
    return { keyMadeAt: wrapped.keyMadeAt ?? 'unknown' };
  } catch {
    return 'none';
  }
}

export function hasRecoveryWrap(file: string): boolean {
  return recoveryWrapOf(file) !== 'none';
}

/** The data key the recovery key unwraps; null when there is no wrap or the key is not the right one. */
export function readRecoveryWrap(file: string, recoveryKey: string): Buffer | null | 'none' {
  let wrapped: Wrapped;
  try {
    wrapped = JSON.parse(fs.readFileSync(unlockFileOf(file), 'utf8')) as Wrapped;
  } catch {
    return 'none';
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey(recoveryKey, Buffer.from(wrapped.salt, 'hex')), Buffer.from(wrapped.iv, 'hex'));
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(wrapped.ct, 'hex')), decipher.final()]);
  } catch {
    return null;
  }
}
