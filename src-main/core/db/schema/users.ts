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
    // Two-factor login (migration 0019, ARCHITECTURE.md "Two-factor login"). Never in a DTO, a CSV or an audit row.
    /** Base32 TOTP secret once two-factor is on (synced: the user logs in with it on every PC). */
    totpSecret: text('totp_secret'),
    totpEnabledAt: text('totp_enabled_at'),
    /** A secret shown by setup and not yet confirmed with a code (this PC only). */
    totpPendingSecret: text('totp_pending_secret'),
    /** The last accepted TOTP time step: a code of that step or earlier is refused (this PC only). */
    totpLastStep: integer('totp_last_step'),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.emailNormalized),
    check('users_role', sql`${t.role} in ('owner','staff','viewer')`),
  ],
);
