import { sql } from 'drizzle-orm';
import { check, index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users';

/**
 * Keys for the server's REST API (spec/server.md "REST API"). Synced: the
 * server finds a key by `key_hash` in the business's synced rows, and sets
 * `last_used_on` through sync. The key itself is shown once and never stored.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    scope: text('scope', { enum: ['read', 'write'] }).notNull(),
    /** Lower-case hex SHA-256 of the whole key, `rk_` included. */
    keyHash: text('key_hash').notNull(),
    /** The first 8 characters after `rk_`, to recognise a key in lists. */
    keyPrefix: text('key_prefix').notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: text('revoked_at'),
    /** YYYY-MM-DD, set by the server (through sync) when the key is used. */
    lastUsedOn: text('last_used_on'),
  },
  (t) => [
    index('api_keys_created').on(t.createdAt),
    check('api_keys_scope', sql`${t.scope} in ('read','write')`),
  ],
);
