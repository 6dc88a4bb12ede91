import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { couponCodeSchema, subscriptionSchema } from '@shared/domain/billing';
import { toSubscriptionDto } from '@shared/domain/billing-dto';
import type { LoadedPlan, PlanRow } from '@shared/domain/billing-rows';
import { dateInTimeZone } from '@shared/domain/dates';
import { idSchema, isoDateSchema, MAX_YEARS_AHEAD } from '@shared/domain/fields';
import { licenseKeySchema } from '@shared/domain/license';
import { addMonths } from '@shared/domain/periods';
import {
  LICENSE_KEY_RANDOM_BYTES,
  licenseKeyFromBytes,
  newSubscriptionProblem,
  newSubscriptionRows,
  type CouponFacts,
  type NewSubscriptionFacts,
} from '@shared/domain/subscription-create';
import { foldUnique } from '@shared/sync/merge-rules';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import type { ServerContext } from '../context';
import { ApiError, invalid } from '../errors';
import { appendServerChanges, type ServerChange } from '../projection/writer';
import { defineRoute, type ApiKeyIdentity } from './define';
import { uuidv7 } from './ids';
import { businessRow, getRow, rowByUnique, rowsOf, rowsReferring, type Row } from './rows';

// POST /v1/subscriptions: `recurra subscription create` over HTTP. The checks
// and the rows are the PC's own (src-shared/domain/subscription-create.ts),
// fed from the projection and appended as server-made changes: the
// subscription, its first history row, the customer's timeline entry, the
// coupon's redemption and an audit row naming the key. Nothing is invoiced
// here: the billing PC invoices it on its next run, like one made there.

const createBody = z
  .object({
    customerId: idSchema.describe('The customer to subscribe (active).'),
    planId: idSchema.optional().describe('The plan, by id (or give `planCode`).'),
    planCode: z.string().trim().min(1, 'Required').max(64).optional().describe('The plan, by its code (or give `planId`).'),
    startDate: isoDateSchema.describe('The first day, YYYY-MM-DD (a past date bills as if created then).'),
    quantity: z.number().int('Use a whole number').min(1, 'The quantity is at least 1').max(1_000_000).default(1).describe('Units, seats or people.'),
    couponCode: couponCodeSchema.optional().describe('A coupon code, applied from the start date.'),
    trialDays: z.number().int('Use whole days').min(0, 'Trial days cannot be negative').max(730).optional().describe("Free days before the first invoice, instead of the plan's (0 for none)."),
    withLicenseKey: z.boolean().default(false).describe('Issue a generated license key (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX).'),
    licenseKey: licenseKeySchema.optional().describe("Issue this license key (the business's own format; unique in the business)."),
  })
  .strict();

const who = (key: ApiKeyIdentity) => `API key "${key.name}"`;

/** A change inserting a whole row: every synced column, absent ones null (the PC's defaults for the columns the rows leave out). */
function insertChange(table: string, row: object): ServerChange {
  const fields: Record<string, unknown> = {};
  for (const column of SYNC_TABLE_MAP[table]!.columns) fields[column] = (row as Record<string, unknown>)[column] ?? null;
  return { table, rowId: String((row as { id: string }).id), op: 'upsert', fields };
}

async function loadPlan(ctx: ServerContext, businessId: string, row: Row | null): Promise<LoadedPlan | null> {
  if (!row) return null;
  const tiers = (await rowsReferring(ctx.db, businessId, 'plan_tiers', 'plan_id', [String(row.id)])) as unknown as { position: number; up_to: number | null; unit_amount: number; flat_amount: number }[];
  tiers.sort((a, b) => a.position - b.position);
  return { ...(row as unknown as PlanRow), tiers: tiers.map((t) => ({ upTo: t.up_to, unitAmount: t.unit_amount, flatAmount: t.flat_amount })) };
}

const uniqueKeyOf = (table: string, column: string) => SYNC_TABLE_MAP[table]!.uniqueKeys.find((k) => k.column === column)!;

/** The row holding a unique value, compared as the PC's unique index compares it. */
const byUnique = (ctx: ServerContext, businessId: string, table: string, column: string, value: string) =>
  rowByUnique(ctx.db, businessId, table, foldUnique(uniqueKeyOf(table, column), value) ?? value);

/** pg_advisory_xact_lock class of POST /v1/subscriptions, per business (727_001 migrations, 727_002 the fold, 727_003 license activations). */
const SUBSCRIBE_LOCK = 727_004;

