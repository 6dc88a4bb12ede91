import type { PaymentListRow as PaymentListRowDto } from '@shared/contract/billing';
import type { Invoice, Payment } from '@shared/domain/billing';
import { toInvoiceDto as invoiceDto, type InvoiceLineRow } from '@shared/domain/billing-dto';
import { divRound } from '@shared/domain/money';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { SqlWhere } from '../db/sql-filter';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { billingSettings, PlanCache } from './catalog-repo';
import { recoverIfSettled } from './engine';
import { emptyCounters, money } from './invoice-writer';
import type { InvoiceRow } from './rows';
import { getSubscriptionRow } from './subscription-dto';
import type { ActionContext } from './subscriptions-service';

type InvoiceListRow = InvoiceRow & { customer_name: string };

export function toInvoiceDto(db: BusinessDb, row: InvoiceListRow, withLines = true): Invoice {
  const lines = withLines
    ? (stmt(db.sqlite, 'SELECT kind, description, quantity, unit_amount, amount, period_start, period_end FROM invoice_lines WHERE invoice_id = ? ORDER BY position').all(row.id) as InvoiceLineRow[])
    : [];
  return invoiceDto(row, row.customer_name, lines);
}

const INVOICE_SELECT = 'SELECT i.*, c.name AS customer_name FROM invoices i JOIN customers c ON c.id = i.customer_id';

export function getInvoiceRow(db: BusinessDb, idOrNumber: string): InvoiceListRow {
  const row = stmt(db.sqlite, `${INVOICE_SELECT} WHERE i.id = ? OR i.number = upper(?)`).get(idOrNumber, idOrNumber) as InvoiceListRow | undefined;
  if (!row) throw notFound('That invoice', 'id');
  return row;
}

export function invoiceDetail(db: BusinessDb, idOrNumber: string) {
  const row = getInvoiceRow(db, idOrNumber);
  const payments = listPayments(db, { invoiceId: row.id, offset: 0, limit: 500 }).rows;
  const refunds = (
    stmt(db.sqlite, 'SELECT r.* FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.invoice_id = ? ORDER BY r.refunded_on, r.id').all(row.id) as {
      id: string;
      payment_id: string;
      amount: number;
      currency: string;
      refunded_on: string;
      reason: string;
    }[]
  ).map((r) => ({ id: r.id, paymentId: r.payment_id, amount: r.amount, currency: r.currency, refundedOn: r.refunded_on, reason: r.reason }));
  const credited = stmt(db.sqlite, "SELECT coalesce(sum(total), 0) FROM credit_notes WHERE invoice_id = ? AND settlement = 'invoice'").pluck().get(row.id) as number;
  return { ...toInvoiceDto(db, row), payments, refunds, taxRatePpm: taxRateOf(db, row), credited };
}

/** The business's tax rate, if it is the one this invoice's tax was computed at (same rounding as invoice-math). */
function taxRateOf(db: BusinessDb, row: InvoiceRow): number | null {
  if (row.tax === 0) return null;
  const { taxPpm } = billingSettings(db);
  return taxPpm !== 0 && divRound(BigInt(row.subtotal - row.discount) * BigInt(taxPpm), 1_000_000) === row.tax ? taxPpm : null;
}

