import { dateBounds, keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

// "One-off sales": what was sold outside subscriptions in the range: counter
// sales (on their day) and one-off invoices (kind manual, or sale when no
// counter sale points at the invoice: a sale invoiced for a business customer
// is listed once, as the sale, with its invoice number). Subscription and
// change invoices are the other reports'.

const FIELDS = [
  field('number', 'Number', 'text', 'u.number'),
  field('soldOn', 'Sold on', 'date', 'u.date'),
  field('customer', 'Customer', 'text', 'u.customer'),
  field('items', 'Items', 'number', 'u.items'),
  field('subtotal', 'Subtotal', 'money', 'u.subtotal'),
  field('tax', 'Tax', 'money', 'u.tax'),
  field('total', 'Total', 'money', 'u.total'),
  field('discount', 'Discount', 'money', 'u.discount'),
  // Added with the counter (issue 14): after the first columns, so scripts reading those keep working.
  field('method', 'Method', 'text', 'u.method'),
  field('tendered', 'Tendered', 'money', 'u.tendered'),
  field('change', 'Change', 'money', 'u.change_given'),
  field('refunded', 'Refunded', 'money', 'u.refunded'),
  field('status', 'Status', 'text', 'u.status'),
  field('source', 'Source', 'text', 'u.source'),
  field('invoice', 'Invoice', 'text', 'u.invoice'),
  field('saleId', 'Sale id', 'text', 'u.sale_id'),
  field('invoiceId', 'Invoice id', 'text', 'u.invoice_id'),
  field('customerId', 'Customer id', 'text', 'u.customer_id'),
];
const DATE = 1;
const SRC = FIELDS.length;
const ROWID = FIELDS.length + 1;

const ONE_OFF = `i.kind = 'manual' OR (i.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s2 WHERE s2.invoice_id = i.id))`;
const CHARGE_KINDS = `('recurring', 'setup_fee', 'proration', 'product', 'manual')`;

/** Both sources in (date, source, rowid) order; `after` adds the keyset condition to each arm. */
function union(after: boolean): string {
  return `
    SELECT 'Counter sale' AS source, s.number, s.sold_on AS date, c.name AS customer, (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) AS items,
           s.subtotal, s.discount, s.tax, s.total, s.method, s.tendered, s.change_given, s.refunded, s.status, i.number AS invoice, s.id AS sale_id, s.invoice_id, s.customer_id, 0 AS src, s.rowid AS rid
      FROM sales s INDEXED BY sales_date LEFT JOIN customers c ON c.id = s.customer_id LEFT JOIN invoices i ON i.id = s.invoice_id
     WHERE s.sold_on BETWEEN @from AND @to${after ? ' AND (s.sold_on, 0, s.rowid) > (@afterDate, @afterSrc, @afterRowid)' : ''}
    UNION ALL
    SELECT 'Invoice', i.number, i.issue_date, c.name, (SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id AND l.kind IN ${CHARGE_KINDS}),
           i.subtotal, i.discount, i.tax, i.total, NULL, NULL, 0, 0, i.status, i.number, NULL, i.id, i.customer_id, 1, i.rowid
      FROM invoices i INDEXED BY invoices_issue_date JOIN customers c ON c.id = i.customer_id
     WHERE i.issue_date BETWEEN @from AND @to AND (${ONE_OFF}) AND i.status <> 'void'${after ? ' AND (i.issue_date, 1, i.rowid) > (@afterDate, @afterSrc, @afterRowid)' : ''}`;
}

/** Counter sales and one-off invoices (not voided) dated in the range, in date order. */
export function salesReport(ctx: ReportContext): Report {
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['u.src', 'u.rid'],
    pageSql: (select) => `SELECT ${select} FROM (${union(true)}) u ORDER BY u.date, u.src, u.rid LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM (${union(false)})`,
    totalsSql: `SELECT coalesce(sum(items), 0) AS items, coalesce(sum(subtotal), 0) AS subtotal, coalesce(sum(discount), 0) AS discount,
                       coalesce(sum(tax), 0) AS tax, coalesce(sum(total), 0) AS total, coalesce(sum(refunded), 0) AS refunded FROM (${union(false)})`,
    params: dateBounds(ctx.from, ctx.to),
    start: { afterDate: '', afterSrc: 0, afterRowid: 0 },
    keyOf: (row) => ({ afterDate: row[DATE]!, afterSrc: row[SRC]!, afterRowid: row[ROWID]! }),
  });
}
