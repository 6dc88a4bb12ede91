import { z } from 'zod';
import { method } from './define';
import {

  billingRunSchema,
  CHANGE_MODES,
  couponCodeSchema,
  INVOICE_STATUSES,
  invoiceDetailSchema,
  invoiceLineSchema,
  invoiceSchema,
  MANUAL_PAYMENT_METHODS,
  paymentSchema,
  positiveAmountSchema,
  refundSchema,
  runSummarySchema,
  SUBSCRIPTION_STATUSES,
  subscriptionSchema,
} from '../domain/billing';
import { idSchema, isoDateSchema, lineText, multilineText } from '../domain/fields';
import { LICENSE_STATUSES, licenseKeySchema } from '../domain/license';

const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
};

export const changeInputSchema = z.object({
  id: idSchema,
  planId: idSchema.optional(),
  quantity: z.number().int('Use a whole number').min(1, 'The quantity is at least 1').max(1_000_000).optional(),
  on: isoDateSchema,
  mode: z.enum(CHANGE_MODES, { message: 'Mode must be prorate, invoice_now or at_period_end' }).default('prorate'),
});

/** An invoice a change would write; taxRatePpm is the rate its tax line is computed at (null without tax). */
const previewInvoiceSchema = z.object({
  issueDate: z.string(),
  lines: z.array(invoiceLineSchema),
  subtotal: z.number().int(),
  discount: z.number().int(),
  tax: z.number().int(),
  taxRatePpm: z.number().int().nullable(),
  total: z.number().int(),
  amountDue: z.number().int(),
});

/** What a change will do, line by line, before it is made. */
export const changePreviewSchema = z.object({
  /** immediate: takes effect on the date given; at_period_end: from the period end. */
  effectiveOn: z.string(),
  /** The proration lines the change writes (empty for at_period_end). */
  prorationLines: z.array(invoiceLineSchema),
  /** The invoice the change issues now (invoice_now, or a change of interval), as it will be written. */
  invoiceNow: previewInvoiceSchema.nullable(),
  /** The next regular invoice after the change, as the engine will issue it. */
  nextInvoice: previewInvoiceSchema.nullable(),
  currency: z.string(),
  /** Set while the subscription is in its trial: the next invoice is its first, on this date, with the change applied. */
  trialEndsOn: z.string().nullable(),
});
export type ChangePreview = z.infer<typeof changePreviewSchema>;

/**
 * One row of payments.list: a payment (or a failed attempt), or a refund as
 * its own row, dated when it was made, with a negative amount, so the
 * succeeded rows of a period add up to its revenue (spec 8).
 */
export const paymentListRowSchema = paymentSchema.extend({
  kind: z.enum(['payment', 'refund']),
  /** For a refund: the id of the payment it gives money back from (`id` is the refund's own). */
  refundOf: z.string().nullable(),
});
export type PaymentListRow = z.infer<typeof paymentListRowSchema>;

/** A line waiting for the subscription's next invoice (today: the proration a change left). */
export const pendingItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['proration', 'extra']),
  description: z.string(),
  quantity: z.number().int(),
  amount: z.number().int(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  createdOn: z.string(),
});
export type PendingItem = z.infer<typeof pendingItemSchema>;

/** A machine a license key was activated on (written by the server through sync). */
export const licenseMachineSchema = z.object({
  id: z.string(),
  /** The name the business's product gave it ("Reception PC"); null when it gave none. */
  name: z.string().nullable(),
  fingerprint: z.string(),
  activatedAt: z.string(),
  /** Set once deactivated: the machine no longer counts against maxMachines. */
  deactivatedAt: z.string().nullable(),
  /** YYYY-MM-DD: the last day a validation named it. */
  lastSeenOn: z.string().nullable(),
});
export type LicenseMachine = z.infer<typeof licenseMachineSchema>;

/** A subscription's license key as the server answers for it (spec/server.md "License keys"), from the synced rows. */
export const subscriptionLicenseSchema = z.object({
  key: z.string(),
  /** valid while the business's today is before expiresOn (src-shared/domain/license.ts). */
  status: z.enum(LICENSE_STATUSES),
  expiresOn: z.string().nullable(),
  /** YYYY-MM-DD: the last day the business's product validated the key; null: never (or not synced yet). */
  validatedOn: z.string().nullable(),
  /** The plan's machines per key; null: unlimited. */
  maxMachines: z.number().int().nullable(),
  /** Machines activated and not deactivated: what counts against maxMachines. */
  activeMachines: z.number().int(),
  /** Active machines first (oldest activation first), then deactivated ones (latest deactivation first). */
  machines: z.array(licenseMachineSchema),
});
export type SubscriptionLicense = z.infer<typeof subscriptionLicenseSchema>;

/**
 * A billing run's as-of date: a date like any other (from 1970), but its upper bound is today in the
 * business's time zone, checked by the handler (a run charges cards), not the dispatcher's generic
 * "10 years ahead" for entered dates, which would name the wrong limit. A copy of isoDateSchema, so
 * the dispatcher's check (core/date-bounds.ts) does not claim it.
 */
const billingAsOfSchema = isoDateSchema.describe('Billing runs up to today in the business time zone');

