import { z } from 'zod';
import { method } from './define';
import { idSchema, isoDateSchema } from '../domain/fields';
import { MOVEMENT_KINDS } from '../domain/kinds';

const movementsSchema = z.object({
  new: z.number().int(),
  expansion: z.number().int(),
  contraction: z.number().int(),
  churn: z.number().int(),
  reactivation: z.number().int(),
  net: z.number().int(),
});

const arAgingSchema = z.object({
  current: z.number().int(),
  d1to30: z.number().int(),
  d31to60: z.number().int(),
  d61to90: z.number().int(),
  over90: z.number().int(),
});

export const metricsSummarySchema = z.object({
  asOf: z.string(),
  month: z.string(),
  currency: z.string(),
  mrr: z.number().int(),
  arr: z.number().int(),
  activeSubscribers: z.number().int(),
  trialingSubscribers: z.number().int(),
  /** Percent with 2 decimals; null when no customer had MRR at the month's start. */
  churnRate: z.number().nullable(),
  revenue: z.number().int(),
  movements: movementsSchema,
  arAging: arAgingSchema,
  arpa: z.number().int(),
  /** ARPA / the average monthly churn of the 12 months ending with this one; null when nobody churned in them. */
  ltv: z.number().int().nullable(),
  grossMrrChurn: z.number().nullable(),
  netMrrChurn: z.number().nullable(),
  mrrAtStart: z.number().int(),
  /** Customers whose movement in the month is churn (the churn rate's numerator). */
  churnedCustomers: z.number().int(),
  /** Customers with an open invoice whose card had been declined, as of the date. */
  atRiskCustomers: z.number().int(),
});
export type MetricsSummary = z.infer<typeof metricsSummarySchema>;

/** `recurra metrics --as-of --json` and `GET /v1/metrics`: exactly the document of spec/cli.md, in its order. */
export const metricsDocumentSchema = metricsSummarySchema.pick({
  currency: true,
  mrr: true,
  arr: true,
  activeSubscribers: true,
  trialingSubscribers: true,
  churnRate: true,
  revenue: true,
  movements: true,
  arAging: true,
});
export type MetricsDocument = z.infer<typeof metricsDocumentSchema>;

export function metricsDocument(m: MetricsSummary): MetricsDocument {
  const { movements: mv, arAging: ar } = m;
  return {
    currency: m.currency,
    mrr: m.mrr,
    arr: m.arr,
    activeSubscribers: m.activeSubscribers,
    trialingSubscribers: m.trialingSubscribers,
    churnRate: m.churnRate,
    revenue: m.revenue,
    movements: { new: mv.new, expansion: mv.expansion, contraction: mv.contraction, churn: mv.churn, reactivation: mv.reactivation, net: mv.net },
    arAging: { current: ar.current, d1to30: ar.d1to30, d31to60: ar.d31to60, d61to90: ar.d61to90, over90: ar.over90 },
  };
}

export const dashboardSchema = z.object({
  asOf: z.string(),
  currency: z.string(),
  summary: metricsSummarySchema,
  previous: metricsSummarySchema,
  /** Last month's revenue over the same days (1 to the as-of day, or to its end if shorter): what "Revenue this month" compares with. */
  revenueSameDaysLastMonth: z.number().int(),
  series: z.array(
    movementsSchema.extend({
      month: z.string(),
      mrr: z.number().int(),
      revenue: z.number().int(),
      newCustomers: z.number().int(),
      totalCustomers: z.number().int(),
    }),
  ),
  trialConversion: z.object({ ended: z.number().int(), converted: z.number().int(), rate: z.number().nullable() }),
  upcomingRenewals: z.object({
    count: z.number().int(),
    amount: z.number().int(),
    currency: z.string(),
    rows: z.array(z.object({ subscriptionId: z.string(), customerId: z.string(), customerName: z.string(), planName: z.string(), date: z.string(), amount: z.number().int() })),
  }),
  failedPayments: z.object({
    count: z.number().int(),
    amountDue: z.number().int(),
    mrrAtRisk: z.number().int(),
    rows: z.array(
      z.object({
        invoiceId: z.string(),
        number: z.string(),
        customerId: z.string(),
        customerName: z.string(),
        subscriptionId: z.string().nullable(),
        amountDue: z.number().int(),
        attempts: z.number().int(),
        nextRetryOn: z.string().nullable(),
        issueDate: z.string(),
      }),
    ),
  }),
  /** Counter sales of the as-of day (the Z report's figures): how many, their totals, the day's refunds, and net = sales - refunds. */
  todaysSales: z.object({ date: z.string(), count: z.number().int(), sales: z.number().int(), refunds: z.number().int(), net: z.number().int() }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export { MOVEMENT_KINDS };

export const metricsContract = {
  'metrics.summary': method({ input: z.object({ asOf: isoDateSchema }), output: metricsSummarySchema, access: 'viewer', write: false }),
  'metrics.dashboard': method({ input: z.object({ asOf: isoDateSchema }), output: dashboardSchema, access: 'viewer', write: false }),
  /** The customers behind a month's movements (a click on "churn" lists the churned customers). */
  'metrics.movements': method({
    input: z.object({ month: z.string().regex(/^\d{4}-\d{2}$/, 'Use a month like 2026-03'), asOf: isoDateSchema, kind: z.enum(MOVEMENT_KINDS).optional() }),
    output: z.object({
      rows: z.array(z.object({ customerId: idSchema, customerName: z.string(), kind: z.enum(MOVEMENT_KINDS), start: z.number().int(), end: z.number().int(), amount: z.number().int() })),
    }),
    access: 'viewer',
    write: false,
  }),
} as const;
