import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const coupons = sqliteTable(
  'coupons',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull().default(''),
    /** Exactly one of percent_off_ppm (20% = 200000) and amount_off is set. */
    percentOffPpm: integer('percent_off_ppm'),
    amountOff: integer('amount_off'),
    currency: text('currency').notNull(),
    duration: text('duration', { enum: ['once', 'repeating', 'forever'] }).notNull(),
    durationMonths: integer('duration_months'),
    /** Last date the coupon can be applied (inclusive). */
    expiresOn: text('expires_on'),
    maxRedemptions: integer('max_redemptions'),
    timesRedeemed: integer('times_redeemed').notNull().default(0),
    archivedAt: text('archived_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('coupons_code_unique').on(sql`upper(${t.code})`),
    check(
      'coupons_one_discount',
      sql`(${t.percentOffPpm} is null) <> (${t.amountOff} is null)`,
    ),
    check(
      'coupons_repeating_months',
      sql`(${t.duration} = 'repeating') = (${t.durationMonths} is not null)`,
    ),
  ],
);
