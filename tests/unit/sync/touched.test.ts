import { describe, expect, it } from 'vitest';
import { emptyTouched, noteTouched, type Touched } from '@shared/sync/touched';

// Which rows a merged change makes derive again: one function that the PC's
// apply and the server's fold both call (src-shared/sync/touched.ts).

type Row = Record<string, unknown>;
const touchedBy = (changes: [table: string, rowId: string, row: Row | null | undefined, fields: Row][]) => {
  const t = emptyTouched();
  for (const [table, rowId, row, fields] of changes) noteTouched(t, table, rowId, row, fields);
  return Object.fromEntries(Object.entries(t).filter(([, set]) => set.size > 0).map(([k, set]) => [k, [...(set as Set<string>)].sort()])) as Partial<Record<keyof Touched, string[]>>;
};

describe('noteTouched', () => {
  it('a row whose own fields are derived is derived again', () => {
    expect(
      touchedBy([
        ['customers', 'c1', undefined, { name: 'x' }],
        ['invoices', 'i1', null, { status: 'open' }],
        ['coupons', 'k1', null, {}],
        ['sales', 'sa1', null, {}],
        ['products', 'p1', null, {}],
      ]),
    ).toEqual({ customers: ['c1'], invoices: ['i1'], coupons: ['k1'], sales: ['sa1'], products: ['p1'] });
  });

  it('an insert-only record reaches the rows derived from it', () => {
    expect(touchedBy([['payments', 'pay1', undefined, { invoice_id: 'i1', amount: 100 }]])).toEqual({ payments: ['pay1'], invoices: ['i1'] });
    expect(touchedBy([['refunds', 'r1', undefined, { payment_id: 'pay1' }]])).toEqual({ payments: ['pay1'] });
    expect(touchedBy([['stock_movements', 'm1', undefined, { product_id: 'p1', quantity: -1 }]])).toEqual({ products: ['p1'] });
    expect(touchedBy([['sale_refunds', 'rf1', undefined, { sale_id: 'sa1' }], ['sale_lines', 'sl1', undefined, { sale_id: 'sa2' }]])).toEqual({ sales: ['sa1', 'sa2'] });
    expect(touchedBy([['sale_refund_lines', 'rl1', undefined, { sale_line_id: 'sl1' }]])).toEqual({ saleLines: ['sl1'] });
    expect(touchedBy([['subscriptions', 's1', undefined, { coupon_id: 'k1' }]])).toEqual({ coupons: ['k1'] });
  });

  it("a credit transaction reaches its customer's balance and, settled against an invoice, that invoice's credit applied", () => {
    expect(touchedBy([['credit_transactions', 't1', undefined, { customer_id: 'c1', amount: -300, reason: 'applied', invoice_id: 'i1' }]])).toEqual({ customers: ['c1'], invoices: ['i1'] });
    expect(touchedBy([['credit_transactions', 't2', undefined, { customer_id: 'c1', amount: 300, reason: 'goodwill', invoice_id: null }]])).toEqual({ customers: ['c1'] });
  });

  it('a reference is read from the change, else the row, else the "@base" of a delete', () => {
    // An edit that carries no reference: the row holds it.
    expect(touchedBy([['payments', 'pay1', { invoice_id: 'i1' }, { status: 'failed', '@base': { status: 'succeeded' } }]])).toEqual({ payments: ['pay1'], invoices: ['i1'] });
    // A delete of a row already gone here: its "@base".
    expect(touchedBy([['stock_movements', 'm1', null, { '@base': { product_id: 'p1', quantity: 2 } }]])).toEqual({ products: ['p1'] });
    // A subscription moved from one coupon to another (or deleted): both coupons count again.
    expect(touchedBy([['subscriptions', 's1', { coupon_id: 'k1' }, { coupon_id: 'k2', '@base': { coupon_id: 'k1' } }]])).toEqual({ coupons: ['k1', 'k2'] });
    expect(touchedBy([['subscriptions', 's1', null, { '@base': { coupon_id: 'k3' } }]])).toEqual({ coupons: ['k3'] });
  });

  it('tables nothing is derived from touch nothing', () => {
    expect(touchedBy([['customer_tags', '["c1","vip"]', undefined, { customer_id: 'c1', tag: 'vip' }], ['plans', 'p1', undefined, { code: 'X' }], ['credit_notes', 'n1', undefined, { invoice_id: 'i1' }]])).toEqual({});
  });
});
