import { z } from 'zod';
import { isoDateSchema, lineText, multilineText, nameSchema } from './fields';
import { INTERVALS } from './periods';
import { MAX_AMOUNT_MINOR } from './money';

import { INVOICE_STATUSES, SUBSCRIPTION_STATUSES } from './kinds';

export { INVOICE_STATUSES, SUBSCRIPTION_STATUSES, type InvoiceStatus, type SubscriptionStatus } from './kinds';
export const MANUAL_PAYMENT_METHODS = ['cash', 'bank_transfer', 'card', 'other'] as const;
export const CHANGE_MODES = ['prorate', 'invoice_now', 'at_period_end'] as const;
export type ChangeMode = (typeof CHANGE_MODES)[number];

/** An amount in minor units given by a person: a whole, non-negative number. */
export const amountSchema = z
  .number({ message: 'Enter an amount' })
  .int('Amounts are whole minor units (cents)')
  .min(0, 'The amount cannot be negative')
  .max(MAX_AMOUNT_MINOR, 'The amount is too large: at most 10 billion');

export const positiveAmountSchema = amountSchema.refine((v) => v > 0, { message: 'The amount must be more than zero' });

export const tierSchema = z.object({
  upTo: z.number().int().min(1, 'A tier limit is at least 1').nullable(),
  unitAmount: amountSchema,
  flatAmount: amountSchema.default(0),
});

export const planCodeSchema = z
  .string()
  .trim()
  .min(1, 'Enter a code')
  .max(40, 'Keep the code to 40 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Use letters, digits, dashes, dots and underscores');

const planFieldRules = {
  name: nameSchema,
  code: planCodeSchema.optional(),
  description: multilineText(2000),
  price: amountSchema,
  interval: z.enum(INTERVALS, { message: 'Interval must be day, week, month, quarter or year' }),
  intervalCount: z.number().int('Use a whole number').min(1, 'The interval count is at least 1').max(365),
  trialDays: z.number().int('Use whole days').min(0, 'Trial days cannot be negative').max(730),
  setupFee: amountSchema,
  pricingModel: z.enum(['flat', 'graduated', 'volume']),
  tiers: z.array(tierSchema).max(20),
  features: z.array(lineText(120).pipe(z.string().min(1))).max(50),
  /** How many machines one license key of the plan may activate; null: unlimited (spec/server.md "License keys"). */
  maxMachines: z.number().int('Use a whole number of machines').min(1, 'At least 1 machine (leave it empty for unlimited)').max(100_000, 'At most 100,000 machines').nullable(),
};

export const planFieldsSchema = z.object({
  ...planFieldRules,
  description: planFieldRules.description.default(''),
  intervalCount: planFieldRules.intervalCount.default(1),
  trialDays: planFieldRules.trialDays.default(0),
  setupFee: planFieldRules.setupFee.default(0),
  pricingModel: planFieldRules.pricingModel.default('flat'),
  tiers: planFieldRules.tiers.default([]),
  features: planFieldRules.features.default([]),
  maxMachines: planFieldRules.maxMachines.default(null),
});

/**
 * An edit: only the fields given change. No defaults: zod applies a default
 * inside .partial(), so renaming a plan set its description, features, trial
 * and setup fee back to the defaults (the sync fuzz found an edit lost so).
 */
export const planChangesSchema = z.object(planFieldRules).partial();

export const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  description: z.string(),
  price: z.number().int(),
  currency: z.string(),
  interval: z.enum(INTERVALS),
  intervalCount: z.number().int(),
  trialDays: z.number().int(),
  setupFee: z.number().int(),
  pricingModel: z.enum(['flat', 'graduated', 'volume']),
  tiers: z.array(z.object({ upTo: z.number().int().nullable(), unitAmount: z.number().int(), flatAmount: z.number().int() })),
  features: z.array(z.string()),
  /** Machines per license key; null: unlimited. */
  maxMachines: z.number().int().nullable(),
  archived: z.boolean(),
  /** Subscriptions ever made on it: price and interval are fixed once it has any. */
  subscriptionCount: z.number().int(),
  activeSubscriptions: z.number().int(),
  createdAt: z.string(),
});
export type Plan = z.infer<typeof planSchema>;

export const couponCodeSchema = z
  .string()
  .trim()
  .min(2, 'A code has at least 2 characters')
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, dashes and underscores');

