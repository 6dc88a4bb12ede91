import { dateBounds, keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

const FIELDS = [
  field('number', 'Number', 'text', 'i.number'),
  field('customer', 'Customer', 'text', 'c.name'),
  field('status', 'Status', 'text', 'i.status'),
  field('issueDate', 'Issued', 'date', 'i.issue_date'),
  field('dueDate', 'Due date', 'date', 'i.due_date'),
  field('periodFrom', 'Period from', 'date', 'i.period_start'),
  // Periods are stored half-open, [start, end): people read the last day they cover.
  field('periodTo', 'Period to', 'date', "date(i.period_end, '-1 day')"),
  field('subtotal', 'Subtotal', 'money', 'i.subtotal'),
  field('discount', 'Discount', 'money', 'i.discount'),
  field('tax', 'Tax', 'money', 'i.tax'),
  field('total', 'Total', 'money', 'i.total'),
  field('creditApplied', 'Credit applied', 'money', 'i.credit_applied'),
  field('amountPaid', 'Paid', 'money', 'i.amount_paid'),
  field('amountDue', 'Amount due', 'money', 'i.amount_due'),
  field('paidOn', 'Paid on', 'date', 'i.paid_on'),
  field('invoiceId', 'Invoice id', 'text', 'i.id'),
  field('customerId', 'Customer id', 'text', 'i.customer_id'),
];
const ISSUED = 3;
const ROWID = FIELDS.length;

const RANGE = 'i.issue_date BETWEEN @from AND @to';

/** Every invoice issued in the range, in issue order (the issue_date index, then rowid: the order they were written). */
export function invoicesReport(ctx: ReportContext): Report {
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['i.rowid'],
    pageSql: (select) => `
      SELECT ${select} FROM invoices i INDEXED BY invoices_issue_date CROSS JOIN customers c ON c.id = i.customer_id
       WHERE ${RANGE} AND (i.issue_date, i.rowid) > (@afterDate, @afterRowid)
       ORDER BY i.issue_date, i.rowid LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM invoices i WHERE ${RANGE}`,
    totalsSql: `
      SELECT coalesce(sum(subtotal), 0) AS subtotal, coalesce(sum(discount), 0) AS discount, coalesce(sum(tax), 0) AS tax,
             coalesce(sum(total), 0) AS total, coalesce(sum(credit_applied), 0) AS creditApplied,
             coalesce(sum(amount_paid), 0) AS amountPaid, coalesce(sum(amount_due), 0) AS amountDue
        FROM invoices i WHERE ${RANGE}`,
    params: dateBounds(ctx.from, ctx.to),
    start: { afterDate: '', afterRowid: 0 },
    keyOf: (row) => ({ afterDate: row[ISSUED]!, afterRowid: row[ROWID]! }),
  });
}
