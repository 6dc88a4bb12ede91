import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** Lower-cased email: unique per business. */
    emailNormalized: text('email_normalized').notNull(),
    role: text('role', { enum: ['owner', 'staff', 'viewer'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    /** Epoch milliseconds until which logins are refused after repeated failures. */
    lockedUntil: integer('locked_until'),
    lastLoginAt: text('last_login_at'),
    passwordChangedAt: text('password_changed_at').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.emailNormalized),
    check('users_role', sql`${t.role} in ('owner','staff','viewer')`),
  ],
);
