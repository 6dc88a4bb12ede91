import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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
    status: text('status', { enum: ['sent', 'failed'] }).notNull(),
    error: text('error'),
    sentAt: text('sent_at').notNull(),
  },
  (t) => [index('reminders_invoice').on(t.invoiceId)],
);
