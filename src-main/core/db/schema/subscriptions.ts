import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { coupons } from './coupons';
import { customers } from './customers';
import { plans } from './plans';

/** The current state of each subscription; its past lives in subscription_history. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'restrict' }),
    status: text('status', { enum: ['trialing', 'active', 'past_due', 'paused', 'canceled'] }).notNull(),
    quantity: integer('quantity').notNull().default(1),
    startDate: text('start_date').notNull(),
    trialEnd: text('trial_end'),
    /** Period k starts at anchor + k x interval (spec 2). */
    anchorDate: text('anchor_date').notNull(),
    /** Index of the next period to invoice on the anchor grid. */
    nextPeriodIndex: integer('next_period_index').notNull().default(0),
    currentPeriodStart: text('current_period_start'),
    currentPeriodEnd: text('current_period_end'),
    couponId: text('coupon_id').references(() => coupons.id, { onDelete: 'restrict' }),
    couponAppliedOn: text('coupon_applied_on'),
    /** Whether the first invoice (with the setup fee) has been issued. */
    setupFeeInvoiced: integer('setup_fee_invoiced', { mode: 'boolean' }).notNull().default(false),
    cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),
    cancelAt: text('cancel_at'),
    canceledAt: text('canceled_at'),
    pausedAt: text('paused_at'),
    resumeOn: text('resume_on'),
    licenseKey: text('license_key'),
    licenseExpiresOn: text('license_expires_on'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** YYYY-MM-DD: the last day the server validated this license key (server-made change, at most once a day). Last: added by ALTER TABLE. */
    licenseValidatedOn: text('license_validated_on'),
  },
  (t) => [
    index('subscriptions_customer').on(t.customerId),
    index('subscriptions_plan').on(t.planId),
    index('subscriptions_status').on(t.status),
    uniqueIndex('subscriptions_license_key').on(t.licenseKey),
    check('subscriptions_quantity', sql`${t.quantity} >= 1`),
    check(
      'subscriptions_status_check',
      sql`${t.status} in ('trialing','active','past_due','paused','canceled')`,
    ),
  ],
);
