import { z } from 'zod';
import { method } from './define';
import { amountSchema, invoiceDetailSchema } from '../domain/billing';
import { idSchema, isoDateSchema, lineText, multilineText } from '../domain/fields';
import { MAX_SALE_QUANTITY, SALE_METHODS } from '../domain/sale-math';

// Counter sales (issue 14): the sale engine behind the point of sale. The cart
// arithmetic is src-shared/domain/sale-math.ts, shared with the POS screen.
// Amounts are integer minor units.

export { SALE_METHODS, type SaleMethod } from '../domain/sale-math';
export const SALE_STATUSES = ['paid', 'partially_refunded', 'refunded'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

const quantitySchema = z
  .number({ message: 'Enter a quantity' })
  .int('The quantity must be a whole number')
  .min(1, 'The quantity must be at least 1')
  .max(MAX_SALE_QUANTITY, `The quantity is at most ${MAX_SALE_QUANTITY}`);

const saleMethodSchema = z.enum(SALE_METHODS, { message: 'Method must be cash, card, bank_transfer or other' });

/** One item of a cart: a product by id or by SKU (exact, case-insensitive), with its quantity. */
export const saleItemInputSchema = z
  .object({
    productId: idSchema.optional(),
    sku: z.string().trim().min(1, 'Enter a SKU').max(64).optional(),
    quantity: quantitySchema,
    /** Overrides the product's price for this sale (minor units). */
    unitPrice: amountSchema.optional(),
    /** This line's own discount, minor units. */
    discount: amountSchema.optional(),
  })
  .refine((i) => i.productId !== undefined || i.sku !== undefined, { message: 'Give a product or a SKU', path: ['sku'] });
export type SaleItemInput = z.input<typeof saleItemInputSchema>;

/** A whole-sale discount: an amount (minor units) or a percentage in parts per million (10% = 100000). */
export const saleDiscountInputSchema = z.union([
  z.object({ amount: amountSchema }).strict(),
  z.object({ percentPpm: z.number().int('Use whole parts per million').min(0, 'The percentage cannot be negative') }).strict(),
]);

/** One part of the payment; the last (or only) part without an amount pays the rest. */
export const salePaymentInputSchema = z.object({
  method: saleMethodSchema,
  amount: amountSchema.optional(),
  /** Cash handed over for this part (cash only). */
  tendered: amountSchema.optional(),
});

export const saleLineSchema = z.object({
  id: z.string(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  /** Its own discount plus its share of the whole-sale discount. */
  discount: z.number().int(),
  /** Its share of the sale's tax. */
  tax: z.number().int(),
  /** quantity x unitPrice - discount: tax excluded. */
  amount: z.number().int(),
  refundedQuantity: z.number().int(),
});
export type SaleLine = z.infer<typeof saleLineSchema>;

export const salePaymentSchema = z.object({
  method: saleMethodSchema,
  amount: z.number().int(),
  tendered: z.number().int().nullable(),
  change: z.number().int(),
});

/** cli.md "A sale object", plus its payments, the invoice made from it and a note. */
export const saleSchema = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  soldOn: z.string(),
  currency: z.string(),
  lines: z.array(saleLineSchema),
  /** Σ (quantity x unitPrice - the line's own discount). */
  subtotal: z.number().int(),
  /** The whole-sale discount. */
  discount: z.number().int(),
  tax: z.number().int(),
  /** The business's tax rate, when it is the one this sale's tax was computed at (null: no tax, or the rate changed since). */
  taxRatePpm: z.number().int().nullable(),
  total: z.number().int(),
  method: z.enum([...SALE_METHODS, 'split']),
  payments: z.array(salePaymentSchema),
  tendered: z.number().int().nullable(),
  change: z.number().int(),
  /** Money given back so far, tax included. */
  refunded: z.number().int(),
  status: z.enum(SALE_STATUSES),
  invoiceId: z.string().nullable(),
  note: z.string(),
  createdAt: z.string(),
});
export type Sale = z.infer<typeof saleSchema>;

export const saleRefundLineSchema = z.object({
  saleLineId: z.string(),
  productId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  /** Money given back for the line, tax included. */
  amount: z.number().int(),
  tax: z.number().int(),
});

export const saleRefundSchema = z.object({
  id: z.string(),
  saleId: z.string(),
  refundedOn: z.string(),
  /** Money given back, tax included. */
  amount: z.number().int(),
  tax: z.number().int(),
  currency: z.string(),
  method: saleMethodSchema,
  reason: z.string(),
  lines: z.array(saleRefundLineSchema),
});
export type SaleRefund = z.infer<typeof saleRefundSchema>;

