import type { z } from 'zod';
import type { CreditNote, creditNoteInputSchema } from '@shared/contract/invoicing';
import { divRound } from '@shared/domain/money';
import { billingSettings, PlanCache } from '../billing/catalog-repo';
import { recoverIfSettled } from '../billing/engine';
import { deviceSeries, emptyCounters, money } from '../billing/invoice-writer';
import { getInvoiceRow, refundPayment } from '../billing/invoices-service';
import { getSubscriptionRow } from '../billing/subscription-dto';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { readSetting, writeSetting } from '../db/settings';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { moveStock } from '../products/stock-ledger';

// Credit notes (issue 14): a numbered document that gives back part or all
// of an issued invoice, which is never edited. Money stays insert-only and
// derived (ARCHITECTURE.md "Credit notes"):
// - settlement 'invoice': two credit transactions on the invoice, +total
//   (reason credit_note) and -total (reason applied), so the customer's
//   balance is unchanged and the invoice's credit_applied grows by the total;
//   credit_applied is the sum of its 'applied' transactions, and amount_due
//   = total - credit_applied - paid, both derived again by a sync merge.
// - 'credit': one +total credit transaction: the customer's credit balance.
// - 'refund': refunds of the invoice's payments (newest first), as
//   payments.refund makes them.

export type CreditNoteInput = z.output<typeof creditNoteInputSchema>;

const CHARGE_KINDS = new Set(['recurring', 'setup_fee', 'proration', 'product', 'manual']);

interface DraftNoteLine {
  description: string;
  quantity: number;
  unitAmount: number | null;
  amount: number;
  invoiceLineId: string | null;
  /** The product to put back in stock, and under which input field (lines.N.restock). */
  restock?: { productId: string; field: string };
}

/** A product put back in stock by a credit note (its `refunded` movement). */
export interface Restocked {
  productId: string;
  sku: string;
  quantity: number;
  stockAfter: number;
}

interface InvoiceLineRow {
  id: string;
  position: number;
  kind: string;
  description: string;
  quantity: number;
  unit_amount: number | null;
  amount: number;
  product_id: string | null;
}

