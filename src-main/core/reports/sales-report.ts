import { dateBounds, keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

const FIELDS = [
  field('number', 'Number', 'text', 's.number'),
  field('soldOn', 'Sold on', 'date', 's.sold_on'),
  field('customer', 'Customer', 'text', 'c.name'),
  field('items', 'Items', 'number', '(SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id)'),
  field('subtotal', 'Subtotal', 'money', 's.subtotal'),
  field('tax', 'Tax', 'money', 's.tax'),
  field('total', 'Total', 'money', 's.total'),
  // Added with the counter (issue 14): after the first columns, so scripts reading those keep working.
  field('discount', 'Discount', 'money', 's.discount'),
  field('method', 'Method', 'text', 's.method'),
  field('tendered', 'Tendered', 'money', 's.tendered'),
  field('change', 'Change', 'money', 's.change_given'),
  field('refunded', 'Refunded', 'money', 's.refunded'),
  field('status', 'Status', 'text', 's.status'),
  field('invoice', 'Invoice', 'text', 'i.number'),
  field('saleId', 'Sale id', 'text', 's.id'),
];
const SOLD = 1;
const ROWID = FIELDS.length;

const RANGE = 's.sold_on BETWEEN @from AND @to';

/** Counter sales dated in the range, in date order (`sales.create` records them). */
export function salesReport(ctx: ReportContext): Report {
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['s.rowid'],
    pageSql: (select) => `
      SELECT ${select} FROM sales s INDEXED BY sales_date LEFT JOIN customers c ON c.id = s.customer_id LEFT JOIN invoices i ON i.id = s.invoice_id
       WHERE ${RANGE} AND (s.sold_on, s.rowid) > (@afterDate, @afterRowid)
       ORDER BY s.sold_on, s.rowid LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM sales s WHERE ${RANGE}`,
    totalsSql: `
      SELECT (SELECT count(*) FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE ${RANGE}) AS items,
             coalesce(sum(subtotal), 0) AS subtotal, coalesce(sum(tax), 0) AS tax, coalesce(sum(total), 0) AS total,
             coalesce(sum(discount), 0) AS discount, coalesce(sum(refunded), 0) AS refunded
        FROM sales s WHERE ${RANGE}`,
    params: dateBounds(ctx.from, ctx.to),
    start: { afterDate: '', afterRowid: 0 },
    keyOf: (row) => ({ afterDate: row[SOLD]!, afterRowid: row[ROWID]! }),
  });
}
