import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { CUSTOMER_FIELD_COLUMNS, toCustomerDto, type CustomerRow } from '@shared/domain/customer-dto';
import { customerChangesSchema, customerFieldsSchema, customerSchema, type Customer } from '@shared/domain/customers';
import type { ServerContext } from '../context';
import { ApiError, notFound } from '../errors';
import { appendServerChanges, type ServerChange } from '../projection/writer';
import { defineRoute, jsonText, type ApiKeyIdentity } from './define';
import { pageCacheOf } from './page-cache';
import { uuidv7 } from './ids';
import { businessRow, getRow, rowByUnique, rowsOf, type Row } from './rows';

// /v1/customers: the CLI's customer object (`recurra customer list --json`),
// read from the projection; a create or an edit becomes the same changes the
// app would record (the row, its tags, a timeline entry, an audit row naming
// the key), which the PCs pull on their next sync.

const idParams = z.object({ id: z.string().min(1).max(200).describe('The customer id.') }).strict();

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(10).describe('At most 100.'),
    starting_after: z.string().min(1).max(200).optional().describe('The last id of the previous page.'),
    search: z.string().trim().max(200).optional().describe('Part of a name, email or company.'),
  })
  .strict();

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), hasMore: z.boolean() });

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const byTagName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

async function currencyOf(ctx: ServerContext, businessId: string): Promise<string> {
  return String((await businessRow(ctx.db, businessId))?.currency ?? '');
}

/** The live customer_tags rows of these customers (index synced_rows_customer_tags: tag rows only, not every row that refers to them). */
async function tagRowsOf(ctx: ServerContext, businessId: string, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  const result = await ctx.db.execute(sql`
    select data from synced_rows
    where tbl = 'customer_tags' and data is not null and business_id || '' = ${businessId}
      and (data->>'customer_id') = any (array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`);
  return rowsOf<{ data: Row }>(result).map((r) => r.data);
}

async function toCustomers(ctx: ServerContext, businessId: string, rows: Row[]): Promise<Customer[]> {
  const [tagRows, currency] = await Promise.all([tagRowsOf(ctx, businessId, rows.map((r) => String(r.id))), currencyOf(ctx, businessId)]);
  const tags = new Map<string, string[]>();
  for (const t of tagRows) {
    const list = tags.get(String(t.customer_id)) ?? [];
    list.push(String(t.tag));
    tags.set(String(t.customer_id), list);
  }
  return rows.map((r) => toCustomerDto(r as unknown as CustomerRow, (tags.get(String(r.id)) ?? []).sort(byTagName), currency));
}

/**
 * A page of customers with their tags and the business's currency in one
 * statement (one round trip: on PGlite every query waits its turn on the one
 * connection, so the page's three reads cost three turns). The tags come
 * through the index of tag rows by customer (synced_rows_customer_tags,
 * server migration 0004), one probe per customer of the page (a subquery
 * per row: a plan PGlite, which has no statistics, cannot turn into a nested
 * loop over every tag of the page for each customer); the refs GIN
 * index would also fetch every subscription, invoice and event that refers
 * to them, only to drop them. The business is compared as an expression, so
 * no planner (PGlite's has no statistics) takes the primary key's range of
 * the business's tags instead. Exported for bench/api.ts, whose raw bound
 * issues this same statement through the driver.
 */
export function customerPageStatement(businessId: string, options: { after?: string; limit: number; where?: SQL }): SQL {
  return sql`
    with page as (
      select row_id, data from synced_rows
      where business_id = ${businessId} and tbl = 'customers' and data is not null
        ${options.after !== undefined ? sql`and row_id > ${options.after}` : sql``}
        ${options.where ? sql`and ${options.where}` : sql``}
      order by row_id limit ${options.limit + 1}
    )
    select p.data,
      (select array_agg(t.data->>'tag') from synced_rows t
        where t.tbl = 'customer_tags' and t.data is not null and t.business_id || '' = ${businessId} and (t.data->>'customer_id') = p.row_id) as tags,
      (select b.data->>'currency' from synced_rows b where b.business_id = ${businessId} and b.tbl = 'business' and b.data is not null limit 1) as currency,
      -- The projection's cursor in the same snapshot: what the page was read at (page-cache.ts).
      (select c.seq from projection_cursors c where c.business_id = ${businessId}) as cursor
    from page p
    order by p.row_id`;
}

