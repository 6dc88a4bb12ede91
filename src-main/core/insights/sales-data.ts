import { addDays } from '@shared/domain/dates';
import { monthBounds } from '@shared/domain/metrics';
import type { DayFigures } from '@shared/insights/anomalies';
import { BASELINE_DAYS } from '@shared/insights/anomalies';
import type { ForecastMonthInput } from '@shared/insights/forecast';
import type { ProductRow, SaleLineRow } from '@shared/insights/products';
import { monthRange, shiftMonth } from '@shared/insights/sales-stats';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { mrrAtDays } from './forecast-mrr';

// What the sales insights read from a business file, as of a date: plain rows
// for the pure models in src-shared/insights. Read-only SELECTs.

/** At most 10 years of months feed the forecast. */
const MAX_FORECAST_MONTHS = 120;

/**
 * Each complete month before the as-of month: MRR at its last day (the metrics' segments, spec 8) and the
 * counter sales of the month (sale payments less sale refunds) in the business's currency.
 */
export function loadForecastHistory(db: BusinessDb, asOf: string): ForecastMonthInput[] {
  const lastMonth = shiftMonth(asOf.slice(0, 7), -1);
  const first = stmt(
    db.sqlite,
    `SELECT MIN(d) FROM (SELECT MIN(effective_date) AS d FROM subscription_history UNION ALL SELECT MIN(paid_on) FROM sale_payments)`,
  )
    .pluck()
    .get() as string | null;
  if (!first || first.slice(0, 7) > lastMonth) return [];
  const firstMonth = first.slice(0, 7) < shiftMonth(lastMonth, -(MAX_FORECAST_MONTHS - 1)) ? shiftMonth(lastMonth, -(MAX_FORECAST_MONTHS - 1)) : first.slice(0, 7);
  const months = monthRange(firstMonth, lastMonth);
  const mrr = mrrAtDays(db, months.map((m) => monthBounds(m, asOf).endDate));
  const currency = businessCurrency(db);
  const from = `${firstMonth}-01`;
  const before = `${asOf.slice(0, 7)}-01`;
  const sales = new Map<string, number>();
  const add = (rows: { month: string; amount: number }[], sign: number) => {
    for (const r of rows) sales.set(r.month, (sales.get(r.month) ?? 0) + sign * r.amount);
  };
  add(
    stmt(db.sqlite, 'SELECT substr(paid_on, 1, 7) AS month, SUM(amount) AS amount FROM sale_payments WHERE paid_on >= ? AND paid_on < ? AND currency = ? GROUP BY month').all(
      from,
      before,
      currency,
    ) as { month: string; amount: number }[],
    1,
  );
  add(
    stmt(db.sqlite, 'SELECT substr(refunded_on, 1, 7) AS month, SUM(amount) AS amount FROM sale_refunds WHERE refunded_on >= ? AND refunded_on < ? AND currency = ? GROUP BY month').all(
      from,
      before,
      currency,
    ) as { month: string; amount: number }[],
    -1,
  );
  return months.map((month, i) => ({ month, recurring: mrr[i]!, sales: sales.get(month) ?? 0 }));
}

/**
 * The books changed currency when money rows in another currency exist: the month after the last of them
 * is the first one in the business's currency.
 */
export function currencyChange(db: BusinessDb, asOf: string): { month: string; from: string; to: string } | null {
  // insight_currency_rows (kept by triggers, migration 0022) says whether any money row is in another currency:
  // in nearly every book none is, and the scan of every payment and invoice below is not needed.
  const foreign = stmt(db.sqlite, 'SELECT EXISTS (SELECT 1 FROM insight_currency_rows WHERE currency <> ? AND rows > 0)').pluck().get(businessCurrency(db));
  return foreign === 1 ? scanCurrencyChange(db, asOf) : null;
}

/** The same answer read from the money rows themselves (what currencyChange falls back to, and its test compares with). */
export function scanCurrencyChange(db: BusinessDb, asOf: string): { month: string; from: string; to: string } | null {
  const currency = businessCurrency(db);
  const row = stmt(
    db.sqlite,
    `SELECT currency, MAX(d) AS last FROM (
       SELECT currency, paid_on AS d FROM payments WHERE currency <> @currency AND paid_on < @asOf
       UNION ALL SELECT currency, paid_on FROM sale_payments WHERE currency <> @currency AND paid_on < @asOf
       UNION ALL SELECT currency, issue_date FROM invoices WHERE currency <> @currency AND issue_date < @asOf
     ) GROUP BY currency ORDER BY last DESC LIMIT 1`,
  ).get({ currency, asOf }) as { currency: string; last: string } | undefined;
  return row ? { month: shiftMonth(row.last.slice(0, 7), 1), from: row.currency, to: currency } : null;
}