export function listInvoices(
  db: BusinessDb,
  q: { status?: string | undefined; customerId?: string | undefined; subscriptionId?: string | undefined; from?: string | undefined; to?: string | undefined; search?: string | undefined; offset: number; limit: number },
) {
  const where = new SqlWhere()
    .add('i.status = ?', q.status)
    .add('i.customer_id = ?', q.customerId)
    .add('i.subscription_id = ?', q.subscriptionId)
    .add('i.issue_date >= ?', q.from)
    .add('i.issue_date <= ?', q.to)
    .add('(i.number LIKE ? OR c.name LIKE ?)', ...(q.search ? [`%${q.search}%`, `%${q.search}%`] : [undefined]));
  const clause = where.sql;
  const params = where.params;
  const rows = stmt(db.sqlite, `${INVOICE_SELECT} ${clause} ORDER BY i.issue_date DESC, i.number DESC LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as InvoiceListRow[];
  const total = stmt(db.sqlite, `SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id ${clause}`).pluck().get(...params) as number;
  return { rows: rows.map((r) => toInvoiceDto(db, r)), total };
}

type PaymentListRow = {
  id: string;
  invoice_id: string | null;
  invoice_number: string | null;
  customer_id: string;
  customer_name: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  method: Payment['method'];
  status: Payment['status'];
  paid_on: string;
  attempt: number | null;
  failure_reason: string | null;
  reference: string;
  created_at: string;
};

function toPaymentDto(r: PaymentListRow): Payment {
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    amount: r.amount,
    amountRefunded: r.amount_refunded,
    currency: r.currency,
    method: r.method,
    status: r.status,
    paidOn: r.paid_on,
    attempt: r.attempt,
    failureReason: r.failure_reason,
    reference: r.reference,
    createdAt: r.created_at,
  };
}

const PAYMENT_SELECT =
  'SELECT p.*, i.number AS invoice_number, c.name AS customer_name FROM payments p JOIN customers c ON c.id = p.customer_id LEFT JOIN invoices i ON i.id = p.invoice_id';

/**
 * Payments and refunds, newest first: a refund is its own row (kind
 * 'refund', negative amount, dated when it was made, with the method and
 * invoice of the payment it gives back), so the succeeded rows of any period
 * add up to its revenue. Filters by customer and invoice apply to a refund
 * through its payment; `status: 'failed'` lists no refunds.
 */
export function listPayments(
  db: BusinessDb,
  q: {
    customerId?: string | undefined;
    invoiceId?: string | undefined;
    status?: string | undefined;
    kind?: 'payment' | 'refund' | undefined;
    from?: string | undefined;
    to?: string | undefined;
    offset: number;
    limit: number;
  },
): { rows: PaymentListRowDto[]; total: number } {
  const paymentsWhere = new SqlWhere()
    .add('p.customer_id = ?', q.customerId)
    .add('p.invoice_id = ?', q.invoiceId)
    .add('p.status = ?', q.status)
    .add('p.paid_on >= ?', q.from)
    .add('p.paid_on <= ?', q.to);
  const refundsWhere = new SqlWhere()
    .add('p.customer_id = ?', q.customerId)
    .add('p.invoice_id = ?', q.invoiceId)
    .add('r.refunded_on >= ?', q.from)
    .add('r.refunded_on <= ?', q.to);
  const withPayments = q.kind !== 'refund';
  const withRefunds = q.kind !== 'payment' && q.status !== 'failed';
  const parts: string[] = [];
  const counts: string[] = [];
  const params: unknown[] = [];
  if (withPayments) {
    parts.push(`SELECT 'payment' AS kind, NULL AS refund_of, p.id, p.invoice_id, p.customer_id, p.amount, p.amount_refunded, p.currency, p.method,
         p.status, p.paid_on, p.attempt, p.failure_reason, p.reference, p.created_at
       FROM payments p ${paymentsWhere.sql}`);
    counts.push(`(SELECT count(*) FROM payments p ${paymentsWhere.sql})`);
    params.push(...paymentsWhere.params);
  }
  if (withRefunds) {
    parts.push(`SELECT 'refund' AS kind, r.payment_id AS refund_of, r.id, p.invoice_id, p.customer_id, -r.amount AS amount, 0 AS amount_refunded,
         r.currency, p.method, 'succeeded' AS status, r.refunded_on AS paid_on, NULL AS attempt, NULL AS failure_reason, r.reason AS reference, r.created_at
       FROM refunds r JOIN payments p ON p.id = r.payment_id ${refundsWhere.sql}`);
    counts.push(`(SELECT count(*) FROM refunds r JOIN payments p ON p.id = r.payment_id ${refundsWhere.sql})`);
    params.push(...refundsWhere.params);
  }
  if (parts.length === 0) return { rows: [], total: 0 };
  const rows = stmt(
    db.sqlite,
    `SELECT m.*, i.number AS invoice_number, c.name AS customer_name
       FROM (${parts.join(' UNION ALL ')}) m JOIN customers c ON c.id = m.customer_id LEFT JOIN invoices i ON i.id = m.invoice_id
      ORDER BY m.paid_on DESC, m.created_at DESC, m.id DESC LIMIT ? OFFSET ?`,
  ).all(...params, q.limit, q.offset) as (PaymentListRow & { kind: 'payment' | 'refund'; refund_of: string | null })[];
  const total = stmt(db.sqlite, `SELECT ${counts.join(' + ')}`).pluck().get(...params) as number;
  return { rows: rows.map((r) => ({ ...toPaymentDto(r), kind: r.kind, refundOf: r.refund_of })), total };
}

export function getPayment(db: BusinessDb, id: string): Payment {
  const row = stmt(db.sqlite, `${PAYMENT_SELECT} WHERE p.id = ?`).get(id) as PaymentListRow | undefined;
  if (!row) throw notFound('That payment', 'id');
  return toPaymentDto(row);
}

/** A payment recorded by hand (cash, transfer...); may be partial; the invoice is paid when nothing is due. */
export function recordPayment(a: ActionContext, input: { id: string; amount: number; method: Payment['method']; on: string; reference: string }): string {
  const { db } = a;
  const inv = getInvoiceRow(db, input.id);
  if (inv.status !== 'open' && inv.status !== 'uncollectible') throw conflict(`This invoice is ${inv.status}; there is nothing to pay`, 'id');
  if (input.on < inv.issue_date) throw validation('on', `The payment date cannot be before the invoice date, ${inv.issue_date}`);
  const settings = billingSettings(db);
  if (input.amount > inv.amount_due) throw validation('amount', `That is more than is due (${money(inv.amount_due, settings)})`);
  const paymentId = newId();
  stmt(
    db.sqlite,
    `INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, reference, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'succeeded', ?, ?, ?, ?)`,
  ).run(paymentId, inv.id, inv.customer_id, input.amount, inv.currency, input.method, input.on, input.reference, a.userId, a.at);
  const settled = input.amount === inv.amount_due;
  stmt(
    db.sqlite,
    `UPDATE invoices SET amount_paid = amount_paid + ?, amount_due = amount_due - ?, status = CASE WHEN ? THEN 'paid' ELSE status END,
       paid_on = CASE WHEN ? THEN ? ELSE paid_on END, next_retry_on = CASE WHEN ? THEN NULL ELSE next_retry_on END, updated_at = ? WHERE id = ?`,
  ).run(input.amount, input.amount, settled ? 1 : 0, settled ? 1 : 0, input.on, settled ? 1 : 0, a.at, inv.id);
  recordCustomerEvent(
    db,
    {
      customerId: inv.customer_id,
      kind: 'system',
      subtype: 'paid',
      title: `${settled ? 'Paid' : 'Part payment on'} ${inv.number} (${input.method.replace('_', ' ')})`,
      body: money(input.amount, settings),
      occurredAt: `${input.on}T00:00:00.000Z`,
      userId: a.userId,
      refType: 'payment',
      refId: paymentId,
    },
    a.at,
  );
  if (settled && inv.subscription_id) {
    recoverIfSettled({ db, settings, at: a.at, userId: a.userId, counters: emptyCounters() }, new PlanCache(db), getSubscriptionRow(db, inv.subscription_id), input.on);
  }
  return paymentId;
}

export function refundPayment(a: ActionContext, input: { id: string; amount?: number | undefined; on: string; reason: string }): string {
  const { db } = a;
  const payment = getPayment(db, input.id);
  if (payment.status !== 'succeeded') throw conflict('Only a successful payment can be refunded', 'id');
  const refundable = payment.amount - payment.amountRefunded;
  if (refundable <= 0) throw conflict('This payment has been refunded in full already', 'id');
  const amount = input.amount ?? refundable;
  const settings = billingSettings(db);
  if (amount > refundable) throw validation('amount', `At most ${money(refundable, settings)} can be refunded`);
  if (input.on < payment.paidOn) throw validation('on', `The refund date cannot be before the payment, ${payment.paidOn}`);
  const id = newId();
  stmt(db.sqlite, 'INSERT INTO refunds (id, payment_id, amount, currency, refunded_on, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, payment.id, amount, payment.currency, input.on, input.reason, a.userId, a.at,
  );
  stmt(db.sqlite, 'UPDATE payments SET amount_refunded = amount_refunded + ? WHERE id = ?').run(amount, payment.id);
  recordCustomerEvent(
    db,
    {
      customerId: payment.customerId,
      kind: 'system',
      subtype: 'refunded',
      title: `Refunded ${money(amount, settings)}${payment.invoiceNumber ? ` of ${payment.invoiceNumber}` : ''}`,
      body: input.reason,
      occurredAt: `${input.on}T00:00:00.000Z`,
      userId: a.userId,
      refType: 'refund',
      refId: id,
    },
    a.at,
  );
  return id;
}

export function voidInvoice(a: ActionContext, input: { id: string; on: string }): void {
  const { db } = a;
  const inv = getInvoiceRow(db, input.id);
  if (inv.status !== 'open' && inv.status !== 'uncollectible') throw conflict(`Only an unpaid invoice can be voided; this one is ${inv.status}`, 'id');
  if (inv.amount_paid > 0) throw conflict('This invoice has payments on it; refund them before voiding', 'id');
  if (stmt(db.sqlite, 'SELECT 1 FROM credit_notes WHERE invoice_id = ? LIMIT 1').get(inv.id)) {
    throw conflict('This invoice has credit notes; credit what is left with another one instead of voiding it', 'id');
  }
  stmt(db.sqlite, "UPDATE invoices SET status = 'void', voided_on = ?, amount_due = 0, next_retry_on = NULL, updated_at = ? WHERE id = ?").run(input.on, a.at, inv.id);
  if (inv.credit_applied > 0) {
    // The credit the invoice used goes back to the customer.
    stmt(db.sqlite, 'UPDATE customers SET credit_balance = credit_balance + ? WHERE id = ?').run(inv.credit_applied, inv.customer_id);
    stmt(
      db.sqlite,
      `INSERT INTO credit_transactions (id, customer_id, amount, reason, invoice_id, subscription_id, occurred_on, created_at) VALUES (?, ?, ?, 'manual', ?, ?, ?, ?)`,
    ).run(newId(), inv.customer_id, inv.credit_applied, inv.id, inv.subscription_id, input.on, a.at);
  }
  recordCustomerEvent(
    db,
    { customerId: inv.customer_id, kind: 'system', subtype: 'voided', title: `Invoice ${inv.number} voided`, occurredAt: `${input.on}T00:00:00.000Z`, userId: a.userId, refType: 'invoice', refId: inv.id },
    a.at,
  );
  if (inv.subscription_id) {
    const settings = billingSettings(db);
    recoverIfSettled({ db, settings, at: a.at, userId: a.userId, counters: emptyCounters() }, new PlanCache(db), getSubscriptionRow(db, inv.subscription_id), input.on);
  }
}
