import { daysBetween } from '@shared/domain/dates';
import { keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

// Open at the end of @d, exactly as metrics' arAging reads it: issued by then and not yet paid, voided or written off.
const OPEN_THEN = `
  i.issue_date <= @d AND i.total > 0 AND i.status <> 'draft'
  AND (i.paid_on IS NULL OR i.paid_on > @d) AND (i.voided_on IS NULL OR i.voided_on > @d)
  AND (i.uncollectible_on IS NULL OR i.uncollectible_on > @d)`;
const OWED_THEN = `i.total - i.credit_applied - coalesce((
  SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'succeeded' AND p.paid_on <= @d), 0)`;

const BUCKETS = [
  field('current', 'Current', 'money'),
  field('d1to30', '1-30 days', 'money'),
  field('d31to60', '31-60 days', 'money'),
  field('d61to90', '61-90 days', 'money'),
  field('over90', 'Over 90 days', 'money'),
];
const BUCKET_SQL = ['late <= 0', 'late BETWEEN 1 AND 30', 'late BETWEEN 31 AND 60', 'late BETWEEN 61 AND 90', 'late > 90'];

const FIELDS = [
  field('number', 'Invoice', 'text', 'i.number'),
  field('customer', 'Customer', 'text', 'c.name'),
  field('issueDate', 'Issued', 'date', 'i.issue_date'),
  field('dueDate', 'Due date', 'date', 'i.due_date'),
  field('daysLate', 'Days past due', 'number'),
  ...BUCKETS,
  field('amountDue', 'Amount due', 'money', OWED_THEN),
  field('invoiceId', 'Invoice id', 'text', 'i.id'),
  field('customerId', 'Customer id', 'text', 'i.customer_id'),
];
const [ISSUED, DUE_DATE, DAYS_LATE, FIRST_BUCKET] = [2, 3, 4, 5];
const AMOUNT_DUE = FIRST_BUCKET + BUCKETS.length;
const ROWID = FIELDS.length;

/**
 * Accounts receivable as of the range's end (spec 8): each invoice that was
 * open then with what was still owed, in its bucket's column, by issue date;
 * the totals are the dashboard's aging for that day.
 */
export function arAgingReport(ctx: ReportContext): Report {
  const asOf = ctx.to!;
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['i.rowid'],
    pageSql: (select) => `
      SELECT ${select} FROM invoices i INDEXED BY invoices_issue_date CROSS JOIN customers c ON c.id = i.customer_id
       WHERE ${OPEN_THEN} AND ${OWED_THEN} > 0 AND (i.issue_date, i.rowid) > (@afterDate, @afterRowid)
       ORDER BY i.issue_date, i.rowid LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM invoices i WHERE ${OPEN_THEN} AND ${OWED_THEN} > 0`,
    totalsSql: `
      SELECT ${BUCKETS.map((b, i) => `coalesce(sum(CASE WHEN ${BUCKET_SQL[i]} THEN owed END), 0) AS ${b.key}`).join(', ')}, coalesce(sum(owed), 0) AS amountDue
        FROM (SELECT CAST(julianday(@d) - julianday(due_date) AS INTEGER) AS late, ${OWED_THEN} AS owed FROM invoices i WHERE ${OPEN_THEN})
       WHERE owed > 0`,
    params: { d: asOf },
    start: { afterDate: '', afterRowid: 0 },
    keyOf: (row) => ({ afterDate: row[ISSUED]!, afterRowid: row[ROWID]! }),
    finish(rows) {
      for (const row of rows) {
        const late = daysBetween(String(row[DUE_DATE]), asOf);
        row[DAYS_LATE] = late;
        row[FIRST_BUCKET + bucketOf(late)] = row[AMOUNT_DUE]!;
      }
      return rows;
    },
  });
}

/** 0: current (not yet late), 1: 1-30 days, 2: 31-60, 3: 61-90, 4: over 90. */
function bucketOf(daysLate: number): number {
  if (daysLate <= 0) return 0;
  return daysLate <= 30 ? 1 : daysLate <= 60 ? 2 : daysLate <= 90 ? 3 : 4;
}
