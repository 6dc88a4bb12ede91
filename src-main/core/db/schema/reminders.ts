import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { invoices } from './invoices';

/** Payment reminders sent (or attempted) for unpaid invoices. */
export const reminders = sqliteTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email'] }).notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed'] }).notNull(),
    error: text('error'),
    sentAt: text('sent_at').notNull(),
    // Added by ALTER TABLE (migration 0013): last.
    /** The schedule step, in days relative to the due date (-3: three days before). */
    step: integer('step'),
    /** The email that carries it. */
    outboxId: text('outbox_id'),
  },
  (t) => [
    index('reminders_invoice').on(t.invoiceId),
    // Each invoice and step at most once (on two PCs too: only the billing PC runs reminders).
    uniqueIndex('reminders_invoice_step').on(t.invoiceId, t.step),
  ],
);