/** The first day the books have any money or sale on. */
export function firstActivity(db: BusinessDb): string | null {
  return stmt(
    db.sqlite,
    // The payments' first day by status (the index is on status, paid_on: one MIN over every status reads it whole),
    // the two statuses there are, and any other (ranges of the index that are empty).
    `SELECT MIN(d) FROM (SELECT MIN(date) AS d FROM metric_revenue UNION ALL SELECT MIN(sold_on) FROM sales
       UNION ALL SELECT MIN(paid_on) FROM payments WHERE status = 'succeeded' UNION ALL SELECT MIN(paid_on) FROM payments WHERE status = 'failed'
       UNION ALL SELECT MIN(paid_on) FROM payments WHERE status < 'failed' OR (status > 'failed' AND status < 'succeeded') OR status > 'succeeded')`,
  )
    .pluck()
    .get() as string | null;
}

/** Each day's figures from the baseline's start (56 days before `from`) to `to`; days with nothing are left out. */
export function loadDayFigures(db: BusinessDb, from: string, to: string): DayFigures[] {
  const start = addDays(from, -BASELINE_DAYS);
  const days = new Map<string, DayFigures>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) days.set(date, (d = { date, revenue: 0, sales: 0, refunds: 0, failedPayments: 0 }));
    return d;
  };
  const rows = (sql: string) => stmt(db.sqlite, sql).all(start, to) as { date: string; value: number }[];
  for (const r of rows('SELECT date, amount AS value FROM metric_revenue WHERE date BETWEEN ? AND ?')) day(r.date).revenue += r.value;
  for (const r of rows('SELECT sold_on AS date, COUNT(*) AS value FROM sales WHERE sold_on BETWEEN ? AND ? GROUP BY sold_on')) day(r.date).sales += r.value;
  for (const r of rows('SELECT refunded_on AS date, SUM(amount) AS value FROM refunds WHERE refunded_on BETWEEN ? AND ? GROUP BY refunded_on')) day(r.date).refunds += r.value;
  for (const r of rows('SELECT refunded_on AS date, SUM(amount) AS value FROM sale_refunds WHERE refunded_on BETWEEN ? AND ? GROUP BY refunded_on')) day(r.date).refunds += r.value;
  for (const r of rows("SELECT paid_on AS date, COUNT(*) AS value FROM payments WHERE status = 'failed' AND paid_on BETWEEN ? AND ? GROUP BY paid_on")) {
    day(r.date).failedPayments += r.value;
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Every counter sale line up to `to`, with what was kept after refunds (quantity, and the amount in proportion). */
export function loadSaleLines(db: BusinessDb, to: string): SaleLineRow[] {
  const rows = stmt(
    db.sqlite,
    // The lines first (every sale has one or more, and nearly all are up to `to`): walking the sales by date and
    // looking up each one's lines costs a lookup for every sale, lines or not.
    `SELECT l.sale_id, s.customer_id, s.sold_on, l.product_id, l.quantity, l.refunded_quantity, l.amount
       FROM sale_lines l CROSS JOIN sales s ON s.id = l.sale_id
      WHERE s.sold_on <= ?`,
  )
    .raw()
    .all(to) as [string, string | null, string, string, number, number, number][];
  const out: SaleLineRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [saleId, customerId, date, productId, sold, refunded, amount] = rows[i]!;
    const quantity = sold - refunded;
    out[i] = { saleId, customerId, date, productId, quantity, revenue: sold > 0 ? Math.round((amount * quantity) / sold) : 0 };
  }
  return out;
}

export function loadProducts(db: BusinessDb): ProductRow[] {
  const rows = stmt(db.sqlite, 'SELECT id, sku, name, stock, low_stock_at AS lowStockAt, archived_at AS archivedAt FROM products').all() as (Omit<ProductRow, 'archived'> & {
    archivedAt: string | null;
  })[];
  return rows.map((r) => ({ id: r.id, sku: r.sku, name: r.name, stock: r.stock, lowStockAt: r.lowStockAt, archived: r.archivedAt !== null }));
}
