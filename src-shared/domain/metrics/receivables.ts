import { daysBetween } from '../dates';
import type { AttemptRow, FailedInvoiceRow, InvoiceRow, PaymentRow, RefundRow } from './rows';

// What was owed and what came in, as of any date (spec 8): AR aging, the
// invoices whose card had been declined, and revenue. Past dates stay exact:
// an invoice's state at a date comes from the dates it was paid, voided or
// written off and from its payments' dates, not from its status now.

export interface ArAging {
  current: number;
  d1to30: number;
  d31to60: number;
  d61to90: number;
  over90: number;
}

/** What AR aging reads of an invoice (not whose it is). */
export type AgingInvoiceRow = Omit<InvoiceRow, 'customer_id'>;

/** Whether an invoice was open at the end of `date`: issued by then, not draft, for something, and not yet paid, voided or written off. */
export function isOpenAt(invoice: AgingInvoiceRow, date: string): boolean {
  return (
    invoice.issue_date <= date &&
    invoice.total > 0 &&
    invoice.status !== 'draft' &&
    (invoice.paid_on === null || invoice.paid_on > date) &&
    (invoice.voided_on === null || invoice.voided_on > date) &&
    (invoice.uncollectible_on === null || invoice.uncollectible_on > date)
  );
}

/** What was still owed on an invoice at the end of `date`: its total less credit and the payments that had succeeded by then. */
export function owedAt(invoice: AgingInvoiceRow, payments: readonly PaymentRow[], date: string): number {
  let owed = invoice.total - invoice.credit_applied;
  for (const p of payments) if (p.status === 'succeeded' && p.paid_on <= date) owed -= p.amount;
  return owed;
}

/** The AR aging bucket of an amount `late` days past its due date. */
export function agingBucket(late: number): keyof ArAging {
  if (late <= 0) return 'current';
  if (late <= 30) return 'd1to30';
  if (late <= 60) return 'd31to60';
  if (late <= 90) return 'd61to90';
  return 'over90';
}

/**
 * The invoices open at the end of `date`, each with its payments (of those
 * given) and what was still owed then; only those with something owed.
 */
export function openInvoicesAt<I extends AgingInvoiceRow, P extends PaymentRow>(invoices: readonly I[], payments: readonly P[], date: string) {
  const open = new Map<string, { invoice: I; payments: P[]; owed: number }>();
  for (const invoice of invoices) if (isOpenAt(invoice, date)) open.set(invoice.id, { invoice, payments: [], owed: 0 });
  for (const p of payments) if (p.invoice_id !== null) open.get(p.invoice_id)?.payments.push(p);
  const out: { invoice: I; payments: P[]; owed: number }[] = [];
  for (const o of open.values()) {
    o.owed = owedAt(o.invoice, o.payments, date);
    if (o.owed > 0) out.push(o);
  }
  return out;
}

/** Accounts receivable as of a date: what was owed then on invoices open then, by days past the due date. */
export function arAging(invoices: readonly AgingInvoiceRow[], payments: readonly PaymentRow[], asOf: string): ArAging {
  const aging: ArAging = { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 };
  for (const { invoice, owed } of openInvoicesAt(invoices, payments, asOf)) aging[agingBucket(daysBetween(invoice.due_date, asOf))] += owed;
  return aging;
}

/** Whether a card had been declined on the invoice by the end of `date` (a failed payment dated by then). */
function declinedBy(payments: readonly PaymentRow[], date: string): boolean {
  return payments.some((p) => p.status === 'failed' && p.paid_on <= date);
}

/** Customers with an invoice open at the end of `asOf`, something owed on it, and a card declined on it by then. */
export function atRiskCustomers(invoices: readonly InvoiceRow[], payments: readonly PaymentRow[], asOf: string): number {
  const customers = new Set<string>();
  for (const o of openInvoicesAt(invoices, payments, asOf)) if (declinedBy(o.payments, asOf)) customers.add(o.invoice.customer_id);
  return customers.size;
}

export interface FailedInvoice {
  invoiceId: string;
  number: string;
  customerId: string;
  subscriptionId: string | null;
  issueDate: string;
  /** What was still owed at the end of the as-of date. */
  amountDue: number;
  /** Collection attempts made by then. */
  attempts: number;
  /** The attempt that followed the as-of date, or the retry the invoice still has scheduled. */
  nextRetryOn: string | null;
}

/**
 * The failed payments as of a date: the invoices open then, with something
 * owed, whose card had been declined by then; newest first (issue date, then
 * number). `payments`: every payment of those invoices, later ones included
 * (the next attempt is the first after the date).
 */
export function failedOpenInvoices(invoices: readonly FailedInvoiceRow[], payments: readonly AttemptRow[], asOf: string): FailedInvoice[] {
  const out: FailedInvoice[] = [];
  for (const { invoice: i, payments: own, owed } of openInvoicesAt(invoices, payments, asOf)) {
    if (!declinedBy(own, asOf)) continue;
    let attempts = 0;
    let next: string | null = null;
    for (const p of own) {
      if (p.attempt === null) continue;
      if (p.paid_on <= asOf) attempts++;
      else if (next === null || p.paid_on < next) next = p.paid_on;
    }
    out.push({
      invoiceId: i.id,
      number: i.number,
      customerId: i.customer_id,
      subscriptionId: i.subscription_id,
      issueDate: i.issue_date,
      amountDue: owed,
      attempts,
      nextRetryOn: next ?? (i.status === 'open' ? i.next_retry_on : null),
    });
  }
  return out.sort((a, b) => (a.issueDate !== b.issueDate ? (a.issueDate > b.issueDate ? -1 : 1) : a.number > b.number ? -1 : a.number < b.number ? 1 : 0));
}

/** Revenue of [from, to] (spec 8): succeeded payments dated then, less refunds dated then. */
export function revenueBetween(payments: readonly PaymentRow[], refunds: readonly RefundRow[], from: string, to: string): number {
  let revenue = 0;
  for (const p of payments) if (p.status === 'succeeded' && p.paid_on >= from && p.paid_on <= to) revenue += p.amount;
  for (const r of refunds) if (r.refunded_on >= from && r.refunded_on <= to) revenue -= r.amount;
  return revenue;
}
