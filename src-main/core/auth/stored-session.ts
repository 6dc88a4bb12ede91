import { createHash } from 'node:crypto';
import type { Core } from '../core';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import type { Connection } from '../rpc';

/** How long `recurra login` keeps a session (spec/cli.md "Sessions and two-factor login"). */
export const STORED_SESSION_MS = 12 * 60 * 60 * 1000;

/** A session kept in the secret store between CLI runs: one business, one user, until `expiresAt`. */
export interface StoredSession {
  businessId: string;
  userId: string;
  email: string;
  expiresAt: string;
  /** `authStamp` when it was made: a password change, a deactivation or a two-factor change makes it stale. */
  stamp: string;
}

export const storedSessionAccount = (businessId: string, email: string) => `cli-session:${businessId}:${email.toLowerCase()}`;

/**
 * A digest of what a login proved: the password hash and the two-factor
 * secret. It changes when either does, so a kept session dies with them;
 * forging one needs the password hash, i.e. the business file itself.
 * Null for an inactive or missing user.
 */
export function authStamp(db: BusinessDb, userId: string): string | null {
  const row = stmt(db.sqlite, 'SELECT email_normalized AS email, password_hash AS hash, totp_secret AS secret, totp_enabled_at AS enabledAt, active FROM users WHERE id = ?').get(
    userId,
  ) as { email: string; hash: string; secret: string | null; enabledAt: string | null; active: number } | undefined;
  if (!row?.active) return null;
  return createHash('sha256').update([db.businessId, userId, row.email, row.hash, row.secret ?? '', row.enabledAt ?? ''].join('\n')).digest('base64url');
}

export function makeStoredSession(db: BusinessDb, userId: string, email: string, now: Date): StoredSession {
  const stamp = authStamp(db, userId);
  if (stamp === null) throw new Error('the session user is not active');
  return { businessId: db.businessId, userId, email: email.toLowerCase(), expiresAt: new Date(now.getTime() + STORED_SESSION_MS).toISOString(), stamp };
}

/**
 * Binds a kept session to the connection if it is still good: not expired,
 * for this business and user, and the user's password, two-factor and active
 * flag unchanged since. Returns false (the caller logs in afresh) otherwise.
 */
export function resumeStoredSession(core: Core, conn: Connection, stored: StoredSession, businessId: string, email: string): boolean {
  if (stored.businessId !== businessId || stored.email !== email.toLowerCase()) return false;
  if (!(Date.parse(stored.expiresAt) > core.clock.now().getTime())) return false;
  const db = core.businesses.get(businessId);
  if (authStamp(db, stored.userId) !== stored.stamp) return false;
  core.startSession(conn, businessId, stored.userId);
  return true;
}
