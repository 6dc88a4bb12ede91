import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { INVOICE_STATUSES, invoiceSchema, planSchema, SUBSCRIPTION_STATUSES, subscriptionSchema, type Invoice, type Subscription } from '@shared/domain/billing';
import { LIVE_SUBSCRIPTION_STATUSES, toInvoiceDto, toPlanDto, toSubscriptionDto, type InvoiceLineRow } from '@shared/domain/billing-dto';
import type { InvoiceRow, LoadedPlan, PlanRow, SubscriptionRow } from '@shared/domain/billing-rows';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import { listOf, listQuery } from './customers';
import { defineRoute } from './define';
import { allRows, businessRow, getRow, pageRows, rowsOf, rowsReferring, type Row } from './rows';

// /v1/plans, /v1/subscriptions, /v1/invoices: the CLI's objects (the mappers
// of src-shared/domain/billing-dto.ts, which the PC uses too), from the
// projection's rows and the few related rows each needs.

/** Every plan of the business with its tiers (a business has a handful). */
async function plansOf(ctx: ServerContext, businessId: string): Promise<Map<string, LoadedPlan>> {
  const [plans, tiers] = await Promise.all([
    allRows<PlanRow>(ctx.db, businessId, 'plans'),
    allRows<{ plan_id: string; position: number; up_to: number | null; unit_amount: number; flat_amount: number }>(ctx.db, businessId, 'plan_tiers'),
  ]);
  tiers.sort((a, b) => a.position - b.position);
  return new Map(
    plans.map((p) => [p.id, { ...p, tiers: tiers.filter((t) => t.plan_id === p.id).map((t) => ({ upTo: t.up_to, unitAmount: t.unit_amount, flatAmount: t.flat_amount })) }]),
  );
}

async function namesOf(ctx: ServerContext, businessId: string, tbl: string, ids: string[], column: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await ctx.db.execute(sql`
    select row_id, data->>${column} as value from synced_rows
    where business_id = ${businessId} and tbl = ${tbl} and data is not null and row_id in (select jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb))`);
  return new Map(rowsOf<{ row_id: string; value: string }>(result).map((r) => [r.row_id, r.value]));
}

async function toSubscriptions(ctx: ServerContext, businessId: string, rows: SubscriptionRow[]): Promise<Subscription[]> {
  const [plans, business, customers, coupons, scheduled] = await Promise.all([
    plansOf(ctx, businessId),
    businessRow(ctx.db, businessId),
    namesOf(ctx, businessId, 'customers', rows.map((r) => r.customer_id), 'name'),
    namesOf(ctx, businessId, 'coupons', rows.flatMap((r) => (r.coupon_id ? [r.coupon_id] : [])), 'code'),
    rowsReferring(ctx.db, businessId, 'scheduled_changes', 'subscription_id', rows.map((r) => r.id)),
  ]);
  return rows.map((row) => {
    // The latest change not yet applied or canceled (the PC's ORDER BY effective_date DESC LIMIT 1).
    const next = (scheduled as { subscription_id: string; kind: string; effective_date: string; plan_id: string; quantity: number; applied_at: string | null; canceled_at: string | null }[])
      .filter((s) => s.subscription_id === row.id && s.kind === 'change' && s.applied_at === null && s.canceled_at === null)
      .sort((a, b) => b.effective_date.localeCompare(a.effective_date))[0];
    return toSubscriptionDto(row, {
      plan: plans.get(row.plan_id)!,
      customerName: customers.get(row.customer_id) ?? '',
      currency: String(business?.currency ?? ''),
      couponCode: row.coupon_id ? (coupons.get(row.coupon_id) ?? null) : null,
      scheduled: next ? { on: next.effective_date, planId: next.plan_id, planName: plans.get(next.plan_id)?.name ?? '', quantity: next.quantity } : null,
    });
  });
}

async function toInvoices(ctx: ServerContext, businessId: string, rows: InvoiceRow[]): Promise<Invoice[]> {
  const [customers, lines] = await Promise.all([
    namesOf(ctx, businessId, 'customers', rows.map((r) => r.customer_id), 'name'),
    rowsReferring(ctx.db, businessId, 'invoice_lines', 'invoice_id', rows.map((r) => r.id)),
  ]);
  const byInvoice = new Map<string, (InvoiceLineRow & { position: number })[]>();
  for (const l of lines as unknown as (InvoiceLineRow & { invoice_id: string; position: number })[]) {
    const list = byInvoice.get(l.invoice_id) ?? [];
    list.push(l);
    byInvoice.set(l.invoice_id, list);
  }
  return rows.map((row) => toInvoiceDto(row, customers.get(row.customer_id) ?? '', (byInvoice.get(row.id) ?? []).sort((a, b) => a.position - b.position)));
}

const idParams = (what: string) => z.object({ id: z.string().min(1).max(200).describe(`The ${what} id.`) }).strict();
const filterOf = (status: string | undefined, customerId: string | undefined) =>
  status || customerId
    ? sql.join(
        [status ? sql`(data->>'status') = ${status}` : undefined, customerId ? sql`(data->>'customer_id') = ${customerId}` : undefined].filter((x) => x !== undefined),
        sql` and `,
      )
    : undefined;

