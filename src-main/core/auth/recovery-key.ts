import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { writeAudit } from '../audit/audit';
import { fileKey, readRecoveryWrap, recoveryWrapOf, writeRecoveryWrap } from '../db/keyring';
import type { BusinessDb } from '../db/open';
import { users } from '../db/schema';
import { readSetting, writeSetting } from '../db/settings';
import { AppError, validation } from '../errors';
import type { Clock } from '../ports';
import { setPassword } from './auth-service';
import { hashPassword, verifyPassword } from './passwords';

/**
 * The business's recovery key: the way back in for an owner who forgot their
 * password. Recurra runs offline on the owner's PC, so there is no reset email;
 * the key, shown once at sign-up and saved by the owner, stands in for it.
 * Only its argon2id hash is kept (in the settings table). Using it makes a new
 * one: a key that has been typed somewhere is a key to replace.
 */
const KEY = 'auth.recoveryKey';
// Crockford's base32: no I, L, O or U, so a key read off paper is typed right.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 4; // 24 characters of 5 bits: 120 bits

export interface RecoveryKeyInfo {
  createdAt: string;
  createdBy: string;
}

/** What `auth.recoveryKeyInfo` says: the stored key's origin, and whether it can also unlock the encrypted file on another PC. */
export interface RecoveryKeyStatus extends RecoveryKeyInfo {
  unlocksBooks: boolean;
}

/** A new key, "7K2M-Q9XD-…", in groups of four. */
export function generateRecoveryKey(): string {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!);
  return Array.from({ length: GROUPS }, (_, g) => chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join('')).join('-');
}

/** As typed: any case, with or without dashes or spaces; O read as 0 and I or L as 1. */
export function normalizeRecoveryKey(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * Stores a new key's hash in place of any old one; returns the key to show once. The business's
 * data key is wrapped under it beside the file (db/keyring.ts), so it also opens the books on a PC
 * whose keychain lost them.
 */
export function replaceRecoveryKey(db: BusinessDb, createdBy: string, at: string): string {
  const key = generateRecoveryKey();
  writeSetting(db, KEY, { hash: hashPassword(normalizeRecoveryKey(key)), createdAt: at, createdBy }, at);
  const dataKey = fileKey(db.file);
  if (dataKey) writeRecoveryWrap(db.file, dataKey, normalizeRecoveryKey(key), at);
  return key;
}

export function recoveryKeyInfo(db: BusinessDb): RecoveryKeyStatus | null {
  const stored = readSetting<RecoveryKeyInfo>(db, KEY);
  // A file encrypted on upgrade, restored from a backup or joined from another PC got a data key the
  // recovery key was never shown: nothing beside it unwraps that key until the owner types it once.
  // A wrap under an older key (a new one was made on another PC and synced here) does not count.
  const wrap = recoveryWrapOf(db.file);
  const unlocksBooks = wrap !== 'none' && (wrap.keyMadeAt === 'unknown' || wrap.keyMadeAt === stored?.createdAt);
  return stored ? { createdAt: stored.createdAt, createdBy: stored.createdBy, unlocksBooks } : null;
}

/**
 * The recovery key typed on a PC whose file is open (upgraded, restored, joined): once checked against
 * the business's stored key, it wraps this file's data key beside it (keyring.ts), so it can unlock
 * the books should this PC's keychain lose them. True when the wrap was written (audited), false when
 * the key already unwraps this file's key. A key that is not the business's is a field error.
 */
export function setUpRecoveryWrap(db: BusinessDb, typed: string, now: Date): boolean {
  const dataKey = fileKey(db.file);
  if (!dataKey) return false; // a plain file: nothing to unlock
  const unwrapped = readRecoveryWrap(db.file, typed);
  if (unwrapped instanceof Buffer && unwrapped.equals(dataKey)) return false;
  const stored = readSetting<RecoveryKeyInfo & { hash: string }>(db, KEY);
  if (!stored) throw validation('recoveryKey', 'This business has no recovery key yet: an owner makes one in Settings > Users.');
  if (!verifyPassword(stored.hash, typed)) {
    throw validation('recoveryKey', 'That is not the recovery key of this business: check it against the one saved at sign-up (or the newest one made since).');
  }
  db.sqlite
    .transaction(() => {
      writeRecoveryWrap(db.file, dataKey, typed, stored.createdAt);
      writeAudit(db.orm, { userId: null, userEmail: null }, now, { action: 'business.recoverySetUp', entity: 'business', entityId: db.businessId, after: { recoveryKeyUnlocksBooks: true } });
    })
    .immediate();
  return true;
}

const WRONG = 'That email and recovery key do not match';

/**
 * An owner who forgot their password sets a new one with the recovery key.
 * Returns the owner's id and the new key that replaces the one just used.
 * Every outcome, right or wrong, leaves an audit row.
 */
export function recoverWithKey(
  db: BusinessDb,
  clock: Clock,
  input: { email: string; recoveryKey: string; newPassword: string },
): { userId: string; recoveryKey: string } {
  const now = clock.now();
  const at = now.toISOString();
  const stored = readSetting<RecoveryKeyInfo & { hash: string }>(db, KEY);
  const user = db.orm.select().from(users).where(eq(users.emailNormalized, input.email.toLowerCase())).get();
  const typed = normalizeRecoveryKey(input.recoveryKey);
  if (!stored) {
    throw validation('recoveryKey', 'This business has no recovery key. Another owner can reset your password in Settings > Users.');
  }
  // The key is checked whatever the email, so a wrong email costs as long as a wrong key.
  if (!verifyPassword(stored.hash, typed) || !user) {
    db.sqlite.transaction(() => {
      writeAudit(db.orm, { userId: user?.id ?? null, userEmail: user?.email ?? input.email }, now, { action: 'auth.recoverFailed', entity: 'user', entityId: user?.id ?? null });
    }).immediate();
    throw new AppError('unauthenticated', WRONG, 'recoveryKey');
  }
  if (user.role !== 'owner') throw new AppError('forbidden', 'Only an owner can use the recovery key. Ask the owner to reset your password.');
  if (!user.active) throw new AppError('unauthenticated', 'This account has been deactivated. Ask another owner of the business.', 'email');
  let recoveryKey = '';
  db.sqlite
    .transaction(() => {
      setPassword(db, user.id, input.newPassword, at);
      recoveryKey = replaceRecoveryKey(db, user.name, at);
      writeAudit(db.orm, { userId: user.id, userEmail: user.email }, now, {
        action: 'auth.recover',
        entity: 'user',
        entityId: user.id,
        after: { passwordChangedAt: at, recoveryKeyReplaced: true },
      });
    })
    .immediate();
  return { userId: user.id, recoveryKey };
}