async function customerPage(ctx: ServerContext, businessId: string, options: { after?: string; limit: number; where?: SQL }): Promise<{ cursor: number; body: { data: Customer[]; hasMore: boolean } }> {
  const rows = rowsOf<{ data: Row; tags: string[] | null; currency: string | null; cursor: string | number | null }>(await ctx.db.execute(customerPageStatement(businessId, options)));
  const data = rows
    .slice(0, options.limit)
    .map((r) => toCustomerDto(r.data as unknown as CustomerRow, (r.tags ?? []).sort(byTagName), String(r.currency ?? '')));
  // No row, no cursor read: a page that cannot be kept (NaN equals no cursor).
  return { cursor: rows.length > 0 ? Number(rows[0]!.cursor ?? 0) : Number.NaN, body: { data, hasMore: rows.length > options.limit } };
}

async function customerOr404(ctx: ServerContext, businessId: string, id: string): Promise<Row> {
  const row = await getRow(ctx.db, businessId, 'customers', id);
  if (!row) throw notFound('customer_not_found', `No customer ${id} in this business.`);
  return row;
}

async function assertEmailFree(ctx: ServerContext, businessId: string, email: string, exceptId?: string): Promise<void> {
  const taken = await rowByUnique(ctx.db, businessId, 'customers', email.toLowerCase());
  if (taken && taken.id !== exceptId) throw new ApiError(409, 'conflict', 'email_taken', 'Another customer already has this email.', 'email');
}

const who = (key: ApiKeyIdentity) => `API key "${key.name}"`;

/** The rows the app writes beside a customer change: a timeline entry and an audit row, both naming the key. */
function trail(key: ApiKeyIdentity, at: string, customerId: string, title: string, audit: { action: string; before: unknown; after: unknown }): ServerChange[] {
  const eventId = uuidv7(Date.parse(at));
  const auditId = uuidv7(Date.parse(at));
  return [
    {
      table: 'customer_events',
      rowId: eventId,
      op: 'upsert',
      fields: { id: eventId, customer_id: customerId, kind: 'system', subtype: 'api', title: `${title} (${who(key)})`, body: '', occurred_at: at, user_id: null, ref_type: null, ref_id: null, created_at: at },
    },
    {
      table: 'audit_log',
      rowId: auditId,
      op: 'upsert',
      fields: { id: auditId, at, user_id: null, user_email: who(key), action: audit.action, entity: 'customer', entity_id: customerId, before: audit.before === null ? null : JSON.stringify(audit.before), after: JSON.stringify(audit.after) },
    },
  ];
}

const tagChange = (customerId: string, tag: string, op: 'upsert' | 'delete'): ServerChange => ({
  table: 'customer_tags',
  rowId: JSON.stringify([customerId, tag]),
  op,
  fields: op === 'upsert' ? { customer_id: customerId, tag } : { '@base': { customer_id: customerId, tag } },
});


