import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sales } from './sales';

/** How a sale was paid: one row, or two for a split payment. Insert-only; counts in revenue on `paid_on`. */
export const salePayments = sqliteTable(
  'sale_payments',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    method: text('method', { enum: ['cash', 'card', 'bank_transfer', 'other'] }).notNull(),
    /** The part of the total this method paid (after change: tendered - change). */
    amount: integer('amount').notNull(),
    /** Cash handed over for this part (null for other methods). */
    tendered: integer('tendered'),
    changeGiven: integer('change_given').notNull().default(0),
    currency: text('currency').notNull(),
    paidOn: text('paid_on').notNull(),
    reference: text('reference').notNull().default(''),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('sale_payments_sale').on(t.saleId),
    index('sale_payments_date').on(t.paidOn),
    check('sale_payments_amount', sql`${t.amount} > 0`),
  ],
);
