import { billingSettings } from '../billing/catalog-repo';
import { emptyCounters, money, nextNumber } from '../billing/invoice-writer';
import { recordCustomerEvent } from '../customers/timeline';
import { stmt } from '../db/statements';
import { conflict, validation } from '../errors';
import { newId } from '../ids';
import { getSale, type SaleWriteContext } from './sales-service';

/**
 * An invoice for a sale to a business customer: kind 'sale', numbered in the
 * invoice series, already paid on the sale date, its lines the sale's (a
 * product line each, the discounts, the tax). It records no payment: the
 * money came in as the sale's own payments (which count in revenue), so the
 * invoice adds nothing to revenue or receivables. Returns the invoice id.
 */
export function invoiceSale(a: SaleWriteContext, saleId: string): string {
  const { db } = a;
  const sale = getSale(db, saleId);
  if (sale.customerId === null) throw validation('customerId', 'Choose a customer for the sale first: an invoice is made out to a customer');
  if (sale.invoiceId !== null) throw conflict('This sale has an invoice already', 'id');
  const settings = billingSettings(db);
  const id = newId();
  const number = nextNumber({ db, settings, at: a.at, userId: a.userId, counters: emptyCounters() });
  const gross = sale.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
  const discount = gross - sale.lines.reduce((s, l) => s + l.amount, 0);
  stmt(
    db.sqlite,
    `INSERT INTO invoices (id, number, customer_id, subscription_id, kind, period_key, status, issue_date, due_date, period_start, period_end,
       currency, subtotal, discount, tax, total, credit_applied, amount_paid, amount_due, attempt_count, paid_on, created_at, updated_at)
     VALUES (?, ?, ?, NULL, 'sale', NULL, 'paid', ?, ?, NULL, NULL, ?, ?, ?, ?, ?, 0, ?, 0, 0, ?, ?, ?)`,
  ).run(id, number, sale.customerId, sale.soldOn, sale.soldOn, sale.currency, gross, discount, sale.tax, sale.total, sale.total, sale.soldOn, a.at, a.at);
  const line = stmt(
    db.sqlite,
    `INSERT INTO invoice_lines (id, invoice_id, position, kind, description, quantity, unit_amount, amount, period_start, period_end)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
  );
  let position = 0;
  for (const l of sale.lines) line.run(newId(), id, position++, 'product', `${l.name} (${l.sku})`, l.quantity, l.unitPrice, l.quantity * l.unitPrice);
  if (discount !== 0) line.run(newId(), id, position++, 'discount', `Discount (sale ${sale.number})`, 1, null, -discount);
  if (sale.tax !== 0) line.run(newId(), id, position++, 'tax', 'Tax', 1, null, sale.tax);
  stmt(db.sqlite, 'UPDATE sales SET invoice_id = ? WHERE id = ?').run(id, sale.id);
  recordCustomerEvent(
    db,
    {
      customerId: sale.customerId,
      kind: 'system',
      subtype: 'invoiced',
      title: `Invoice ${number} for sale ${sale.number} (paid)`,
      body: money(sale.total, settings),
      occurredAt: `${sale.soldOn}T00:00:00.000Z`,
      userId: a.userId,
      refType: 'invoice',
      refId: id,
    },
    a.at,
  );
  return id;
}
