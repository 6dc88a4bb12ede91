import type { z } from 'zod';
import type { oneOffInvoiceInputSchema } from '@shared/contract/invoicing';
import { billingSettings } from '../billing/catalog-repo';
import { emptyCounters, issueInvoice, money } from '../billing/invoice-writer';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { notFound, validation } from '../errors';
import { moveStock } from '../products/stock-ledger';
import { resolveChargeLines } from './charge-lines';

export type OneOffInput = z.output<typeof oneOffInvoiceInputSchema>;

/**
 * A one-off invoice for any customer (kind `manual`): free lines and products,
 * an amount off, the business's tax; numbered from the same series as every
 * invoice (this PC's own series when it is a synced PC that is not the billing
 * PC: `deviceSeries`), due by the net terms and collected by hand (no card is
 * charged). The customer's credit balance pays what it can, as on any invoice.
 * A tracked product leaves stock (`sold`), refused when too little is on hand.
 * Everything is checked before the first write; the caller's transaction
 * makes it all or nothing.
 */
export function createOneOffInvoice(db: BusinessDb, input: OneOffInput, a: { at: string; userId: string; today: string }): string {
  const settings = billingSettings(db);
  const customer = stmt(db.sqlite, 'SELECT id FROM customers WHERE id = ?').get(input.customerId);
  if (!customer) throw notFound('That customer', 'customerId');
  const issueDate = input.issueDate ?? a.today;
  const lines = resolveChargeLines(db, input.lines, settings.currency);
  const subtotal = lines.reduce((sum, l) => sum + l.amount, 0);
  if (input.discount > subtotal) throw validation('discount', `The discount is more than the subtotal (${money(subtotal, settings)})`);
  // Stock first checked as a whole, so a refusal names the line and nothing has moved.
  const wanted = new Map<string, { quantity: number; index: number; name: string; stock: number }>();
  lines.forEach((l, index) => {
    if (!l.product || l.product.stock === null) return;
    const seen = wanted.get(l.product.id);
    const quantity = (seen?.quantity ?? 0) + l.quantity;
    wanted.set(l.product.id, { quantity, index, name: l.product.name, stock: l.product.stock });
    if (quantity > l.product.stock) throw validation(`lines.${index}.quantity`, `Only ${l.product.stock} of ${l.product.name} in stock`);
  });
  const issued = issueInvoice(
    { db, settings, at: a.at, userId: a.userId, counters: emptyCounters() },
    {
      customerId: input.customerId,
      subscriptionId: null,
      kind: 'manual',
      periodKey: null,
      issueDate,
      periodStart: null,
      periodEnd: null,
      charges: lines.map(({ product: _product, ...line }) => line),
      coupon:
        input.discount > 0
          ? { code: 'one-off', percentOffPpm: null, amountOff: input.discount, duration: 'once', durationMonths: null, appliedOn: issueDate }
          : null,
      collect: false,
      discountDescription: 'Discount',
    },
  );
  for (const [productId, w] of wanted) {
    moveStock(db, {
      productId,
      kind: 'sold',
      quantity: -w.quantity,
      reason: `Invoice ${issued.number}`,
      userId: a.userId,
      occurredOn: issueDate,
      at: a.at,
      refuseBelowZero: { field: `lines.${w.index}.quantity`, label: w.name },
    });
  }
  return issued.id;
}
