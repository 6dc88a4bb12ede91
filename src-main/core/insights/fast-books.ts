import { toDayNumber } from '@shared/domain/dates';
import { segmentsFromHistory, type CouponRow, type HistoryRow, type PlanRow, type Segment } from '@shared/domain/metrics';
import { buildTimelines, NEVER, type CustomerTimeline, type InsightBooks, type InsightLedger } from '@shared/insights/features';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { readCoupons, readHistory, readPlans } from '../metrics/segments';
import { withInsightsCache } from './cache';

/**
 * The books made ready for churn and LTV (the same ledger as `ledgerOf(loadInsightBooks(db, asOf))`,
 * tests/unit/insights/fast-books.test.ts and maintained-days.test.ts), with the long lists read from
 * `insight_customer_days`: one row per customer, kept by triggers in the same transaction as every write
 * to payments, invoices, notes and sales (migration 0022_insight_triggers). At 100,000 customers that
 * is 100,000 rows instead of scanning 1.9 million. The rows hold every date; the lists are cut here at
 * the as-of date (they are sorted), so any as-of date is exact, not only today. The subscription
 * history (about 1.5 rows per customer) is still read whole, as the segments need each row's successor.
 */
export function loadInsightLedger(db: BusinessDb, asOf: string): InsightLedger {
  const { history, plans, coupons, segments } = insightHistory(db);
  const customers = stmt(db.sqlite, 'SELECT id, name, segment FROM customers ORDER BY rowid').all() as InsightBooks['customers'];
  const rows = stmt(db.sqlite, 'SELECT customer_id, failed, paid, notes, sales, invoices FROM insight_customer_days').raw(true).iterate() as IterableIterator<DayRow>;
  return { currency: businessCurrency(db), timelines: timelinesOf({ customers, history, plans, coupons, segments }, rows, asOf) };
}

/**
 * The ledger of some customers (those changed since the insights last looked, incremental.ts): the same
 * timelines `loadInsightLedger` builds for them, from their own rows (one index lookup each).
 */
export function loadCustomerTimelines(db: BusinessDb, ids: readonly string[], asOf: string): CustomerTimeline[] {
  const json = JSON.stringify(ids);
  const customers = stmt(db.sqlite, 'SELECT id, name, segment FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(json) as InsightBooks['customers'];
  const history = readHistory(db, { customerIds: ids });
  const plans = readPlans(db);
  const coupons = readCoupons(db);
  const rows = stmt(db.sqlite, 'SELECT customer_id, failed, paid, notes, sales, invoices FROM insight_customer_days WHERE customer_id IN (SELECT value FROM json_each(?))')
    .raw(true)
    .iterate(json) as IterableIterator<DayRow>;
  return timelinesOf({ customers, history, plans, coupons, segments: segmentsFromHistory(history, plans, coupons) }, rows, asOf);
}

type DayRow = [string, string, string, string, string, string];

function timelinesOf(
  read: Pick<InsightBooks, 'customers' | 'history' | 'plans' | 'coupons'> & { segments: readonly Segment[] },
  dayRows: IterableIterator<DayRow>,
  asOf: string,
): CustomerTimeline[] {
  const { customers, history, plans, coupons, segments } = read;
  const books: InsightBooks = {
    currency: '',
    customers,
    history,
    plans,
    coupons,
    segments,
    failedPayments: [],
    payments: [],
    notes: [],
    sales: [],
    invoices: [],
  };
  const timelines = buildTimelines(books);
  const byId = new Map<string, CustomerTimeline>();
  for (const t of timelines) byId.set(t.id, t);
  const last = toDayNumber(asOf);
  for (const [id, failed, paid, notes, sales, invoices] of dayRows) {
    const t = byId.get(id);
    if (!t) continue;
    t.failed = daysUpTo(failed, last);
    t.paid = daysUpTo(paid, last);
    t.notes = daysUpTo(notes, last);
    t.sales = daysUpTo(sales, last);
    t.invoices = invoicesUpTo(invoices, last);
  }
  return timelines;
}

/**
 * The subscription history with its plans, coupons and segments, read once for every insight that needs it
 * (the churn and LTV ledger at any as-of date, the forecast's monthly MRR), until the books change.
 */
export function insightHistory(db: BusinessDb): { history: HistoryRow[]; plans: PlanRow[]; coupons: CouponRow[]; segments: readonly Segment[] } {
  return withInsightsCache(db.sqlite, 'history', () => {
    const history = readHistory(db);
    const plans = readPlans(db);
    const coupons = readCoupons(db);
    return { history, plans, coupons, segments: segmentsFromHistory(history, plans, coupons) };
  });
}

/** "20089,20120,-3" (ascending) as numbers up to `last`, without a string per number. */
export function daysUpTo(list: string, last: number): number[] {
  const out: number[] = [];
  if (list === '') return out;
  let n = 0;
  let negative = false;
  for (let i = 0; i <= list.length; i++) {
    const c = i === list.length ? 44 : list.charCodeAt(i);
    if (c === 44) {
      const day = negative ? -n : n;
      if (day > last) break;
      out.push(day);
      n = 0;
      negative = false;
    } else if (c === 45) negative = true;
    else n = n * 10 + (c - 48);
  }
  return out;
}

/** "issue,due,closed,..." (closed 'x' while open; ordered by issue) as [due, issue, closed] of the invoices issued up to `last`. */
export function invoicesUpTo(list: string, last: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  if (list === '') return out;
  const triple: number[] = [];
  let n = 0;
  let negative = false;
  let open = false;
  for (let i = 0; i <= list.length; i++) {
    const c = i === list.length ? 44 : list.charCodeAt(i);
    if (c === 44) {
      triple.push(open ? NEVER : negative ? -n : n);
      n = 0;
      negative = false;
      open = false;
      if (triple.length === 3) {
        if (triple[0]! > last) break;
        out.push([triple[1]!, triple[0]!, triple[2]!]);
        triple.length = 0;
      }
    } else if (c === 45) negative = true;
    else if (c === 120) open = true;
    else n = n * 10 + (c - 48);
  }
  return out;
}
