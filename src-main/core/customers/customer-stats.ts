import { dateInTimeZone, startOfDayInstant, startOfMonth, startOfWeek } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { LIVE_SUBSCRIPTION } from './customer-search';

/**
 * The customer numbers of the dashboard. "This week" starts on Monday and
 * "this month" on the 1st, in the business's time zone. Average revenue per
 * customer is revenue (payments less refunds) over the customers who paid.
 */
export function customerStats(db: BusinessDb, now: Date) {
  const biz = stmt(db.sqlite, 'SELECT currency, timezone FROM business LIMIT 1').get() as { currency: string; timezone: string };
  const today = dateInTimeZone(now, biz.timezone);
  const weekStart = startOfDayInstant(startOfWeek(today), biz.timezone).toISOString();
  const monthStart = startOfDayInstant(startOfMonth(today), biz.timezone).toISOString();
  const counts = stmt(
    db.sqlite,
    `SELECT count(*) AS total,
            coalesce(sum(status = 'active'), 0) AS active,
            coalesce(sum(status = 'inactive'), 0) AS inactive,
            coalesce(sum(created_at >= ?), 0) AS newThisWeek,
            coalesce(sum(created_at >= ?), 0) AS newThisMonth
       FROM customers`,
  ).get(weekStart, monthStart) as { total: number; active: number; inactive: number; newThisWeek: number; newThisMonth: number };
  const withSubscriptions = stmt(db.sqlite, `SELECT count(DISTINCT s.customer_id) FROM subscriptions s WHERE ${LIVE_SUBSCRIPTION}`)
    .pluck()
    .get() as number;
  const revenue = stmt(
    db.sqlite,
    `SELECT coalesce(sum(amount - amount_refunded), 0) AS total, count(DISTINCT customer_id) AS payers
       FROM payments WHERE status = 'succeeded'`,
  ).get() as { total: number; payers: number };
  return {
    currency: biz.currency,
    ...counts,
    withSubscriptions,
    totalRevenue: revenue.total,
    averageRevenuePerCustomer: revenue.payers > 0 ? Math.round(revenue.total / revenue.payers) : 0,
  };
}

export function customerFacets(db: BusinessDb) {
  return {
    segments: stmt(db.sqlite, "SELECT DISTINCT segment FROM customers WHERE segment <> '' ORDER BY segment COLLATE NOCASE").pluck().all() as string[],
    tags: stmt(db.sqlite, 'SELECT DISTINCT tag FROM customer_tags ORDER BY tag COLLATE NOCASE').pluck().all() as string[],
  };
}
