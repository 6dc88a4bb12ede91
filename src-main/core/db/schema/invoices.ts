import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { subscriptions } from './subscriptions';

export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    /** PREFIX-000001, gapless per business in issue order. */
    number: text('number').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    subscriptionId: text('subscription_id').references(() => subscriptions.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: ['subscription', 'change', 'sale', 'manual'] }).notNull(),
    /**
     * For a subscription period's invoice, the period start: (subscription_id,
     * period_key) is unique, so a period can never be invoiced twice.
     */
    periodKey: text('period_key'),
    status: text('status', { enum: ['draft', 'open', 'paid', 'void', 'uncollectible'] }).notNull(),
    issueDate: text('issue_date').notNull(),
    dueDate: text('due_date').notNull(),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    discount: integer('discount').notNull().default(0),
    tax: integer('tax').notNull().default(0),
    total: integer('total').notNull(),
    creditApplied: integer('credit_applied').notNull().default(0),
    amountPaid: integer('amount_paid').notNull().default(0),
    amountDue: integer('amount_due').notNull(),
    /** Collection attempts made so far (first attempt + retries). */
    attemptCount: integer('attempt_count').notNull().default(0),
    nextRetryOn: text('next_retry_on'),
    paidOn: text('paid_on'),
    voidedOn: text('voided_on'),
    uncollectibleOn: text('uncollectible_on'),
    memo: text('memo').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('invoices_number_unique').on(t.number),
    uniqueIndex('invoices_subscription_period').on(t.subscriptionId, t.periodKey),
    index('invoices_customer').on(t.customerId, t.issueDate),
    index('invoices_status').on(t.status, t.dueDate),
    index('invoices_issue_date').on(t.issueDate),
    // Lookups by subscription use the (subscription_id, period_key) index; open invoices the status index.
    // Every index here is paid for on each of the many invoices a billing run writes.
    check('invoices_amounts', sql`${t.amountDue} >= 0 and ${t.amountPaid} >= 0 and ${t.creditApplied} >= 0`),
    check(
      'invoices_status_check',
      sql`${t.status} in ('draft','open','paid','void','uncollectible')`,
    ),
  ],
);
