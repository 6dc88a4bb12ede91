import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { products } from './products';
import { users } from './users';

/**
 * The stock ledger: every change of a product's stock on hand, insert-only
 * (spec/server.md guarantee 3). `products.stock` is always the sum of its rows.
 * `quantity` is signed: received +12, sold -2, a count that found 3 fewer -3.
 */
export const stockMovements = sqliteTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: ['received', 'sold', 'refunded', 'count', 'damaged', 'other'] }).notNull(),
    quantity: integer('quantity').notNull(),
    /** Why, in the owner's words (the reason given with an adjustment). */
    reason: text('reason').notNull().default(''),
    /** The sale (sold) or the sale refund (refunded) that moved it. */
    saleId: text('sale_id'),
    saleRefundId: text('sale_refund_id'),
    /** Who moved it. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The business date of the movement. */
    occurredOn: text('occurred_on').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('stock_movements_product').on(t.productId, t.occurredOn),
    index('stock_movements_sale').on(t.saleId),
    check('stock_movements_quantity', sql`${t.quantity} <> 0`),
  ],
);
