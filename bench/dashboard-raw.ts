import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { periodStart, type Interval } from '@shared/domain/periods';
import { monthBounds, monthsEnding, type MonthBounds } from '../src-main/core/metrics/metrics-service';

/**
 * The raw bound of `metrics.dashboard`: the same figures, each by the SQL
 * aggregate one would write by hand, run directly on the handle with prepared
 * statements (no dispatch, no validation, no DTOs):
 * - MRR, movements, churn, active and trialing customers for the 12 months
 *   (this month's and last month's summaries are two of them): one statement
 *   that builds the segments with lead() over subscription_history, sums each
 *   customer's normalized amount at the 13 month boundaries and classifies the
 *   movements with CASE (no coupons in the bench data, so none are applied);
 * - revenue by month, AR aging as of the two dates, new and total customers,
 *   trial conversion, failed payments and the MRR they put at risk: SQL aggregates;
 * - upcoming renewals: a subscription's next date follows the plan's calendar
 *   (clamped month ends), which SQL cannot compute, so the bound reads the
 *   running subscriptions as raw arrays and applies the same periodStart.
 * The business's time zone is UTC, so customers group by the UTC month.
 */
export function rawDashboard(db: Database.Database, asOf: string): () => { mrr: number; renewals: { count: number; amount: number } } {
  const months = monthsEnding(asOf, 12).map((m) => monthBounds(m, asOf));
  const first = `${months[0]!.month}-01`;
  const lastMonthEnd = months[10]!.endDate;
  const mrr = db.prepare(mrrSql(months));
  const revenue = [
    db.prepare("SELECT substr(paid_on, 1, 7) AS m, sum(amount) FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN ? AND ? GROUP BY m"),
    db.prepare('SELECT substr(refunded_on, 1, 7) AS m, sum(amount) FROM refunds WHERE refunded_on BETWEEN ? AND ? GROUP BY m'),
  ];
  const aging = db.prepare(AGING_SQL);
  const customersBefore = db.prepare('SELECT count(*) FROM customers WHERE created_at < ?').pluck();
  const customersByMonth = db.prepare('SELECT substr(created_at, 1, 7) AS m, count(*) FROM customers WHERE created_at >= ? AND created_at < ? GROUP BY m');
  const trials = db.prepare(TRIALS_SQL);
  const failed = [
    db.prepare(
      `SELECT i.id, i.number, i.customer_id, c.name, i.subscription_id, i.amount_due, i.attempt_count, i.next_retry_on, i.issue_date
         FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.status = 'open' AND i.attempt_count > 0 AND i.amount_due > 0 ORDER BY i.issue_date DESC LIMIT 200`,
    ),
    db.prepare("SELECT count(*), coalesce(sum(amount_due), 0) FROM invoices WHERE status = 'open' AND attempt_count > 0 AND amount_due > 0"),
    db.prepare(AT_RISK_SQL),
  ];
  const running = db.prepare(
    `SELECT s.anchor_date, s.next_period_index, s.status, p.interval, p.interval_count, p.unit_amount * s.quantity
       FROM subscriptions s JOIN plans p ON p.id = s.plan_id
      WHERE s.status IN ('active', 'past_due', 'trialing') AND s.cancel_at_period_end = 0`,
  );
  return () => {
    const figures = mrr.get() as Record<string, number>;
    for (const r of revenue) r.all(first, asOf);
    aging.get({ d: asOf });
    aging.get({ d: lastMonthEnd });
    customersBefore.get(`${first}T00:00:00.000Z`);
    customersByMonth.all(`${first}T00:00:00.000Z`, `${addDays(asOf, 1)}T00:00:00.000Z`);
    trials.get({ sd: months[11]!.startDate, ed: asOf });
    for (const f of failed) f.all({ d: asOf });
    const until = addDays(asOf, 30);
    let count = 0;
    let amount = 0;
    for (const [anchor, next, status, interval, intervalCount, due] of running.raw().iterate() as IterableIterator<[string, number, string, Interval, number, number]>) {
      const date = status === 'trialing' ? anchor : periodStart(anchor, { interval, intervalCount }, next);
      if (date > asOf && date <= until) {
        count++;
        amount += due;
      }
    }
    return { mrr: figures.mrr11!, renewals: { count, amount } };
  };
}

const SEGMENTS = `
  SELECT h.subscription_id AS sub, h.customer_id AS c, h.status AS st, h.effective_date AS s,
         lead(h.effective_date) OVER (PARTITION BY h.subscription_id ORDER BY h.effective_date, h.seq) AS e,
         CASE p.interval
           WHEN 'month' THEN round(h.recurring_amount * 1.0 / p.interval_count)
           WHEN 'quarter' THEN round(h.recurring_amount / (3.0 * p.interval_count))
           WHEN 'year' THEN round(h.recurring_amount / (12.0 * p.interval_count))
           WHEN 'week' THEN round(h.recurring_amount * 52.0 / (12 * p.interval_count))
           ELSE round(h.recurring_amount * 365.0 / (12 * p.interval_count)) END AS mrr
    FROM subscription_history h JOIN plans p ON p.id = h.plan_id`;

