import { z } from 'zod';
import { method } from './define';
import { idSchema, isoDateSchema } from '../domain/fields';
import { churnCustomerSchema } from './insights';

// The dashboard's summary card and a customer's insights (spec/insights.md "Where it shows").
// Read-only, viewer and up. `recurra insights summary --json` prints {text, facts}.

export const summaryFactSchema = z.object({ key: z.string(), value: z.union([z.number(), z.string()]), text: z.string() });

export const summarySchema = z.object({
  asOf: z.string(),
  /** 3-6 plain sentences; every figure in them is one of `facts`' text. */
  text: z.string(),
  sentences: z.array(z.string()),
  facts: z.array(summaryFactSchema),
});
export type SummaryOutput = z.infer<typeof summarySchema>;

export const customerInsightSchema = z.object({
  asOf: z.string(),
  customerId: idSchema,
  churn: z.object({
    ready: z.boolean(),
    reason: z.string().optional(),
    /** Null when the customer pays nothing on asOf (nothing to lose). */
    customer: churnCustomerSchema.nullable(),
    /** How many paying customers were scored, and this one's rank (1 = riskiest). */
    scored: z.number().int(),
    rank: z.number().int().nullable(),
    bands: z.object({ mediumFrom: z.number().int(), highFrom: z.number().int(), text: z.string() }).nullable(),
    backtest: z.string().nullable(),
  }),
  ltv: z.object({ ltv: z.number().int().nullable(), currency: z.string(), basis: z.string() }),
  products: z.object({
    ready: z.boolean(),
    reason: z.string().optional(),
    nextBest: z.array(z.object({ productId: z.string(), sku: z.string(), name: z.string(), score: z.number(), because: z.string() })),
    backtest: z.string(),
  }),
});
export type CustomerInsightOutput = z.infer<typeof customerInsightSchema>;

export const insightsSummaryContract = {
  /** The summary card as of a date (today when absent): plain sentences and the facts they cite. */
  'insights.summary': method({
    input: z.object({ asOf: isoDateSchema.optional() }),
    output: summarySchema,
    access: 'viewer',
    write: false,
  }),
  /** One customer's churn risk with its factors, lifetime value with its basis, and next best products. */
  'insights.customer': method({
    input: z.object({ customerId: idSchema, asOf: isoDateSchema.optional() }),
    output: customerInsightSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
