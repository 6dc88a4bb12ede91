import { and, desc, eq, lt } from 'drizzle-orm';
import type { AuditEntry } from '@shared/contract/audit';
import { auditLog } from '../db/schema';
import type { Orm } from '../db/open';
import { stmt } from '../db/statements';
import { newId } from '../ids';

export interface AuditInput {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface Actor {
  userId: string | null;
  userEmail: string | null;
}

const SECRET_KEYS = new Set([
  'passwordHash',
  'password_hash',
  'password',
  'newPassword',
  'currentPassword',
  // Two-factor: the secret, a set-up's secret, the last step; codes never reach a row (ARCHITECTURE.md "Two-factor login").
  'totpSecret',
  'totp_secret',
  'totpPendingSecret',
  'totp_pending_secret',
  'totpLastStep',
  'totp_last_step',
  'recoveryCodes',
]);

/** A secret key as JSON.stringify writes a key (a string value that merely mentions one is escaped, \"password\", so it does not match). */
const SECRET_KEY_IN_JSON = new RegExp(`"(?:${[...SECRET_KEYS].join('|')})":`);

/** JSON of a row for the log, with secrets left out. */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  // Plain JSON first (a replacer function costs a call per key: most of a sale's audit row); only a
  // value that has one of the secret keys is written again without them.
  const json = JSON.stringify(value);
  return SECRET_KEY_IN_JSON.test(json) ? JSON.stringify(value, (key, v: unknown) => (SECRET_KEYS.has(key) ? undefined : v)) : json;
}

export function writeAudit(orm: Orm, actor: Actor, at: Date, entry: AuditInput): void {
  // Every write makes one: a statement prepared once per file (drizzle's builder prepared it anew each time,
  // which cost more than the insert itself; bench/sales.ts).
  stmt(orm.$client, 'INSERT INTO audit_log (id, at, user_id, user_email, action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    newId(at.getTime()),
    at.toISOString(),
    actor.userId,
    actor.userEmail,
    entry.action,
    entry.entity,
    entry.entityId ?? null,
    snapshot(entry.before),
    snapshot(entry.after),
  );
}

export function listAudit(
  orm: Orm,
  q: { entity?: string | undefined; entityId?: string | undefined; limit: number; before?: string | undefined },
): { entries: AuditEntry[]; hasMore: boolean } {
  const conditions = [
    q.entity ? eq(auditLog.entity, q.entity) : undefined,
    q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
    q.before ? lt(auditLog.id, q.before) : undefined,
  ].filter((c) => c !== undefined);
  const rows = orm
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1)
    .all();
  return {
    hasMore: rows.length > q.limit,
    entries: rows.slice(0, q.limit).map((r) => ({
      ...r,
      before: r.before ? (JSON.parse(r.before) as unknown) : null,
      after: r.after ? (JSON.parse(r.after) as unknown) : null,
    })),
  };
}