/** cli.md `report day`: the end-of-day (Z) report. Every figure is money in, net of the day's refunds. */
export const dayReportSchema = z.object({
  date: z.string(),
  currency: z.string(),
  /** Sales made that day (count) and their totals, tax included. */
  count: z.number().int(),
  sales: z.number().int(),
  /** Refunds made that day (of any day's sales), tax included. */
  refunds: z.number().int(),
  /** sales - refunds. */
  net: z.number().int(),
  /** Tax of the day's sales minus tax of the day's refunds. */
  tax: z.number().int(),
  /** Payments of the day by method minus the refunds of the day by method: adds up to net. */
  byMethod: z.object({ cash: z.number().int(), card: z.number().int(), bank_transfer: z.number().int(), other: z.number().int() }),
  /** Cash handed over and change given that day (the drawer). */
  cashTendered: z.number().int(),
  changeGiven: z.number().int(),
  /** Per product: quantity sold minus refunded, amount (tax included) sold minus refunded; adds up to net. */
  byProduct: z.array(z.object({ productId: z.string(), sku: z.string(), name: z.string(), quantity: z.number().int(), amount: z.number().int() })),
});
export type DayReport = z.infer<typeof dayReportSchema>;

const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
};

export const salesContract = {
  /**
   * Records a sale in one transaction: receipt number (gapless), lines, payments,
   * stock down for tracked products, audit row, a line on the customer's timeline.
   * Too little stock, an unknown SKU, an archived product: refused naming the line
   * (`items.N`), nothing written, no number taken.
   */
  'sales.create': method({
    input: z.object({
      items: z.array(saleItemInputSchema).min(1, 'Add at least one item').max(500),
      customerId: idSchema.nullable().optional(),
      discount: saleDiscountInputSchema.nullable().optional(),
      payments: z.array(salePaymentInputSchema).min(1, 'Choose how the sale is paid').max(2, 'A sale is paid by one method or split across two'),
      /** The business date of the sale; default today in the business's time zone. */
      on: isoDateSchema.optional(),
      note: multilineText(500).default(''),
    }),
    output: saleSchema,
    access: 'staff',
    write: true,
  }),
  'sales.list': method({
    input: z.object({
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      customerId: idSchema.optional(),
      /** A payment method (a split sale matches both of its methods), or 'split'. */
      method: z.enum([...SALE_METHODS, 'split']).optional(),
      status: z.enum(SALE_STATUSES).optional(),
      /** A receipt number, or part of one. */
      search: lineText(64).optional(),
      ...page,
    }),
    output: z.object({ rows: z.array(saleSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  /** A sale by id or receipt number, with its refunds. */
  'sales.get': method({
    input: z.object({ id: z.string().trim().min(1, 'Required').max(64) }),
    output: z.object({ sale: saleSchema, refunds: z.array(saleRefundSchema) }),
    access: 'viewer',
    write: false,
  }),
  /**
   * Refunds the whole sale (no items) or some lines: each item names a line by its id or by SKU,
   * with the quantity to give back. Stock comes back for tracked products.
   */
  'sales.refund': method({
    input: z.object({
      /** The sale's id or receipt number. */
      id: z.string().trim().min(1, 'Required').max(64),
      items: z
        .array(
          z
            .object({ lineId: idSchema.optional(), sku: z.string().trim().min(1).max(64).optional(), quantity: quantitySchema })
            .refine((i) => i.lineId !== undefined || i.sku !== undefined, { message: 'Give a line or a SKU', path: ['sku'] }),
        )
        .max(500)
        .optional(),
      on: isoDateSchema.optional(),
      /** How the money goes back; default the sale's method (the first part's for a split sale). */
      method: saleMethodSchema.optional(),
      reason: multilineText(500).default(''),
    }),
    output: z.object({ sale: saleSchema, refund: saleRefundSchema }),
    access: 'owner',
    write: true,
  }),
  /** The receipt as a PDF (an 80 mm roll or A4), wherever exports go (save dialog, download, --out), as invoices.pdf. */
  'sales.receipt': method({
    input: z.object({ id: z.string().trim().min(1).max(64), format: z.enum(['80mm', 'a4']).default('80mm') }),
    output: z.object({ path: z.string().nullable(), downloadUrl: z.string().nullable() }),
    access: 'viewer',
    write: false,
  }),
  /** An invoice (kind 'sale', already paid) for a sale with a customer; linked from the sale. */
  'sales.invoice': method({
    input: z.object({ id: z.string().trim().min(1, 'Required').max(64) }),
    output: z.object({ invoice: invoiceDetailSchema, sale: saleSchema }),
    access: 'staff',
    write: true,
  }),
  /** The end-of-day (Z) report of one business date. */
  'sales.dayReport': method({
    input: z.object({ on: isoDateSchema.optional() }),
    output: dayReportSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
