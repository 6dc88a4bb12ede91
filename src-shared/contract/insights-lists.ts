import { z } from 'zod';
import { method } from './define';
import { exportResultSchema } from './customers';
import { idSchema, isoDateSchema } from '../domain/fields';

// The insights as lists: the customers list's risk column, and every insight table as CSV.

/** The most rows of one insights.risk page (the whole list is insights.export's CSV). */
export const RISK_PAGE_MAX = 1000;

export const riskScoresSchema = z.object({
  asOf: z.string(),
  ready: z.boolean(),
  reason: z.string().optional(),
  /** Where the bands start, in words (the churn model's own), null when not ready. */
  bands: z.string().nullable(),
  /** How many customers have a score (of those asked about, when `customerIds` was given). */
  total: z.number().int(),
  offset: z.number().int(),
  /** The offset of the next page; null after the last. */
  nextOffset: z.number().int().nullable(),
  /** One page of the paying customers' churn scores today (insights.churn's own figures), riskiest first; the others have none. */
  customers: z.array(z.object({ customerId: z.string(), score: z.number().int(), band: z.enum(['low', 'medium', 'high']) })),
});

/** A page of insights.risk: riskiest first, or only the customers named (the rows a list shows). */
export const riskPageInputSchema = z
  .object({
    offset: z.number().int().min(0, 'The offset cannot be negative').default(0),
    limit: z.number().int().min(0, 'At least 0 rows').max(RISK_PAGE_MAX, `At most ${RISK_PAGE_MAX} rows`).default(100),
    customerIds: z.array(idSchema).max(RISK_PAGE_MAX, `At most ${RISK_PAGE_MAX} customers`).optional(),
  })
  .strict();
export type RiskScoresDto = z.infer<typeof riskScoresSchema>;

/** The insight tables that export to CSV. */
export const INSIGHT_TABLES = ['churn', 'ltv', 'best-sellers', 'demand', 'anomalies', 'forecast'] as const;
export type InsightTable = (typeof INSIGHT_TABLES)[number];

export const salesDaysSchema = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  /** Every day of the period (days with nothing are zeros): the figures insights.anomalies checks. */
  days: z.array(z.object({ date: z.string(), revenue: z.number().int(), sales: z.number().int(), refunds: z.number().int(), failedPayments: z.number().int() })),
});

export const insightsListsContract = {
  /** The daily figures insights.anomalies checks, for the same period (default: the last 90 days): the sales chart. */
  'insights.days': method({
    input: z.object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() }),
    output: salesDaysSchema,
    access: 'viewer',
    write: false,
  }),
  /** Churn score and band of the paying customers today, a page at a time: the customers list's risk column. */
  'insights.risk': method({ input: riskPageInputSchema, output: riskScoresSchema, access: 'viewer', write: false }),
  /**
   * One insight table as a CSV file (the same figures the screen shows): churn list, lifetime value,
   * best sellers, weekly demand, anomalies, revenue forecast. `from`/`to` as insights.products and
   * insights.anomalies take them; `months` as insights.forecast.
   */
  'insights.export': method({
    input: z.object({
      table: z.enum(INSIGHT_TABLES, { message: `Export one of ${INSIGHT_TABLES.join(', ')}` }),
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      months: z.number().int().min(1, 'At least 1 month').max(36, 'At most 36 months').default(6),
      bom: z.boolean().default(false),
    }),
    output: exportResultSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
