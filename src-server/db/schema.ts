import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

// The server's whole state. `npm run db:generate:server` writes the SQL in
// resources/server-migrations from this file; the SQL is committed and run at start.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => at('created_at').notNull().defaultNow();

export const admins = pgTable('admins', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
});

/** An admin's login on /admin: the cookie holds the token, the table only its SHA-256. */
export const adminSessions = pgTable('admin_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  adminId: text('admin_id').notNull().references(() => admins.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: at('expires_at').notNull(),
  createdAt: createdAt(),
});

/** One-time enrollment codes (`npm run server -- invite`), stored as SHA-256. */
export const invites = pgTable('invites', {
  codeHash: text('code_hash').primaryKey(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  usedByBusiness: text('used_by_business'),
  createdAt: createdAt(),
});

export const businesses = pgTable('businesses', {
  /** The PC's own business id, so both sides name it the same. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The per-business change counter: the push transaction locks this row (see ARCHITECTURE.md). */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  changeCount: bigint('change_count', { mode: 'number' }).notNull().default(0),
  changeBytes: bigint('change_bytes', { mode: 'number' }).notNull().default(0),
  billingDeviceId: text('billing_device_id'),
  suspendedAt: at('suspended_at'),
  createdAt: createdAt(),
});

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    lastSyncAt: at('last_sync_at'),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('devices_token_hash').on(t.tokenHash), index('devices_business').on(t.businessId)],
);

/** `sync pair` codes: 15 minutes, one use, stored as SHA-256. */
export const pairCodes = pgTable('pair_codes', {
  codeHash: text('code_hash').primaryKey(),
  businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
  createdByDevice: text('created_by_device').notNull(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  createdAt: createdAt(),
});

/** Every change a PC pushed, in the order the server took them (seq, per business). */
export const changes = pgTable(
  'changes',
  {
    businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    changeId: text('change_id').notNull(),
    deviceId: text('device_id').notNull(),
    hlc: text('hlc').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
    bytes: integer('bytes').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.seq] }), uniqueIndex('changes_business_change_id').on(t.businessId, t.changeId)],
);

/** Fixed-window counters for failed logins and code guesses, so any server process sees them. */
export const rateCounters = pgTable('rate_counters', {
  key: text('key').primaryKey(),
  windowStart: at('window_start').notNull().default(sql`now()`),
  count: integer('count').notNull().default(0),
});