export const couponFieldsSchema = z
  .object({
    code: couponCodeSchema,
    name: lineText(200).default(''),
    /** Percent as text, "20" or "12.5". */
    percentOff: z
      .string()
      .trim()
      .regex(/^\d{1,3}(\.\d{1,4})?$/, 'Use a percentage like 20 or 12.5')
      .refine((v) => Number(v) > 0 && Number(v) <= 100, { message: 'A percentage is more than 0 and at most 100' })
      .optional(),
    amountOff: positiveAmountSchema.optional(),
    duration: z.enum(['once', 'repeating', 'forever'], { message: 'Duration must be once, repeating or forever' }),
    durationMonths: z.number().int().min(1, 'At least 1 month').max(120).optional(),
    expiresOn: isoDateSchema.optional(),
    maxRedemptions: z.number().int().min(1, 'At least 1').optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.percentOff === undefined) === (c.amountOff === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['percentOff'], message: 'Give either a percentage or an amount off' });
    }
    if (c.duration === 'repeating' && c.durationMonths === undefined) {
      ctx.addIssue({ code: 'custom', path: ['durationMonths'], message: 'Say for how many months it repeats' });
    }
    if (c.duration !== 'repeating' && c.durationMonths !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['durationMonths'], message: 'Months apply only to a repeating coupon' });
    }
  });

export const couponSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  percentOff: z.string().nullable(),
  amountOff: z.number().int().nullable(),
  currency: z.string(),
  duration: z.enum(['once', 'repeating', 'forever']),
  durationMonths: z.number().int().nullable(),
  expiresOn: z.string().nullable(),
  maxRedemptions: z.number().int().nullable(),
  timesRedeemed: z.number().int(),
  archived: z.boolean(),
  createdAt: z.string(),
});
export type Coupon = z.infer<typeof couponSchema>;

export const subscriptionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  planId: z.string(),
  planName: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  quantity: z.number().int(),
  startDate: z.string(),
  trialEnd: z.string().nullable(),
  anchorDate: z.string(),
  currentPeriodStart: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  /** The next period start that will be invoiced (null when canceled). */
  nextInvoiceDate: z.string().nullable(),
  cancelAt: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  canceledAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  resumeOn: z.string().nullable(),
  couponCode: z.string().nullable(),
  couponAppliedOn: z.string().nullable(),
  /** The recurring amount per period at the current plan and quantity (before discount and tax). */
  recurringAmount: z.number().int(),
  currency: z.string(),
  interval: z.enum(INTERVALS),
  intervalCount: z.number().int(),
  /** A change waiting for the period end. */
  scheduledChange: z.object({ on: z.string(), planId: z.string(), planName: z.string(), quantity: z.number().int() }).nullable(),
  licenseKey: z.string().nullable(),
  licenseExpiresOn: z.string().nullable(),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const invoiceLineSchema = z.object({
  kind: z.enum(['recurring', 'setup_fee', 'proration', 'discount', 'tax', 'credit', 'product', 'manual']),
  description: z.string(),
  quantity: z.number().int(),
  unitAmount: z.number().int().nullable(),
  amount: z.number().int(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const paymentSchema = z.object({
  id: z.string(),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  customerId: z.string(),
  customerName: z.string(),
  amount: z.number().int(),
  amountRefunded: z.number().int(),
  currency: z.string(),
  method: z.enum(['card', 'cash', 'bank_transfer', 'other']),
  status: z.enum(['succeeded', 'failed']),
  paidOn: z.string(),
  attempt: z.number().int().nullable(),
  failureReason: z.string().nullable(),
  reference: z.string(),
  createdAt: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const refundSchema = z.object({
  id: z.string(),
  paymentId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  refundedOn: z.string(),
  reason: z.string(),
});

export const invoiceSchema = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  subscriptionId: z.string().nullable(),
  kind: z.enum(['subscription', 'change', 'sale', 'manual']),
  status: z.enum(INVOICE_STATUSES),
  issueDate: z.string(),
  dueDate: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  currency: z.string(),
  subtotal: z.number().int(),
  discount: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  creditApplied: z.number().int(),
  amountPaid: z.number().int(),
  amountDue: z.number().int(),
  attemptCount: z.number().int(),
  nextRetryOn: z.string().nullable(),
  paidOn: z.string().nullable(),
  lines: z.array(invoiceLineSchema),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const invoiceDetailSchema = invoiceSchema.extend({
  payments: z.array(paymentSchema),
  refunds: z.array(refundSchema),
  /**
   * The tax rate of the tax line, in parts per million: the business's rate when
   * it gives exactly this invoice's tax; null when there is no tax or the rate has
   * changed since the invoice was issued (invoices do not store their rate).
   */
  taxRatePpm: z.number().int().nullable(),
  /** What credit notes settled against this invoice took off it (part of creditApplied). */
  credited: z.number().int().default(0),
});

export const runSummarySchema = z.object({
  asOf: z.string(),
  invoicesIssued: z.number().int(),
  paymentsSucceeded: z.number().int(),
  paymentsFailed: z.number().int(),
  subscriptionsCanceled: z.number().int(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const billingRunSchema = runSummarySchema.extend({
  id: z.string(),
  trigger: z.enum(['startup', 'timer', 'manual', 'cli']),
  /** `interrupted`: its process ended mid-run (killed, crashed); the next run carried on where it stopped. */
  status: z.enum(['running', 'completed', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type BillingRun = z.infer<typeof billingRunSchema>;

