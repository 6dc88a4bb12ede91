import { MOVEMENT_KINDS } from '@shared/domain/kinds';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import type { CustomerMovement, MonthBounds } from '../metrics/metrics-service';
import { monthFigures } from '../metrics/month-figures';
import { loadSegments, type Segment } from '../metrics/segments';
import { rangeMonths } from './mrr-movements-report';
import { BATCH, column, rowOf, sumColumns, type Report, type ReportContext, type Row } from './report';

const COLUMNS = [
  column('month', 'Month', 'text'),
  column('customer', 'Customer', 'text'),
  column('movement', 'Movement', 'text'),
  column('mrrAtStart', 'MRR at start', 'money'),
  column('mrrAtEnd', 'MRR at end', 'money'),
  column('change', 'Change', 'money'),
  column('customerId', 'Customer id', 'text'),
];

/**
 * The customers behind each month's movements: one row per customer whose
 * MRR moved, its kind (spec 8), MRR at the month's start and end, and the
 * signed change, so the Change column adds up to the months' net. Rows go by
 * month, then new, reactivation, expansion, contraction, churn, the biggest first.
 * The table reads all months in one pass; the export one month at a time.
 */
export function mrrMovementsByCustomerReport(ctx: ReportContext): Report {
  const months = rangeMonths(ctx.from!, ctx.to!);
  let segments: readonly Segment[] | undefined;
  const history = () => (segments ??= loadSegments(ctx.db));
  let everything: Row[] | undefined;
  const all = () => (everything ??= monthRows(ctx.db, history(), months));
  return {
    columns: COLUMNS,
    page: (offset, limit) => all().slice(offset, offset + limit),
    *batches() {
      for (const month of months) {
        const rows = monthRows(ctx.db, history(), [month]);
        for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
      }
    },
    count: () => all().length,
    totals: () => sumColumns(COLUMNS, all(), ['change']),
  };
}

function monthRows(db: BusinessDb, segments: readonly Segment[], months: MonthBounds[]): Row[] {
  const byMonth = months.map((): CustomerMovement[] => []);
  monthFigures(segments, months, (i, movement) => byMonth[i]!.push(movement));
  const names = customerNames(db, [...new Set(byMonth.flat().map((m) => m.customerId))]);
  const rank = (m: CustomerMovement) => MOVEMENT_KINDS.indexOf(m.kind);
  return byMonth.flatMap((moves, i) =>
    moves
      .map((m) => ({ m, name: names.get(m.customerId) ?? '(deleted)' }))
      .sort((a, b) => rank(a.m) - rank(b.m) || b.m.amount - a.m.amount || a.name.localeCompare(b.name) || a.m.customerId.localeCompare(b.m.customerId))
      .map(({ m, name }) =>
        rowOf(COLUMNS, { month: months[i]!.month, customer: name, movement: m.kind, mrrAtStart: m.start, mrrAtEnd: m.end, change: m.end - m.start, customerId: m.customerId }),
      ),
  );
}

function customerNames(db: BusinessDb, ids: string[]): Map<string, string> {
  const rows = stmt(db.sqlite, 'SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}
