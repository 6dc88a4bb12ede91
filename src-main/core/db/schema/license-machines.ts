import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { subscriptions } from './subscriptions';

/**
 * The machines a subscription's license key is activated on (spec/server.md
 * "License keys"). Written only by the server (`POST /v1/licenses/activate`
 * and `deactivate`, as server-made changes) and pulled by the PCs, which show
 * them on the subscription page. A deactivated machine keeps its row, with
 * `deactivated_at` set; activating the same fingerprint again clears it.
 */
export const licenseMachines = sqliteTable(
  'license_machines',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    /** What the business's product sends to tell its machines apart (a hash it makes). */
    fingerprint: text('fingerprint').notNull(),
    /** The name the product gave the machine ("Reception PC"). */
    name: text('name'),
    activatedAt: text('activated_at').notNull(),
    deactivatedAt: text('deactivated_at'),
    /** YYYY-MM-DD: the last day a validation named this machine (written at most once a day). */
    lastSeenOn: text('last_seen_on'),
  },
  (t) => [
    // Also the lookup by subscription (its leading column).
    uniqueIndex('license_machines_fingerprint').on(t.subscriptionId, t.fingerprint),
  ],
);
