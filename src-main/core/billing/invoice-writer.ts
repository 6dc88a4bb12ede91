import { addDays } from '../../../src-shared/domain/dates';
import { computeInvoice, type CouponTerms, type DraftLine, type InvoiceTotals } from '../../../src-shared/domain/invoice-math';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { newId } from '../ids';
import { formatMoney, type CurrencyCode } from '../../../src-shared/domain/money';
import type { BillingSettings, InvoiceRow } from './rows';

// Writes invoices and collects them: used by the billing run, by changes that
// invoice at once, and by manual actions. Every amount is an integer.

export interface Counters {
  invoicesIssued: number;
  paymentsSucceeded: number;
  paymentsFailed: number;
  subscriptionsCanceled: number;
}

export function emptyCounters(): Counters {
  return { invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 0 };
}

export interface NewInvoice {
  customerId: string;
  subscriptionId: string | null;
  kind: InvoiceRow['kind'];
  /** For a subscription period: its start, unique per subscription. */
  periodKey: string | null;
  issueDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  charges: DraftLine[];
  coupon: CouponTerms | null;
}

export interface WriteContext {
  db: BusinessDb;
  settings: BillingSettings;
  at: string;
  userId: string | null;
  counters: Counters;
}

function nextNumber(db: BusinessDb, prefix: string): string {
  const n = stmt(db.sqlite, 'UPDATE business SET next_invoice_number = next_invoice_number + 1 RETURNING next_invoice_number - 1 AS n')
    .pluck()
    .get() as number;
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

export function money(amount: number, settings: BillingSettings): string {
  return formatMoney(amount, settings.currency as CurrencyCode);
}

/**
 * Issues one invoice: number, lines, discount, tax, the customer's credit
 * balance, and the due date (the issue date when collected automatically, net
 * terms for customers paying by hand). Nothing to collect: paid at once.
 */
export function issueInvoice(ctx: WriteContext, inv: NewInvoice): { id: string; number: string; totals: InvoiceTotals; status: InvoiceRow['status']; paymentMethod: string } {
  const { db, settings } = ctx;
  const customer = stmt(db.sqlite, 'SELECT credit_balance, payment_method FROM customers WHERE id = ?').get(inv.customerId) as {
    credit_balance: number;
    payment_method: 'card' | 'card_declining' | 'manual';
  };
  const totals = computeInvoice({ charges: inv.charges, coupon: inv.coupon, taxPpm: settings.taxPpm, creditBalance: customer.credit_balance });
  const id = newId();
  const number = nextNumber(db, settings.invoicePrefix);
  const dueDate = customer.payment_method === 'manual' ? addDays(inv.issueDate, settings.netTermsDays) : inv.issueDate;
  const paidAtOnce = totals.amountDue === 0;
  const status: InvoiceRow['status'] = paidAtOnce ? 'paid' : 'open';
  stmt(
    db.sqlite,
    `INSERT INTO invoices (id, number, customer_id, subscription_id, kind, period_key, status, issue_date, due_date, period_start,
       period_end, currency, subtotal, discount, tax, total, credit_applied, amount_paid, amount_due, paid_on, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  ).run(
    id, number, inv.customerId, inv.subscriptionId, inv.kind, inv.periodKey, status, inv.issueDate, dueDate, inv.periodStart,
    inv.periodEnd, settings.currency, totals.subtotal, totals.discount, totals.tax, totals.total, totals.creditApplied,
    totals.amountDue, paidAtOnce ? inv.issueDate : null, ctx.at, ctx.at,
  );
  const insertLine = stmt(
    db.sqlite,
    `INSERT INTO invoice_lines (id, invoice_id, position, kind, description, quantity, unit_amount, amount, period_start, period_end)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  totals.lines.forEach((l, i) =>
    insertLine.run(newId(), id, i, l.kind, l.description, l.quantity, l.unitAmount, l.amount, l.periodStart, l.periodEnd),
  );
  const credit = totals.creditGained - totals.creditApplied;
  if (credit !== 0) {
    stmt(db.sqlite, 'UPDATE customers SET credit_balance = credit_balance + ? WHERE id = ?').run(credit, inv.customerId);
    stmt(
      db.sqlite,
      `INSERT INTO credit_transactions (id, customer_id, amount, reason, invoice_id, subscription_id, occurred_on, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), inv.customerId, credit, credit > 0 ? 'negative_invoice' : 'applied', id, inv.subscriptionId, inv.issueDate, ctx.at);
  }
  recordCustomerEvent(
    db,
    {
      customerId: inv.customerId,
      kind: 'system',
      subtype: 'invoiced',
      title: `Invoice ${number} issued`,
      body: `${money(totals.total, settings)}${paidAtOnce ? ', nothing to collect' : ''}`,
      occurredAt: `${inv.issueDate}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'invoice',
      refId: id,
    },
    ctx.at,
  );
  ctx.counters.invoicesIssued++;
  return { id, number, totals, status, paymentMethod: customer.payment_method };
}

/**
 * One automatic collection attempt on `date` with the customer's payment
 * method as it is now: card succeeds, card_declining fails, manual makes no
 * attempt. Returns the outcome (null when no attempt was made).
 */
export function attemptCollection(ctx: WriteContext, invoiceId: string, date: string): 'succeeded' | 'failed' | null {
  const { db } = ctx;
  const inv = stmt(
    db.sqlite,
    `SELECT i.id, i.number, i.customer_id, i.amount_due, i.attempt_count, c.payment_method
       FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?`,
  ).get(invoiceId) as { id: string; number: string; customer_id: string; amount_due: number; attempt_count: number; payment_method: string };
  if (inv.payment_method === 'manual' || inv.amount_due <= 0) return null;
  const attempt = inv.attempt_count + 1;
  const ok = inv.payment_method === 'card';
  const paymentId = newId();
  stmt(
    db.sqlite,
    `INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, attempt, failure_reason, created_at)
     VALUES (?, ?, ?, ?, ?, 'card', ?, ?, ?, ?, ?)`,
  ).run(paymentId, inv.id, inv.customer_id, inv.amount_due, ctx.settings.currency, ok ? 'succeeded' : 'failed', date, attempt, ok ? null : 'Card declined', ctx.at);
  if (ok) {
    stmt(
      db.sqlite,
      `UPDATE invoices SET status = 'paid', amount_paid = amount_paid + amount_due, amount_due = 0, paid_on = ?,
         attempt_count = ?, next_retry_on = NULL, updated_at = ? WHERE id = ?`,
    ).run(date, attempt, ctx.at, inv.id);
    ctx.counters.paymentsSucceeded++;
  } else {
    stmt(db.sqlite, 'UPDATE invoices SET attempt_count = ?, updated_at = ? WHERE id = ?').run(attempt, ctx.at, inv.id);
    ctx.counters.paymentsFailed++;
  }
  recordCustomerEvent(
    db,
    {
      customerId: inv.customer_id,
      kind: 'system',
      subtype: ok ? 'paid' : 'payment_failed',
      title: ok ? `Paid ${inv.number} by card` : `Card declined for ${inv.number}${attempt > 1 ? ` (retry ${attempt - 1})` : ''}`,
      body: money(inv.amount_due, ctx.settings),
      occurredAt: `${date}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'payment',
      refId: paymentId,
    },
    ctx.at,
  );
  return ok ? 'succeeded' : 'failed';
}
