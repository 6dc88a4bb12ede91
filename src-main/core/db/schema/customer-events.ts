import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { users } from './users';

/** The customer's timeline: notes, calls and emails logged by hand, and system events. */
export const customerEvents = sqliteTable(
  'customer_events',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['note', 'call', 'email', 'system'] }).notNull(),
    /** For system events: created, edited, subscribed, invoiced, paid, ... */
    subtype: text('subtype').notNull().default(''),
    title: text('title').notNull().default(''),
    body: text('body').notNull().default(''),
    occurredAt: text('occurred_at').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** What a system event is about (an invoice, a payment...). */
    refType: text('ref_type'),
    refId: text('ref_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('customer_events_timeline').on(t.customerId, t.occurredAt)],
);
