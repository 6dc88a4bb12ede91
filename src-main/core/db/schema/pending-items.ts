import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { invoices } from './invoices';
import { subscriptions } from './subscriptions';

/** Lines waiting for the subscription's next invoice (proration from a change). */
export const pendingItems = sqliteTable(
  'pending_items',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    /** proration: from a plan change; extra: a line the owner added to the next invoice (free text or a product). */
    kind: text('kind', { enum: ['proration', 'extra'] }).notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull().default(1),
    amount: integer('amount').notNull(),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    createdOn: text('created_on').notNull(),
    /** Set when the item is written onto an invoice. */
    invoiceId: text('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    /** For an extra line of a product. Added by ALTER TABLE: last. */
    productId: text('product_id'),
  },
  (t) => [index('pending_items_open').on(t.subscriptionId, t.invoiceId)],
);
