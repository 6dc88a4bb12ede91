import { toDayNumber } from '@shared/domain/dates';
import { segmentsFromHistory, type CouponRow, type HistoryRow, type PlanRow, type Segment } from '@shared/domain/metrics';
import { historyNumbers, NEVER, NumberRun, timelineOf, type CustomerTimeline, type InsightBooks, type InsightLedger } from '@shared/insights/features';
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
  return loadLedgerAndRowids(db, asOf).ledger;
}

/** `loadInsightLedger`, with each timeline's customer rowid (the books' order: what a snapshot keeps to restore it). */
export function loadLedgerAndRowids(db: BusinessDb, asOf: string): { ledger: InsightLedger; rowids: Float64Array } {
  const { history, plans, coupons, segments } = insightHistory(db);
  const customers = stmt(db.sqlite, 'SELECT rowid AS r, id, name, segment FROM customers ORDER BY rowid').all() as (InsightBooks['customers'][number] & { r: number })[];
  const rows = stmt(db.sqlite, 'SELECT customer_id, failed, paid, notes, sales, invoices FROM insight_customer_days').raw(true).iterate() as IterableIterator<DayRow>;
  const timelines = timelinesOf({ customers, history, plans, coupons, segments }, rows, asOf);
  return { ledger: { currency: businessCurrency(db), timelines }, rowids: Float64Array.from(customers, (c) => c.r) };
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

/**
 * Timelines built again from the books' subscription history only, their name, segment and long lists kept: for
 * customers whose rows are as they were but a plan or coupon their history names moved (catalog.ts, `byCatalog`).
 * Each the timeline `loadCustomerTimelines` gives for it (the lists are those it was built with, every date).
 */
export function withHistoryAgain(db: BusinessDb, timelines: readonly CustomerTimeline[]): CustomerTimeline[] {
  if (timelines.length === 0) return [];
  const history = readHistory(db, { customerIds: timelines.map((t) => t.id) });
  const plans = readPlans(db);
  const coupons = readCoupons(db);
  const numbers = historyNumbers(timelines, history, plans, coupons, segmentsFromHistory(history, plans, coupons));
  return timelines.map((t, i) => timelineOf(t.id, t.name, t.segment, numbers.firstDay[i]!, numbers.nums, numbers.stretchesAt[i]!, numbers.subscriptionsAt[i]!, t.lists, t.failedAt, t.hash));
}

type DayRow = [string, string, string, string, string, string];

function timelinesOf(
  read: Pick<InsightBooks, 'customers' | 'history' | 'plans' | 'coupons'> & { segments: readonly Segment[] },
  dayRows: IterableIterator<DayRow>,
  asOf: string,
): CustomerTimeline[] {
  const { customers, history, plans, coupons, segments } = read;
  const numbers = historyNumbers(customers, history, plans, coupons, segments);
  const indexOf = new Map<string, number>();
  customers.forEach((c, i) => indexOf.set(c.id, i));
  const last = toDayNumber(asOf);
  // Each customer's lists parsed straight into one run of numbers (the first five: a customer with no row).
  const lists = new NumberRun(16 * customers.length + 16);
  for (let k = 0; k < 5; k++) lists.push(0);
  const failedAt = new Int32Array(customers.length);
  for (const [id, failed, paid, notes, sales, invoices] of dayRows) {
    const i = indexOf.get(id);
    if (i === undefined) continue;
    failedAt[i] = lists.length;
    appendDaysUpTo(lists, failed, last);
    appendDaysUpTo(lists, paid, last);
    appendDaysUpTo(lists, notes, last);
    appendDaysUpTo(lists, sales, last);
    appendInvoicesUpTo(lists, invoices, last);
  }
  const listNums = lists.done();
  return customers.map((c, i) => timelineOf(c.id, c.name, c.segment, numbers.firstDay[i]!, numbers.nums, numbers.stretchesAt[i]!, numbers.subscriptionsAt[i]!, listNums, failedAt[i]!));
}

/**
 * The subscription history with its plans, coupons and segments, read once for every insight that needs it
 * (the churn and LTV ledger at any as-of date, the forecast's monthly MRR), until the books change.
 */
export function insightHistory(db: BusinessDb): { history: HistoryRow[]; plans: PlanRow[]; coupons: CouponRow[]; segments: readonly Segment[] } {
  return withInsightsCache(db.sqlite, 'history', () => {
    const history = wholeHistory(db);
    const plans = readPlans(db);
    const coupons = readCoupons(db);
    return { history, plans, coupons, segments: segmentsFromHistory(history, plans, coupons) };
  });
}

/**
 * Every subscription history row in the order `readHistory` gives (subscription, date, seq), read by a scan of the
 * table and sorted here: SQLite's ORDER BY walks the (subscription_id, seq) index and looks each row up in the
 * table, a random read per row (20,000 customers, cold: 319 ms against 62 ms for the scan).
 */
function wholeHistory(db: BusinessDb): HistoryRow[] {
  const rows = stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history`).all() as HistoryRow[];
  return rows.sort(byHistoryOrder);
}

const HISTORY_COLUMNS = 'subscription_id, customer_id, seq, effective_date, status, plan_id, recurring_amount, coupon_id, coupon_applied_on';

/** `ORDER BY subscription_id, effective_date, seq` (ids and dates are ASCII: the same order as SQLite's BINARY). */
function byHistoryOrder(a: HistoryRow, b: HistoryRow): number {
  return a.subscription_id < b.subscription_id ? -1 : a.subscription_id > b.subscription_id ? 1 : a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : a.seq - b.seq;
}

/** "20089,20120,-3" (ascending) as numbers up to `last`, written into a run: the count, then the days (no string per number). */
export function appendDaysUpTo(out: NumberRun, list: string, last: number): void {
  const at = out.length;
  out.push(0);
  if (list === '') return;
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
  out.array[at] = out.length - at - 1;
}

/** "issue,due,closed,..." (closed 'x' while open; ordered by issue) of the invoices issued up to `last`, written into a run: the count, then due, issue and closed (Infinity: open) of each. */
export function appendInvoicesUpTo(out: NumberRun, list: string, last: number): void {
  const at = out.length;
  out.push(0);
  if (list === '') return;
  let due = 0;
  let issue = 0;
  let field = 0;
  let n = 0;
  let negative = false;
  let open = false;
  for (let i = 0; i <= list.length; i++) {
    const c = i === list.length ? 44 : list.charCodeAt(i);
    if (c === 44) {
      const value = open ? NEVER : negative ? -n : n;
      n = 0;
      negative = false;
      open = false;
      if (field === 0) {
        if (value > last) break;
        issue = value;
      } else if (field === 1) due = value;
      else {
        out.push(due);
        out.push(issue);
        out.push(value);
      }
      field = (field + 1) % 3;
    } else if (c === 45) negative = true;
    else if (c === 120) open = true;
    else n = n * 10 + (c - 48);
  }
  out.array[at] = (out.length - at - 1) / 3;
}
