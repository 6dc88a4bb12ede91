import type Database from 'better-sqlite3';
import type { CustomerFilter, CustomerSortColumn } from '@shared/domain/customers';
import { stmt } from '../db/statements';
import { validation } from '../errors';

// The customer list's SQL: filters, full-text search (an FTS5 trigram index),
// sorting by any column (each has an index) and paging. Built as plain SQL so
// the benchmark can run exactly the same statements raw.

const SORT_SQL: Record<CustomerSortColumn, string> = {
  name: 'c.name COLLATE NOCASE',
  email: 'c.email_normalized',
  company: 'c.company COLLATE NOCASE',
  phone: 'c.phone',
  segment: 'c.segment',
  status: 'c.status',
  paymentMethod: 'c.payment_method',
  creditBalance: 'c.credit_balance',
  createdAt: 'c.created_at',
  risk: 'r.score',
};

/**
 * Today's churn scores for the risk filter and sort: a TEMP table of this connection (customer_id,
 * score 0-100, at_risk 1 for the medium and high bands) that core/insights/risk-scores.ts fills from
 * the insights worker's answer before the list's SQL runs. Customers who pay nothing have no row.
 */
export const RISK_TABLE = 'temp.customer_risk';
export interface RiskLookup {
  table: typeof RISK_TABLE;
}

/** Subscriptions that count as "has an active subscription". */
export const LIVE_SUBSCRIPTION = "s.status IN ('trialing','active','past_due')";
const UNPAID_INVOICE = "i.status = 'open' AND i.amount_due > 0";

export interface WhereClause {
  sql: string;
  params: unknown[];
  /** The search found nothing exact and fell back to close matches. */
  fuzzy: boolean;
  /**
   * The search was taken as exact without asking the index first (`assumeExact`):
   * if its page comes back empty, build the clause again to know whether close
   * matches apply.
   */
  exactAssumed: boolean;
  /** The churn scores, when the filter read them (the risk sort reads them too). */
  risk?: () => RiskLookup;
}

/** Lower-case, no accents: how the trigram index sees text. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The words of a search, with phone-like input reduced to its digits. */
export function searchWords(search: string): string[] {
  const trimmed = search.trim();
  if (!trimmed) return [];
  if (/^[0-9+()\-.\s/]+$/.test(trimmed) && /\d{3}/.test(trimmed.replace(/\D/g, ''))) return [trimmed.replace(/\D/g, '')];
  return trimmed.split(/\s+/).filter(Boolean);
}

/**
 * The WHERE clause of a filter. A search with words of three letters or more
 * uses the trigram index; when it finds nothing exact, close matches (typos).
 * Deciding that costs a look-up in the index; with `assumeExact` it is
 * skipped and the clause is the exact one (`exactAssumed`), for a caller
 * that runs the page first and asks again only when the page is empty.
 */
