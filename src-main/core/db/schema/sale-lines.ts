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
  },
  (t) => [index('sale_lines_sale').on(t.saleId), index('sale_lines_product').on(t.productId)],
);
