import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { invoices } from './invoices';
import { users } from './users';

/** Payments and failed collection attempts. Refunds are their own rows. */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id').references(() => invoices.id, { onDelete: 'restrict' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    method: text('method', { enum: ['card', 'cash', 'bank_transfer', 'other'] }).notNull(),
    status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
    paidOn: text('paid_on').notNull(),
    /** 1 for the first automatic attempt, 2.. for dunning retries; null for manual payments. */
    attempt: integer('attempt'),
    failureReason: text('failure_reason'),
    reference: text('reference').notNull().default(''),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('payments_invoice').on(t.invoiceId),
    index('payments_customer').on(t.customerId, t.paidOn),
    index('payments_status_date').on(t.status, t.paidOn),
    check('payments_amount', sql`${t.amount} > 0 and ${t.amountRefunded} between 0 and ${t.amount}`),
  ],
);
