import { addDays, startOfDayInstant } from '@shared/domain/dates';
import { keysetReport } from './keyset-report';
import { field, type Report, type ReportContext } from './report';

// What each customer has brought in (succeeded payments less what was refunded), owes (open invoices) and runs now.
const ACTIVE = "SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.status IN ('active', 'past_due')";
const PAID = "SELECT coalesce(sum(p.amount - p.amount_refunded), 0) FROM payments p WHERE p.customer_id = c.id AND p.status = 'succeeded'";
const DUE = "SELECT coalesce(sum(i.amount_due), 0) FROM invoices i WHERE i.customer_id = c.id AND i.status = 'open'";

const FIELDS = [
  field('name', 'Name', 'text', 'c.name'),
  field('email', 'Email', 'text', 'c.email'),
  field('company', 'Company', 'text', 'c.company'),
  field('segment', 'Segment', 'text', 'c.segment'),
  field('status', 'Status', 'text', 'c.status'),
  field('paymentMethod', 'Payment method', 'text', 'c.payment_method'),
  field('created', 'Created', 'date'),
  field('activeSubscriptions', 'Active subscriptions', 'number', `(${ACTIVE})`),
  field('paid', 'Paid to date', 'money', `(${PAID})`),
  field('due', 'Amount due', 'money', `(${DUE})`),
  field('credit', 'Credit balance', 'money', 'c.credit_balance'),
  field('customerId', 'Customer id', 'text', 'c.id'),
];
const CREATED = 6;
const CREATED_AT = FIELDS.length;
const SEQ = FIELDS.length + 1;

const RANGE = 'c.created_at >= @fromAt AND c.created_at < @toAt';
const RANGE_TOTALS = `
  SELECT coalesce(sum((${ACTIVE})), 0) AS activeSubscriptions, coalesce(sum((${PAID})), 0) AS paid,
         coalesce(sum((${DUE})), 0) AS due, coalesce(sum(c.credit_balance), 0) AS credit
    FROM customers c WHERE ${RANGE}`;
// Every customer: the same sums straight from each table (every subscription, payment and invoice has a customer),
// one pass each instead of three lookups per customer.
const ALL_TOTALS = `
  SELECT (SELECT count(*) FROM subscriptions WHERE status IN ('active', 'past_due')) AS activeSubscriptions,
         (SELECT coalesce(sum(amount - amount_refunded), 0) FROM payments WHERE status = 'succeeded') AS paid,
         (SELECT coalesce(sum(amount_due), 0) FROM invoices WHERE status = 'open') AS due,
         (SELECT coalesce(sum(credit_balance), 0) FROM customers) AS credit`;

/**
 * Customers created in the range (days in the business's time zone), oldest
 * first along the created_at index, with what they have paid, owe and run today.
 */
export function customersReport(ctx: ReportContext): Report {
  const instant = (date: string) => startOfDayInstant(date, ctx.timezone).toISOString();
  const localDate = zoneDate(ctx.timezone);
  return keysetReport(ctx.db, {
    fields: FIELDS,
    helpers: ['c.created_at', 'c.seq'],
    pageSql: (select) => `
      SELECT ${select} FROM customers c INDEXED BY customers_created
       WHERE ${RANGE} AND (c.created_at, c.seq) > (@afterCreated, @afterSeq)
       ORDER BY c.created_at, c.seq LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) FROM customers c WHERE ${RANGE}`,
    totalsSql: ctx.from === null && ctx.to === null ? ALL_TOTALS : RANGE_TOTALS,
    params: { fromAt: ctx.from ? instant(ctx.from) : '', toAt: ctx.to ? instant(addDays(ctx.to, 1)) : '9999' },
    start: { afterCreated: '', afterSeq: 0 },
    keyOf: (row) => ({ afterCreated: row[CREATED_AT]!, afterSeq: row[SEQ]! }),
    finish(rows) {
      for (const row of rows) row[CREATED] = localDate(String(row[CREATED_AT]));
      return rows;
    },
  });
}

/** An instant's calendar date in a time zone, with one formatter for the whole report (building one costs more than using it). */
function zoneDate(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (iso) => {
    const parts = format.formatToParts(new Date(iso));
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
}
