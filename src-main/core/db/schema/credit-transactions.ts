import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';

/** Every movement of a customer's credit balance: positive grows it, negative uses it. */
export const creditTransactions = sqliteTable(
  'credit_transactions',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    amount: integer('amount').notNull(),
    /** credit_note: a credit note's amount (on the customer's balance, or, with an 'applied' row beside it, off its invoice). */
    reason: text('reason', { enum: ['negative_invoice', 'applied', 'cancel_proration', 'manual', 'credit_note'] }).notNull(),
    invoiceId: text('invoice_id'),
    subscriptionId: text('subscription_id'),
    occurredOn: text('occurred_on').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('credit_transactions_customer').on(t.customerId, t.occurredOn)],
);
