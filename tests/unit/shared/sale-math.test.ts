import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCart, refundLine, SaleMathError, splitPayment, spreadProportionally } from '@shared/domain/sale-math';

const line = fc.record({
  quantity: fc.integer({ min: 1, max: 50 }),
  unitPrice: fc.integer({ min: 0, max: 500_000 }),
  discountPart: fc.integer({ min: 0, max: 100 }),
});
const cart = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 8 }),
  taxPpm: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(82_500, 200_000, 70_000)),
  discount: fc.oneof(
    fc.constant(null),
    fc.record({ percentPpm: fc.integer({ min: 0, max: 1_000_000 }) }),
    fc.record({ amountPart: fc.integer({ min: 0, max: 1000 }) }),
  ),
});

type CartCase = typeof cart extends fc.Arbitrary<infer T> ? T : never;

function build(c: CartCase) {
  const lines = c.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, discount: Math.floor((l.quantity * l.unitPrice * l.discountPart) / 100) }));
  const subtotal = lines.reduce((s, l) => s + l.quantity * l.unitPrice - l.discount, 0);
  const discount = c.discount === null ? null : 'percentPpm' in c.discount ? c.discount : { amount: Math.floor((subtotal * c.discount.amountPart) / 1000) };
  return { lines, discount, taxPpm: c.taxPpm };
}

describe('cart arithmetic', () => {
  it('lines + tax - discount = total to the cent; discounts never exceed lines; shares add up', () => {
    fc.assert(
      fc.property(cart, (c) => {
        const input = build(c);
        const t = computeCart(input);
        const gross = t.lines.reduce((s, l) => s + l.gross, 0);
        const allDiscounts = t.lines.reduce((s, l) => s + l.discount, 0);
        expect(gross - allDiscounts + t.tax).toBe(t.total);
        expect(t.subtotal - t.discount + t.tax).toBe(t.total);
        expect(t.lines.reduce((s, l) => s + l.amount + l.tax, 0)).toBe(t.total);
        expect(t.lines.reduce((s, l) => s + l.tax, 0)).toBe(t.tax);
        expect(t.lines.reduce((s, l) => s + l.saleDiscountShare, 0)).toBe(t.discount);
        for (const l of t.lines) {
          expect(l.discount).toBeLessThanOrEqual(l.gross);
          expect(l.amount).toBeGreaterThanOrEqual(0);
          expect(l.tax).toBeGreaterThanOrEqual(0);
        }
        expect(t.discount).toBeLessThanOrEqual(t.subtotal);
      }),
      { numRuns: 500 },
    );
  });

  it('a line refunded in any number of steps gives back exactly its amount and tax', () => {
    fc.assert(
      fc.property(cart, fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }), (c, steps) => {
        const t = computeCart(build(c));
        for (const l of t.lines) {
          let q = 0;
          let amount = 0;
          let tax = 0;
          for (const step of [...steps, l.quantity]) {
            const take = Math.min(step, l.quantity - q);
            if (take === 0) break;
            const back = refundLine({ quantity: l.quantity, amount: l.amount, tax: l.tax, refundedQuantity: q, refundedAmount: amount, refundedTax: tax }, take, 'items.0');
            expect(back.amount).toBeGreaterThanOrEqual(0);
            q += take;
            amount += back.amount;
            tax += back.tax;
          }
          expect([q, amount, tax]).toEqual([l.quantity, l.amount, l.tax]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spreads largest remainder first, to the cent', () => {
    expect(spreadProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(spreadProportionally(10, [0, 0])).toEqual([10, 0]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        expect(spreadProportionally(total, weights).reduce((s, x) => s + x, 0)).toBe(total);
      }),
    );
  });

  it('names the field at fault', () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (e instanceof SaleMathError) return e.field;
        throw e;
      }
      return null;
    };
    expect(field(() => computeCart({ lines: [{ quantity: 1, unitPrice: 100 }, { quantity: -2, unitPrice: 100 }], taxPpm: 0 }))).toBe('items.1.quantity');
    expect(field(() => computeCart({ lines: [{ quantity: 1.5, unitPrice: 100 }], taxPpm: 0 }))).toBe('items.0.quantity');
    expect(field(() => computeCart({ lines: [{ quantity: 1, unitPrice: 100, discount: 101 }], taxPpm: 0 }))).toBe('items.0.discount');
    expect(field(() => computeCart({ lines: [{ quantity: 1, unitPrice: 100 }], discount: { amount: 101 }, taxPpm: 0 }))).toBe('discount');
    expect(field(() => computeCart({ lines: [{ quantity: 1, unitPrice: 100 }], discount: { percentPpm: 1_000_001 }, taxPpm: 0 }))).toBe('discount');
    expect(field(() => splitPayment(1000, [{ method: 'cash', tendered: 999 }]))).toBe('tendered');
    expect(field(() => splitPayment(1000, [{ method: 'card', amount: 400 }, { method: 'cash', amount: 500 }]))).toBe('payments.1.amount');
    expect(field(() => splitPayment(1000, [{ method: 'card', amount: 400 }, { method: 'cash', amount: 600, tendered: 500 }]))).toBe('payments.1.tendered');
  });

  it('splits a payment and gives change', () => {
    expect(splitPayment(1000, [{ method: 'cash', tendered: 2000 }])).toEqual({
      method: 'cash',
      payments: [{ method: 'cash', amount: 1000, tendered: 2000, change: 1000 }],
      tendered: 2000,
      change: 1000,
    });
    expect(splitPayment(1000, [{ method: 'card', amount: 400 }, { method: 'cash', tendered: 1000 }])).toEqual({
      method: 'split',
      payments: [
        { method: 'card', amount: 400, tendered: null, change: 0 },
        { method: 'cash', amount: 600, tendered: 1000, change: 400 },
      ],
      tendered: 1000,
      change: 400,
    });
  });
});
