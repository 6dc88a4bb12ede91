import { describe, expect, it } from 'vitest';
import { cartReducer, cartTotals, EMPTY_CART, lineOfField, parseScan, paymentsOf, previewPayment, type Cart, type CartAction } from '../../../src-renderer/src/features/pos/cart';

const TEA = { id: 'p-tea', sku: 'TEA-1', name: 'Green tea', price: 350, stock: 20 };
const MAT = { id: 'p-mat', sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 5 };

const run = (...actions: CartAction[]): Cart => actions.reduce(cartReducer, EMPTY_CART);

describe('the counter cart', () => {
  it('adds a scanned product once and counts it up on the next scan, selecting its line', () => {
    const cart = run({ type: 'add', product: TEA }, { type: 'add', product: MAT }, { type: 'add', product: TEA, quantity: 2 });
    expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEA-1', 3],
      ['MAT-1', 1],
    ]);
    expect(cart.selected).toBe(0);
  });

  it('+ and - move the quantity but never below 1; Delete removes the line and keeps a selection', () => {
    let cart = run({ type: 'add', product: TEA }, { type: 'add', product: MAT });
    cart = cartReducer(cart, { type: 'bump', index: 1, by: -1 });
    expect(cart.lines[1]!.quantity).toBe(1);
    cart = cartReducer(cart, { type: 'bump', index: 1, by: 1 });
    expect(cart.lines[1]!.quantity).toBe(2);
    cart = cartReducer(cart, { type: 'remove', index: 1 });
    expect(cart.lines).toHaveLength(1);
    expect(cart.selected).toBe(0);
    cart = cartReducer(cart, { type: 'remove', index: 0 });
    expect(cart.selected).toBe(-1);
  });

  it('the arrows move the selection within the lines', () => {
    let cart = run({ type: 'add', product: TEA }, { type: 'add', product: MAT });
    cart = cartReducer(cart, { type: 'move', by: -1 });
    expect(cart.selected).toBe(0);
    cart = cartReducer(cart, { type: 'move', by: -1 });
    expect(cart.selected).toBe(0);
    cart = cartReducer(cart, { type: 'move', by: 5 });
    expect(cart.selected).toBe(1);
  });

  it('totals come from sale-math, and a refusal names the field at fault', () => {
    const cart = run({ type: 'add', product: TEA, quantity: 4 }, { type: 'add', product: MAT });
    const totals = cartTotals(cart, 100_000);
    expect(totals).toMatchObject({ ok: true, totals: { subtotal: 3900, tax: 390, total: 4290 } });
    const over = cartTotals(cartReducer(cart, { type: 'lineDiscount', index: 1, discount: 2501 }), 100_000);
    expect(over).toMatchObject({ ok: false, field: 'items.1.discount' });
    expect(lineOfField(over && !over.ok ? over.field : undefined)).toBe(1);
    const tooMuch = cartTotals(cartReducer(cart, { type: 'discount', discount: { amount: 3901 } }), 0);
    expect(tooMuch).toMatchObject({ ok: false, field: 'discount' });
    expect(cartTotals(EMPTY_CART, 0)).toBeNull();
  });

  it('cash tendered gives the change; a split pays the rest by the second method', () => {
    const cash = previewPayment(4290, { method: 'cash', tendered: 5000, first: 'cash', firstAmount: null, second: 'card' });
    expect(cash).toMatchObject({ ok: true, split: { change: 710, tendered: 5000 } });
    expect(previewPayment(4290, { method: 'cash', tendered: 4000, first: 'cash', firstAmount: null, second: 'card' })).toMatchObject({ ok: false, field: 'tendered' });
    const split = { method: 'split', tendered: 2000, first: 'cash', firstAmount: 1500, second: 'card' } as const;
    expect(paymentsOf(split)).toEqual([
      { method: 'cash', amount: 1500, tendered: 2000 },
      { method: 'card' },
    ]);
    expect(previewPayment(4290, split)).toMatchObject({ ok: true, split: { method: 'split', change: 500, payments: [{ amount: 1500 }, { amount: 2790 }] } });
    expect(paymentsOf({ method: 'card', tendered: 5000, first: 'cash', firstAmount: null, second: 'card' })).toEqual([{ method: 'card' }]);
  });

  it('reads "3*SKU" as three of it, and anything else as one', () => {
    expect(parseScan('3*MAT-1')).toEqual({ quantity: 3, query: 'MAT-1' });
    expect(parseScan(' 3X100 ')).toEqual({ quantity: 1, query: '3X100' });
    expect(parseScan('0*MAT-1')).toEqual({ quantity: 1, query: '0*MAT-1' });
  });
});
