import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { invoices } from './invoices';

export const invoiceLines = sqliteTable(
  'invoice_lines',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', {
      enum: ['recurring', 'setup_fee', 'proration', 'discount', 'tax', 'credit', 'product', 'manual'],
    }).notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull().default(1),
    unitAmount: integer('unit_amount'),
    amount: integer('amount').notNull(),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    planId: text('plan_id'),
    productId: text('product_id'),
  },
  (t) => [index('invoice_lines_invoice').on(t.invoiceId, t.position)],
);