/**
 * What the log says of subscriptions that the projection does not hold yet: the changes after the fold's
 * cursor (the request that held the lock a moment ago committed its rows as changes; the fold catches up
 * later, as a PC's push may also wait to be folded). The license keys they set (folded as the unique index
 * compares them) and the subscriptions they create, by coupon.
 */
async function unfoldedSubscriptions(ctx: ServerContext, businessId: string): Promise<{ licenseKeys: Set<string>; createdWithCoupon: Map<string, Set<string>> }> {
  const changes = rowsOf<{ row_id: string; fields: Row }>(
    await ctx.db.execute(sql`
      select row_id, fields from changes
      where business_id = ${businessId} and table_name = 'subscriptions' and op = 'upsert'
        and seq > coalesce((select seq from projection_cursors where business_id = ${businessId}), 0)
      order by seq`),
  );
  const licenseKeys = new Set<string>();
  const createdWithCoupon = new Map<string, Set<string>>();
  const licenseKey = uniqueKeyOf('subscriptions', 'license_key');
  for (const c of changes) {
    const key = foldUnique(licenseKey, c.fields.license_key);
    if (key !== null) licenseKeys.add(key);
    const coupon = c.fields.coupon_id;
    if (typeof coupon === 'string' && !c.fields['@base']) {
      if (!createdWithCoupon.has(coupon)) createdWithCoupon.set(coupon, new Set());
      createdWithCoupon.get(coupon)!.add(c.row_id);
    }
  }
  return { licenseKeys, createdWithCoupon };
}

/**
 * The coupon's folded row with its redemptions counted so far: its folded
 * `times_redeemed` plus the subscriptions created with it that the
 * projection has not folded yet (`pending`: by coupon id, from the log read before). One
 * statement, so one snapshot: a fold that commits meanwhile moves a
 * subscription into both the coupon's count and the folded rows, or neither.
 */
async function couponWithRedemptions(ctx: ServerContext, businessId: string, code: string, pending: Map<string, Set<string>>): Promise<Row | null> {
  const value = foldUnique(uniqueKeyOf('coupons', 'code'), code) ?? code;
  const byCoupon = JSON.stringify(Object.fromEntries([...pending].map(([coupon, ids]) => [coupon, [...ids]])));
  const [row] = rowsOf<{ data: Row; unfolded: string | number }>(
    await ctx.db.execute(sql`
      select c.data, (
        select count(*) from jsonb_array_elements_text(coalesce(${byCoupon}::jsonb -> c.row_id, '[]'::jsonb)) as u(id)
        where not exists (select 1 from synced_rows s where s.business_id = c.business_id and s.tbl = 'subscriptions' and s.row_id = u.id)
      ) as unfolded
      from synced_rows c where c.business_id = ${businessId} and c.tbl = 'coupons' and c.unique_value = ${value} and c.data is not null limit 1`),
  );
  if (!row) return null;
  return { ...row.data, times_redeemed: Number(row.data.times_redeemed ?? 0) + Number(row.unfolded) };
}

