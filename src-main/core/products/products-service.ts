import type { z } from 'zod';
import type { Product, StockMovementDto, productChangesSchema, productFieldsSchema, productListInputSchema } from '@shared/contract/products';
import { dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { moveStock, type StockMovement } from './stock-ledger';

// Products sold at the counter. Stock on hand is never written here: a product
// created with stock gets a `received` movement, an adjustment is a movement,
// both through moveStock (stock-ledger.ts), the one writer of stock.

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: number;
  currency: string;
  stock: number | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  low_stock_at: number | null;
}

const COLUMNS = 'id, sku, name, description, category, price, currency, stock, archived_at, created_at, updated_at, low_stock_at';

export function toProductDto(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    category: r.category,
    description: r.description,
    price: r.price,
    currency: r.currency,
    stock: r.stock,
    lowStockAt: r.low_stock_at,
    lowStock: r.stock !== null && r.low_stock_at !== null && r.stock <= r.low_stock_at,
    archived: r.archived_at !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getProductRow(db: BusinessDb, id: string, field = 'id'): ProductRow {
  const row = stmt(db.sqlite, `SELECT ${COLUMNS} FROM products WHERE id = ?`).get(id) as ProductRow | undefined;
  if (!row) throw notFound('Product', field);
  return row;
}

export const getProduct = (db: BusinessDb, id: string, field = 'id'): Product => toProductDto(getProductRow(db, id, field));

/** Exact and case-insensitive, as a barcode scanner types it; archived products are not sold. */
export function productBySku(db: BusinessDb, sku: string): Product {
  const row = stmt(db.sqlite, `SELECT ${COLUMNS} FROM products WHERE lower(sku) = lower(?) AND archived_at IS NULL`).get(sku.trim()) as ProductRow | undefined;
  if (!row) throw notFound(`A product with the SKU ${sku.trim()}`, 'sku');
  return toProductDto(row);
}

export function assertSkuFree(db: BusinessDb, sku: string, exceptId?: string): void {
  const other = stmt(db.sqlite, 'SELECT id, sku FROM products WHERE lower(sku) = lower(?)').get(sku) as { id: string; sku: string } | undefined;
  if (other && other.id !== exceptId) throw conflict(`Another product already has the SKU ${other.sku} (SKUs are unique, whatever the case)`, 'sku');
}

export function businessToday(db: BusinessDb, at: string): string {
  return dateInTimeZone(new Date(at), businessTimezone(db));
}

export function insertProduct(
  db: BusinessDb,
  input: z.output<typeof productFieldsSchema>,
  ctx: { at: string; userId: string | null },
): { id: string; movement: StockMovement | null } {
  assertSkuFree(db, input.sku);
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO products (id, sku, name, description, category, price, currency, stock, archived_at, created_at, updated_at, low_stock_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  ).run(id, input.sku, input.name, input.description, input.category, input.price, businessCurrency(db), input.stock === null ? null : 0, ctx.at, ctx.at, input.lowStockAt);
  let movement: StockMovement | null = null;
  if (input.stock !== null && input.stock > 0) {
    movement = moveStock(db, { productId: id, kind: 'received', quantity: input.stock, reason: 'Opening stock', userId: ctx.userId, occurredOn: businessToday(db, ctx.at), at: ctx.at });
  }
  return { id, movement };
}

export function updateProduct(db: BusinessDb, id: string, changes: z.output<typeof productChangesSchema>, at: string): void {
  getProductRow(db, id);
  if (changes.sku !== undefined) assertSkuFree(db, changes.sku, id);
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (changes.sku !== undefined) set('sku', changes.sku);
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.category !== undefined) set('category', changes.category);
  if (changes.description !== undefined) set('description', changes.description);
  if (changes.price !== undefined) set('price', changes.price);
  if (changes.lowStockAt !== undefined) set('low_stock_at', changes.lowStockAt);
  if (sets.length === 0) return;
  set('updated_at', at);
  db.sqlite.prepare(`UPDATE products SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
}

export function setProductArchived(db: BusinessDb, id: string, archived: boolean, at: string): void {
  getProductRow(db, id);
  stmt(db.sqlite, 'UPDATE products SET archived_at = ?, updated_at = ? WHERE id = ?').run(archived ? at : null, at, id);
}

/**
 * A stock adjustment through the ledger: `adjust` signed, or `counted` (the
 * quantity found; the difference is recorded). A product not tracked starts
 * being tracked. Stock never goes below zero by an adjustment.
 */
export function adjustStock(
  db: BusinessDb,
  input: { id: string; adjust?: number | undefined; counted?: number | undefined; reason: 'received' | 'count' | 'damaged' | 'other'; note: string },
  ctx: { at: string; userId: string | null },
): StockMovement {
  const row = getProductRow(db, input.id);
  const current = row.stock ?? 0;
  const quantity = input.counted !== undefined ? input.counted - current : input.adjust!;
  const field = input.counted !== undefined ? 'counted' : 'adjust';
  if (quantity === 0) throw validation(field, input.counted !== undefined ? `The count matches the stock on hand (${current}): nothing to record` : 'The adjustment cannot be 0');
  if (input.reason === 'received' && quantity < 0) throw validation('adjust', 'Stock received adds to the stock: give a positive quantity');
  if (current + quantity < 0) throw validation(field, `Only ${current} in stock: the stock cannot go below 0`);
  return moveStock(db, { productId: input.id, kind: input.reason, quantity, reason: input.note, userId: ctx.userId, occurredOn: businessToday(db, ctx.at), at: ctx.at });
}

/** Movements newest first, each with the stock after it (a running sum over the ledger). */
export function listMovements(db: BusinessDb, productId: string, limit: number, offset: number): { rows: StockMovementDto[]; total: number } {
  getProductRow(db, productId);
  const total = stmt(db.sqlite, 'SELECT count(*) FROM stock_movements WHERE product_id = ?').pluck().get(productId) as number;
  const rows = stmt(
    db.sqlite,
    `SELECT * FROM (
       SELECT m.id, m.product_id, m.kind, m.quantity, m.reason, m.sale_id, m.sale_refund_id, m.user_id, u.name AS user_name,
              m.occurred_on, m.created_at,
              sum(m.quantity) OVER (ORDER BY m.created_at, m.id ROWS UNBOUNDED PRECEDING) AS stock_after
         FROM stock_movements m LEFT JOIN users u ON u.id = m.user_id
        WHERE m.product_id = ?
     ) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
  ).all(productId, limit, offset) as {
    id: string; product_id: string; kind: StockMovementDto['kind']; quantity: number; reason: string; sale_id: string | null; sale_refund_id: string | null;
    user_id: string | null; user_name: string | null; occurred_on: string; created_at: string; stock_after: number;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, productId: r.product_id, kind: r.kind, quantity: r.quantity, reason: r.reason, saleId: r.sale_id, saleRefundId: r.sale_refund_id,
      userId: r.user_id, userName: r.user_name, occurredOn: r.occurred_on, createdAt: r.created_at, stockAfter: r.stock_after,
    })),
  };
}

