import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { invoices } from './invoices';
import { users } from './users';

/** One-off sales of products at the counter. */
export const sales = sqliteTable(
  'sales',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    customerId: text('customer_id').references(() => customers.id, { onDelete: 'restrict' }),
    soldOn: text('sold_on').notNull(),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    tax: integer('tax').notNull().default(0),
    total: integer('total').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('sales_number_unique').on(t.number), index('sales_date').on(t.soldOn)],
);
