import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    currency: text('currency').notNull(),
    /** flat: unit_amount x quantity; graduated/volume: plan_tiers. */
    pricingModel: text('pricing_model', { enum: ['flat', 'graduated', 'volume'] }).notNull().default('flat'),
    unitAmount: integer('unit_amount').notNull(),
    interval: text('interval', { enum: ['day', 'week', 'month', 'quarter', 'year'] }).notNull(),
    intervalCount: integer('interval_count').notNull().default(1),
    trialDays: integer('trial_days').notNull().default(0),
    setupFee: integer('setup_fee').notNull().default(0),
    /** JSON array of feature names (entitlements). */
    features: text('features').notNull().default('[]'),
    archivedAt: text('archived_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Machines a license key of this plan may activate (spec/server.md "License keys"); null: unlimited. Last: added by ALTER TABLE. */
    maxMachines: integer('max_machines'),
  },
  (t) => [
    uniqueIndex('plans_code_unique').on(sql`lower(${t.code})`),
    index('plans_archived').on(t.archivedAt),
    check('plans_amounts', sql`${t.unitAmount} >= 0 and ${t.setupFee} >= 0`),
    check('plans_interval_count', sql`${t.intervalCount} >= 1`),
    check('plans_trial_days', sql`${t.trialDays} >= 0`),
  ],
);
