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
  (t) => [
    primaryKey({ columns: [t.businessId, t.seq] }),
    uniqueIndex('changes_business_change_id').on(t.businessId, t.changeId),
    // An API key pushed but not yet folded into the projection (api/auth.ts): found by its hash.
    index('changes_api_key').on(sql`(${t.fields}->>'key_hash')`).where(sql`table_name = 'api_keys'`),
    // A license key pushed but not yet folded (licenses/lookup.ts): found by the SHA-256 of the key, never by the key itself.
    index('changes_license_key').on(sql`sha256((${t.fields}->>'license_key')::bytea)`).where(sql`table_name = 'subscriptions' and fields ? 'license_key'`),
    // A license lookup's reads of the log past the projection's cursor (licenses/lookup.ts), each a range of only the
    // changes it wants, never a scan of the business's whole log: the machines not folded yet (the server writes them)
    // and whether a PC pushed something a verdict depends on (a cancellation) that is not folded yet.
    index('changes_license_machines').on(t.businessId, t.seq).where(sql`table_name = 'license_machines'`),
    index('changes_license_verdict').on(t.businessId, t.seq).where(sql`device_id <> 'server' and table_name in ('subscriptions', 'plans', 'business', 'license_machines')`),
  ],
);

/** Fixed-window counters for failed logins and code guesses, so any server process sees them. */
export const rateCounters = pgTable('rate_counters', {
  key: text('key').primaryKey(),
  windowStart: at('window_start').notNull().default(sql`now()`),
  count: integer('count').notNull().default(0),
});

/**
 * The projection (src-server/projection, ARCHITECTURE.md): each business's
 * rows as every PC holds them after the changes folded so far, for the REST
 * API. One row per synced row the changes ever named, kept after a delete
 * (a tombstone: `data` null) because the merge rules read a row's history:
 * per field the latest stamp and its value, the first and last creation,
 * the last delete and the row it removed.
 */
export const syncedRows = pgTable(
  'synced_rows',
  {
    businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
    tbl: text('tbl').notNull(),
    rowId: text('row_id').notNull(),
    /** The row's synced columns; null when the row does not exist (deleted, or only edits of it arrived). */
    data: jsonb('data').$type<Record<string, unknown>>(),
    /** Per field, the latest HLC of an upsert that carried it (whether or not it was applied). */
    stamps: jsonb('stamps').$type<Record<string, string>>().notNull(),
    /** Per field, the value of that latest upsert (a restored row is rebuilt from these). */
    latest: jsonb('latest').$type<Record<string, unknown>>().notNull(),
    /** HLC of the first and of the last insert (an upsert without "@base"); '' when none. */
    createdHlc: text('created_hlc').notNull().default(''),
    recreatedHlc: text('recreated_hlc').notNull().default(''),
    /** HLC of the last delete; '' when none. */
    deletedHlc: text('deleted_hlc').notNull().default(''),
    /** The "@base" of the last delete: the row as the deleting PC removed it. */
    deleteBase: jsonb('delete_base').$type<Record<string, unknown>>(),
    /** The table's collision key, compared as its unique index compares (case-folded where case-blind); of the deleted row for a tombstone. */
    uniqueValue: text('unique_value'),
    /** `column:value` of every foreign key the row holds (now or in its latest values), for children-of-a-parent lookups. */
    refs: text('refs').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.tbl, t.rowId] }),
    index('synced_rows_unique').on(t.businessId, t.tbl, t.uniqueValue).where(sql`unique_value is not null`),
    // Rows whose unique value was suffixed (`value~rowid`): a delete gives them their value back.
    index('synced_rows_suffixed').on(t.businessId, t.tbl).where(sql`strpos(unique_value, '~') > 0`),
    // A license key, looked up without its business (POST /v1/licenses/validate).
    index('synced_rows_license').on(t.uniqueValue).where(sql`tbl = 'subscriptions' and data is not null`),
    // The same, by the SHA-256 of the key: the lookup licenses/lookup.ts makes (the key's row or its neighbour in hash
    // order), so the index's comparisons never run on the key a caller sent; and within one business.
    // Hex text in the C collation (bytewise order): min() over it is an ordered index walk on every PostgreSQL (min(bytea) is 18+).
    index('synced_rows_license_hash').on(sql`(encode(sha256(${t.uniqueValue}::bytea), 'hex') collate "C")`).where(sql`tbl = 'subscriptions' and data is not null`),
    index('synced_rows_license_business_hash').on(t.businessId, sql`(encode(sha256(${t.uniqueValue}::bytea), 'hex') collate "C")`).where(sql`tbl = 'subscriptions' and data is not null`),
    // fastupdate off: a pending list would be scanned by every lookup while a first fold inserts rows.
    index('synced_rows_refs').using('gin', t.refs).with({ fastupdate: false }),
    // A license's machines (licenses/lookup.ts): the subscription's own rows, not every machine of its business.
    index('synced_rows_license_machines').on(t.businessId, sql`(${t.data}->>'subscription_id')`).where(sql`tbl = 'license_machines' and data is not null`),
    // An API key, looked up by the SHA-256 of the key a request carries, without its business.
    index('synced_rows_api_key').on(sql`(${t.data}->>'key_hash')`).where(sql`tbl = 'api_keys'`),
    // A page of customers' tags (GET /v1/customers): the refs index would also fetch, and throw away, every
    // subscription, invoice and event that refers to those customers. Keyed by the customer alone (ids are UUIDv7),
    // so a query that compares `business_id || ''` cannot be planned on the primary key's range of the business's tags.
    index('synced_rows_customer_tags').on(sql`(${t.data}->>'customer_id')`).where(sql`tbl = 'customer_tags' and data is not null`),
  ],
);

/** How far each business's changes are folded into synced_rows: every change with seq <= seq is. */
export const projectionCursors = pgTable('projection_cursors', {
  businessId: text('business_id')
    .primaryKey()
    .references(() => businesses.id, { onDelete: 'cascade' }),
  seq: bigint('seq', { mode: 'number' }).notNull().default(0),
  /** The newest HLC among the folded changes: the server's clock stamps after it. */
  maxHlc: text('max_hlc').notNull().default(''),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** A POST's first answer under its Idempotency-Key, replayed for 24 hours (spec/server.md, "REST API"). */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
    /** The API key's row id: a key never replays another key's answer. */
    keyId: text('key_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of method, path and body: the same key with another request is 409. */
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: jsonb('body').$type<unknown>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.keyId, t.idempotencyKey] }), index('api_idempotency_created').on(t.createdAt)],
);

/** API requests per business and UTC day, for the admin page. */
export const apiUsage = pgTable(
  'api_usage',
  {
    businessId: text('business_id').notNull().references(() => businesses.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    requests: integer('requests').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.day] })],
);

/**
 * Each business's Ed25519 key for signing license files (spec/server.md
 * "License keys"), made on first need (licenses/signing.ts). The public half
 * also reaches the PCs as `business.license_public_key` (a server-made change).
 */
export const licenseSigningKeys = pgTable('license_signing_keys', {
  businessId: text('business_id')
    .primaryKey()
    .references(() => businesses.id, { onDelete: 'cascade' }),
  /** Base64 of the raw 32-byte public key. */
  publicKey: text('public_key').notNull(),
  /** The PKCS#8 DER private key sealed under the server key (server-key.ts: `v1:<iv>:<tag>:<ciphertext>`); base64 of it in rows from before, sealed on first use (licenses/signing.ts). */
  privateKey: text('private_key').notNull(),
  createdAt: createdAt(),
});
