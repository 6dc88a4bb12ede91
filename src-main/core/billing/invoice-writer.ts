import { addDays } from '@shared/domain/dates';
import { computeInvoice, type CouponTerms, type DraftLine, type InvoiceTotals } from '@shared/domain/invoice-math';
import { recordCustomerEvent } from '../customers/timeline';
import { insertRow, updateRow, type BatchWrites } from '../db/batch-writes';
import type { BusinessDb } from '../db/open';
import { readSetting, writeSetting } from '../db/settings';
import { stmt } from '../db/statements';
import { readSyncState } from '../sync';
import { chargeIdempotencyKey, chargePaymentId, newId, periodInvoiceId } from '../ids';
import { chargeCard } from './card-charges';
import { formatMoney, type CurrencyCode } from '@shared/domain/money';
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
  /** false: no card is charged on the issue date and the invoice is due by the net terms (a one-off invoice). */
  collect?: boolean;
  /** The discount line's text, instead of "Discount (CODE)". */
  discountDescription?: string;
}

export interface WriteContext {
  db: BusinessDb;
  settings: BillingSettings;
  at: string;
  userId: string | null;
  counters: Counters;
  /** Set by a billing batch: numbers are taken from memory and written back once, at the end of the batch. */
  numbering?: BatchNumbering;
  /** Set by a billing run: customers' credit and payment method, valid while no other connection writes. */
  customers?: Map<string, CustomerBilling>;
  /** Set by a billing run: each subscription's last history seq, valid while no other connection writes. */
  historySeqs?: Map<string, number>;
  /**
   * Set by a billing batch: invoices and their updates, invoice lines, payments, timeline and history
   * rows are made at the end of the batch, table by table (db/batch-writes.ts). The run keeps what it
   * needs of them in memory; the few reads of invoices it makes (a coupon used once, a recovery) and
   * the writes that refer to an invoice (credit, proration lines) flush first.
   */
  writes?: BatchWrites;
}

const INVOICE_COLUMNS = [
  'id', 'number', 'customer_id', 'subscription_id', 'kind', 'period_key', 'status', 'issue_date', 'due_date', 'period_start',
  'period_end', 'currency', 'subtotal', 'discount', 'tax', 'total', 'credit_applied', 'amount_paid', 'amount_due', 'attempt_count', 'paid_on', 'created_at', 'updated_at',
  // Set by the steps after a failed first attempt: in the INSERT, so those changes merge into it (db/batch-writes.ts).
  'next_retry_on', 'uncollectible_on',
] as const;
const LINE_COLUMNS = ['id', 'invoice_id', 'position', 'kind', 'description', 'quantity', 'unit_amount', 'amount', 'period_start', 'period_end', 'product_id'] as const;
const PAYMENT_COLUMNS = ['id', 'invoice_id', 'customer_id', 'amount', 'currency', 'method', 'status', 'paid_on', 'attempt', 'failure_reason', 'created_at'] as const;

export interface CustomerBilling {
  credit_balance: number;
  payment_method: 'card' | 'card_declining' | 'manual';
}

/** Gapless invoice numbers for a batch: read once, handed out in order, saved once (same transaction). */
export class BatchNumbering {
  private next: number;
  private readonly start: number;
  constructor(private readonly db: BusinessDb) {
    this.next = this.start = stmt(db.sqlite, 'SELECT next_invoice_number FROM business').pluck().get() as number;
  }
  take(): number {
    return this.next++;
  }
  save(): void {
    if (this.next !== this.start) stmt(this.db.sqlite, 'UPDATE business SET next_invoice_number = ?').run(this.next);
  }
}

/** A customer's credit and payment method: from the run's memory when it has them. */
export function customerBilling(ctx: WriteContext, customerId: string): CustomerBilling {
  let customer = ctx.customers?.get(customerId);
  if (!customer) {
    customer = stmt(ctx.db.sqlite, 'SELECT credit_balance, payment_method FROM customers WHERE id = ?').get(customerId) as CustomerBilling;
    ctx.customers?.set(customerId, customer);
  }
  return customer;
}

export function nextNumber(ctx: WriteContext): string {
  const series = ctx.numbering ? null : deviceSeries(ctx.db);
  if (series) {
    // Sync guarantee 5: a PC that is not the billing PC numbers in its own gapless series (its own
    // settings row: no other PC ever writes it, so a merge never touches it).
    const key = `numbering.device.${series.deviceId}`;
    const n = readSetting<{ next: number }>(ctx.db, key)?.next ?? 1;
    writeSetting(ctx.db, key, { next: n + 1 }, ctx.at);
    return `${ctx.settings.invoicePrefix}-${series.tag}-${String(n).padStart(6, '0')}`;
  }
  const n =
    ctx.numbering?.take() ??
    (stmt(ctx.db.sqlite, 'UPDATE business SET next_invoice_number = next_invoice_number + 1 RETURNING next_invoice_number - 1 AS n')
      .pluck()
      .get() as number);
  return `${ctx.settings.invoicePrefix}-${String(n).padStart(6, '0')}`;
}