export function buildWhere(db: Database.Database, filter: CustomerFilter, opts: { assumeExact?: boolean; risk?: (() => RiskLookup) | undefined } = {}): WhereClause {
  const parts: string[] = [];
  const params: unknown[] = [];
  let fuzzy = false;
  let exactAssumed = false;

  const words = searchWords(filter.search ?? '');
  if (words.length > 0) {
    const long = words.filter((w) => w.length >= 3);
    if (long.length === 0) {
      // Too short for the trigram index: a prefix match on the main columns.
      const like = `${words.join(' ').replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      parts.push("(c.name LIKE ? ESCAPE '\\' OR c.email_normalized LIKE ? ESCAPE '\\' OR c.company LIKE ? ESCAPE '\\')");
      params.push(like, like.toLowerCase(), like);
    } else {
      const exact = long.map(quote).join(' AND ');
      exactAssumed = opts.assumeExact === true;
      const found = exactAssumed || stmt(db, 'SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT 1').get(exact);
      if (found) {
        parts.push('c.seq IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)');
        params.push(exact);
      } else {
        parts.push('c.seq IN (SELECT value FROM json_each(?))');
        params.push(JSON.stringify(closeMatches(db, long)));
        fuzzy = true;
      }
    }
  }
  if (filter.status) {
    parts.push('c.status = ?');
    params.push(filter.status);
  }
  if (filter.segment !== undefined && filter.segment !== '') {
    parts.push('c.segment = ? COLLATE NOCASE'); // the segment index is NOCASE too, so it serves this
    params.push(filter.segment);
  }
  // Uncorrelated IN subqueries: each set is built once, not probed per customer.
  if (filter.tag) {
    parts.push('c.id IN (SELECT t.customer_id FROM customer_tags t WHERE t.tag = ? COLLATE NOCASE)');
    params.push(filter.tag);
  }
  if (filter.hasActiveSubscription !== undefined) {
    parts.push(`c.id ${filter.hasActiveSubscription ? '' : 'NOT '}IN (SELECT s.customer_id FROM subscriptions s WHERE ${LIVE_SUBSCRIPTION})`);
  }
  if (filter.hasUnpaidInvoices !== undefined) {
    parts.push(`c.id ${filter.hasUnpaidInvoices ? '' : 'NOT '}IN (SELECT i.customer_id FROM invoices i WHERE ${UNPAID_INVOICE})`);
  }
  if (filter.atRisk !== undefined) {
    if (!opts.risk) throw validation('atRisk', 'The churn risk is not available here');
    parts.push(`c.id ${filter.atRisk ? '' : 'NOT '}IN (SELECT customer_id FROM ${opts.risk().table} WHERE at_risk = 1)`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params, fuzzy, exactAssumed, ...(opts.risk ? { risk: opts.risk } : {}) };
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

/**
 * Typo tolerance: each typed word is replaced by the words of names,
 * companies and emails within one edit (two for long words) that start with
 * the same letter, or with its second (a swap at the start); a customer
 * matches when every typed word has such a neighbour. "Jhon Smtih" finds John Smith.
 */
function closeMatches(db: Database.Database, words: string[]): number[] {
  const vocab = stmt(
    db,
    'SELECT term FROM customers_words_vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?',
  ).pluck();
  const groups: string[] = [];
  for (const raw of words) {
    const word = fold(raw).replace(/[^\p{L}\p{N}]/gu, '');
    if (word.length < 3 || /^\d+$/.test(word)) continue;
    const max = word.length >= 6 ? 2 : 1;
    const firsts = new Set([word[0]!, word[1]!]);
    const near = new Set<string>();
    for (const first of firsts) {
      const next = String.fromCodePoint(first.codePointAt(0)! + 1);
      for (const term of vocab.all(first, next, word.length - max, word.length + max) as string[]) {
        if (editDistance(word, term, max) <= max) near.add(term);
      }
    }
    if (near.size === 0) return [];
    groups.push(`(${[...near].slice(0, 50).map(quote).join(' OR ')})`);
  }
  if (groups.length === 0) return [];
  return stmt(db, 'SELECT rowid FROM customers_words WHERE customers_words MATCH ? LIMIT 500')
    .pluck()
    .all(groups.join(' AND ')) as number[];
}

export interface PageQuery {
  sort: CustomerSortColumn;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function pageSql(where: WhereClause, page: PageQuery): { sql: string; params: unknown[] } {
  const dir = page.direction === 'desc' ? 'DESC' : 'ASC';
  if (page.sort === 'risk') {
    if (!where.risk) throw validation('sort', 'The churn risk is not available here');
    // Customers without a score (paying nothing) come last either way.
    const order = `ORDER BY r.score IS NULL, r.score ${dir}, c.seq ${dir}`;
    const join = `LEFT JOIN ${where.risk().table} r ON r.customer_id = c.id`;
    return {
      sql: `SELECT c.* FROM customers c ${join} WHERE c.seq IN (SELECT c.seq FROM customers c ${join} ${where.sql} ${order} LIMIT ? OFFSET ?) ${order}`,
      params: [...where.params, page.limit, page.offset],
    };
  }
  const order = `ORDER BY ${SORT_SQL[page.sort]} ${dir}, c.seq ${dir}`;
  // A deferred join: sort and skip narrow (key, seq) pairs, then read only the rows of the page.
  return {
    sql: `SELECT c.* FROM customers c WHERE c.seq IN (SELECT c.seq FROM customers c ${where.sql} ${order} LIMIT ? OFFSET ?) ${order}`,
    params: [...where.params, page.limit, page.offset],
  };
}

export function countSql(where: WhereClause): { sql: string; params: unknown[] } {
  return { sql: `SELECT count(*) AS n FROM customers c ${where.sql}`, params: where.params };
}
