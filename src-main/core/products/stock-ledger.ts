import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { notFound, validation } from '../errors';
import { newId } from '../ids';

// The stock ledger (spec/server.md guarantee 3: stock is never merged as a
// field). Every change of a product's stock on hand is one insert-only row of
// `stock_movements`; `products.stock` is kept equal to the sum of its rows in
// the same transaction, and derived again from them after a sync merge. This
// is the only code that writes either: products, sales and refunds all call it.

export type StockMovementKind = 'received' | 'sold' | 'refunded' | 'count' | 'damaged' | 'other';

export interface StockMove {
  productId: string;
  kind: StockMovementKind;
  /** Signed, never 0: received +12, sold -2. */
  quantity: number;
  reason?: string;
  saleId?: string | null;
  saleRefundId?: string | null;
  userId: string | null;
  /** The business date (YYYY-MM-DD). */
  occurredOn: string;
  /** ISO timestamp of the write. */
  at: string;
  /**
   * Refuse a movement that would take the stock below zero (a sale of more
   * than is on hand). `field` names the input the error points at ("items.1").
   */
  refuseBelowZero?: { field: string; label: string };
  /**
   * The product's stock on hand as the caller read it in this same transaction (a sale read its
   * products a moment ago): saves reading it again. Omitted: read here.
   */
  stockBefore?: number;
}

export interface StockMovement {
  id: string;
  productId: string;
  kind: StockMovementKind;
  quantity: number;
  reason: string;
  saleId: string | null;
  saleRefundId: string | null;
  userId: string | null;
  occurredOn: string;
  createdAt: string;
  /** The stock on hand after this movement. */
  stockAfter: number;
}

/**
 * Records one movement and moves `products.stock` by it, inside the caller's
 * transaction. A product whose stock is not tracked (stock null) starts being
 * tracked at 0 plus this movement. Returns the movement with the stock after it.
 */
export function moveStock(db: BusinessDb, m: StockMove): StockMovement {
  if (!Number.isSafeInteger(m.quantity) || m.quantity === 0) throw validation('quantity', 'The quantity must be a whole number other than 0');
  const product =
    m.stockBefore !== undefined
      ? { stock: m.stockBefore }
      : (stmt(db.sqlite, 'SELECT stock FROM products WHERE id = ?').get(m.productId) as { stock: number | null } | undefined);
  if (!product) throw notFound('Product', 'productId');
  const after = (product.stock ?? 0) + m.quantity;
  if (m.refuseBelowZero && after < 0) {
    throw validation(m.refuseBelowZero.field, `Only ${product.stock ?? 0} of ${m.refuseBelowZero.label} in stock`);
  }
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO stock_movements (id, product_id, kind, quantity, reason, sale_id, sale_refund_id, user_id, occurred_on, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, m.productId, m.kind, m.quantity, m.reason ?? '', m.saleId ?? null, m.saleRefundId ?? null, m.userId, m.occurredOn, m.at);
  stmt(db.sqlite, 'UPDATE products SET stock = ?, updated_at = ? WHERE id = ?').run(after, m.at, m.productId);
  return {
    id,
    productId: m.productId,
    kind: m.kind,
    quantity: m.quantity,
    reason: m.reason ?? '',
    saleId: m.saleId ?? null,
    saleRefundId: m.saleRefundId ?? null,
    userId: m.userId,
    occurredOn: m.occurredOn,
    createdAt: m.at,
    stockAfter: after,
  };
}

/** The stock on hand as the ledger says (the sum of the movements): what `products.stock` must equal for a tracked product. */
export function ledgerStock(db: BusinessDb, productId: string): number {
  return stmt(db.sqlite, 'SELECT coalesce(sum(quantity), 0) FROM stock_movements WHERE product_id = ?').pluck().get(productId) as number;
}
