import { z } from 'zod';
import { method } from './define';
import { idSchema, isoDateSchema } from '../domain/fields';
import { FEATURES } from '../insights/features';

// Insights computed on the PC from the business's own books (spec/insights.md), read-only.
// The JSON of `recurra insights churn|ltv --json` (spec/cli.md "Insights") is these outputs.

export const churnFactorSchema = z.object({ factor: z.enum(FEATURES), effect: z.number().int(), text: z.string() });

export const churnCustomerSchema = z.object({
  customerId: idSchema,
  name: z.string(),
  /** The chance in percent (0-100) that the customer cancels everything within 90 days. */
  score: z.number().int().min(0).max(100),
  band: z.enum(['low', 'medium', 'high']),
  factors: z.array(churnFactorSchema),
});

export const churnModelSchema = z.object({
  kind: z.literal('logistic-regression'),
  trainedOn: z.object({ from: z.string(), to: z.string(), dates: z.number().int(), samples: z.number().int(), customersWhoLeft: z.number().int(), text: z.string() }),
  baseRate: z.number(),
  bands: z.object({ mediumFrom: z.number().int(), highFrom: z.number().int(), text: z.string() }),
  heldOutAsOf: z.string().nullable(),
  auc: z.number().nullable(),
  baselineAuc: z.number().nullable(),
  baselineRule: z.string().nullable(),
  backtest: z.string(),
});

export const churnResultSchema = z.object({
  asOf: z.string(),
  model: churnModelSchema.nullable(),
  ready: z.boolean(),
  reason: z.string().optional(),
  customers: z.array(churnCustomerSchema),
});
export type ChurnResultDto = z.infer<typeof churnResultSchema>;

export const ltvResultSchema = z.object({
  asOf: z.string(),
  customers: z.array(z.object({ customerId: idSchema, ltv: z.number().int().nullable(), currency: z.string(), basis: z.string() })),
  /** Per segment (spec/insights.md: "LTV per customer and per segment"). */
  segments: z.array(
    z.object({
      segment: z.string(),
      payingCustomers: z.number().int(),
      arpa: z.number().int(),
      monthlyChurn: z.number().nullable(),
      ltv: z.number().int().nullable(),
      basis: z.string(),
    }),
  ),
});
export type LtvResultDto = z.infer<typeof ltvResultSchema>;

export const insightsContract = {
  /** Churn risk of the paying customers as of a date (today when absent), riskiest first; `top` keeps the first N. */
  'insights.churn': method({
    input: z.object({ asOf: isoDateSchema.optional(), top: z.number().int().min(1).max(1_000_000).optional() }),
    output: churnResultSchema,
    access: 'viewer',
    write: false,
  }),
  /** Lifetime value of the paying customers (or one customer) and of each segment, as of a date (today when absent). */
  'insights.ltv': method({
    input: z.object({ customerId: idSchema.optional(), asOf: isoDateSchema.optional() }),
    output: ltvResultSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
