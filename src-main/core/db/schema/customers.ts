import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const customers = sqliteTable(
  'customers',
  {
    /** A stable integer key (SQLite's rowid alias): the search index refers to it, and VACUUM never renumbers it. */
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized').notNull(),
    phone: text('phone').notNull().default(''),
    company: text('company').notNull().default(''),
    addressLine1: text('address_line1').notNull().default(''),
    addressLine2: text('address_line2').notNull().default(''),
    city: text('city').notNull().default(''),
    region: text('region').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    country: text('country').notNull().default(''),
    segment: text('segment').notNull().default(''),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
    /** The simulated way this customer pays (spec/billing.md 5). */
    paymentMethod: text('payment_method', { enum: ['card', 'card_declining', 'manual'] })
      .notNull()
      .default('card'),
    /** Credit owed to the customer, in minor units; used by the next invoices. */
    creditBalance: integer('credit_balance').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** When the customer unsubscribed from campaign emails (null: subscribed). Added by ALTER TABLE: last. */
    emailOptOutAt: text('email_opt_out_at'),
  },
  (t) => [
    uniqueIndex('customers_email_unique').on(t.emailNormalized),
    index('customers_name').on(sql`${t.name} collate nocase`),
    index('customers_company').on(sql`${t.company} collate nocase`),
    index('customers_segment').on(sql`${t.segment} collate nocase`),
    index('customers_status').on(t.status),
    index('customers_created').on(t.createdAt),
    // Every sortable column has an index, so a sorted page of 100,000 customers never sorts them all.
    index('customers_phone').on(t.phone),
    index('customers_payment_method').on(t.paymentMethod),
    index('customers_credit_balance').on(t.creditBalance),
    check('customers_status_check', sql`${t.status} in ('active','inactive')`),
    check(
      'customers_payment_method_check',
      sql`${t.paymentMethod} in ('card','card_declining','manual')`,
    ),
    check('customers_credit', sql`${t.creditBalance} >= 0`),
  ],
);
