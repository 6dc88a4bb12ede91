import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { users } from './users';

/**
 * Every email the business sends, through the owner's SMTP server: queued,
 * then sent or failed (with the server's answer), retried with backoff. Only
 * the PC named in `device_id` delivers a row (so two PCs never both send it);
 * the row syncs, so every PC shows its status.
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['test', 'invoice', 'reminder', 'campaign', 'receipt'] }).notNull(),
    toAddress: text('to_address').notNull(),
    toName: text('to_name').notNull().default(''),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    /** An invoice whose PDF is attached, rendered when the email is sent. */
    attachInvoiceId: text('attach_invoice_id'),
    customerId: text('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** What it is about (an invoice, a reminder, a campaign recipient). */
    refType: text('ref_type'),
    refId: text('ref_id'),
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** ISO timestamp of the next try (backoff); null when sent or given up. */
    nextAttemptAt: text('next_attempt_at'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    /** The device (sync_clock.device_id, '' before sync) that delivers it. */
    deviceId: text('device_id').notNull().default(''),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('email_outbox_due').on(t.status, t.nextAttemptAt),
    index('email_outbox_customer').on(t.customerId, t.createdAt),
    index('email_outbox_ref').on(t.refType, t.refId),
  ],
);

/** An email campaign to an audience of customers (segment, tag, status or a saved view). */
export const campaigns = sqliteTable('campaigns', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  subject: text('subject').notNull(),
  /** The message, plain text or Markdown, as the owner wrote it. */
  body: text('body').notNull(),
  /** JSON: {segment?, tag?, status?, view?}. */
  audience: text('audience').notNull(),
  status: text('status', { enum: ['draft', 'sending', 'sent'] }).notNull().default('draft'),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull(),
  sentAt: text('sent_at'),
  updatedAt: text('updated_at').notNull(),
});

/** One row per customer a campaign went to: each recipient gets it once. */
export const campaignRecipients = sqliteTable(
  'campaign_recipients',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'skipped'] }).notNull(),
    error: text('error'),
    outboxId: text('outbox_id'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('campaign_recipients_once').on(t.campaignId, t.customerId)],
);
