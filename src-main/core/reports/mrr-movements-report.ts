import { percentWith2Decimals } from '@shared/domain/metrics-math';
import { addDays } from '@shared/domain/dates';
import type { MonthBounds } from '../metrics/metrics-service';
import { monthFigures } from '../metrics/month-figures';
import { loadSegments } from '../metrics/segments';
import { monthsOf } from './range';
import { column, indexOf, rowOf, rowsReport, sumColumns, type Report, type ReportContext } from './report';

const COLUMNS = [
  column('month', 'Month', 'text'),
  column('mrrAtStart', 'MRR at start', 'money'),
  column('new', 'New', 'money'),
  column('reactivation', 'Reactivation', 'money'),
  column('expansion', 'Expansion', 'money'),
  column('contraction', 'Contraction', 'money'),
  column('churn', 'Churn', 'money'),
  column('net', 'Net change', 'money'),
  column('mrrAtEnd', 'MRR at end', 'money'),
  column('payingAtStart', 'Paying customers at start', 'number'),
  column('churnedCustomers', 'Churned customers', 'number'),
  column('churnRate', 'Customer churn rate', 'percent'),
];

/**
 * The months of a range as spec 8 measures them: from the end of the day
 * before the month (or the range) starts to the end of its last day (or the
 * range's end). A whole month ending on D gives what metrics.summary gives as of D.
 */
export function rangeMonths(from: string, to: string): MonthBounds[] {
  return monthsOf(from, to).map((m) => ({ month: m.month, startDate: addDays(m.first, -1), endDate: m.last }));
}

/** MRR movements by month: MRR at start, each movement, MRR at end; the totals chain the first start to the last end. */
export function mrrMovementsReport(ctx: ReportContext): Report {
  return rowsReport(
    COLUMNS,
    () =>
      monthFigures(loadSegments(ctx.db), rangeMonths(ctx.from!, ctx.to!)).map((f) =>
        rowOf(COLUMNS, {
          month: f.bounds.month,
          mrrAtStart: f.mrrAtStart,
          ...f.movements,
          mrrAtEnd: f.mrrAtEnd,
          payingAtStart: f.payingAtStart,
          churnedCustomers: f.churned,
          churnRate: percentWith2Decimals(f.churned, f.payingAtStart),
        }),
      ),
    (rows) =>
      rows.length === 0
        ? null
        : {
            ...sumColumns(COLUMNS, rows, ['new', 'reactivation', 'expansion', 'contraction', 'churn', 'net', 'churnedCustomers']),
            mrrAtStart: rows[0]![indexOf(COLUMNS, 'mrrAtStart')]!,
            mrrAtEnd: rows.at(-1)![indexOf(COLUMNS, 'mrrAtEnd')]!,
          },
  );
}
