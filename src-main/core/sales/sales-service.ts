import type { DayReport, Sale, SaleRefund } from '@shared/contract/sales';
import { divRound, formatMoney, type CurrencyCode } from '@shared/domain/money';
import {
  computeCart,
  refundLine,
  SaleMathError,
  splitPayment,
  type CartPaymentInput,
  type SaleDiscountInput,
  type SaleMethod,
} from '@shared/domain/sale-math';
import { deviceSeries } from '../billing/invoice-writer';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { readSetting, writeSetting } from '../db/settings';
import { SqlWhere } from '../db/sql-filter';
import { stmt } from '../db/statements';
import { AppError, conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { moveStock } from '../products/stock-ledger';
import { deriveSaleRefunds } from './derive';

// The sale engine behind the counter (issue 14). A sale is one transaction
// (the caller's): receipt number, lines, payments, stock, timeline. Every
// check is made before anything is written, so a refusal leaves the file as
// it was (and the transaction rolls back anyway). Amounts are minor units;
// the arithmetic is the shared sale-math.ts.

export interface SaleWriteContext {
  db: BusinessDb;
  /** ISO timestamp of the write. */
  at: string;
  userId: string | null;
}

export interface NewSale {
  items: { productId?: string | undefined; sku?: string | undefined; quantity: number; unitPrice?: number | undefined; discount?: number | undefined }[];
  customerId?: string | null | undefined;
  discount?: SaleDiscountInput | null | undefined;
  payments: CartPaymentInput[];
  on: string;
  note?: string | undefined;
}

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number | null;
  archived_at: string | null;
}

interface BusinessSaleSettings {
  currency: string;
  taxPpm: number;
}

function saleSettings(db: BusinessDb): BusinessSaleSettings {
  const b = stmt(db.sqlite, 'SELECT currency, tax_rate_ppm FROM business LIMIT 1').get() as { currency: string; tax_rate_ppm: number };
  return { currency: b.currency, taxPpm: b.tax_rate_ppm };
}

type Series = { deviceId: string; tag: string } | null;

/**
 * What a sale needs of the business and of the sync state, in one statement (the counter's hot
 * path): currency, tax rate, and the receipt number series (`deviceSeries`, read the same way).
 */
function saleSettingsAndSeries(db: BusinessDb): BusinessSaleSettings & { series: Series } {
  const r = stmt(
    db.sqlite,
    `SELECT b.currency, b.tax_rate_ppm, st.server, st.device_id, st.billing_device_id
       FROM business b LEFT JOIN sync_state st ON st.one = 1 LIMIT 1`,
  ).get() as { currency: string; tax_rate_ppm: number; server: string | null; device_id: string | null; billing_device_id: string | null };
  const series =
    r.server === null || r.device_id === null || r.billing_device_id === r.device_id ? null : { deviceId: r.device_id, tag: r.device_id.slice(0, 6).toUpperCase() };
  return { currency: r.currency, taxPpm: r.tax_rate_ppm, series };
}

/** A SaleMathError from the shared arithmetic becomes a validation error naming the same field. */
function math<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SaleMathError) throw validation(e.field, e.message);
    throw e;
  }
}

export const SALE_PREFIX = 'R';

/**
 * The next receipt number, gapless, in the caller's transaction: the business's
 * series (`business.next_sale_number`, R-000001), or this PC's own series when
 * it is connected and not the billing PC (R-3F9A1C-000001), exactly as invoice
 * numbers (sync guarantee 5).
 */
export function nextSaleNumber(db: BusinessDb, at: string, series: Series = deviceSeries(db)): string {
  if (series) {
    const key = `numbering.sale.device.${series.deviceId}`;
    const n = readSetting<{ next: number }>(db, key)?.next ?? 1;
    writeSetting(db, key, { next: n + 1 }, at);
    return `${SALE_PREFIX}-${series.tag}-${String(n).padStart(6, '0')}`;
  }
  const n = stmt(db.sqlite, 'UPDATE business SET next_sale_number = next_sale_number + 1 RETURNING next_sale_number - 1 AS n').pluck().get() as number;
  return `${SALE_PREFIX}-${String(n).padStart(6, '0')}`;
}

const PRODUCT_COLUMNS = 'id, sku, name, price, currency, stock, archived_at';

