import type Database from 'better-sqlite3';
import type { SearchResults } from '@shared/contract/search';
import { buildWhere } from '../customers/customer-search';
import { stmt } from '../db/statements';

// The search-anything box. Each kind is one bounded, index-backed query, so it
// answers as fast with a million invoices as with ten:
// - customers: the customer list's own search (FTS5 trigram index, typo
//   fallback), walked in name order and cut at the limit;
// - invoices by number: a range on the unique number index (a prefix typed,
//   or a bare number padded as invoices are numbered);
// - the invoices and subscriptions of the first few customers found, through
//   the customer_id indexes.

/** How many of the customers found also bring their invoices and subscriptions. */
const RELATED_CUSTOMERS = 3;

const INVOICE_COLUMNS =
  'i.id, i.number, c.name AS customerName, i.status, i.issue_date AS issueDate, i.total, i.currency FROM invoices i JOIN customers c ON c.id = i.customer_id';

type InvoiceHit = SearchResults['invoices'][number];

/** The ranges of invoice numbers a query may mean, as [from, to) on the number index. */
export function invoiceNumberRanges(query: string, prefix: string): { from: string; to: string }[] {
  const q = query.trim().toUpperCase();
  const ranges: string[] = [];
  if (/^#?\d{1,12}$/.test(q)) {
    const digits = q.replace('#', '');
    // "42" is INV-000042; "0004" starts INV-0004…
    ranges.push(`${prefix}-${digits.padStart(6, '0')}`, `${prefix}-${digits}`);
  } else if (/^[A-Z][A-Z0-9]*-?\d*$/.test(q)) {
    // "INV-0001", "inv0001", "INV": a prefix of the number (the dash optional before digits).
    const m = /^([A-Z][A-Z0-9]*?)-?(\d*)$/.exec(q)!;
    const letters = m[1]!;
    const digits = m[2]!;
    ranges.push(digits ? `${letters}-${digits}` : q);
  }
  return [...new Set(ranges)].map((from) => ({ from, to: `${from}\uffff` }));
}

export function searchAnything(db: Database.Database, query: string, limit: number): SearchResults {
  const where = buildWhere(db, { search: query });
  const customers = stmt(
    db,
    `SELECT c.id, c.name, c.email, c.company FROM customers c ${where.sql} ORDER BY c.name COLLATE NOCASE, c.seq LIMIT ?`,
  ).all(...where.params, limit) as SearchResults['customers'];

  const invoices = new Map<string, InvoiceHit>();
  const prefix = (stmt(db, 'SELECT invoice_prefix FROM business LIMIT 1').pluck().get() as string | undefined) ?? 'INV';
  const byNumber = stmt(db, `SELECT ${INVOICE_COLUMNS} WHERE i.number >= ? AND i.number < ? ORDER BY i.number DESC LIMIT ?`);
  for (const range of invoiceNumberRanges(query, prefix)) {
    for (const hit of byNumber.all(range.from, range.to, limit) as InvoiceHit[]) invoices.set(hit.id, hit);
  }

  let subscriptions: SearchResults['subscriptions'] = [];
  const related = where.fuzzy ? [] : customers.slice(0, RELATED_CUSTOMERS).map((c) => c.id);
  if (related.length > 0) {
    const ids = JSON.stringify(related);
    const theirInvoices = stmt(
      db,
      `SELECT ${INVOICE_COLUMNS} WHERE i.customer_id IN (SELECT value FROM json_each(?)) ORDER BY i.issue_date DESC, i.number DESC LIMIT ?`,
    ).all(ids, limit) as InvoiceHit[];
    for (const hit of theirInvoices) if (invoices.size < limit) invoices.set(hit.id, hit);
    subscriptions = stmt(
      db,
      `SELECT s.id, c.name AS customerName, p.name AS planName, s.status
         FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN plans p ON p.id = s.plan_id
        WHERE s.customer_id IN (SELECT value FROM json_each(?))
        ORDER BY s.status = 'canceled', s.created_at DESC, s.id DESC LIMIT ?`,
    ).all(ids, limit) as SearchResults['subscriptions'];
  }

  return { customers, invoices: [...invoices.values()].slice(0, limit), subscriptions, fuzzy: where.fuzzy && customers.length > 0 };
}
