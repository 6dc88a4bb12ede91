import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { saleLines } from './sale-lines';
import { sales } from './sales';
import { users } from './users';

/** A refund of a whole sale or of some of its lines. Insert-only; subtracts from revenue on `refunded_on`. */
export const saleRefunds = sqliteTable(
  'sale_refunds',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'restrict' }),
    refundedOn: text('refunded_on').notNull(),
    /** Money given back, tax included. */
    amount: integer('amount').notNull(),
    tax: integer('tax').notNull().default(0),
    currency: text('currency').notNull(),
    method: text('method', { enum: ['cash', 'card', 'bank_transfer', 'other'] }).notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('sale_refunds_sale').on(t.saleId),
    index('sale_refunds_date').on(t.refundedOn),
    check('sale_refunds_amount', sql`${t.amount} >= 0`),
  ],
);

/** The lines a sale refund gave back (stock comes back through a `refunded` stock movement). */
export const saleRefundLines = sqliteTable(
  'sale_refund_lines',
  {
    id: text('id').primaryKey(),
    refundId: text('refund_id')
      .notNull()
      .references(() => saleRefunds.id, { onDelete: 'cascade' }),
    saleLineId: text('sale_line_id')
      .notNull()
      .references(() => saleLines.id, { onDelete: 'restrict' }),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    amount: integer('amount').notNull(),
    tax: integer('tax').notNull().default(0),
  },
  (t) => [
    index('sale_refund_lines_refund').on(t.refundId),
    index('sale_refund_lines_line').on(t.saleLineId),
    check('sale_refund_lines_quantity', sql`${t.quantity} > 0`),
  ],
);
