import { timingSafeEqual } from 'node:crypto';
import { asc, eq, gte, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { adminSessions, admins, apiUsage, businesses, devices } from '../db/schema';
import { conflict, invalid } from '../errors';
import { hashSecret, newId, newToken } from '../secrets';
import { businessChanged } from '../api/key-cache';

export const SESSION_TTL_MS = 12 * 3600_000;
const argon2 = () => import('@node-rs/argon2');

export async function createAdmin(db: ServerDb, email: string, password: string, now: Date): Promise<{ id: string; email: string }> {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized)) throw invalid('email', 'email: give an address like owner@example.com');
  if (password.length < 10) throw invalid('password', 'password: at least 10 characters (RECURRA_PASSWORD)');
  const [existing] = await db.select({ id: admins.id }).from(admins).where(eq(admins.email, normalized));
  if (existing) throw conflict('admin_exists', `An admin ${normalized} already exists.`);
  const passwordHash = await (await argon2()).hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const id = newId();
  await db.insert(admins).values({ id, email: normalized, passwordHash, createdAt: now });
  return { id, email: normalized };
}

// A hash of a random password, verified against when the email is unknown, so both answers take as long.
let decoy: Promise<string> | undefined;

/** A new admin session (cookie token + CSRF token) when the password is right, else null. */
export async function login(db: ServerDb, email: string, password: string, now: Date): Promise<{ token: string } | null> {
  const { hash, verify } = await argon2();
  const [admin] = await db.select().from(admins).where(eq(admins.email, email.trim().toLowerCase()));
  decoy ??= hash(newToken(), { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const ok = await verify(admin?.passwordHash ?? (await decoy), password).catch(() => false);
  if (!admin || !ok) return null;
  const token = newToken();
  await db.insert(adminSessions).values({
    tokenHash: hashSecret(token),
    adminId: admin.id,
    csrfToken: newToken(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    createdAt: now,
  });
  return { token };
}

export interface AdminSession {
  tokenHash: string;
  email: string;
  csrfToken: string;
}

export async function sessionFor(db: ServerDb, token: string | undefined, now: Date): Promise<AdminSession | null> {
  if (!token) return null;
  const [row] = await db
    .select({ tokenHash: adminSessions.tokenHash, email: admins.email, csrfToken: adminSessions.csrfToken, expiresAt: adminSessions.expiresAt })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .where(eq(adminSessions.tokenHash, hashSecret(token)));
  if (!row || row.expiresAt <= now) return null;
  return { tokenHash: row.tokenHash, email: row.email, csrfToken: row.csrfToken };
}

export function csrfMatches(session: AdminSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function logout(db: ServerDb, session: AdminSession): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, session.tokenHash));
}

export interface BusinessRow {
  id: string;
  name: string;
  suspended: boolean;
  changeCount: number;
  storageBytes: number;
  lastSyncAt: Date | null;
  billingDeviceId: string | null;
  devices: { id: string; name: string; lastSyncAt: Date | null; revoked: boolean }[];
  /** REST API requests today and over the last 7 days (UTC). */
  apiRequests: { today: number; week: number };
}

export async function listBusinesses(db: ServerDb, now: Date): Promise<BusinessRow[]> {
  const list = await db.select().from(businesses).orderBy(asc(businesses.name), asc(businesses.id));
  const all = await db.select().from(devices).orderBy(asc(devices.createdAt), asc(devices.id));
  const today = now.toISOString().slice(0, 10);
  const weekStart = new Date(now.getTime() - 6 * 86400_000).toISOString().slice(0, 10);
  const usage = await db.select().from(apiUsage).where(gte(apiUsage.day, weekStart));
  return list.map((b) => {
    const own = all.filter((d) => d.businessId === b.id);
    const syncs = own.map((d) => d.lastSyncAt?.getTime() ?? 0);
    const last = Math.max(0, ...syncs);
    return {
      id: b.id,
      name: b.name,
      suspended: b.suspendedAt !== null,
      changeCount: b.changeCount,
      storageBytes: b.changeBytes,
      lastSyncAt: last ? new Date(last) : null,
      billingDeviceId: b.billingDeviceId,
      devices: own.map((d) => ({ id: d.id, name: d.name, lastSyncAt: d.lastSyncAt, revoked: d.revokedAt !== null })),
      apiRequests: usage
        .filter((u) => u.businessId === b.id && u.day <= today)
        .reduce((sum, u) => ({ today: sum.today + (u.day === today ? u.requests : 0), week: sum.week + u.requests }), { today: 0, week: 0 }),
    };
  });
}

export async function setSuspended(db: ServerDb, businessId: string, suspended: boolean, now: Date): Promise<boolean> {
  const rows = await db
    .update(businesses)
    .set({ suspendedAt: suspended ? sql`coalesce(${businesses.suspendedAt}, ${now.toISOString()}::timestamptz)` : null })
    .where(eq(businesses.id, businessId))
    .returning({ id: businesses.id });
  businessChanged(businessId); // its API keys are checked again
  return rows.length > 0;
}

export async function revokeDevice(db: ServerDb, deviceId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(devices)
    .set({ revokedAt: sql`coalesce(${devices.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(devices.id, deviceId))
    .returning({ id: devices.id });
  return rows.length > 0;
}
