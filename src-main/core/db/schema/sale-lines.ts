import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { products } from './products';
import { sales } from './sales';

export const saleLines = sqliteTable(
  'sale_lines',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    amount: integer('amount').notNull(),
    // Added by ALTER TABLE (migration 0013): last.
    /** The SKU as it was when sold. */
    sku: text('sku').notNull().default(''),
    /** This line's discount (its own, plus its share of a whole-sale discount), minor units. */
    discount: integer('discount').notNull().default(0),
    tax: integer('tax').notNull().default(0),
    /** Derived: the quantity refunded so far, the sum of its `sale_refund_lines`. */
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (t) => [index('sale_lines_sale').on(t.saleId), index('sale_lines_product').on(t.productId)],
);