export const subscriptionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/subscriptions',
    operationId: 'createSubscription',
    summary: 'Create a subscription',
    description:
      'As `recurra subscription create` does: trialing until the trial ends, else active from `startDate`. Nothing is invoiced by the server: the billing PC invoices it on its next run after its next sync. Unknown customer, plan or coupon: 404 naming the field; an archived plan, an inactive customer or a spent coupon: 400 naming it; a license key another subscription has: 409.',
    tag: 'Subscriptions',
    scope: 'write',
    body: createBody,
    response: subscriptionSchema,
    status: 201,
    errors: { '404': 'The customer, plan or coupon named does not exist in this business (`param` names it).' },
    async handler(ctx, { key, body, now }) {
      const businessId = key.businessId;
      if ((body.planId === undefined) === (body.planCode === undefined)) {
        throw invalid(body.planId === undefined ? 'planId' : 'planCode', body.planId === undefined ? 'planId: give the plan, by planId or planCode.' : 'planCode: give planId or planCode, not both.');
      }
      const business = await businessRow(ctx.db, businessId);
      const currency = String(business?.currency ?? '');
      const latest = addMonths(dateInTimeZone(now, String(business?.timezone ?? 'UTC')), 12 * MAX_YEARS_AHEAD);
      if (body.startDate > latest) throw invalid('startDate', `startDate: Use a date no later than ${latest} (${MAX_YEARS_AHEAD} years from today)`);

      // Two requests at once take turns from here to the write (a license key, a coupon's last redemption),
      // and each reads what the other wrote though the fold has not caught up with it yet.
      await ctx.db.execute(sql`select pg_advisory_xact_lock(${SUBSCRIBE_LOCK}, hashtext(${businessId}))`);
      const unfolded = await unfoldedSubscriptions(ctx, businessId);
      const [customer, planRow, coupon] = await Promise.all([
        getRow(ctx.db, businessId, 'customers', body.customerId),
        body.planId !== undefined ? getRow(ctx.db, businessId, 'plans', body.planId) : byUnique(ctx, businessId, 'plans', 'code', body.planCode!),
        body.couponCode ? couponWithRedemptions(ctx, businessId, body.couponCode, unfolded.createdWithCoupon) : Promise.resolve(undefined),
      ]);
      const plan = await loadPlan(ctx, businessId, planRow);
      const request = { ...body, planId: plan?.id ?? body.planId ?? '' };
      const facts: NewSubscriptionFacts = {
        customer: customer ? { id: String(customer.id), name: String(customer.name), status: String(customer.status) } : null,
        plan,
        coupon: coupon === undefined ? undefined : (coupon as unknown as CouponFacts | null),
        currency,
      };
      const problem = newSubscriptionProblem(request, facts);
      if (problem) {
        const field = problem.field === 'planId' && body.planId === undefined ? 'planCode' : problem.field;
        if (problem.kind === 'not_found') throw new ApiError(404, 'not_found', `${field === 'couponCode' ? 'coupon' : field.replace(/Id$|Code$/, '')}_not_found`, `${field}: ${problem.message} was not found in this business.`, field);
        throw invalid(field, `${field}: ${problem.message}.`);
      }

      let licenseKey: string | null = null;
      if (body.licenseKey !== undefined) {
        const taken = (value: string) => unfolded.licenseKeys.has(foldUnique(uniqueKeyOf('subscriptions', 'license_key'), value) ?? value);
        if (taken(body.licenseKey) || (await byUnique(ctx, businessId, 'subscriptions', 'license_key', body.licenseKey))) {
          throw new ApiError(409, 'conflict', 'license_key_taken', `Another subscription already has the license key ${body.licenseKey}.`, 'licenseKey');
        }
        licenseKey = body.licenseKey;
      } else if (body.withLicenseKey) {
        do licenseKey = licenseKeyFromBytes(randomBytes(LICENSE_KEY_RANDOM_BYTES));
        while (unfolded.licenseKeys.has(foldUnique(uniqueKeyOf('subscriptions', 'license_key'), licenseKey) ?? licenseKey) || (await byUnique(ctx, businessId, 'subscriptions', 'license_key', licenseKey))); // 125 random bits: never, in practice
      }

      const at = now.toISOString();
      const ms = now.getTime();
      const rows = newSubscriptionRows(request, facts as Parameters<typeof newSubscriptionRows>[1], {
        ids: { subscription: uuidv7(ms), history: uuidv7(ms), event: uuidv7(ms) },
        at,
        userId: null,
        licenseKey,
      });
      // The timeline says who, as the API's customer writes do (the PC's entry names its user by user_id).
      const event = { ...rows.event, title: `${rows.event.title} (${who(key)})` };
      const subscription = toSubscriptionDto(rows.subscription, {
        plan: plan!,
        customerName: String(customer!.name),
        currency,
        couponCode: coupon ? String(coupon.code) : null,
        scheduled: null,
      });
      const auditId = uuidv7(ms);
      await appendServerChanges(
        ctx.db,
        businessId,
        [
          insertChange('subscriptions', rows.subscription),
          ...(rows.couponRedeemed
            ? [{ table: 'coupons', rowId: rows.couponRedeemed.id, op: 'upsert' as const, fields: { times_redeemed: rows.couponRedeemed.after, '@base': { times_redeemed: rows.couponRedeemed.before } } }]
            : []),
          insertChange('subscription_history', rows.history),
          insertChange('customer_events', event),
          insertChange('audit_log', {
            id: auditId,
            at,
            user_id: null,
            user_email: who(key),
            action: 'subscriptions.create',
            entity: 'subscription',
            entity_id: subscription.id,
            before: null,
            after: JSON.stringify(subscription),
          }),
        ],
        now,
      );
      return subscription;
    },
  }),
];
