import { eq } from 'drizzle-orm';
import type { LoginInput } from '@shared/contract/auth';
import { writeAudit } from '../audit/audit';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { users } from '../db/schema';
import { AppError, validation } from '../errors';
import type { Clock } from '../ports';
import { checkLoginCode, REPLAYED_CODE, spendCode } from './two-factor';
import { burnPasswordCheck, hashPassword, LOCKOUT_MS, MAX_FAILED_LOGINS, verifyPassword } from './passwords';

const WRONG = 'Wrong email or password';
export const CODE_NEEDED = 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.';

export function findUserByEmail(db: BusinessDb, email: string) {
  return db.orm.select().from(users).where(eq(users.emailNormalized, email.toLowerCase())).get();
}

/**
 * Checks a login and records its outcome (failure count, lockout, last login)
 * in one transaction. Returns the user id or throws `unauthenticated`.
 *
 * With `recordSuccess: false` (a one-shot CLI run) a good login writes
 * nothing when there is no failure count to clear: the caller records it with
 * `recordLogin` inside its first write, so a read-only run leaves no trace.
 * Failures are always recorded (the lockout must count them).
 * `recorded` says whether the success was written.
 */
export function authenticate(
  db: BusinessDb,
  clock: Clock,
  input: Omit<LoginInput, 'businessId'>,
  opts: { recordSuccess: boolean } = { recordSuccess: true },
): { actor: { userId: string; userEmail: string }; at: Date; recorded: boolean } {
  const now = clock.now();
  const user = findUserByEmail(db, input.email);
  if (!user) {
    burnPasswordCheck(input.password);
    throw new AppError('unauthenticated', WRONG, 'password');
  }
  if (user.lockedUntil !== null && user.lockedUntil > now.getTime()) {
    const minutes = Math.ceil((user.lockedUntil - now.getTime()) / 60_000);
    throw new AppError(
      'unauthenticated',
      `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask the owner to reset your password.`,
      'password',
    );
  }
  const ok = verifyPassword(user.passwordHash, input.password);
  const actor = { userId: user.id, userEmail: user.email };
  if (!ok) failLogin(db, actor, now, WRONG, 'password', 'password');
  if (!user.active) {
    throw new AppError('unauthenticated', 'This account has been deactivated. Ask the owner of the business.', 'email');
  }
  if (user.totpSecret !== null) {
    // Two-factor: a current code or an unused recovery code, spent with the login's record.
    if (!input.code) throw new AppError('unauthenticated', CODE_NEEDED, 'code');
    const check = checkLoginCode(db, user.id, input.code, now);
    if (!check.ok) failLogin(db, actor, now, check.message, 'code', 'code');
    const spent = db.sqlite
      .transaction(() => {
        if (!spendCode(db, actor, user.id, check, now)) return false;
        recordLogin(db, actor, now);
        return true;
      })
      .immediate();
    if (!spent) failLogin(db, actor, now, REPLAYED_CODE, 'code', 'code');
    return { actor, at: now, recorded: true };
  }
  if (!opts.recordSuccess && user.failedLoginCount === 0 && user.lockedUntil === null) {
    return { actor, at: now, recorded: false };
  }
  db.sqlite.transaction(() => recordLogin(db, actor, now)).immediate();
  return { actor, at: now, recorded: true };
}

/**
 * A wrong password or a wrong, replayed or far-off code: counted toward the one
 * lockout (five in a row lock the account for 15 minutes), audited without the
 * code, then refused with `message`.
 */
export function failLogin(
  db: BusinessDb,
  actor: { userId: string; userEmail: string },
  now: Date,
  message: string,
  field: string,
  reason: 'password' | 'code',
): never {
  // Counted inside the write transaction, in SQL: parallel wrong passwords
  // (several processes, each past its argon2 check at once) each add one,
  // where a count read before the check would let them all write "1".
  const locks = db.sqlite
    .transaction(() => {
      const row = stmt(db.sqlite, 'UPDATE users SET failed_login_count = failed_login_count + 1 WHERE id = ? RETURNING failed_login_count AS failures')
        .get(actor.userId) as { failures: number };
      const locks = row.failures >= MAX_FAILED_LOGINS;
      if (locks) {
        stmt(db.sqlite, 'UPDATE users SET failed_login_count = 0, locked_until = ? WHERE id = ?').run(now.getTime() + LOCKOUT_MS, actor.userId);
      }
      writeAudit(db.orm, actor, now, {
        action: locks ? 'auth.locked' : 'auth.loginFailed',
        entity: 'user',
        entityId: actor.userId,
        after: reason === 'code' ? { failedLoginCount: row.failures, reason } : { failedLoginCount: row.failures },
      });
      return locks;
    })
    .immediate();
  if (locks) {
    throw new AppError(
      'unauthenticated',
      `Too many failed attempts. Try again in ${LOCKOUT_MS / 60_000} minutes, or ask the owner to reset your password.`,
      field,
    );
  }
  throw new AppError('unauthenticated', message, field);
}

/** A successful login: failures cleared, last login set, the audit row. Run inside a transaction. */
export function recordLogin(db: BusinessDb, actor: { userId: string; userEmail: string }, at: Date): void {
  db.orm
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: at.toISOString() })
    .where(eq(users.id, actor.userId))
    .run();
  writeAudit(db.orm, actor, at, { action: 'auth.login', entity: 'user', entityId: actor.userId });
}

/** Sets a user's password (own change or the owner's reset): clears any lockout. */
export function setPassword(db: BusinessDb, userId: string, password: string, at: string): void {
  db.orm
    .update(users)
    .set({ passwordHash: hashPassword(password), passwordChangedAt: at, updatedAt: at, failedLoginCount: 0, lockedUntil: null })
    .where(eq(users.id, userId))
    .run();
}

export function checkCurrentPassword(db: BusinessDb, userId: string, password: string): void {
  const user = db.orm.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!user || !verifyPassword(user.hash, password)) {
    throw validation('currentPassword', 'That is not your current password');
  }
}
