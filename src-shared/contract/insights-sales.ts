import { z } from 'zod';
import { method } from './define';
import { idSchema, isoDateSchema } from '../domain/fields';
import { ANOMALY_METRICS } from '../insights/anomalies';

// The sales side of the insights (spec/insights.md, spec/cli.md "Insights"):
// revenue forecast, anomalies, best sellers / demand / next best product.
// Read-only, viewer and up; computed on the PC from the business's own books.

const moneyInt = z.number().int();

export const forecastSchema = z.object({
  asOf: z.string(),
  ready: z.boolean(),
  reason: z.string().optional(),
  /** 'ets-damped-additive', 'ets-damped-additive-seasonal', or 'none' when not ready. */
  method: z.string(),
  currency: z.string(),
  /** What is forecast, in words. */
  basis: z.string(),
  /** The complete months learnt from. */
  history: z.array(z.object({ month: z.string(), mrr: moneyInt })),
  /** The next N months with the 80 % band. */
  months: z.array(z.object({ month: z.string(), mrr: moneyInt, low: moneyInt, high: moneyInt })),
  backtest: z
    .object({
      mape: z.number().nullable(),
      naiveMape: z.number().nullable(),
      naiveMethod: z.enum(['seasonal-naive', 'naive']),
      /** Share (0..1) of held-out months inside the band. */
      coverage: z.number().nullable(),
      heldOut: z.number().int(),
      text: z.string(),
    })
    .nullable(),
});
export type ForecastOutput = z.infer<typeof forecastSchema>;

export const anomaliesSchema = z.object({
  from: z.string(),
  to: z.string(),
  ready: z.boolean(),
  reason: z.string().optional(),
  currency: z.string(),
  checkedDays: z.number().int(),
  anomalies: z.array(
    z.object({
      date: z.string(),
      metric: z.enum(ANOMALY_METRICS),
      value: z.number(),
      expected: z.number(),
      low: z.number(),
      high: z.number(),
      direction: z.enum(['up', 'down']),
      text: z.string(),
    }),
  ),
});
export type AnomaliesOutput = z.infer<typeof anomaliesSchema>;

export const productInsightsSchema = z.object({
  from: z.string(),
  to: z.string(),
  ready: z.boolean(),
  reason: z.string().optional(),
  currency: z.string(),
  customerId: z.string().nullable(),
  bestSellers: z.array(
    z.object({
      productId: z.string(),
      sku: z.string(),
      name: z.string(),
      units: z.number().int(),
      revenue: moneyInt,
      customers: z.number().int(),
      rankByUnits: z.number().int(),
      rankByRevenue: z.number().int(),
    }),
  ),
  nextBest: z.array(z.object({ productId: z.string(), sku: z.string(), name: z.string(), score: z.number(), because: z.string() })),
  demand: z.array(
    z.object({
      productId: z.string(),
      sku: z.string(),
      name: z.string(),
      history: z.array(z.object({ week: z.string(), quantity: z.number() })),
      weeks: z.array(z.object({ week: z.string(), quantity: z.number(), low: z.number(), high: z.number() })),
      stock: z.number().int().nullable(),
      stockoutInDays: z.number().int().nullable(),
      text: z.string(),
    }),
  ),
  bundles: z.array(
    z.object({
      productId: z.string(),
      sku: z.string(),
      withProductId: z.string(),
      withSku: z.string(),
      customers: z.number().int(),
      confidence: z.number(),
      lift: z.number(),
      text: z.string(),
    }),
  ),
  backtest: z.object({
    demand: z.object({ mape: z.number().nullable(), naiveMape: z.number().nullable(), heldOut: z.number().int(), text: z.string() }),
    nextBest: z.object({ hitRate: z.number().nullable(), popularHitRate: z.number().nullable(), customers: z.number().int(), text: z.string() }),
  }),
});
export type ProductInsightsOutput = z.infer<typeof productInsightsSchema>;

export const insightsSalesContract = {
  /** Monthly revenue (MRR at month end + counter sales) for the next N months with an 80 % band and its backtest. */
  'insights.forecast': method({
    input: z.object({ months: z.number().int().min(1, 'At least 1 month').max(36, 'At most 36 months').default(6), asOf: isoDateSchema.optional() }),
    output: forecastSchema,
    access: 'viewer',
    write: false,
  }),
  /** Days whose revenue, counter sales, refunds or failed payments fell outside the expected band (default: the last 90 days). */
  'insights.anomalies': method({
    input: z.object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() }),
    output: anomaliesSchema,
    access: 'viewer',
    write: false,
  }),
  /** Best sellers of a period (default: the last 90 days), weekly demand, bundles, and the next best products for a customer. */
  'insights.products': method({
    input: z.object({ customerId: idSchema.optional(), from: isoDateSchema.optional(), to: isoDateSchema.optional() }),
    output: productInsightsSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
