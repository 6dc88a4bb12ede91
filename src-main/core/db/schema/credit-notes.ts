import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { invoices } from './invoices';
import { users } from './users';

/**
 * A credit note: a numbered document that reduces what a customer owes on an
 * issued invoice (which is never edited). Insert-only; its money moves through
 * the existing records (a credit transaction, or a refund of a payment).
 */
export const creditNotes = sqliteTable(
  'credit_notes',
  {
    id: text('id').primaryKey(),
    /** CN-000001, gapless per business (per device once synced, as invoices). */
    number: text('number').notNull(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    issueDate: text('issue_date').notNull(),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    tax: integer('tax').notNull().default(0),
    total: integer('total').notNull(),
    /** What the credit became: off the invoice's amount due, the customer's credit balance, or a refund. */
    settlement: text('settlement', { enum: ['invoice', 'credit', 'refund'] }).notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('credit_notes_number_unique').on(t.number),
    index('credit_notes_invoice').on(t.invoiceId),
    index('credit_notes_customer').on(t.customerId, t.issueDate),
  ],
);

export const creditNoteLines = sqliteTable(
  'credit_note_lines',
  {
    id: text('id').primaryKey(),
    creditNoteId: text('credit_note_id')
      .notNull()
      .references(() => creditNotes.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull().default(1),
    unitAmount: integer('unit_amount'),
    amount: integer('amount').notNull(),
    /** The invoice line it credits, if any. */
    invoiceLineId: text('invoice_line_id'),
  },
  (t) => [index('credit_note_lines_note').on(t.creditNoteId, t.position)],
);