/**
 * The number series of this PC when it is connected to a sync server and is
 * not the billing PC (null: the business's main series, kept in `business`).
 * Its tag is the first six characters of the device id, upper case: INV-3F9A1C-000001.
 */
export function deviceSeries(db: BusinessDb): { deviceId: string; tag: string } | null {
  const state = readSyncState(db);
  if (state.server === null || state.deviceId === null) return null;
  if (state.billingDevice?.id === state.deviceId) return null;
  return { deviceId: state.deviceId, tag: state.deviceId.slice(0, 6).toUpperCase() };
}

// A run formats the same few amounts over and over (a timeline line per invoice and per payment):
// Intl formatting costs more than the row insert it goes into, so remember the strings.
const formatted = new Map<string, Map<number, string>>();

export function money(amount: number, settings: BillingSettings): string {
  let byAmount = formatted.get(settings.currency);
  if (!byAmount) formatted.set(settings.currency, (byAmount = new Map()));
  let text = byAmount.get(amount);
  if (text === undefined) {
    if (byAmount.size >= 10_000) byAmount.clear();
    byAmount.set(amount, (text = formatMoney(amount, settings.currency as CurrencyCode)));
  }
  return text;
}

export interface IssuedInvoice {
  id: string;
  number: string;
  totals: InvoiceTotals;
  status: InvoiceRow['status'];
  /** The outcome of the first collection attempt, made on the issue date (null: none was made). */
  collection: 'succeeded' | 'failed' | null;
}

/**
 * Issues one invoice and makes its first collection attempt on the issue
 * date (spec 3, 5): number, lines, discount, tax, the customer's credit
 * balance, the due date (the issue date when collected automatically, net
 * terms for hand payers). Nothing to collect: paid at once, no payment row.
 * A card pays it at once; a declining card leaves it open after a failed attempt.
 */