export function movementDto(db: BusinessDb, m: StockMovement): StockMovementDto {
  const userName = m.userId === null ? null : ((stmt(db.sqlite, 'SELECT name FROM users WHERE id = ?').pluck().get(m.userId) as string | undefined) ?? null);
  return { ...m, userName };
}

// ---- search ----

/** Escapes LIKE's wildcards (the pattern uses ESCAPE '\'). */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A word the FTS tokenizer (unicode61) keeps something of: a letter or a digit. */
const hasToken = (word: string) => /[\p{L}\p{N}]/u.test(word);

/**
 * The products_fts query of a search's words (0017_products_search): each word
 * must start the SKU (its tokens in order, so "mat-2" finds MAT-2 and not
 * X-MAT-2), or start a word of the name or of the category; case and accents
 * ignored. null when no word has a letter or digit.
 */
export function productFtsQuery(words: string[]): string | null {
  const parts = words.filter(hasToken).map((word) => {
    const phrase = `"${word.replace(/"/g, '""')}"*`;
    return `(sku : ^ ${phrase} OR name : ${phrase} OR category : ${phrase})`;
  });
  return parts.length ? parts.join(' AND ') : null;
}

/**
 * The WHERE clause of a product search: the words through the full-text index
 * (productFtsQuery); a word of punctuation only (no token) as a SKU prefix.
 */
export function productWhere(input: Pick<z.output<typeof productListInputSchema>, 'search' | 'lowStock' | 'category' | 'includeArchived'>): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const words = (input.search ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const match = productFtsQuery(words);
  if (match !== null) {
    clauses.push('seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)');
    params.push(match);
  }
  for (const word of words.filter((w) => !hasToken(w))) {
    clauses.push("lower(sku) LIKE ? ESCAPE '\\'");
    params.push(`${likeEscape(word)}%`);
  }
  if (!input.includeArchived) clauses.push('archived_at IS NULL');
  if (input.category) {
    clauses.push('category = ? COLLATE NOCASE');
    params.push(input.category);
  }
  if (input.lowStock) clauses.push('stock IS NOT NULL AND low_stock_at IS NOT NULL AND stock <= low_stock_at');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * One page of a product search and the number of matches: the matches' sort
 * keys first (name, SKU), then the whole rows of the page only, so a broad
 * search sorts short rows. Shared with the benchmark's raw bound.
 */
export function productPageSql(where: string): string {
  const cols = COLUMNS.split(', ').map((c) => `p.${c}`).join(', ');
  return `WITH m AS MATERIALIZED (SELECT seq, name, sku FROM products ${where})
    SELECT ${cols}, (SELECT count(*) FROM m) AS total
      FROM (SELECT seq, name, sku FROM m ORDER BY name COLLATE NOCASE, sku LIMIT ? OFFSET ?) k JOIN products p ON p.seq = k.seq
     ORDER BY k.name COLLATE NOCASE, k.sku`;
}

export function listProducts(db: BusinessDb, input: z.output<typeof productListInputSchema>): { rows: Product[]; total: number } {
  const { where, params } = productWhere(input);
  const rows = stmt(db.sqlite, productPageSql(where)).all(...params, input.limit, input.offset) as (ProductRow & { total: number })[];
  const total = rows.length > 0 ? rows[0]!.total : input.offset === 0 ? 0 : (stmt(db.sqlite, `SELECT count(*) FROM products ${where}`).pluck().get(...params) as number);
  return { rows: rows.map(toProductDto), total };
}

export function productCategories(db: BusinessDb): string[] {
  return stmt(db.sqlite, "SELECT DISTINCT category FROM products WHERE category <> '' AND archived_at IS NULL ORDER BY category COLLATE NOCASE").pluck().all() as string[];
}
