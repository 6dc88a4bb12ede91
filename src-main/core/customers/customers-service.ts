import type { z } from 'zod';
import type { Customer, customerFieldsSchema } from '@shared/domain/customers';
import type { CustomerFilter } from '@shared/domain/customers';
import { CUSTOMER_FIELD_COLUMNS, toCustomerDto, type CustomerRow } from '@shared/domain/customer-dto';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { conflict, notFound } from '../errors';
import { newId } from '../ids';
import { buildWhere, countSql, LIVE_SUBSCRIPTION, pageSql, type PageQuery, type RiskLookup, type WhereClause } from './customer-search';

type Fields = z.output<typeof customerFieldsSchema>;

export type { CustomerRow } from '@shared/domain/customer-dto';
export { toCustomerDto };

/** Tags of many customers in one query. */
export function tagsFor(db: BusinessDb, ids: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = stmt(
    db.sqlite,
    'SELECT customer_id AS id, tag FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY tag COLLATE NOCASE',
  ).all(JSON.stringify(ids)) as { id: string; tag: string }[];
  for (const r of rows) {
    let list = map.get(r.id);
    if (!list) map.set(r.id, (list = []));
    list.push(r.tag);
  }
  return map;
}

export function getCustomerRow(db: BusinessDb, id: string): CustomerRow {
  const row = stmt(db.sqlite, 'SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
  if (!row) throw notFound('That customer', 'id');
  return row;
}

export function getCustomer(db: BusinessDb, id: string): Customer {
  const row = getCustomerRow(db, id);
  return toCustomerDto(row, tagsFor(db, [id]).get(id) ?? [], businessCurrency(db));
}

export function listCustomers(db: BusinessDb, filter: CustomerFilter, page: PageQuery & { withTotal: boolean }, risk?: () => RiskLookup) {
  const pageRows = (where: WhereClause) => {
    const q = pageSql(where, page);
    return stmt(db.sqlite, q.sql).all(...q.params) as CustomerRow[];
  };
  // A search is taken as exact and its page read at once (one query fewer per keystroke); only an
  // empty page asks whether anything matches exactly, and if nothing does, reads the close matches.
  let where = buildWhere(db.sqlite, filter, { assumeExact: true, risk });
  let rows = pageRows(where);
  if (rows.length === 0 && where.exactAssumed) {
    const checked = buildWhere(db.sqlite, filter, { risk });
    if (checked.fuzzy) rows = pageRows((where = checked));
  }
  const c = countSql(where);
  const total = page.withTotal ? (stmt(db.sqlite, c.sql).pluck().get(...c.params) as number) : null;
  const tags = tagsFor(db, rows.map((r) => r.id));
  const currency = businessCurrency(db);
  return { rows: rows.map((r) => toCustomerDto(r, tags.get(r.id) ?? [], currency)), total, fuzzy: where.fuzzy };
}

/** Ids of everyone matching a filter (bulk actions, export of a selection). */
export function matchingIds(db: BusinessDb, filter: CustomerFilter, risk?: () => RiskLookup): string[] {
  const where = buildWhere(db.sqlite, filter, { risk });
  return stmt(db.sqlite, `SELECT c.id FROM customers c ${where.sql}`).pluck().all(...where.params) as string[];
}

export function assertEmailFree(db: BusinessDb, email: string, exceptId?: string): void {
  const taken = stmt(db.sqlite, 'SELECT id FROM customers WHERE email_normalized = ?').pluck().get(email.toLowerCase()) as
    | string
    | undefined;
  if (taken && taken !== exceptId) throw conflict('Another customer already has this email', 'email');
}

/**
 * Inserts one customer (the email must be free). Shared by the form and CSV import.
 * `createdAt` is when they became a customer: now, unless an import says otherwise.
 */
export function insertCustomer(db: BusinessDb, f: Fields, at: string, id = newId(), createdAt = at): string {
  stmt(
    db.sqlite,
    `INSERT INTO customers (id, name, email, email_normalized, phone, company, address_line1, address_line2, city, region,
       postal_code, country, segment, notes, status, payment_method, credit_balance, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  ).run(
    id, f.name, f.email, f.email.toLowerCase(), f.phone, f.company, f.addressLine1, f.addressLine2, f.city, f.region,
    f.postalCode, f.country, f.segment, f.notes, f.status, f.paymentMethod, createdAt, at,
  );
  const addTag = stmt(db.sqlite, 'INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)');
  for (const tag of f.tags) addTag.run(id, tag);
  return id;
}


export function updateCustomer(db: BusinessDb, id: string, changes: Partial<Fields>, at: string): void {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [at];
  for (const [key, column] of Object.entries(CUSTOMER_FIELD_COLUMNS) as [keyof typeof CUSTOMER_FIELD_COLUMNS, string][]) {
    const value = changes[key];
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(value);
    if (key === 'email') {
      sets.push('email_normalized = ?');
      params.push(String(value).toLowerCase());
    }
  }
  db.sqlite.prepare(`UPDATE customers SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  if (changes.tags) {
    stmt(db.sqlite, 'DELETE FROM customer_tags WHERE customer_id = ?').run(id);
    const addTag = stmt(db.sqlite, 'INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)');
    for (const tag of changes.tags) addTag.run(id, tag);
  }
}

export interface CustomerBilling {
  liveSubscriptions: number;
  subscriptionsNotCanceled: number;
  openInvoices: number;
  amountDue: number;
  totalPaid: number;
  invoicesOnRecord: number;
  paymentsOnRecord: number;
}

export function customerBilling(db: BusinessDb, id: string): CustomerBilling {
  return stmt(
    db.sqlite,
    `SELECT
       (SELECT count(*) FROM subscriptions s WHERE s.customer_id = @id AND ${LIVE_SUBSCRIPTION}) AS liveSubscriptions,
       (SELECT count(*) FROM subscriptions s WHERE s.customer_id = @id AND s.status <> 'canceled') AS subscriptionsNotCanceled,
       (SELECT count(*) FROM invoices i WHERE i.customer_id = @id AND i.status = 'open' AND i.amount_due > 0) AS openInvoices,
       (SELECT coalesce(sum(i.amount_due), 0) FROM invoices i WHERE i.customer_id = @id AND i.status = 'open') AS amountDue,
       (SELECT coalesce(sum(p.amount - p.amount_refunded), 0) FROM payments p WHERE p.customer_id = @id AND p.status = 'succeeded') AS totalPaid,
       (SELECT count(*) FROM invoices i WHERE i.customer_id = @id) AS invoicesOnRecord,
       (SELECT count(*) FROM payments p WHERE p.customer_id = @id) AS paymentsOnRecord`,
  ).get({ id }) as CustomerBilling;
}

/** Why a customer cannot be deleted, or null. Billing history is kept for the books. */
export function deleteBlockedReason(b: CustomerBilling): string | null {
  if (b.subscriptionsNotCanceled > 0) {
    return `This customer has ${b.subscriptionsNotCanceled === 1 ? 'a subscription' : `${b.subscriptionsNotCanceled} subscriptions`} that ${b.subscriptionsNotCanceled === 1 ? 'is' : 'are'} not canceled. Cancel ${b.subscriptionsNotCanceled === 1 ? 'it' : 'them'} first.`;
  }
  if (b.openInvoices > 0) {
    return `This customer has ${b.openInvoices === 1 ? 'an unpaid invoice' : `${b.openInvoices} unpaid invoices`}. Record the payment or void ${b.openInvoices === 1 ? 'it' : 'them'} first.`;
  }
  if (b.invoicesOnRecord > 0 || b.paymentsOnRecord > 0) {
    return 'This customer has invoices or payments on record, which the books must keep. Deactivate the customer instead.';
  }
  return null;
}

export function deleteCustomer(db: BusinessDb, id: string): CustomerRow {
  const row = getCustomerRow(db, id);
  const reason = deleteBlockedReason(customerBilling(db, id));
  if (reason) throw conflict(reason, 'id');
  // Subscriptions that never billed (canceled in trial) go with the customer.
  stmt(db.sqlite, 'DELETE FROM subscription_history WHERE customer_id = ?').run(id);
  const coupons = stmt(db.sqlite, 'SELECT DISTINCT coupon_id FROM subscriptions WHERE customer_id = ? AND coupon_id IS NOT NULL').pluck().all(id) as string[];
  stmt(db.sqlite, 'DELETE FROM subscriptions WHERE customer_id = ?').run(id);
  // A coupon's redemptions are the subscriptions that carry it (as sync derives them): those gone free their slots.
  for (const coupon of coupons) {
    stmt(db.sqlite, 'UPDATE coupons SET times_redeemed = (SELECT count(*) FROM subscriptions WHERE coupon_id = coupons.id) WHERE id = ?').run(coupon);
  }
  stmt(db.sqlite, 'DELETE FROM customers WHERE id = ?').run(id);
  return row;
}