export const billingRoutes = [
  defineRoute({
    method: 'GET',
    path: '/plans',
    operationId: 'listPlans',
    summary: 'List plans',
    description: 'Every plan, as `recurra plan list` shows it (archived ones with `include_archived=true`), cheapest first.',
    tag: 'Plans',
    scope: 'read',
    query: z.object({ include_archived: z.enum(['true', 'false']).default('false').describe('Also archived plans.') }).strict(),
    response: z.object({ data: z.array(planSchema), hasMore: z.boolean() }),
    async handler(ctx, { key, query }) {
      const plans = [...(await plansOf(ctx, key.businessId)).values()].filter((p) => query.include_archived === 'true' || p.archived_at === null);
      const counts = new Map(
        rowsOf<{ plan_id: string; total: string | number; live: string | number }>(
          await ctx.db.execute(sql`
            select data->>'plan_id' as plan_id, count(*) as total,
                   count(*) filter (where (data->>'status') in (select jsonb_array_elements_text(${JSON.stringify(LIVE_SUBSCRIPTION_STATUSES)}::jsonb))) as live
            from synced_rows where business_id = ${key.businessId} and tbl = 'subscriptions' and data is not null group by 1`),
        ).map((r) => [r.plan_id, { total: Number(r.total), live: Number(r.live) }]),
      );
      // The PC's order: live plans first, then by price, then by name (SQLite compares text by bytes).
      const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      plans.sort((a, b) => Number(a.archived_at !== null) - Number(b.archived_at !== null) || a.unit_amount - b.unit_amount || byte(a.name, b.name));
      return { data: plans.map((p) => toPlanDto(p, counts.get(p.id) ?? { total: 0, live: 0 })), hasMore: false };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/subscriptions',
    operationId: 'listSubscriptions',
    summary: 'List subscriptions',
    description: 'In id order (ids sort by creation time), optionally of one status or one customer.',
    tag: 'Subscriptions',
    scope: 'read',
    query: listQuery.omit({ search: true }).extend({
      status: z.enum(SUBSCRIPTION_STATUSES).optional().describe('Only subscriptions in this status.'),
      customer_id: z.string().min(1).max(200).optional().describe("Only this customer's subscriptions."),
    }),
    response: listOf(subscriptionSchema),
    async handler(ctx, { key, query }) {
      const page = await pageRows(ctx.db, key.businessId, 'subscriptions', { after: query.starting_after, limit: query.limit, where: filterOf(query.status, query.customer_id) });
      return { data: await toSubscriptions(ctx, key.businessId, page.rows as unknown as SubscriptionRow[]), hasMore: page.hasMore };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/subscriptions/{id}',
    operationId: 'getSubscription',
    summary: 'Get a subscription',
    tag: 'Subscriptions',
    scope: 'read',
    params: idParams('subscription'),
    response: subscriptionSchema,
    async handler(ctx, { key, params }) {
      const row = await getRow(ctx.db, key.businessId, 'subscriptions', params.id);
      if (!row) throw notFound('subscription_not_found', `No subscription ${params.id} in this business.`);
      return (await toSubscriptions(ctx, key.businessId, [row as unknown as SubscriptionRow]))[0]!;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/invoices',
    operationId: 'listInvoices',
    summary: 'List invoices',
    description: 'In id order, with their lines, optionally of one status or one customer. Amounts in minor units.',
    tag: 'Invoices',
    scope: 'read',
    query: listQuery.omit({ search: true }).extend({
      status: z.enum(INVOICE_STATUSES).optional().describe('Only invoices in this status.'),
      customer_id: z.string().min(1).max(200).optional().describe("Only this customer's invoices."),
    }),
    response: listOf(invoiceSchema),
    async handler(ctx, { key, query }) {
      const page = await pageRows(ctx.db, key.businessId, 'invoices', { after: query.starting_after, limit: query.limit, where: filterOf(query.status, query.customer_id) });
      return { data: await toInvoices(ctx, key.businessId, page.rows as unknown as InvoiceRow[]), hasMore: page.hasMore };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/invoices/{id}',
    operationId: 'getInvoice',
    summary: 'Get an invoice',
    description: 'By id or by number (INV-000042).',
    tag: 'Invoices',
    scope: 'read',
    params: idParams('invoice'),
    response: invoiceSchema,
    async handler(ctx, { key, params }) {
      let row: Row | null = await getRow(ctx.db, key.businessId, 'invoices', params.id);
      if (!row) {
        const [byNumber] = rowsOf<{ data: Row }>(
          await ctx.db.execute(sql`select data from synced_rows where business_id = ${key.businessId} and tbl = 'invoices' and unique_value = ${params.id} and data is not null limit 1`),
        );
        row = byNumber?.data ?? null;
      }
      if (!row) throw notFound('invoice_not_found', `No invoice ${params.id} in this business.`);
      return (await toInvoices(ctx, key.businessId, [row as unknown as InvoiceRow]))[0]!;
    },
  }),
];