/**
 * The cart's products in one statement (by id, and/or by SKU case-insensitively through the
 * lower(sku) index) rather than one per line, then checked item by item in order so the first
 * bad line is the one named.
 */
function findProducts(db: BusinessDb, items: NewSale['items'], currency: string): ProductRow[] {
  const ids: string[] = [];
  const skus: string[] = [];
  for (const item of items) {
    if (item.productId !== undefined) ids.push(item.productId);
    else if (item.sku !== undefined) skus.push(item.sku);
  }
  // At most two statements, usually one (a cart comes by SKU from the scanner, or by id from the picker).
  const rows = [
    ...(ids.length > 0 ? (stmt(db.sqlite, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ProductRow[]) : []),
    ...(skus.length > 0
      ? (stmt(db.sqlite, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE lower(sku) IN (SELECT lower(value) FROM json_each(?))`).all(JSON.stringify(skus)) as ProductRow[])
      : []),
  ];
  const byId = new Map<string, ProductRow>();
  const bySku = new Map<string, ProductRow>();
  for (const r of rows) {
    byId.set(r.id, r);
    bySku.set(sqlLower(r.sku), r);
  }
  return items.map((item, i) => {
    const field = `items.${i}`;
    const row = item.productId !== undefined ? byId.get(item.productId) : bySku.get(sqlLower(item.sku!));
    if (!row) throw new AppError('validation', item.sku !== undefined ? `No product has the SKU ${item.sku}` : 'That product was not found', field);
    if (item.productId !== undefined && item.sku !== undefined && row.sku.toLowerCase() !== item.sku.toLowerCase()) {
      throw validation(field, `The product ${row.name} has the SKU ${row.sku}, not ${item.sku}`);
    }
    if (row.archived_at !== null) throw validation(field, `${row.name} (${row.sku}) is archived and cannot be sold`);
    if (row.currency !== currency) throw validation(field, `${row.name} is priced in ${row.currency}, the business sells in ${currency}`);
    return row;
  });
}

/** SQLite's lower(): ASCII letters only (what the lower(sku) unique index compares). */
function sqlLower(text: string): string {
  return text.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

function money(amount: number, currency: string): string {
  return formatMoney(amount, currency as CurrencyCode);
}

/**
 * Records a sale; returns it as getSale would read it back (built from what was written: the counter's
 * hot path reads nothing twice). Refusals name the field (items.N, discount, tendered, customerId) and write nothing.
 */
export function createSale(a: SaleWriteContext, input: NewSale): Sale {
  const { db } = a;
  const settings = saleSettingsAndSeries(db);
  const products = findProducts(db, input.items, settings.currency);
  let customerName: string | null = null;
  if (input.customerId) {
    customerName = stmt(db.sqlite, 'SELECT name FROM customers WHERE id = ?').pluck().get(input.customerId) as string | null;
    if (customerName === undefined || customerName === null) throw notFound('That customer', 'customerId');
  }
  const cart = math(() =>
    computeCart({
      lines: input.items.map((item, i) => ({ quantity: item.quantity, unitPrice: item.unitPrice ?? products[i]!.price, discount: item.discount })),
      discount: input.discount ?? null,
      taxPpm: settings.taxPpm,
    }),
  );
  const pay = math(() => splitPayment(cart.total, input.payments));
  // Stock first (still nothing written if a line is short): the same product on two lines counts twice.
  const need = new Map<string, number>();
  products.forEach((p, i) => {
    if (p.stock === null) return;
    const total = (need.get(p.id) ?? 0) + cart.lines[i]!.quantity;
    need.set(p.id, total);
    if (total > p.stock) throw validation(`items.${i}`, `Only ${p.stock} of ${p.name} (${p.sku}) in stock`);
  });

  const id = newId();
  const number = nextSaleNumber(db, a.at, settings.series);
  stmt(
    db.sqlite,
    `INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, invoice_id, created_by, created_at,
       discount, method, tendered, change_given, refunded, status, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 0, 'paid', ?)`,
  ).run(id, number, input.customerId ?? null, input.on, settings.currency, cart.subtotal, cart.tax, cart.total, a.userId, a.at, cart.discount, pay.method, pay.tendered, pay.change, input.note ?? '');
  const insertLine = stmt(
    db.sqlite,
    `INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku, discount, tax, refunded_quantity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  // The stock on hand as read above, moved line by line (the same product on two lines moves twice): moveStock need not read it again.
  const onHand = new Map<string, number>();
  const lines: Sale['lines'] = cart.lines.map((l, i) => {
    const p = products[i]!;
    const lineId = newId();
    insertLine.run(lineId, id, p.id, p.name, l.quantity, l.unitPrice, l.amount, p.sku, l.discount, l.tax);
    if (p.stock !== null) {
      const moved = moveStock(db, {
        stockBefore: onHand.get(p.id) ?? p.stock,
        productId: p.id,
        kind: 'sold',
        quantity: -l.quantity,
        reason: `Sale ${number}`,
        saleId: id,
        userId: a.userId,
        occurredOn: input.on,
        at: a.at,
        refuseBelowZero: { field: `items.${i}`, label: `${p.name} (${p.sku})` },
      });
      onHand.set(p.id, moved.stockAfter);
    }
    return { id: lineId, productId: p.id, sku: p.sku, name: p.name, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount, tax: l.tax, amount: l.amount, refundedQuantity: 0 };
  });
  const insertPayment = stmt(
    db.sqlite,
    `INSERT INTO sale_payments (id, sale_id, method, amount, tendered, change_given, currency, paid_on, reference, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)`,
  );
  for (const p of pay.payments) {
    // A sale of nothing (a 100% discount) has no payment row: nothing was paid.
    if (p.amount > 0) insertPayment.run(newId(), id, p.method, p.amount, p.tendered, p.change, settings.currency, input.on, a.at);
  }
  if (input.customerId) {
    recordCustomerEvent(
      db,
      {
        customerId: input.customerId,
        kind: 'system',
        subtype: 'sale',
        title: `Bought at the counter: ${number}`,
        body: `${money(cart.total, settings.currency)} (${pay.method.replace('_', ' ')})`,
        occurredAt: `${input.on}T00:00:00.000Z`,
        userId: a.userId,
        refType: 'sale',
        refId: id,
      },
      a.at,
    );
  }
  return {
    id,
    number,
    customerId: input.customerId ?? null,
    customerName,
    soldOn: input.on,
    currency: settings.currency,
    lines,
    subtotal: cart.subtotal,
    discount: cart.discount,
    tax: cart.tax,
    taxRatePpm: taxRateOf(cart, settings.taxPpm),
    total: cart.total,
    method: pay.method,
    payments: pay.payments.filter((p) => p.amount > 0).map((p) => ({ method: p.method, amount: p.amount, tendered: p.tendered, change: p.change })),
    tendered: pay.tendered,
    change: pay.change,
    refunded: 0,
    status: 'paid',
    invoiceId: null,
    note: input.note ?? '',
    createdAt: a.at,
  };
}

/** The business's rate, when it is the one the tax was computed at (null: no tax, or the rate changed since). */
function taxRateOf(s: { subtotal: number; discount: number; tax: number }, taxPpm: number): number | null {
  return s.tax !== 0 && taxPpm !== 0 && divRound(BigInt(s.subtotal - s.discount) * BigInt(taxPpm), 1_000_000) === s.tax ? taxPpm : null;
}

// ---------------------------------------------------------------- reading

interface SaleRow {
  id: string;
  number: string;
  customer_id: string | null;
  customer_name: string | null;
  sold_on: string;
  currency: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  method: Sale['method'];
  tendered: number | null;
  change_given: number;
  refunded: number;
  status: Sale['status'];
  invoice_id: string | null;
  note: string;
  created_at: string;
}

interface LineRow {
  id: string;
  sale_id: string;
  product_id: string;
  sku: string;
  description: string;
  quantity: number;
  unit_price: number;
  discount: number;
  tax: number;
  amount: number;
  refunded_quantity: number;
}

const SALE_SELECT = 'SELECT s.*, c.name AS customer_name FROM sales s LEFT JOIN customers c ON c.id = s.customer_id';

function toSales(db: BusinessDb, rows: SaleRow[]): Sale[] {
  if (rows.length === 0) return [];
  const taxPpm = saleSettings(db).taxPpm;
  const ids = JSON.stringify(rows.map((r) => r.id));
  const lines = stmt(db.sqlite, 'SELECT * FROM sale_lines WHERE sale_id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(ids) as LineRow[];
  const payments = stmt(
    db.sqlite,
    'SELECT sale_id, method, amount, tendered, change_given FROM sale_payments WHERE sale_id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
  ).all(ids) as { sale_id: string; method: SaleMethod; amount: number; tendered: number | null; change_given: number }[];
  const linesBy = group(lines, (l) => l.sale_id);
  const paymentsBy = group(payments, (p) => p.sale_id);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    soldOn: r.sold_on,
    currency: r.currency,
    lines: (linesBy.get(r.id) ?? []).map((l) => ({
      id: l.id,
      productId: l.product_id,
      sku: l.sku,
      name: l.description,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      discount: l.discount,
      tax: l.tax,
      amount: l.amount,
      refundedQuantity: l.refunded_quantity,
    })),
    subtotal: r.subtotal,
    discount: r.discount,
    tax: r.tax,
    taxRatePpm: taxRateOf(r, taxPpm),
    total: r.total,
    method: r.method,
    payments: (paymentsBy.get(r.id) ?? []).map((p) => ({ method: p.method, amount: p.amount, tendered: p.tendered, change: p.change_given })),
    tendered: r.tendered,
    change: r.change_given,
    refunded: r.refunded,
    status: r.status,
    invoiceId: r.invoice_id,
    note: r.note,
    createdAt: r.created_at,
  }));
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

function getSaleRow(db: BusinessDb, idOrNumber: string, field = 'id'): SaleRow {
  const row = stmt(db.sqlite, `${SALE_SELECT} WHERE s.id = ? OR s.number = upper(?)`).get(idOrNumber, idOrNumber) as SaleRow | undefined;
  if (!row) throw notFound('That sale', field);
  return row;
}

export function getSale(db: BusinessDb, idOrNumber: string): Sale {
  return toSales(db, [getSaleRow(db, idOrNumber)])[0]!;
}

export function saleRefunds(db: BusinessDb, saleId: string): SaleRefund[] {
  const refunds = stmt(db.sqlite, 'SELECT * FROM sale_refunds WHERE sale_id = ? ORDER BY refunded_on, created_at, id').all(saleId) as {
    id: string;
    sale_id: string;
    refunded_on: string;
    amount: number;
    tax: number;
    currency: string;
    method: SaleMethod;
    reason: string;
  }[];
  const lines = stmt(
    db.sqlite,
    `SELECT rl.refund_id, rl.sale_line_id, rl.product_id, sl.sku, rl.quantity, rl.amount, rl.tax
       FROM sale_refund_lines rl JOIN sale_lines sl ON sl.id = rl.sale_line_id
      WHERE sl.sale_id = ? ORDER BY rl.rowid`,
  ).all(saleId) as { refund_id: string; sale_line_id: string; product_id: string; sku: string; quantity: number; amount: number; tax: number }[];
  const by = group(lines, (l) => l.refund_id);
  return refunds.map((r) => ({
    id: r.id,
    saleId: r.sale_id,
    refundedOn: r.refunded_on,
    amount: r.amount,
    tax: r.tax,
    currency: r.currency,
    method: r.method,
    reason: r.reason,
    lines: (by.get(r.id) ?? []).map((l) => ({ saleLineId: l.sale_line_id, productId: l.product_id, sku: l.sku, quantity: l.quantity, amount: l.amount, tax: l.tax })),
  }));
}

export interface SaleListQuery {
  from?: string | undefined;
  to?: string | undefined;
  customerId?: string | undefined;
  method?: Sale['method'] | undefined;
  status?: Sale['status'] | undefined;
  search?: string | undefined;
  offset: number;
  limit: number;
}

export function listSales(db: BusinessDb, q: SaleListQuery): { rows: Sale[]; total: number } {
  const where = new SqlWhere()
    .add('s.sold_on >= ?', q.from)
    .add('s.sold_on <= ?', q.to)
    .add('s.customer_id = ?', q.customerId)
    .add('s.status = ?', q.status)
    .add("s.number LIKE '%' || upper(?) || '%'", q.search?.trim());
  if (q.method === 'split') where.add('s.method = ?', 'split');
  else where.add('(s.method = ? OR EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id AND p.method = ?))', q.method, q.method);
  const total = stmt(db.sqlite, `SELECT count(*) FROM sales s ${where.sql}`).pluck().get(...where.params) as number;
  const rows = stmt(db.sqlite, `${SALE_SELECT} ${where.sql} ORDER BY s.sold_on DESC, s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`).all(
    ...where.params,
    q.limit,
    q.offset,
  ) as SaleRow[];
  return { rows: toSales(db, rows), total };
}

// ---------------------------------------------------------------- refunds

export interface NewSaleRefund {
  id: string;
  items?: { lineId?: string | undefined; sku?: string | undefined; quantity: number }[] | undefined;
  on: string;
  method?: SaleMethod | undefined;
  reason?: string | undefined;
}

/**
 * Refunds the whole sale (no items: every unit not refunded yet) or some lines.
 * Money back per line in proportion (sale-math refundLine: the last unit takes
 * what is left); stock back for tracked products; sales.refunded/status and
 * sale_lines.refunded_quantity follow (and are derived again after a sync merge).
 */
export function refundSale(a: SaleWriteContext, input: NewSaleRefund): string {
  const { db } = a;
  const sale = getSale(db, input.id);
  if (input.on < sale.soldOn) throw validation('on', `The refund date cannot be before the sale, ${sale.soldOn}`);
  const state = new Map(
    (
      stmt(
        db.sqlite,
        `SELECT sl.id, coalesce(sum(rl.amount - rl.tax), 0) AS amount, coalesce(sum(rl.tax), 0) AS tax
           FROM sale_lines sl LEFT JOIN sale_refund_lines rl ON rl.sale_line_id = sl.id WHERE sl.sale_id = ? GROUP BY sl.id`,
      ).all(sale.id) as { id: string; amount: number; tax: number }[]
    ).map((r) => [r.id, r]),
  );
  // What to give back: line -> quantity.
  const wanted = new Map<string, number>();
  if (!input.items || input.items.length === 0) {
    for (const l of sale.lines) if (l.quantity > l.refundedQuantity) wanted.set(l.id, l.quantity - l.refundedQuantity);
    if (wanted.size === 0) throw conflict('This sale has been refunded in full already', 'id');
  } else {
    input.items.forEach((item, i) => {
      const field = `items.${i}`;
      let line;
      if (item.lineId !== undefined) {
        line = sale.lines.find((l) => l.id === item.lineId);
        if (!line) throw validation(field, 'That line is not on this sale');
      } else {
        const sku = item.sku!.toLowerCase();
        const candidates = sale.lines.filter((l) => l.sku.toLowerCase() === sku);
        if (candidates.length === 0) throw validation(field, `${item.sku} is not on this sale`);
        line = candidates.find((l) => l.quantity - l.refundedQuantity - (wanted.get(l.id) ?? 0) >= item.quantity) ?? candidates[0]!;
      }
      const total = (wanted.get(line.id) ?? 0) + item.quantity;
      const left = line.quantity - line.refundedQuantity;
      if (total > left) {
        throw validation(field, left === 0 ? `${line.name} (${line.sku}) was refunded already` : `Only ${left} of ${line.name} (${line.sku}) can still be refunded (${line.quantity} sold)`);
      }
      wanted.set(line.id, total);
    });
  }
  const parts = [...wanted].map(([lineId, quantity]) => {
    const line = sale.lines.find((l) => l.id === lineId)!;
    const s = state.get(lineId) ?? { amount: 0, tax: 0 };
    const back = math(() =>
      refundLine(
        { quantity: line.quantity, amount: line.amount, tax: line.tax, refundedQuantity: line.refundedQuantity, refundedAmount: s.amount, refundedTax: s.tax },
        quantity,
        'items',
      ),
    );
    return { line, quantity, amount: back.amount + back.tax, tax: back.tax };
  });
  const amount = parts.reduce((s, p) => s + p.amount, 0);
  const tax = parts.reduce((s, p) => s + p.tax, 0);
  const method = input.method ?? (sale.method === 'split' ? (sale.payments[0]?.method ?? 'cash') : sale.method);
  const refundId = newId();
  stmt(
    db.sqlite,
    `INSERT INTO sale_refunds (id, sale_id, refunded_on, amount, tax, currency, method, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(refundId, sale.id, input.on, amount, tax, sale.currency, method, input.reason ?? '', a.userId, a.at);
  const insertLine = stmt(db.sqlite, 'INSERT INTO sale_refund_lines (id, refund_id, sale_line_id, product_id, quantity, amount, tax) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const tracked = stmt(db.sqlite, 'SELECT stock IS NOT NULL FROM products WHERE id = ?').pluck();
  for (const p of parts) {
    insertLine.run(newId(), refundId, p.line.id, p.line.productId, p.quantity, p.amount, p.tax);
    if (tracked.get(p.line.productId) === 1) {
      moveStock(db, {
        productId: p.line.productId,
        kind: 'refunded',
        quantity: p.quantity,
        reason: `Refund of sale ${sale.number}`,
        saleId: sale.id,
        saleRefundId: refundId,
        userId: a.userId,
        occurredOn: input.on,
        at: a.at,
      });
    }
  }
  deriveSaleRefunds(db.sqlite, sale.id);
  if (sale.customerId) {
    recordCustomerEvent(
      db,
      {
        customerId: sale.customerId,
        kind: 'system',
        subtype: 'refunded',
        title: `Refunded ${money(amount, sale.currency)} of sale ${sale.number}`,
        body: input.reason ?? '',
        occurredAt: `${input.on}T00:00:00.000Z`,
        userId: a.userId,
        refType: 'sale_refund',
        refId: refundId,
      },
      a.at,
    );
  }
  return refundId;
}

// ---------------------------------------------------------------- the Z report

/** The end-of-day report of one business date: cli.md `report day`. */
export function dayReport(db: BusinessDb, date: string): DayReport {
  const currency = saleSettings(db).currency;
  const s = stmt(db.sqlite, 'SELECT count(*) AS n, coalesce(sum(total), 0) AS total, coalesce(sum(tax), 0) AS tax FROM sales WHERE sold_on = ?').get(date) as {
    n: number;
    total: number;
    tax: number;
  };
  const r = stmt(db.sqlite, 'SELECT coalesce(sum(amount), 0) AS amount, coalesce(sum(tax), 0) AS tax FROM sale_refunds WHERE refunded_on = ?').get(date) as {
    amount: number;
    tax: number;
  };
  const byMethod = { cash: 0, card: 0, bank_transfer: 0, other: 0 };
  for (const p of stmt(db.sqlite, 'SELECT method, sum(amount) AS amount FROM sale_payments WHERE paid_on = ? GROUP BY method').all(date) as { method: SaleMethod; amount: number }[]) {
    byMethod[p.method] += p.amount;
  }
  for (const p of stmt(db.sqlite, 'SELECT method, sum(amount) AS amount FROM sale_refunds WHERE refunded_on = ? GROUP BY method').all(date) as { method: SaleMethod; amount: number }[]) {
    byMethod[p.method] -= p.amount;
  }
  const drawer = stmt(
    db.sqlite,
    "SELECT coalesce(sum(tendered), 0) AS tendered, coalesce(sum(change_given), 0) AS change FROM sale_payments WHERE paid_on = ? AND method = 'cash'",
  ).get(date) as { tendered: number; change: number };
  const byProduct = stmt(
    db.sqlite,
    `SELECT product_id AS productId, max(sku) AS sku, max(name) AS name, sum(quantity) AS quantity, sum(amount) AS amount FROM (
       SELECT sl.product_id, sl.sku, sl.description AS name, sl.quantity, sl.amount + sl.tax AS amount
         FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id WHERE s.sold_on = @date
       UNION ALL
       SELECT sl.product_id, sl.sku, sl.description, -rl.quantity, -rl.amount
         FROM sale_refund_lines rl JOIN sale_refunds r ON r.id = rl.refund_id JOIN sale_lines sl ON sl.id = rl.sale_line_id WHERE r.refunded_on = @date
     ) GROUP BY product_id ORDER BY amount DESC, sku`,
  ).all({ date }) as DayReport['byProduct'];
  return {
    date,
    currency,
    count: s.n,
    sales: s.total,
    refunds: r.amount,
    net: s.total - r.amount,
    tax: s.tax - r.tax,
    byMethod,
    cashTendered: drawer.tendered,
    changeGiven: drawer.change,
    byProduct,
  };
}