export const billingContract = {
  'subscriptions.list': method({
    input: z.object({
      status: z.enum(SUBSCRIPTION_STATUSES).optional(),
      customerId: idSchema.optional(),
      planId: idSchema.optional(),
      search: z.string().trim().max(200).optional(),
      ...page,
    }),
    output: z.object({ rows: z.array(subscriptionSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  'subscriptions.get': method({
    input: z.object({ id: idSchema }),
    output: z.object({
      subscription: subscriptionSchema,
      history: z.array(z.object({ effectiveDate: z.string(), event: z.string(), status: z.string(), planName: z.string(), quantity: z.number().int(), recurringAmount: z.number().int() })),
      /** Lines waiting for the next invoice (the proration a change left), oldest first. */
      pendingItems: z.array(pendingItemSchema),
      /** Its license key, machines and last validation; null without a key. */
      license: subscriptionLicenseSchema.nullable(),
    }),
    access: 'viewer',
    write: false,
  }),
  'subscriptions.create': method({
    input: z.object({
      customerId: idSchema,
      planId: idSchema,
      startDate: isoDateSchema,
      quantity: z.number().int('Use a whole number').min(1, 'The quantity is at least 1').max(1_000_000).default(1),
      couponCode: couponCodeSchema.optional(),
      /** Overrides the plan's trial; 0 for none. */
      trialDays: z.number().int('Use whole days').min(0, 'Trial days cannot be negative').max(730).optional(),
      /** Issue a generated license key (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX). */
      withLicenseKey: z.boolean().default(false),
      /** Issue this license key (unique per business); wins over withLicenseKey. */
      licenseKey: licenseKeySchema.optional(),
    }),
    output: subscriptionSchema,
    access: 'staff',
    write: true,
  }),
  'subscriptions.previewChange': method({ input: changeInputSchema, output: changePreviewSchema, access: 'viewer', write: false }),
  'subscriptions.change': method({
    input: changeInputSchema,
    output: z.object({ subscription: subscriptionSchema, invoice: invoiceSchema.nullable() }),
    access: 'staff',
    write: true,
  }),
  'subscriptions.cancel': method({
    input: z.object({ id: idSchema, on: isoDateSchema, atPeriodEnd: z.boolean().default(false), prorate: z.boolean().default(false) }),
    output: subscriptionSchema,
    access: 'staff',
    write: true,
  }),
  'subscriptions.pause': method({ input: z.object({ id: idSchema, on: isoDateSchema }), output: subscriptionSchema, access: 'staff', write: true }),
  'subscriptions.resume': method({ input: z.object({ id: idSchema, on: isoDateSchema }), output: subscriptionSchema, access: 'staff', write: true }),
  /** Undo a cancel at period end, or start a canceled subscription again on a date. */
  'subscriptions.reactivate': method({
    input: z.object({ id: idSchema, on: isoDateSchema.optional() }),
    output: subscriptionSchema,
    access: 'staff',
    write: true,
  }),

  'invoices.list': method({
    input: z.object({
      status: z.enum(INVOICE_STATUSES).optional(),
      customerId: idSchema.optional(),
      subscriptionId: idSchema.optional(),
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      search: z.string().trim().max(100).optional(),
      ...page,
    }),
    output: z.object({ rows: z.array(invoiceSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  /** By id or by number (INV-000001). */
  'invoices.get': method({ input: z.object({ id: z.string().min(1).max(64) }), output: invoiceDetailSchema, access: 'viewer', write: false }),
  'invoices.pay': method({
    input: z.object({
      id: idSchema,
      amount: positiveAmountSchema,
      method: z.enum(MANUAL_PAYMENT_METHODS, { message: 'Method must be cash, bank_transfer, card or other' }),
      on: isoDateSchema,
      reference: lineText(200).default(''),
    }),
    output: z.object({ invoice: invoiceDetailSchema, payment: paymentSchema }),
    access: 'staff',
    write: true,
  }),
  /** The invoice as a PDF, wherever exports go (save dialog, download, --out). */
  'invoices.pdf': method({
    input: z.object({ id: z.string().min(1).max(64) }),
    output: z.object({ path: z.string().nullable(), downloadUrl: z.string().nullable() }),
    access: 'viewer',
    write: false,
  }),
  'invoices.void': method({ input: z.object({ id: idSchema, on: isoDateSchema.optional() }), output: invoiceDetailSchema, access: 'owner', write: true }),

  'payments.list': method({
    input: z.object({
      customerId: idSchema.optional(),
      invoiceId: idSchema.optional(),
      /** succeeded: money that moved (payments and refunds); failed: declined attempts (no refunds). */
      status: z.enum(['succeeded', 'failed']).optional(),
      kind: z.enum(['payment', 'refund']).optional(),
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      ...page,
    }),
    output: z.object({ rows: z.array(paymentListRowSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  'payments.refund': method({
    input: z.object({ id: idSchema, amount: positiveAmountSchema.optional(), on: isoDateSchema, reason: multilineText(500).default('') }),
    output: z.object({ refund: refundSchema, payment: paymentSchema }),
    access: 'owner',
    write: true,
  }),

  /** Runs billing as of a date (everything due on or before it). */
  'billing.run': method({ input: z.object({ asOf: billingAsOfSchema }), output: runSummarySchema, access: 'staff', write: false }),
  /** The next N months of invoices and revenue, without writing anything. */
  'billing.simulate': method({
    input: z.object({ months: z.number().int().min(1, 'At least 1 month').max(36, 'At most 36 months'), from: isoDateSchema }),
    output: z.object({
      from: z.string(),
      currency: z.string(),
      months: z.array(z.object({ month: z.string(), invoices: z.number().int(), amount: z.number().int(), collected: z.number().int() })),
    }),
    access: 'viewer',
    write: false,
  }),
  'billing.status': method({
    input: z.object({}),
    output: z.object({ running: z.boolean(), lastRun: billingRunSchema.nullable(), recentRuns: z.array(billingRunSchema) }),
    access: 'viewer',
    write: false,
  }),
} as const;

