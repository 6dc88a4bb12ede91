import { segmentsFromHistory, type CouponRow, type HistoryRow, type PlanRow, type Segment } from '@shared/domain/metrics';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';

export { covers, type Segment } from '@shared/domain/metrics';

/** The history columns the segments read (segmentsFromHistory in src-shared makes them). */
const HISTORY_COLUMNS = 'subscription_id, customer_id, seq, effective_date, status, plan_id, recurring_amount, coupon_id, coupon_applied_on';
/** The order segmentsFromHistory walks the rows in: sorted by SQLite, it need not sort them itself. */
const HISTORY_ORDER = 'ORDER BY subscription_id, effective_date, seq';

/**
 * Segments of every subscription (or of those given), by the rule in
 * src-shared (segmentsFromHistory) over the history rows read here.
 */
export function loadSegments(db: BusinessDb, subscriptionIds?: readonly string[]): readonly Segment[] {
  if (subscriptionIds) return readSegments(db, subscriptionIds);
  // The whole history is read again only when the file changed: a drill-down after the dashboard,
  // or a report after it, reuses what the last call read. Any commit moves the key: this connection's
  // own (total_changes) or another's, the billing worker's or the CLI's (data_version). Inside a
  // transaction nothing is kept, as it may yet roll back.
  if (db.sqlite.inTransaction) return readSegments(db);
  const key = `${String(stmt(db.sqlite, 'PRAGMA data_version').pluck().get())}:${String(stmt(db.sqlite, 'SELECT total_changes()').pluck().get())}`;
  const cached = lastRead.get(db.sqlite);
  if (cached?.key === key) return cached.segments;
  const segments = readSegments(db);
  lastRead.set(db.sqlite, { key, segments });
  return segments;
}

const lastRead = new WeakMap<BusinessDb['sqlite'], { key: string; segments: readonly Segment[] }>();

export function readPlans(db: BusinessDb): PlanRow[] {
  return stmt(db.sqlite, 'SELECT id, interval, interval_count FROM plans').all() as PlanRow[];
}

export function readCoupons(db: BusinessDb): CouponRow[] {
  return stmt(db.sqlite, 'SELECT id, code, percent_off_ppm, amount_off, duration, duration_months FROM coupons').all() as CouponRow[];
}

/** History rows: all of them, those of some subscriptions (one index lookup each, for a report page) or customers, or those dated by a day. */
export function readHistory(
  db: BusinessDb,
  only?: { subscriptionIds: readonly string[] } | { through: string } | { customerIds: readonly string[] } | { customersAfter: string; customersUpTo: string },
): HistoryRow[] {
  if (only && 'customersAfter' in only) {
    // A range of customers by id (the customer index), for reading the whole history a part at a time.
    return stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history WHERE customer_id > ? AND customer_id <= ? ${HISTORY_ORDER}`).all(
      only.customersAfter,
      only.customersUpTo,
    ) as HistoryRow[];
  }
  if (only && 'customerIds' in only) {
    return stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history WHERE customer_id IN (SELECT value FROM json_each(?)) ${HISTORY_ORDER}`).all(
      JSON.stringify(only.customerIds),
    ) as HistoryRow[];
  }
  if (!only) return stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history ${HISTORY_ORDER}`).all() as HistoryRow[];
  if ('through' in only) return stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history WHERE effective_date <= ? ${HISTORY_ORDER}`).all(only.through) as HistoryRow[];
  return stmt(db.sqlite, `SELECT ${HISTORY_COLUMNS} FROM subscription_history WHERE subscription_id IN (SELECT value FROM json_each(?)) ${HISTORY_ORDER}`).all(
    JSON.stringify(only.subscriptionIds),
  ) as HistoryRow[];
}

function readSegments(db: BusinessDb, subscriptionIds?: readonly string[]): Segment[] {
  return segmentsFromHistory(readHistory(db, subscriptionIds && { subscriptionIds }), readPlans(db), readCoupons(db));
}