export const customerRoutes = [
  defineRoute({
    method: 'GET',
    path: '/customers',
    operationId: 'listCustomers',
    summary: 'List customers',
    description: 'In id order (ids sort by creation time). `search` matches part of a name, email or company, ignoring case.',
    tag: 'Customers',
    scope: 'read',
    query: listQuery,
    response: listOf(customerSchema),
    async handler(ctx, { key, query }) {
      const where = query.search
        ? sql`((data->>'name') ilike ${likeEscape(query.search)} or (data->>'email_normalized') like ${likeEscape(query.search.toLowerCase())} or (data->>'company') ilike ${likeEscape(query.search)})`
        : undefined;
      // Kept as sent, while the business's projection has not moved (page-cache.ts).
      const id = JSON.stringify([query.limit, query.starting_after ?? null, query.search ?? null]);
      return jsonText(await pageCacheOf(ctx.db).get(key.businessId, id, () => customerPage(ctx, key.businessId, { after: query.starting_after, limit: query.limit, where })));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/customers/{id}',
    operationId: 'getCustomer',
    summary: 'Get a customer',
    tag: 'Customers',
    scope: 'read',
    params: idParams,
    response: customerSchema,
    async handler(ctx, { key, params }) {
      const [customer] = await toCustomers(ctx, key.businessId, [await customerOr404(ctx, key.businessId, params.id)]);
      return customer!;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/customers',
    operationId: 'createCustomer',
    summary: 'Create a customer',
    description: 'Name and email are required; the email is unique in the business (409 naming `email`). The customer reaches the PCs with their next sync.',
    tag: 'Customers',
    scope: 'write',
    body: customerFieldsSchema.strict(),
    response: customerSchema,
    status: 201,
    async handler(ctx, { key, body, now }) {
      await assertEmailFree(ctx, key.businessId, body.email);
      const at = now.toISOString();
      const id = uuidv7(now.getTime());
      const row: CustomerRow = {
        id,
        name: body.name,
        email: body.email,
        email_normalized: body.email.toLowerCase(),
        phone: body.phone,
        company: body.company,
        address_line1: body.addressLine1,
        address_line2: body.addressLine2,
        city: body.city,
        region: body.region,
        postal_code: body.postalCode,
        country: body.country,
        segment: body.segment,
        notes: body.notes,
        status: body.status,
        payment_method: body.paymentMethod,
        credit_balance: 0,
        created_at: at,
        updated_at: at,
        email_opt_out_at: null,
      };
      const tags = [...new Set(body.tags)].sort(byTagName);
      const customer = toCustomerDto(row, tags, await currencyOf(ctx, key.businessId));
      await appendServerChanges(
        ctx.db,
        key.businessId,
        [
          { table: 'customers', rowId: id, op: 'upsert', fields: { ...row } },
          ...tags.map((t) => tagChange(id, t, 'upsert')),
          ...trail(key, at, id, 'Customer created', { action: 'customers.create', before: null, after: customer }),
        ],
        now,
      );
      return customer;
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/customers/{id}',
    operationId: 'updateCustomer',
    summary: 'Update a customer',
    description: 'Only the fields given change. `tags` replaces the list.',
    tag: 'Customers',
    scope: 'write',
    params: idParams,
    body: customerChangesSchema.strict(),
    response: customerSchema,
    async handler(ctx, { key, params, body, now }) {
      const before = await customerOr404(ctx, key.businessId, params.id);
      const [shown] = await toCustomers(ctx, key.businessId, [before]);
      if (body.email !== undefined) await assertEmailFree(ctx, key.businessId, body.email, params.id);
      const at = now.toISOString();
      const fields: Record<string, unknown> = {};
      const base: Record<string, unknown> = {};
      for (const [field, column] of Object.entries(CUSTOMER_FIELD_COLUMNS)) {
        const value = body[field as keyof typeof body];
        if (value === undefined || value === before[column]) continue;
        fields[column] = value;
        base[column] = before[column];
        if (column === 'email' && String(value).toLowerCase() !== before.email_normalized) {
          fields.email_normalized = String(value).toLowerCase();
          base.email_normalized = before.email_normalized;
        }
      }
      const oldTags = shown!.tags;
      const newTags = body.tags ? [...new Set(body.tags)].sort(byTagName) : oldTags;
      const tagChanges = body.tags
        ? [...oldTags.filter((t) => !newTags.includes(t)).map((t) => tagChange(params.id, t, 'delete')), ...newTags.filter((t) => !oldTags.includes(t)).map((t) => tagChange(params.id, t, 'upsert'))]
        : [];
      if (Object.keys(fields).length === 0 && tagChanges.length === 0) return shown!;
      fields.updated_at = at;
      base.updated_at = before.updated_at;
      const row = { ...before, ...fields } as unknown as CustomerRow;
      const after = toCustomerDto(row, newTags, shown!.currency);
      await appendServerChanges(
        ctx.db,
        key.businessId,
        [
          { table: 'customers', rowId: params.id, op: 'upsert', fields: { ...fields, '@base': base } },
          ...tagChanges,
          ...trail(key, at, params.id, 'Customer edited', { action: 'customers.update', before: shown, after }),
        ],
        now,
      );
      return after;
    },
  }),
];
