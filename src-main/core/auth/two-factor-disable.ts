import { writeAudit } from '../audit/audit';
import type { Core } from '../core';
import { unauthenticated } from '../errors';
import type { Connection } from '../rpc';
import { failLogin } from './auth-service';
import { checkDisableCode, clearTwoFactor, spendCode } from './two-factor';

/**
 * Turns the caller's two-factor off with a current code or a recovery code.
 * Not run inside the dispatcher's write transaction (the method is public in
 * the contract) because a wrong code must be counted toward the lockout, and
 * a transaction that refuses the call would roll that count back. Five wrong
 * codes lock the account and end its sessions, as five wrong passwords would.
 */
export function disableTwoFactor(core: Core, conn: Connection, code: string): { enabled: false } {
  const resolved = core.resolveSession(conn);
  if (!resolved) throw unauthenticated('Please log in');
  const { db, user } = resolved;
  const actor = { userId: user.id, userEmail: user.email };
  const now = core.clock.now();
  const check = checkDisableCode(db, user.id, code, now);
  if (!check.ok) {
    try {
      failLogin(db, actor, now, check.message, 'code', 'code');
    } catch (error) {
      const locked = db.sqlite.prepare('SELECT locked_until FROM users WHERE id = ?').pluck().get(user.id) as number | null;
      if (locked !== null && locked > now.getTime()) core.endSessionsOfUser(db.businessId, user.id, (error as Error).message);
      throw error;
    }
  }
  db.sqlite
    .transaction(() => {
      if (check.kind === 'recovery') spendCode(db, actor, user.id, check, now);
      clearTwoFactor(db, user.id, now.toISOString());
      writeAudit(db.orm, actor, now, { action: 'auth.twoFactorOff', entity: 'user', entityId: user.id, after: { twoFactor: false } });
    })
    .immediate();
  core.endSessionsOfUser(db.businessId, user.id, 'Two-factor login was turned off for your account. Log in again.', resolved.sessionId);
  core.broadcast(db.businessId, 'data-changed', { entities: ['users', 'auth'] });
  core.autoSync.localChange(db.businessId);
  return { enabled: false };
}