export function createCreditNote(db: BusinessDb, input: CreditNoteInput, a: { at: string; userId: string; today: string }): { id: string; restocked: Restocked[] } {
  const inv = getInvoiceRow(db, input.invoiceId);
  if (inv.status !== 'open' && inv.status !== 'paid' && inv.status !== 'uncollectible') {
    throw conflict(`Only an issued invoice can be credited; ${inv.number} is ${inv.status}`, 'invoiceId');
  }
  const settings = billingSettings(db);
  const issueDate = input.issueDate ?? a.today;
  if (issueDate < inv.issue_date) throw validation('issueDate', `A credit note cannot be dated before its invoice, ${inv.issue_date}`);
  if (input.lines && input.amount !== undefined) throw validation('amount', 'Credit some lines or an amount, not both');
  if (input.restock === true && input.amount !== undefined) throw validation('restock', 'Only credited lines put goods back in stock: credit lines, not an amount');
  const earlier = stmt(db.sqlite, 'SELECT coalesce(sum(total), 0) AS total, coalesce(sum(tax), 0) AS tax FROM credit_notes WHERE invoice_id = ?').get(inv.id) as {
    total: number;
    tax: number;
  };
  const remaining = inv.total - earlier.total;
  const taxable = inv.subtotal - inv.discount;

  // Against the invoice with nothing said: what it still owes, when that is less than is left to credit.
  const amount = input.amount ?? (!input.lines && input.settlement === 'invoice' && inv.amount_due > 0 && inv.amount_due < remaining ? inv.amount_due : undefined);

  let lines: DraftNoteLine[];
  let tax: number;
  let total: number;
  const invoiceLines = stmt(db.sqlite, 'SELECT id, position, kind, description, quantity, unit_amount, amount, product_id FROM invoice_lines WHERE invoice_id = ? ORDER BY position').all(inv.id) as InvoiceLineRow[];
  // The whole invoice is listed line by line when its lines add up to it (no proration credit among them).
  const wholeByLines = amount === undefined && earlier.total === 0 && invoiceLines.every((l) => !CHARGE_KINDS.has(l.kind) || l.amount > 0);
  if (input.lines || wholeByLines) {
    // Lines at their invoice amounts, less their share of the invoice's discount, plus their share of its tax.
    const chosen: { position: number; quantity?: number | undefined; restock?: boolean | undefined }[] =
      input.lines ?? invoiceLines.filter((l) => CHARGE_KINDS.has(l.kind) && l.amount > 0).map((l) => ({ position: l.position }));
    const tracked = stmt(db.sqlite, 'SELECT stock IS NOT NULL FROM products WHERE id = ?').pluck();
    const creditedQty = stmt(db.sqlite, 'SELECT coalesce(sum(l.quantity), 0) FROM credit_note_lines l WHERE l.invoice_line_id = ?').pluck();
    lines = chosen.map((c, i) => {
      const line = invoiceLines.find((l) => l.position === c.position);
      if (!line || !CHARGE_KINDS.has(line.kind)) throw validation(`lines.${i}.position`, `${inv.number} has no charge line at position ${c.position}`);
      if (line.amount <= 0) throw validation(`lines.${i}.position`, `"${line.description}" is itself a credit; it cannot be credited`);
      const left = line.quantity - (creditedQty.get(line.id) as number);
      const quantity = c.quantity ?? left;
      if (quantity <= 0 || quantity > left) throw validation(`lines.${i}.quantity`, left > 0 ? `At most ${left} of "${line.description}" can still be credited` : `"${line.description}" has been credited in full already`);
      const amount = quantity === line.quantity ? line.amount : divRound(BigInt(line.amount) * BigInt(quantity), line.quantity);
      // Goods back in stock: asked on the line, else for the whole note, else a tracked product (not on a sale's invoice).
      const field = input.lines ? `lines.${i}.restock` : 'restock';
      const isTracked = line.product_id !== null && tracked.get(line.product_id) === 1;
      const wanted = c.restock ?? input.restock ?? (isTracked && inv.kind !== 'sale');
      if (wanted && c.restock === true && !line.product_id) throw validation(field, `"${line.description}" is not a product: nothing goes back in stock`);
      if (wanted && c.restock === true && !isTracked) throw validation(field, `The stock of "${line.description}" is not tracked`);
      const restock = wanted && isTracked && line.product_id ? { productId: line.product_id, field } : undefined;
      return { description: line.description, quantity, unitAmount: line.unit_amount, amount, invoiceLineId: line.id, ...(restock ? { restock } : {}) };
    });
    const gross = lines.reduce((s, l) => s + l.amount, 0);
    const discountShare = inv.discount > 0 && inv.subtotal > 0 ? divRound(BigInt(gross) * BigInt(inv.discount), inv.subtotal) : 0;
    if (discountShare !== 0) lines.push({ description: 'Discount', quantity: 1, unitAmount: null, amount: -discountShare, invoiceLineId: null });
    const net = gross - discountShare;
    tax = taxable > 0 ? divRound(BigInt(net) * BigInt(inv.tax), taxable) : 0;
    total = net + tax;
    // The whole invoice: exactly what is left, so rounding never leaves a cent behind.
    if (!input.lines) {
      tax = inv.tax - earlier.tax;
      total = remaining;
    }
  } else {
    total = amount ?? remaining;
    tax = amount === undefined ? inv.tax - earlier.tax : inv.total > 0 ? divRound(BigInt(total) * BigInt(inv.tax), inv.total) : 0;
    const text = amount === undefined ? `Rest of invoice ${inv.number}` : input.reason.split('\n')[0] || `Credit on invoice ${inv.number}`;
    lines = [{ description: text, quantity: 1, unitAmount: null, amount: total - tax, invoiceLineId: null }];
  }
  if (remaining <= 0) throw validation('amount', `${inv.number} has been credited in full already`);
  if (total <= 0) throw validation('amount', 'There is nothing to credit');
  if (total > remaining) {
    throw validation('amount', `At most ${money(remaining, settings)} can be credited on ${inv.number} (its total less earlier credit notes)`);
  }

  let refunds: { id: string; refundable: number; paidOn: string }[] = [];
  if (input.settlement === 'invoice') {
    if ((inv.status !== 'open' && inv.status !== 'uncollectible') || inv.amount_due === 0) {
      throw conflict(`Nothing is due on ${inv.number}: put the credit on the customer's balance or refund it`, 'settlement');
    }
    if (total > inv.amount_due) throw validation('amount', `Only ${money(inv.amount_due, settings)} is due on ${inv.number}; credit the rest to the balance or refund it`);
  } else if (input.settlement === 'refund') {
    refunds = (
      stmt(db.sqlite, "SELECT id, amount - amount_refunded AS refundable, paid_on AS paidOn FROM payments WHERE invoice_id = ? AND status = 'succeeded' AND amount > amount_refunded ORDER BY paid_on DESC, id DESC").all(inv.id) as {
        id: string;
        refundable: number;
        paidOn: string;
      }[]
    );
    const refundable = refunds.reduce((s, p) => s + p.refundable, 0);
    if (total > refundable) throw validation('amount', refundable > 0 ? `Only ${money(refundable, settings)} paid on ${inv.number} can be refunded` : `Nothing has been paid on ${inv.number} to refund`);
    const last = refunds.reduce((d, p) => (p.paidOn > d ? p.paidOn : d), '');
    if (issueDate < last) throw validation('issueDate', `A refund cannot be dated before the payment, ${last}`);
  }

  const id = newId();
  const number = nextCreditNoteNumber(db, a.at);
  stmt(
    db.sqlite,
    `INSERT INTO credit_notes (id, number, invoice_id, customer_id, issue_date, currency, subtotal, tax, total, settlement, reason, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, number, inv.id, inv.customer_id, issueDate, inv.currency, total - tax, tax, total, input.settlement, input.reason, a.userId, a.at);
  const insertLine = stmt(
    db.sqlite,
    'INSERT INTO credit_note_lines (id, credit_note_id, position, description, quantity, unit_amount, amount, invoice_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  lines.forEach((l, i) => insertLine.run(newId(), id, i, l.description, l.quantity, l.unitAmount, l.amount, l.invoiceLineId));
  // Goods back in stock through the ledger (the only writer of stock), in this transaction.
  const restocked: Restocked[] = [];
  const skuOf = stmt(db.sqlite, 'SELECT sku FROM products WHERE id = ?').pluck();
  for (const l of lines) {
    if (!l.restock) continue;
    const movement = moveStock(db, { productId: l.restock.productId, kind: 'refunded', quantity: l.quantity, reason: `Credit note ${number} on ${inv.number}`, userId: a.userId, occurredOn: issueDate, at: a.at });
    restocked.push({ productId: l.restock.productId, sku: skuOf.get(l.restock.productId) as string, quantity: l.quantity, stockAfter: movement.stockAfter });
  }

  const credit = stmt(
    db.sqlite,
    'INSERT INTO credit_transactions (id, customer_id, amount, reason, invoice_id, subscription_id, occurred_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  if (input.settlement === 'invoice') {
    credit.run(newId(), inv.customer_id, total, 'credit_note', inv.id, inv.subscription_id, issueDate, a.at);
    credit.run(newId(), inv.customer_id, -total, 'applied', inv.id, inv.subscription_id, issueDate, a.at);
    const settled = total === inv.amount_due;
    const paidOn = settled ? [issueDate, inv.paid_on ?? '', lastPaymentOn(db, inv.id)].sort().at(-1)! : null;
    stmt(
      db.sqlite,
      `UPDATE invoices SET credit_applied = credit_applied + ?, amount_due = amount_due - ?, status = CASE WHEN ? THEN 'paid' ELSE status END,
         paid_on = CASE WHEN ? THEN ? ELSE paid_on END, next_retry_on = CASE WHEN ? THEN NULL ELSE next_retry_on END, updated_at = ? WHERE id = ?`,
    ).run(total, total, settled ? 1 : 0, settled ? 1 : 0, paidOn, settled ? 1 : 0, a.at, inv.id);
    if (settled && inv.subscription_id) {
      recoverIfSettled({ db, settings, at: a.at, userId: a.userId, counters: emptyCounters() }, new PlanCache(db), getSubscriptionRow(db, inv.subscription_id), issueDate);
    }
  } else if (input.settlement === 'credit') {
    credit.run(newId(), inv.customer_id, total, 'credit_note', inv.id, inv.subscription_id, issueDate, a.at);
    stmt(db.sqlite, 'UPDATE customers SET credit_balance = credit_balance + ? WHERE id = ?').run(total, inv.customer_id);
  } else {
    let left = total;
    for (const p of refunds) {
      if (left === 0) break;
      const amount = Math.min(left, p.refundable);
      refundPayment({ db, at: a.at, userId: a.userId }, { id: p.id, amount, on: issueDate, reason: `Credit note ${number}` });
      left -= amount;
    }
  }
  const settlementText = { invoice: `off what ${inv.number} owes`, credit: 'to the credit balance', refund: 'refunded' }[input.settlement];
  recordCustomerEvent(
    db,
    {
      customerId: inv.customer_id,
      kind: 'system',
      subtype: 'credit_note',
      title: `Credit note ${number} on ${inv.number}`,
      body: `${money(total, settings)} ${settlementText}${input.reason ? `: ${input.reason}` : ''}`,
      occurredAt: `${issueDate}T00:00:00.000Z`,
      userId: a.userId,
      refType: 'credit_note',
      refId: id,
    },
    a.at,
  );
  return { id, restocked };
}

function lastPaymentOn(db: BusinessDb, invoiceId: string): string {
  return (stmt(db.sqlite, "SELECT coalesce(max(paid_on), '') FROM payments WHERE invoice_id = ? AND status = 'succeeded'").pluck().get(invoiceId) as string) ?? '';
}

/**
 * CN-000001, gapless per business; a synced PC that is not the billing PC
 * numbers in its own series, CN-3F9A1C-000001, kept in its own settings row,
 * as invoices do (invoice-writer.ts `deviceSeries`).
 */
export function nextCreditNoteNumber(db: BusinessDb, at: string): string {
  const series = deviceSeries(db);
  if (series) {
    const key = `numbering.creditNotes.device.${series.deviceId}`;
    const n = readSetting<{ next: number }>(db, key)?.next ?? 1;
    writeSetting(db, key, { next: n + 1 }, at);
    return `CN-${series.tag}-${String(n).padStart(6, '0')}`;
  }
  const n = stmt(db.sqlite, 'UPDATE business SET next_credit_note_number = next_credit_note_number + 1 RETURNING next_credit_note_number - 1').pluck().get() as number;
  return `CN-${String(n).padStart(6, '0')}`;
}

interface CreditNoteRow {
  id: string;
  number: string;
  invoice_id: string;
  invoice_number: string;
  customer_id: string;
  customer_name: string;
  issue_date: string;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  settlement: CreditNote['settlement'];
  reason: string;
  created_at: string;
}

const NOTE_SELECT = `SELECT n.*, i.number AS invoice_number, c.name AS customer_name FROM credit_notes n
  JOIN invoices i ON i.id = n.invoice_id JOIN customers c ON c.id = n.customer_id`;

function toDto(db: BusinessDb, row: CreditNoteRow): CreditNote {
  const lines = stmt(
    db.sqlite,
    `SELECT l.position, l.description, l.quantity, l.unit_amount AS unitAmount, l.amount, il.position AS invoiceLinePosition
       FROM credit_note_lines l LEFT JOIN invoice_lines il ON il.id = l.invoice_line_id WHERE l.credit_note_id = ? ORDER BY l.position`,
  ).all(row.id) as CreditNote['lines'];
  return {
    id: row.id,
    number: row.number,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    customerId: row.customer_id,
    customerName: row.customer_name,
    issueDate: row.issue_date,
    currency: row.currency,
    subtotal: row.subtotal,
    tax: row.tax,
    total: row.total,
    settlement: row.settlement,
    reason: row.reason,
    createdAt: row.created_at,
    lines,
  };
}

export function getCreditNote(db: BusinessDb, idOrNumber: string): CreditNote {
  const row = stmt(db.sqlite, `${NOTE_SELECT} WHERE n.id = ? OR n.number = upper(?)`).get(idOrNumber, idOrNumber) as CreditNoteRow | undefined;
  if (!row) throw notFound('That credit note', 'id');
  return toDto(db, row);
}

export function listCreditNotes(db: BusinessDb, q: { invoiceId?: string | undefined; customerId?: string | undefined }): CreditNote[] {
  const rows = stmt(
    db.sqlite,
    `${NOTE_SELECT} WHERE (@invoice IS NULL OR n.invoice_id = @invoice) AND (@customer IS NULL OR n.customer_id = @customer) ORDER BY n.issue_date DESC, n.number DESC LIMIT 500`,
  ).all({ invoice: q.invoiceId ?? null, customer: q.customerId ?? null }) as CreditNoteRow[];
  return rows.map((r) => toDto(db, r));
}

