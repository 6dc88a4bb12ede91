import { computeCart, SaleMathError, splitPayment, type CartTotals, type PaymentSplit, type SaleMethod } from '@shared/domain/sale-math';
import { MAX_SALE_QUANTITY } from '@shared/domain/sale-math';

// The counter's cart as plain data and a reducer over it. Every figure shown
// (line amounts, discount, tax, total, change) comes from sale-math.ts, the
// same arithmetic the core records the sale with: nothing here adds money up.

/** What the cart needs of a product (the products contract's DTO has more). */
export interface CartProduct {
  id: string;
  sku: string;
  name: string;
  /** Minor units. */
  price: number;
  /** null: stock not tracked. */
  stock: number | null;
}

export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  unitPrice: number;
  quantity: number;
  /** The line's own discount, minor units. */
  discount: number;
  /** Stock on hand when the product was added (a hint; the server decides). */
  stock: number | null;
}

/** A whole-sale discount as typed: "5" (an amount) or "10%" (a percentage). */
export type SaleDiscount = { amount: number } | { percentPpm: number } | null;

export interface CartCustomer {
  id: string;
  name: string;
}

export interface Cart {
  lines: CartLine[];
  /** The line the +/- keys act on (the last one added, or the one picked with the arrows). */
  selected: number;
  discount: SaleDiscount;
  customer: CartCustomer | null;
}

export const EMPTY_CART: Cart = { lines: [], selected: -1, discount: null, customer: null };

export type CartAction =
  | { type: 'add'; product: CartProduct; quantity?: number }
  | { type: 'select'; index: number }
  | { type: 'move'; by: number }
  | { type: 'quantity'; index: number; quantity: number }
  | { type: 'bump'; index: number; by: number }
  | { type: 'lineDiscount'; index: number; discount: number }
  | { type: 'remove'; index: number }
  | { type: 'discount'; discount: SaleDiscount }
  | { type: 'customer'; customer: CartCustomer | null }
  | { type: 'clear' };

function clampIndex(index: number, length: number): number {
  if (length === 0) return -1;
  return Math.min(Math.max(index, 0), length - 1);
}

function clampQuantity(quantity: number): number {
  return Math.min(Math.max(Math.trunc(quantity), 1), MAX_SALE_QUANTITY);
}

/**
 * Scanning a product already in the cart adds one to its line (and selects it)
 * rather than a second line; a quantity never drops below 1 by the - key
 * (Delete removes the line).
 */
export function cartReducer(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case 'add': {
      const by = clampQuantity(action.quantity ?? 1);
      const at = cart.lines.findIndex((l) => l.productId === action.product.id);
      if (at >= 0) {
        const lines = cart.lines.map((l, i) => (i === at ? { ...l, quantity: clampQuantity(l.quantity + by), stock: action.product.stock } : l));
        return { ...cart, lines, selected: at };
      }
      const p = action.product;
      const line: CartLine = { productId: p.id, sku: p.sku, name: p.name, unitPrice: p.price, quantity: by, discount: 0, stock: p.stock };
      return { ...cart, lines: [...cart.lines, line], selected: cart.lines.length };
    }
    case 'select':
      return { ...cart, selected: clampIndex(action.index, cart.lines.length) };
    case 'move':
      return { ...cart, selected: clampIndex((cart.selected < 0 ? cart.lines.length : cart.selected) + action.by, cart.lines.length) };
    case 'quantity':
    case 'bump': {
      const line = cart.lines[action.index];
      if (!line) return cart;
      const quantity = clampQuantity(action.type === 'quantity' ? action.quantity : line.quantity + action.by);
      return { ...cart, selected: action.index, lines: cart.lines.map((l, i) => (i === action.index ? { ...l, quantity } : l)) };
    }
    case 'lineDiscount': {
      if (!cart.lines[action.index]) return cart;
      return { ...cart, lines: cart.lines.map((l, i) => (i === action.index ? { ...l, discount: Math.max(0, action.discount) } : l)) };
    }
    case 'remove': {
      if (!cart.lines[action.index]) return cart;
      const lines = cart.lines.filter((_, i) => i !== action.index);
      return { ...cart, lines, selected: clampIndex(Math.min(cart.selected, lines.length - 1), lines.length) };
    }
    case 'discount':
      return { ...cart, discount: action.discount };
    case 'customer':
      return { ...cart, customer: action.customer };
    case 'clear':
      return EMPTY_CART;
  }
}

export type Totals = { ok: true; totals: CartTotals } | { ok: false; field: string; message: string };

/** The live totals of the cart, by the shared arithmetic; a refusal names the field ("items.1.discount", "discount"). */
export function cartTotals(cart: Cart, taxPpm: number): Totals | null {
  if (cart.lines.length === 0) return null;
  try {
    return {
      ok: true,
      totals: computeCart({
        lines: cart.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
        discount: cart.discount,
        taxPpm,
      }),
    };
  } catch (error) {
    if (error instanceof SaleMathError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/** Which cart line a field names: "items.2.quantity" -> 2. */
export function lineOfField(field: string | undefined): number | null {
  const match = /^items\.(\d+)(?:\.|$)/.exec(field ?? '');
  return match ? Number(match[1]) : null;
}

/** How the customer pays, as the pay dialog holds it. */
export interface PaymentDraft {
  method: SaleMethod | 'split';
  /** Cash handed over (minor units), when typed. */
  tendered: number | null;
  /** A split: the first part's method and amount; the second method pays the rest. */
  first: SaleMethod;
  firstAmount: number | null;
  second: SaleMethod;
}

export interface PaymentPlan {
  payments: { method: SaleMethod; amount?: number; tendered?: number }[];
}

/** The payments input of sales.create for a draft (the server checks it again). */
export function paymentsOf(draft: PaymentDraft): PaymentPlan['payments'] {
  if (draft.method !== 'split') {
    return [{ method: draft.method, ...(draft.method === 'cash' && draft.tendered !== null ? { tendered: draft.tendered } : {}) }];
  }
  const cashTendered = draft.tendered !== null ? { tendered: draft.tendered } : {};
  return [
    { method: draft.first, ...(draft.firstAmount !== null ? { amount: draft.firstAmount } : {}), ...(draft.first === 'cash' ? cashTendered : {}) },
    { method: draft.second, ...(draft.second === 'cash' ? cashTendered : {}) },
  ];
}

export type PaymentPreview = { ok: true; split: PaymentSplit } | { ok: false; field: string; message: string };

/** The change (and the parts of a split) for a draft, by the shared arithmetic. */
export function previewPayment(total: number, draft: PaymentDraft): PaymentPreview {
  try {
    return { ok: true, split: splitPayment(total, paymentsOf(draft)) };
  } catch (error) {
    if (error instanceof SaleMathError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/** "3*ABC-1": three of the product with SKU ABC-1, as counters type it. */
export function parseScan(text: string): { quantity: number; query: string } {
  const match = /^\s*(\d{1,6})\s*\*\s*(\S.*)$/.exec(text);
  if (match && Number(match[1]) > 0) return { quantity: Number(match[1]), query: match[2]!.trim() };
  return { quantity: 1, query: text.trim() };
}
