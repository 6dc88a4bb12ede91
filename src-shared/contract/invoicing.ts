import { z } from 'zod';
import { method } from './define';
import { amountSchema, invoiceDetailSchema, positiveAmountSchema } from '../domain/billing';
import { idSchema, isoDateSchema, lineText, multilineText } from '../domain/fields';

// One-off invoices, extra lines on a subscription's next invoice, and credit
// notes (issue 14, item 3). Amounts are integer minor units.

const quantitySchema = z
  .number({ message: 'Enter a quantity' })
  .int('Use a whole number')
  .min(1, 'The quantity is at least 1')
  .max(1_000_000, 'The quantity is at most 1,000,000');

/**
 * A line of a one-off invoice or an extra line: free text with a unit price,
 * or a product (by id, or by SKU for the CLI) priced from the product.
 */
export const chargeLineInputSchema = z
  .object({
    productId: idSchema.optional(),
    sku: lineText(64).optional(),
    description: lineText(200).optional(),
    quantity: quantitySchema.default(1),
    unitAmount: amountSchema.optional(),
  })
  .superRefine((line, ctx) => {
    const product = line.productId !== undefined || (line.sku ?? '') !== '';
    if (product && line.unitAmount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['unitAmount'], message: 'A product line is priced from the product; leave the price out' });
    }
    if (!product && !line.description) ctx.addIssue({ code: 'custom', path: ['description'], message: 'Describe the line, or choose a product' });
    if (!product && line.unitAmount === undefined) ctx.addIssue({ code: 'custom', path: ['unitAmount'], message: 'Enter a unit price' });
  });
export type ChargeLineInput = z.input<typeof chargeLineInputSchema>;

export const oneOffInvoiceInputSchema = z.object({
  customerId: idSchema,
  /** Defaults to today in the business's time zone. */
  issueDate: isoDateSchema.optional(),
  lines: z.array(chargeLineInputSchema).min(1, 'Add at least one line').max(200, 'At most 200 lines'),
  /** An amount off the subtotal, before tax. */
  discount: amountSchema.default(0),
});
export type OneOffInvoiceInput = z.input<typeof oneOffInvoiceInputSchema>;

export const extraItemSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  description: z.string(),
  quantity: z.number().int(),
  amount: z.number().int(),
  productId: z.string().nullable(),
  createdOn: z.string(),
});
export type ExtraItem = z.infer<typeof extraItemSchema>;

export const CREDIT_NOTE_SETTLEMENTS = ['invoice', 'credit', 'refund'] as const;
export type CreditNoteSettlement = (typeof CREDIT_NOTE_SETTLEMENTS)[number];

export const creditNoteLineSchema = z.object({
  position: z.number().int(),
  description: z.string(),
  quantity: z.number().int(),
  unitAmount: z.number().int().nullable(),
  amount: z.number().int(),
  /** The position of the invoice line it credits, if any. */
  invoiceLinePosition: z.number().int().nullable(),
});

export const creditNoteSchema = z.object({
  id: z.string(),
  number: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  issueDate: z.string(),
  currency: z.string(),
  /** Before tax (any invoice discount already taken off). */
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  settlement: z.enum(CREDIT_NOTE_SETTLEMENTS),
  reason: z.string(),
  createdAt: z.string(),
  lines: z.array(creditNoteLineSchema),
});
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const creditNoteInputSchema = z.object({
  /** By id or by number (INV-000001). */
  invoiceId: z.string().min(1, 'Required').max(64),
  settlement: z.enum(CREDIT_NOTE_SETTLEMENTS, { message: 'Settlement must be invoice, credit or refund' }),
  /**
   * What to credit: some lines (by their position on the invoice, a quantity
   * of them or all), or an amount (tax included); neither: all that is left.
   */
  lines: z
    .array(
      z.object({
        position: z.number().int().min(0),
        quantity: quantitySchema.optional(),
        /** Put the goods back in stock (a `refunded` movement); default `restock` below. Only a line that names a tracked product. */
        restock: z.boolean().optional(),
      }),
    )
    .min(1, 'Choose at least one line')
    .max(200)
    .optional(),
  amount: positiveAmountSchema.optional(),
  /**
   * Credited lines that name a product put it back in stock: default on for a tracked product
   * (off on a sale's invoice: the sale's own refund moves its stock); false: none; true: every product line.
   */
  restock: z.boolean().optional(),
  /** Defaults to today in the business's time zone. */
  issueDate: isoDateSchema.optional(),
  reason: multilineText(500).default(''),
});
export type CreditNoteInput = z.input<typeof creditNoteInputSchema>;

export const invoicingContract = {
  /** A one-off invoice (kind manual): numbered now, due by the net terms, collected by hand. */
  'invoices.create': method({ input: oneOffInvoiceInputSchema, output: invoiceDetailSchema, access: 'staff', write: true }),
  /** A line for the subscription's next period invoice (free text or a product). */
  'subscriptions.addExtra': method({
    input: z.object({ subscriptionId: idSchema, line: chargeLineInputSchema }),
    output: extraItemSchema,
    access: 'staff',
    write: true,
  }),
  /** Removes an extra line not yet invoiced. */
  'subscriptions.removeExtra': method({ input: z.object({ id: idSchema }), output: z.object({ id: z.string() }), access: 'staff', write: true }),
  'creditNotes.create': method({ input: creditNoteInputSchema, output: creditNoteSchema, access: 'owner', write: true }),
  'creditNotes.list': method({
    input: z.object({ invoiceId: idSchema.optional(), customerId: idSchema.optional() }),
    output: z.array(creditNoteSchema),
    access: 'viewer',
    write: false,
  }),
  /** By id or by number (CN-000001). */
  'creditNotes.get': method({ input: z.object({ id: z.string().min(1).max(64) }), output: creditNoteSchema, access: 'viewer', write: false }),
  'creditNotes.pdf': method({
    input: z.object({ id: z.string().min(1).max(64) }),
    output: z.object({ path: z.string().nullable(), downloadUrl: z.string().nullable() }),
    access: 'viewer',
    write: false,
  }),
} as const;
