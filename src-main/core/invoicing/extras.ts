import type { ExtraItem } from '@shared/contract/invoicing';
import { billingSettings } from '../billing/catalog-repo';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict, notFound } from '../errors';
import { newId } from '../ids';
import { resolveChargeLines, type ChargeLine } from './charge-lines';

// Extra lines on a subscription's next invoice: `pending_items` of kind
// 'extra', which the billing run writes onto the first period invoice issued
// on or after the day they were added (engine.ts `issuePeriod`, as it does
// proration), marking them with that invoice, so each is billed exactly once.

const EXTRA_SELECT = `SELECT id, subscription_id AS subscriptionId, description, quantity, amount, product_id AS productId, created_on AS createdOn FROM pending_items`;

export function getExtra(db: BusinessDb, id: string): ExtraItem {
  const row = stmt(db.sqlite, `${EXTRA_SELECT} WHERE id = ? AND kind = 'extra'`).get(id) as ExtraItem | undefined;
  if (!row) throw notFound('That extra line', 'id');
  return row;
}

export function addExtra(db: BusinessDb, input: { subscriptionId: string; line: ChargeLine }, a: { at: string; today: string }): ExtraItem {
  const sub = stmt(db.sqlite, 'SELECT id, customer_id, status, cancel_at_period_end FROM subscriptions WHERE id = ?').get(input.subscriptionId) as
    | { id: string; customer_id: string; status: string; cancel_at_period_end: number }
    | undefined;
  if (!sub) throw notFound('That subscription', 'subscriptionId');
  if (sub.status === 'canceled') throw conflict('This subscription is canceled: it has no next invoice. Make a one-off invoice instead', 'subscriptionId');
  const [line] = resolveChargeLines(db, [input.line], billingSettings(db).currency, () => 'line');
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO pending_items (id, subscription_id, customer_id, kind, description, quantity, amount, period_start, period_end, created_on, invoice_id, created_at, product_id)
     VALUES (?, ?, ?, 'extra', ?, ?, ?, NULL, NULL, ?, NULL, ?, ?)`,
  ).run(id, sub.id, sub.customer_id, line!.description, line!.quantity, line!.amount, a.today, a.at, line!.productId ?? null);
  return getExtra(db, id);
}

/** Removes an extra line while it is not on an invoice yet. */
export function removeExtra(db: BusinessDb, id: string): ExtraItem {
  const item = getExtra(db, id);
  const invoiced = stmt(db.sqlite, 'SELECT invoice_id FROM pending_items WHERE id = ?').pluck().get(id) as string | null;
  if (invoiced !== null) throw conflict('This line is on an invoice already; credit it with a credit note instead', 'id');
  stmt(db.sqlite, 'DELETE FROM pending_items WHERE id = ?').run(id);
  return item;
}
