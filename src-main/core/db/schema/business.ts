import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The business this file belongs to: exactly one row. Settings used by billing live here. */
export const business = sqliteTable(
  'business',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    timezone: text('timezone').notNull(),
    locale: text('locale').notNull().default('en-US'),
    /** Tax rate in parts per million of the taxable amount (8.25% = 82500). */
    taxRatePpm: integer('tax_rate_ppm').notNull().default(0),
    invoicePrefix: text('invoice_prefix').notNull().default('INV'),
    /** The number the next issued invoice takes; gapless per business. */
    nextInvoiceNumber: integer('next_invoice_number').notNull().default(1),
    nextSaleNumber: integer('next_sale_number').notNull().default(1),
    netTermsDays: integer('net_terms_days').notNull().default(14),
    /** JSON array of retry offsets in days after the issue date. */
    dunningDays: text('dunning_days').notNull().default('[3,5,7]'),
    billingIntervalMinutes: integer('billing_interval_minutes').notNull().default(15),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /**
     * Base64 (raw 32 bytes) of the Ed25519 public key the server signs this
     * business's license files with (spec/server.md "License keys"). Set by the
     * server through sync; null until the business is connected. Last: added by ALTER TABLE.
     */
    licensePublicKey: text('license_public_key'),
    // The business's details printed on invoices, receipts and credit notes (migration 0013).
    addressLine1: text('address_line1').notNull().default(''),
    addressLine2: text('address_line2').notNull().default(''),
    city: text('city').notNull().default(''),
    region: text('region').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    country: text('country').notNull().default(''),
    email: text('email').notNull().default(''),
    phone: text('phone').notNull().default(''),
    taxId: text('tax_id').notNull().default(''),
    invoiceFooter: text('invoice_footer').notNull().default(''),
    /** The logo as a data: URL (PNG or JPEG), or null. */
    logo: text('logo'),
    /** The number the next credit note takes (CN-000001); gapless like invoices. */
    nextCreditNoteNumber: integer('next_credit_note_number').notNull().default(1),
  },
  (t) => [
    check('business_tax_rate', sql`${t.taxRatePpm} between 0 and 1000000`),
    check('business_net_terms', sql`${t.netTermsDays} >= 0`),
  ],
);