/**
 * Every customer's MRR at each boundary date in one GROUP BY (one CASE sum per
 * date), then each month's movements classified from two of those columns.
 * The dates are generated into the SQL text (they are the bench's own).
 */
function mrrSql(months: MonthBounds[]): string {
  const dates = [...new Set(months.flatMap((m) => [m.startDate, m.endDate]))].sort();
  const covers = (i: number) => `s <= '${dates[i]}' AND (e IS NULL OR '${dates[i]}' < e)`;
  const perDate = dates.map(
    (_, i) => `sum(CASE WHEN st <> 'trialing' AND ${covers(i)} THEN mrr ELSE 0 END) AS m${i}, max(st <> 'trialing' AND ${covers(i)}) AS a${i}, max(st = 'trialing' AND ${covers(i)}) AS t${i}`,
  );
  const perMonth = months.map((m, j) => {
    const [s, e] = [`m${dates.indexOf(m.startDate)}`, `m${dates.indexOf(m.endDate)}`];
    const end = dates.indexOf(m.endDate);
    return `sum(${s}) AS start${j}, sum(${e}) AS mrr${j},
      sum(CASE WHEN ${s} = 0 AND ${e} > 0 AND (f IS NULL OR f > '${m.startDate}') THEN ${e} ELSE 0 END) AS new${j},
      sum(CASE WHEN ${s} = 0 AND ${e} > 0 AND f <= '${m.startDate}' THEN ${e} ELSE 0 END) AS reactivation${j},
      sum(CASE WHEN ${s} > 0 AND ${e} > ${s} THEN ${e} - ${s} ELSE 0 END) AS expansion${j},
      sum(CASE WHEN ${e} > 0 AND ${s} > ${e} THEN ${s} - ${e} ELSE 0 END) AS contraction${j},
      sum(CASE WHEN ${s} > 0 AND ${e} = 0 THEN ${s} ELSE 0 END) AS churn${j},
      sum(${s} > 0) AS paying${j}, sum(${s} > 0 AND ${e} = 0) AS churned${j}, sum(a${end}) AS active${j}, sum(t${end}) AS trialing${j}`;
  });
  return `
    WITH live AS (SELECT * FROM (${SEGMENTS}) WHERE st IN ('active', 'past_due', 'trialing') AND (e IS NULL OR e > s)),
    per AS (SELECT c, ${perDate.join(', ')}, min(CASE WHEN st <> 'trialing' AND mrr > 0 THEN s END) AS f FROM live GROUP BY c)
    SELECT ${perMonth.join(',\n')} FROM per`;
}

const AGING_SQL = `
WITH owed AS (
  SELECT julianday(@d) - julianday(i.due_date) AS late,
         i.total - i.credit_applied - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'succeeded' AND p.paid_on <= @d), 0) AS amount
    FROM invoices i
   WHERE i.issue_date <= @d AND i.total > 0 AND i.status <> 'draft'
     AND (i.paid_on IS NULL OR i.paid_on > @d) AND (i.voided_on IS NULL OR i.voided_on > @d) AND (i.uncollectible_on IS NULL OR i.uncollectible_on > @d))
SELECT sum(CASE WHEN late <= 0 THEN amount ELSE 0 END), sum(CASE WHEN late BETWEEN 1 AND 30 THEN amount ELSE 0 END),
       sum(CASE WHEN late BETWEEN 31 AND 60 THEN amount ELSE 0 END), sum(CASE WHEN late BETWEEN 61 AND 90 THEN amount ELSE 0 END),
       sum(CASE WHEN late > 90 THEN amount ELSE 0 END)
  FROM owed WHERE amount > 0`;

const TRIALS_SQL = `
WITH seg AS (${SEGMENTS})
SELECT count(*) AS ended, sum(EXISTS (SELECT 1 FROM seg p WHERE p.sub = t.sub AND p.st <> 'trialing' AND p.s = t.e)) AS converted
  FROM seg t WHERE t.st = 'trialing' AND t.e > @sd AND t.e <= @ed`;

const AT_RISK_SQL = `
WITH risky AS (SELECT DISTINCT subscription_id FROM invoices WHERE status = 'open' AND attempt_count > 0 AND amount_due > 0 AND subscription_id IS NOT NULL),
seg AS (${SEGMENTS} WHERE h.subscription_id IN (SELECT subscription_id FROM risky))
SELECT coalesce(sum(mrr), 0) FROM seg WHERE st IN ('active', 'past_due') AND s <= @d AND (e IS NULL OR @d < e)`;
