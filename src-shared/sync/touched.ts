// Which rows a merged change makes derive again (docs/sync-pc.md, "Applying":
// money and stock are never merged as fields). One rule for both sides of
// sync: the PC's apply (src-main/core/sync/apply.ts) and the server's fold
// into its projection (src-server/projection/fold.ts) each derive, after a
// batch, the rows collected here, so they cannot disagree on which rows a
// change reaches.

/** Row ids to derive again, per kind of derived row. */
export interface Touched {
  /** credit_balance, from credit_transactions. */
  customers: Set<string>;
  /** credit_applied, amount_paid, amount_due (and paid status), from credit_transactions and payments. */
  invoices: Set<string>;
  /** amount_refunded, from refunds. */
  payments: Set<string>;
  /** times_redeemed, from the subscriptions carrying the coupon. */
  coupons: Set<string>;
  /** refunded and status (and their lines' refunded quantities), from sale_refunds and their lines. */
  sales: Set<string>;
  /** Sale lines a refund line named: their sale is derived again (the deriver looks the sale up). */
  saleLines: Set<string>;
  /** A tracked product's stock, from stock_movements. */
  products: Set<string>;
}

export const emptyTouched = (): Touched => ({
  customers: new Set(),
  invoices: new Set(),
  payments: new Set(),
  coupons: new Set(),
  sales: new Set(),
  saleLines: new Set(),
  products: new Set(),
});

type Row = Record<string, unknown>;

/**
 * Notes what a change of `table`'s row `rowId` makes derive again. `row` is
 * the row as it stands before the change (undefined or null when missing),
 * `fields` the change's values (with "@base", the values an update replaced
 * or a delete removed). A reference is read from the change, else the row,
 * else the "@base", so a delete and an edit that moves it reach the right row.
 */
export function noteTouched(touched: Touched, table: string, rowId: string, row: Row | null | undefined, fields: Row): void {
  const base = fields['@base'] as Row | undefined;
  const pick = (name: string) => (fields[name] ?? row?.[name] ?? base?.[name]) as string | null | undefined;
  const add = (set: Set<string>, id: unknown) => {
    if (typeof id === 'string' && id !== '') set.add(id);
  };
  switch (table) {
    case 'customers':
      return add(touched.customers, rowId);
    case 'coupons':
      return add(touched.coupons, rowId);
    case 'subscriptions':
      // The coupon may be in the change, in the row, or in its "@base" (a delete); a coupon changed frees the old one.
      for (const c of [fields['coupon_id'], row?.['coupon_id'], base?.['coupon_id']]) add(touched.coupons, c);
      return;
    case 'credit_transactions':
      add(touched.customers, pick('customer_id'));
      // A credit note settled against an invoice moves its credit_applied (invoicing/credit-notes.ts).
      return add(touched.invoices, pick('invoice_id'));
    case 'invoices':
      return add(touched.invoices, rowId);
    case 'payments':
      add(touched.payments, rowId);
      return add(touched.invoices, pick('invoice_id'));
    case 'refunds':
      return add(touched.payments, pick('payment_id'));
    case 'sales':
      return add(touched.sales, rowId);
    case 'sale_lines':
    case 'sale_refunds':
      return add(touched.sales, pick('sale_id'));
    case 'sale_refund_lines':
      return add(touched.saleLines, pick('sale_line_id'));
    case 'products':
      return add(touched.products, rowId);
    case 'stock_movements':
      return add(touched.products, pick('product_id'));
  }
}
