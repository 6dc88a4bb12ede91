import { stmt } from '../db/statements';
import { monthsOf } from './range';
import { column, rowOf, rowsReport, sumColumns, type Report, type ReportContext } from './report';

const COLUMNS = [
  column('month', 'Month', 'text'),
  column('from', 'From', 'date'),
  column('to', 'To', 'date'),
  column('payments', 'Payments', 'money'),
  column('refunds', 'Refunds', 'money'),
  column('net', 'Net revenue', 'money'),
];

/**
 * Revenue by month (spec 8): succeeded payments dated in the month less
 * refunds dated in it. The first and last months count only their days in the
 * range, so the net of a whole month equals the dashboard's revenue for it.
 * Two grouped queries on the date indexes, whatever the number of months.
 */
export function revenueReport(ctx: ReportContext): Report {
  const from = ctx.from!;
  const to = ctx.to!;
  return rowsReport(
    COLUMNS,
    () => {
      const byMonth = (sql: string) => new Map((stmt(ctx.db.sqlite, sql).all({ from, to }) as { month: string; amount: number }[]).map((r) => [r.month, r.amount]));
      const paid = byMonth("SELECT substr(paid_on, 1, 7) AS month, sum(amount) AS amount FROM payments WHERE status = 'succeeded' AND paid_on BETWEEN @from AND @to GROUP BY month");
      const refunded = byMonth('SELECT substr(refunded_on, 1, 7) AS month, sum(amount) AS amount FROM refunds WHERE refunded_on BETWEEN @from AND @to GROUP BY month');
      return monthsOf(from, to).map((m) => {
        const payments = paid.get(m.month) ?? 0;
        const refunds = refunded.get(m.month) ?? 0;
        return rowOf(COLUMNS, { month: m.month, from: m.first, to: m.last, payments, refunds, net: payments - refunds });
      });
    },
    (rows) => sumColumns(COLUMNS, rows, ['payments', 'refunds', 'net']),
  );
}
