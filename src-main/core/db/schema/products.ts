import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Things sold once, at the counter (POS). */
export const products = sqliteTable(
  'products',
  {
    /** A stable integer key (SQLite's rowid alias): products_fts refers to it, and VACUUM never renumbers it. Local to this PC. */
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull().default(''),
    price: integer('price').notNull(),
    currency: text('currency').notNull(),
    /**
     * null: stock is not tracked. Otherwise the stock on hand, derived: always
     * the sum of the product's `stock_movements` (kept by the handler that
     * writes a movement, and derived again after every sync merge: spec/server.md
     * guarantee 3, stock is never merged as a field).
     */
    stock: integer('stock'),
    archivedAt: text('archived_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Warn when the stock on hand is at or below this (null: no warning). Added by ALTER TABLE: last. */
    lowStockAt: integer('low_stock_at'),
  },
  (t) => [
    uniqueIndex('products_sku_unique').on(sql`lower(${t.sku})`),
    index('products_category').on(t.category),
    check('products_price', sql`${t.price} >= 0`),
  ],
);
