import { PlanCache, planAmount } from '../billing/catalog-repo';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { covers, loadSegments, type Segment } from '../metrics/segments';
import { dateBounds, keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

const FIELDS = [
  field('customer', 'Customer', 'text', 'c.name'),
  field('plan', 'Plan', 'text', 'p.name'),
  field('status', 'Status', 'text', 's.status'),
  field('quantity', 'Quantity', 'number', 's.quantity'),
  field('amount', 'Amount per period', 'money'),
  field('every', 'Every', 'text'),
  field('mrr', 'MRR', 'money'),
  field('startDate', 'Started', 'date', 's.start_date'),
  field('trialEnd', 'Trial ends', 'date', 's.trial_end'),
  field('periodFrom', 'Current period from', 'date', 's.current_period_start'),
  field('periodTo', 'Current period to', 'date', "date(s.current_period_end, '-1 day')"),
  field('canceledOn', 'Canceled on', 'date', 's.canceled_at'),
  field('subscriptionId', 'Subscription id', 'text', 's.id'),
  field('customerId', 'Customer id', 'text', 's.customer_id'),
];
const [QUANTITY, AMOUNT, EVERY, MRR, STARTED, ID] = [3, 4, 5, 6, 7, 12];
const ROWID = FIELDS.length;
const PLAN_ID = FIELDS.length + 1;

const RANGE = 's.start_date BETWEEN @from AND @to';

/**
 * Subscriptions started in the range, by start date, with their MRR (spec 8)
 * at the range's end (today when open): the MRR column adds up to the
 * dashboard's MRR for that day. start_date has no index, so each page sorts
 * the subscriptions table (a hundred thousand rows, not millions).
 */
export function subscriptionsReport(ctx: ReportContext): Report {
  const mrrOn = ctx.to ?? ctx.today;
  const plans = new PlanCache(ctx.db);
  const params = dateBounds(ctx.from, ctx.to);
  const report = keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['s.rowid', 's.plan_id'],
    pageSql: (select) => `
      SELECT ${select} FROM subscriptions s CROSS JOIN customers c ON c.id = s.customer_id CROSS JOIN plans p ON p.id = s.plan_id
       WHERE ${RANGE} AND (s.start_date, s.rowid) > (@afterDate, @afterRowid)
       ORDER BY s.start_date, s.rowid LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM subscriptions s WHERE ${RANGE}`,
    params,
    start: { afterDate: '', afterRowid: 0 },
    keyOf: (row) => ({ afterDate: row[STARTED]!, afterRowid: row[ROWID]! }),
    finish(rows) {
      // The page's own history only: one index lookup per subscription.
      const mrr = mrrBySubscription(loadSegments(ctx.db, rows.map((r) => String(r[ID]))), mrrOn);
      for (const row of rows) {
        const plan = plans.get(String(row[PLAN_ID]));
        row[AMOUNT] = planAmount(plan, Number(row[QUANTITY]));
        row[EVERY] = plan.interval_count === 1 ? plan.interval : `${plan.interval_count} ${plan.interval}s`;
        row[MRR] = mrr.get(String(row[ID])) ?? 0;
      }
      return rows;
    },
  });
  return { ...report, totals: () => ({ mrr: totalMrr(ctx.db, params, mrrOn) }) };
}

function mrrBySubscription(segments: readonly Segment[], date: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of segments) if (s.status !== 'trialing' && covers(s, date)) out.set(s.subscriptionId, (out.get(s.subscriptionId) ?? 0) + s.mrr);
  return out;
}

/** The MRR of every subscription started in the range: the whole history, read once. */
function totalMrr(db: BusinessDb, range: { from: string; to: string }, date: string): number {
  const inRange = new Set(stmt(db.sqlite, `SELECT id FROM subscriptions s WHERE ${RANGE}`).pluck().all(range) as string[]);
  let total = 0;
  for (const [id, mrr] of mrrBySubscription(loadSegments(db), date)) if (inRange.has(id)) total += mrr;
  return total;
}
