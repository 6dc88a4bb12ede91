import { dateBounds, keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

// The two halves of the query list the same values; the refunds' are spelled out in the second SELECT below.
const FIELDS = [
  field('date', 'Date', 'date', 'p.paid_on'),
  field('type', 'Type', 'text', "'payment'"),
  field('customer', 'Customer', 'text', 'c.name'),
  field('invoice', 'Invoice', 'text', 'i.number'),
  field('method', 'Method', 'text', 'p.method'),
  field('note', 'Reference or reason', 'text', 'p.reference'),
  field('amount', 'Amount', 'money', 'p.amount'),
  field('id', 'Id', 'text', 'p.id'),
  field('refundOf', 'Refund of payment', 'text', 'NULL'),
  field('customerId', 'Customer id', 'text', 'p.customer_id'),
];
const DATE = 0;
const ROWID = FIELDS.length;

const PAYMENTS = "p.status = 'succeeded' AND p.paid_on BETWEEN @from AND @to";
const REFUNDS = 'r.refunded_on BETWEEN @from AND @to';

/**
 * The money that moved in the range: each succeeded payment (positive) and
 * each refund (negative, its own row, dated when it was refunded, as spec 5
 * records them), so the Amount column adds up to the revenue of the range.
 * Failed card attempts moved nothing and are left out (the invoices report
 * shows what is still due). Two index walks merged by (date, rowid, type).
 */
export function paymentsReport(ctx: ReportContext): Report {
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['p.rowid AS _k', '0 AS _t'],
    pageSql: (select) => `
      SELECT ${select}
        FROM payments p INDEXED BY payments_status_date CROSS JOIN customers c ON c.id = p.customer_id LEFT JOIN invoices i ON i.id = p.invoice_id
       WHERE ${PAYMENTS} AND (p.paid_on, p.rowid, 0) > (@afterDate, @afterRowid, @afterType)
      UNION ALL
      SELECT r.refunded_on, 'refund', c.name, i.number, p.method, r.reason, -r.amount, r.id, p.id, p.customer_id, r.rowid, 1
        FROM refunds r INDEXED BY refunds_date CROSS JOIN payments p ON p.id = r.payment_id CROSS JOIN customers c ON c.id = p.customer_id
             LEFT JOIN invoices i ON i.id = p.invoice_id
       WHERE ${REFUNDS} AND (r.refunded_on, r.rowid, 1) > (@afterDate, @afterRowid, @afterType)
       ORDER BY 1, _k, _t LIMIT @limit OFFSET @offset`,
    countSql: `SELECT (SELECT count(*) FROM payments p WHERE ${PAYMENTS}) + (SELECT count(*) FROM refunds r WHERE ${REFUNDS})`,
    totalsSql: `
      SELECT coalesce((SELECT sum(p.amount) FROM payments p WHERE ${PAYMENTS}), 0)
           - coalesce((SELECT sum(r.amount) FROM refunds r WHERE ${REFUNDS}), 0) AS amount`,
    params: dateBounds(ctx.from, ctx.to),
    start: { afterDate: '', afterRowid: 0, afterType: 0 },
    keyOf: (row) => ({ afterDate: row[DATE]!, afterRowid: row[ROWID]!, afterType: row[ROWID + 1]! }),
  });
}
