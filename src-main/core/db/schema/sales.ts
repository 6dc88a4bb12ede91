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
    // Added by ALTER TABLE (migration 0013): last.
    /** The whole-sale discount, in minor units (a percentage is turned into an amount when the sale is made). */
    discount: integer('discount').notNull().default(0),
    /** How it was paid: one method, or 'split' when `sale_payments` holds two. */
    method: text('method', { enum: ['cash', 'card', 'bank_transfer', 'other', 'split'] }).notNull().default('cash'),
    /** Cash handed over (null when no cash was tendered). */
    tendered: integer('tendered'),
    /** Cash given back. */
    changeGiven: integer('change_given').notNull().default(0),
    /** Derived: the sum of the sale's `sale_refunds` (never merged as a field). */
    refunded: integer('refunded').notNull().default(0),
    /** Derived from `refunded`: paid, partially_refunded, refunded. */
    status: text('status', { enum: ['paid', 'partially_refunded', 'refunded'] }).notNull().default('paid'),
    note: text('note').notNull().default(''),
  },
  (t) => [
    uniqueIndex('sales_number_unique').on(t.number),
    index('sales_date').on(t.soldOn),
    // A customer's sales, for the trigger that keeps its insight_customer_days row (0022_insight_triggers).
    index('sales_customer').on(t.customerId, t.soldOn),
  ],
);
