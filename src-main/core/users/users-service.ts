import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { User, UserCreate } from '@shared/contract/users';
import type { Role } from '@shared/domain/roles';
import { hashPassword } from '../auth/passwords';
import type { Orm } from '../db/open';
import { users } from '../db/schema';
import { conflict, notFound } from '../errors';
import { newId } from '../ids';

export type UserRow = typeof users.$inferSelect;

/** `twoFactorRequired`: the owner requires two-factor login of everyone (`isTwoFactorRequired`). */
export function toUserDto(row: UserRow, nowMs: number, twoFactorRequired: boolean): User {
  const twoFactorOn = row.totpSecret !== null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    locked: row.lockedUntil !== null && row.lockedUntil > nowMs,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
    twoFactor: { enabled: twoFactorOn, setupRequired: twoFactorRequired && !twoFactorOn },
  };
}

export function listUsers(orm: Orm): UserRow[] {
  return orm.select().from(users).orderBy(asc(users.createdAt), asc(users.id)).all();
}

export function getUser(orm: Orm, id: string): UserRow {
  const row = orm.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound('That user', 'id');
  return row;
}

export function createUser(orm: Orm, input: UserCreate, at: string): UserRow {
  const emailNormalized = input.email.toLowerCase();
  const taken = orm.select({ id: users.id }).from(users).where(eq(users.emailNormalized, emailNormalized)).get();
  if (taken) throw conflict('A user with this email already exists', 'email');
  const row = {
    id: newId(),
    name: input.name,
    email: input.email,
    emailNormalized,
    role: input.role,
    passwordHash: hashPassword(input.password),
    passwordChangedAt: at,
    createdAt: at,
    updatedAt: at,
  };
  orm.insert(users).values(row).run();
  return getUser(orm, row.id);
}

/** Refuses a change that would leave the business without an active owner. */
export function assertAnotherActiveOwner(orm: Orm, userId: string, field: string, what: string): void {
  const others =
    orm
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'owner'), eq(users.active, true), ne(users.id, userId)))
      .get()?.n ?? 0;
  if (others === 0) throw conflict(`${what}: the business needs at least one active owner`, field);
}

export function updateUser(orm: Orm, id: string, changes: { name?: string | undefined; role?: Role | undefined }, at: string) {
  const before = getUser(orm, id);
  if (changes.role && changes.role !== 'owner' && before.role === 'owner' && before.active) {
    assertAnotherActiveOwner(orm, id, 'role', 'This user cannot stop being an owner');
  }
  orm
    .update(users)
    .set({ ...(changes.name ? { name: changes.name } : {}), ...(changes.role ? { role: changes.role } : {}), updatedAt: at })
    .where(eq(users.id, id))
    .run();
  return { before, after: getUser(orm, id) };
}

export function setActive(orm: Orm, id: string, active: boolean, at: string) {
  const before = getUser(orm, id);
  if (!active && before.role === 'owner' && before.active) {
    assertAnotherActiveOwner(orm, id, 'id', 'This owner cannot be deactivated');
  }
  orm.update(users).set({ active, updatedAt: at, failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, id)).run();
  return { before, after: getUser(orm, id) };
}

export function deleteUser(orm: Orm, id: string) {
  const before = getUser(orm, id);
  if (before.role === 'owner' && before.active) assertAnotherActiveOwner(orm, id, 'id', 'This owner cannot be deleted');
  orm.delete(users).where(eq(users.id, id)).run();
  return before;
}
