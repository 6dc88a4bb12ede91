import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { metricsDocument, metricsDocumentSchema } from '@shared/contract/metrics';
import { isoDateSchema } from '@shared/domain/fields';
import { metricsRowsWindow, metricsSummaryFromRows, withCounterSales, type MetricsRows, type SalePaymentRow } from '@shared/domain/metrics';
import type { ServerDb } from '../db/open';
import { defineRoute } from './define';
import { allRows, businessRow } from './rows';

// GET /v1/metrics?as_of=: the document of `recurra metrics --as-of` from the
// same code (src-shared/domain/metrics, pure functions over rows), fed here
// by the projection's rows instead of SQLite, so both answer to the cent.

/** The rows metricsSummaryFromRows reads as of a date, narrowed as its contract allows (rows.ts, MetricsRows). */
export async function metricsRows(db: ServerDb, businessId: string, asOf: string): Promise<MetricsRows> {
  const { monthStart } = metricsRowsWindow(asOf);
  const [business, subscriptionHistory, plans, coupons, invoices, refunds, salePayments, saleRefunds] = await Promise.all([
    businessRow(db, businessId),
    allRows<MetricsRows['subscriptionHistory'][number]>(db, businessId, 'subscription_history', sql`and (data->>'effective_date') <= ${asOf}`),
    allRows<MetricsRows['plans'][number]>(db, businessId, 'plans'),
    allRows<MetricsRows['coupons'][number]>(db, businessId, 'coupons'),
    allRows<MetricsRows['invoices'][number]>(db, businessId, 'invoices', sql`and ((data->>'paid_on') is null or (data->>'paid_on') > ${asOf})`),
    allRows<MetricsRows['refunds'][number]>(db, businessId, 'refunds', sql`and (data->>'refunded_on') between ${monthStart} and ${asOf}`),
    // Counter sales count in revenue, as on the PC (src-main/core/metrics/metrics-service.ts): payments of no invoice, and refunds.
    allRows<SalePaymentRow>(db, businessId, 'sale_payments', sql`and (data->>'paid_on') between ${monthStart} and ${asOf}`),
    allRows<MetricsRows['refunds'][number]>(db, businessId, 'sale_refunds', sql`and (data->>'refunded_on') between ${monthStart} and ${asOf}`),
  ]);
  const open = JSON.stringify(invoices.map((i) => i.id));
  const payments = await allRows<MetricsRows['payments'][number]>(
    db,
    businessId,
    'payments',
    sql`and ((data->>'paid_on') between ${monthStart} and ${asOf} or (data->>'invoice_id') in (select jsonb_array_elements_text(${open}::jsonb)))`,
  );
  return withCounterSales({ currency: String(business?.currency ?? ''), subscriptionHistory, plans, coupons, invoices, payments, refunds }, salePayments, saleRefunds);
}

export const metricsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Metrics as of a date',
    description:
      'The numbers of `recurra metrics --as-of` (MRR, ARR, subscribers, churn, revenue and MRR movements of the date\'s month up to the date, AR aging at the date), computed by the same code from the synced data. Amounts in minor units; churnRate a percentage with two decimals, null when nobody paid at the month\'s start.',
    tag: 'Metrics',
    scope: 'read',
    query: z.object({ as_of: isoDateSchema.describe('The day, YYYY-MM-DD: the month is the month of that day, up to it.') }).strict(),
    response: metricsDocumentSchema,
    async handler(ctx, { key, query }) {
      return metricsDocument(metricsSummaryFromRows(await metricsRows(ctx.db, key.businessId, query.as_of), query.as_of));
    },
  }),
];