export function issueInvoice(ctx: WriteContext, inv: NewInvoice): IssuedInvoice {
  const { db, settings } = ctx;
  const customer = customerBilling(ctx, inv.customerId);
  const totals = computeInvoice({ charges: inv.charges, coupon: inv.coupon, taxPpm: settings.taxPpm, creditBalance: customer.credit_balance });
  // A subscription's period invoice has the same id on every PC (ids.ts); any other invoice a new one.
  const id = inv.subscriptionId !== null && inv.periodKey !== null ? periodInvoiceId(settings.businessId, inv.subscriptionId, inv.periodKey) : newId();
  const number = nextNumber(ctx);
  if (inv.discountDescription !== undefined) for (const l of totals.lines) if (l.kind === 'discount') l.description = inv.discountDescription;
  const byHand = customer.payment_method === 'manual' || inv.collect === false;
  const dueDate = byHand ? addDays(inv.issueDate, settings.netTermsDays) : inv.issueDate;
  const paidAtOnce = totals.amountDue === 0;
  const collection =
    paidAtOnce || byHand || customer.payment_method === 'manual'
      ? null
      : chargeCard(customer.payment_method, { idempotencyKey: chargeIdempotencyKey(id, 1), amount: totals.amountDue });
  const status: InvoiceRow['status'] = paidAtOnce || collection === 'succeeded' ? 'paid' : 'open';
  const paid = collection === 'succeeded' ? totals.amountDue : 0;
  insertRow(db.sqlite, ctx.writes, 'invoices', INVOICE_COLUMNS, [
    id, number, inv.customerId, inv.subscriptionId, inv.kind, inv.periodKey, status, inv.issueDate, dueDate, inv.periodStart,
    inv.periodEnd, settings.currency, totals.subtotal, totals.discount, totals.tax, totals.total, totals.creditApplied,
    paid, totals.amountDue - paid, collection === null ? 0 : 1, status === 'paid' ? inv.issueDate : null, ctx.at, ctx.at,
    null, null,
  ]);
  for (let i = 0; i < totals.lines.length; i++) {
    const l = totals.lines[i]!;
    insertRow(db.sqlite, ctx.writes, 'invoice_lines', LINE_COLUMNS, [newId(), id, i, l.kind, l.description, l.quantity, l.unitAmount, l.amount, l.periodStart, l.periodEnd, l.productId ?? null]);
  }
  const credit = totals.creditGained - totals.creditApplied;
  if (credit !== 0) {
    ctx.writes?.flush(); // the credit transaction refers to the invoice
    customer.credit_balance += credit;
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
      subtype: collection === 'succeeded' ? 'paid' : 'invoiced',
      // One line when the card paid at once; a failed attempt gets its own line below.
      title: collection === 'succeeded' ? `Invoice ${number} issued and paid by card` : `Invoice ${number} issued`,
      body: `${money(totals.total, settings)}${paidAtOnce ? ', nothing to collect' : ''}`,
      occurredAt: `${inv.issueDate}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'invoice',
      refId: id,
    },
    ctx.at,
    ctx.writes,
  );
  ctx.counters.invoicesIssued++;
  if (collection) {
    recordAttempt(ctx, { invoiceId: id, number, customerId: inv.customerId, amount: totals.amountDue, attempt: 1, ok: collection === 'succeeded', date: inv.issueDate, timeline: collection === 'failed' });
  }
  return { id, number, totals, status, collection };
}

/** The payment row and timeline line of one automatic attempt. */
function recordAttempt(
  ctx: WriteContext,
  a: { invoiceId: string; number: string; customerId: string; amount: number; attempt: number; ok: boolean; date: string; timeline?: boolean },
): void {
  // One attempt is one row on every PC: its id comes from the charge's idempotency key.
  const paymentId = chargePaymentId(chargeIdempotencyKey(a.invoiceId, a.attempt), a.date);
  insertRow(ctx.db.sqlite, ctx.writes, 'payments', PAYMENT_COLUMNS, [
    paymentId, a.invoiceId, a.customerId, a.amount, ctx.settings.currency, 'card', a.ok ? 'succeeded' : 'failed', a.date, a.attempt, a.ok ? null : 'Card declined', ctx.at,
  ]);
  if (a.ok) ctx.counters.paymentsSucceeded++;
  else ctx.counters.paymentsFailed++;
  if (a.timeline === false) return;
  recordCustomerEvent(
    ctx.db,
    {
      customerId: a.customerId,
      kind: 'system',
      subtype: a.ok ? 'paid' : 'payment_failed',
      title: a.ok ? `Paid ${a.number} by card` : `Card declined for ${a.number}${a.attempt > 1 ? ` (retry ${a.attempt - 1})` : ''}`,
      body: money(a.amount, ctx.settings),
      occurredAt: `${a.date}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'payment',
      refId: paymentId,
    },
    ctx.at,
    ctx.writes,
  );
}

/** An unpaid invoice as the dunning steps need it. */
export interface DunningInvoice {
  id: string;
  number: string;
  issueDate: string;
  customerId: string;
  /** Attempts made so far, this one included. */
  attempts: number;
}

/**
 * A retry on `date` of an unpaid invoice, with the customer's payment method
 * as it is now: card succeeds (the invoice is paid), card_declining fails
 * (the caller records the next retry in one write), manual makes no attempt
 * (null). `invoice.attempts` counts this one when an attempt is made. The
 * billing run keeps its open invoices in memory, so nothing is read here.
 */
export function collectRetry(
  ctx: WriteContext,
  invoice: DunningInvoice,
  amountDue: number,
  paymentMethod: CustomerBilling['payment_method'],
  date: string,
): 'succeeded' | 'failed' | null {
  if (paymentMethod === 'manual' || amountDue <= 0) return null;
  invoice.attempts += 1;
  const ok = chargeCard(paymentMethod, { idempotencyKey: chargeIdempotencyKey(invoice.id, invoice.attempts), amount: amountDue }) === 'succeeded';
  if (ok) {
    // Relative to what the invoice holds (a payment by hand may have changed it): a statement, not merged.
    const sql = `UPDATE invoices SET status = 'paid', amount_paid = amount_paid + amount_due, amount_due = 0, paid_on = ?,
         attempt_count = ?, next_retry_on = NULL, updated_at = ? WHERE id = ?`;
    const args = [date, invoice.attempts, ctx.at, invoice.id];
    if (ctx.writes) ctx.writes.run('invoices', sql, args);
    else stmt(ctx.db.sqlite, sql).run(...args);
  }
  recordAttempt(ctx, { invoiceId: invoice.id, number: invoice.number, customerId: invoice.customerId, amount: amountDue, attempt: invoice.attempts, ok, date });
  return ok ? 'succeeded' : 'failed';
}

/** Sets columns of an invoice: held for the end of the batch in a billing run (merged into its held INSERT, if any), made at once otherwise. */
export function writeInvoice(ctx: WriteContext, id: string, fields: Record<string, unknown>): void {
  updateRow(ctx.db.sqlite, ctx.writes, 'invoices', id, fields);
}
