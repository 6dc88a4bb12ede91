import { divRound, MAX_AMOUNT_MINOR } from './money';

// The cart arithmetic of a counter sale, on integers: used by the core when it
// writes a sale and by the POS screen for its live totals, so they never differ.
//
// Tax is exclusive, as on invoices (invoice-math.ts): computed once on what is
// left after the discounts, at the business's rate, rounded half away from
// zero, and added on top. Then:
//
//   subtotal = Σ (quantity × unitPrice − the line's own discount)
//   discount = the whole-sale discount (an amount, or a percentage of subtotal)
//   tax      = round((subtotal − discount) × rate)
//   total    = subtotal − discount + tax
//
// The whole-sale discount and the tax are spread over the lines in proportion
// to their amounts, largest remainder first, so the lines add up to the cent:
// a line's `discount` is its own plus its share, its `amount` is
// quantity × unitPrice − discount (tax excluded), and Σ amount + Σ tax = total.

export const SALE_METHODS = ['cash', 'card', 'bank_transfer', 'other'] as const;
export type SaleMethod = (typeof SALE_METHODS)[number];

export const MAX_SALE_QUANTITY = 1_000_000;

/** A refusal naming the input field at fault ("items.1.quantity", "discount", "tendered"). */
export class SaleMathError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SaleMathError';
  }
}

export interface CartLineInput {
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  /** This line's own discount, minor units (0 when absent). */
  discount?: number | undefined;
}

/** A whole-sale discount: an amount in minor units, or a percentage in parts per million. */
export type SaleDiscountInput = { amount: number } | { percentPpm: number };

export interface CartPaymentInput {
  method: SaleMethod;
  /** The part of the total this method pays; for the last (or only) payment, omitted = the rest. */
  amount?: number | undefined;
  /** Cash handed over for this part (cash only); at least its amount. */
  tendered?: number | undefined;
}

export interface CartInput {
  lines: CartLineInput[];
  discount?: SaleDiscountInput | null | undefined;
  taxPpm: number;
  /** Field prefix of the lines in error messages ("items" -> "items.0.quantity"). */
  linesField?: string;
}

export interface CartLine {
  quantity: number;
  unitPrice: number;
  /** quantity × unitPrice. */
  gross: number;
  /** The line's own discount. */
  ownDiscount: number;
  /** Its share of the whole-sale discount. */
  saleDiscountShare: number;
  /** ownDiscount + saleDiscountShare. */
  discount: number;
  /** gross − discount: what the line sells for, tax excluded. */
  amount: number;
  /** Its share of the sale's tax. */
  tax: number;
}

export interface CartTotals {
  lines: CartLine[];
  /** Σ (gross − own discount). */
  subtotal: number;
  /** The whole-sale discount as an amount. */
  discount: number;
  tax: number;
  total: number;
}

export interface CartPayment {
  method: SaleMethod;
  amount: number;
  tendered: number | null;
  change: number;
}

export interface PaymentSplit {
  /** One method, or 'split' for two. */
  method: SaleMethod | 'split';
  payments: CartPayment[];
  /** Cash handed over in all (null when none was given). */
  tendered: number | null;
  change: number;
}

function isAmount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_AMOUNT_MINOR;
}

/**
 * Spreads `total` over `weights` in proportion, largest remainder first (ties
 * to the earlier line): the shares add up to `total` exactly. All weights 0:
 * the first line takes it all. Weights and total are non-negative integers.
 */
export function spreadProportionally(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const T = BigInt(total);
  const S = BigInt(sum);
  const shares = weights.map((w) => (T * BigInt(w)) / S);
  const remainders = weights.map((w, i) => ({ i, r: (T * BigInt(w)) % S }));
  let left = total - shares.reduce((s, x) => s + Number(x), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = shares.map(Number);
  for (let k = 0; left > 0; k++, left--) out[remainders[k % remainders.length]!.i]! += 1;
  return out;
}

/** The totals of a cart, or a SaleMathError naming the field at fault. */
export function computeCart(input: CartInput): CartTotals {
  const prefix = input.linesField ?? 'items';
  if (input.lines.length === 0) throw new SaleMathError(prefix, 'Add at least one item');
  if (!Number.isSafeInteger(input.taxPpm) || input.taxPpm < 0 || input.taxPpm > 1_000_000) throw new SaleMathError('taxPpm', 'The tax rate is out of range');
  const nets: number[] = [];
  const base = input.lines.map((l, i) => {
    if (!Number.isSafeInteger(l.quantity)) throw new SaleMathError(`${prefix}.${i}.quantity`, 'The quantity must be a whole number');
    if (l.quantity <= 0) throw new SaleMathError(`${prefix}.${i}.quantity`, 'The quantity must be at least 1');
    if (l.quantity > MAX_SALE_QUANTITY) throw new SaleMathError(`${prefix}.${i}.quantity`, `The quantity is at most ${MAX_SALE_QUANTITY}`);
    if (!isAmount(l.unitPrice)) throw new SaleMathError(`${prefix}.${i}.unitPrice`, 'The price must be a whole number of minor units, not negative');
    const gross = l.quantity * l.unitPrice;
    if (!Number.isSafeInteger(gross) || gross > MAX_AMOUNT_MINOR) throw new SaleMathError(`${prefix}.${i}.quantity`, 'The line amount is too large');
    const own = l.discount ?? 0;
    if (!isAmount(own)) throw new SaleMathError(`${prefix}.${i}.discount`, 'The discount must be a whole number of minor units, not negative');
    if (own > gross) throw new SaleMathError(`${prefix}.${i}.discount`, 'The discount is more than the line');
    nets.push(gross - own);
    return { quantity: l.quantity, unitPrice: l.unitPrice, gross, ownDiscount: own };
  });
  const subtotal = nets.reduce((s, n) => s + n, 0);
  if (subtotal > MAX_AMOUNT_MINOR) throw new SaleMathError(prefix, 'The sale is too large');
  let discount = 0;
  const d = input.discount;
  if (d) {
    if ('amount' in d) {
      if (!isAmount(d.amount)) throw new SaleMathError('discount', 'The discount must be a whole number of minor units, not negative');
      if (d.amount > subtotal) throw new SaleMathError('discount', 'The discount is more than the total');
      discount = d.amount;
    } else {
      if (!Number.isSafeInteger(d.percentPpm) || d.percentPpm < 0) throw new SaleMathError('discount', 'The percentage cannot be negative');
      if (d.percentPpm > 1_000_000) throw new SaleMathError('discount', 'The discount is more than the total (over 100%)');
      discount = divRound(BigInt(subtotal) * BigInt(d.percentPpm), 1_000_000);
    }
  }
  const shares = spreadProportionally(discount, nets);
  const taxable = subtotal - discount;
  const tax = divRound(BigInt(taxable) * BigInt(input.taxPpm), 1_000_000);
  const amounts = nets.map((n, i) => n - shares[i]!);
  const taxes = spreadProportionally(tax, amounts);
  const lines: CartLine[] = base.map((b, i) => ({
    ...b,
    saleDiscountShare: shares[i]!,
    discount: b.ownDiscount + shares[i]!,
    amount: amounts[i]!,
    tax: taxes[i]!,
  }));
  return { lines, subtotal, discount, tax, total: taxable + tax };
}

/**
 * How the total is paid: one payment or two (a split). A payment without an
 * amount pays the rest; the amounts must add up to the total. Cash may come
 * with `tendered` (at least its part): the change is the difference. Other
 * methods take no tendered amount.
 */
export function splitPayment(total: number, payments: CartPaymentInput[], field = 'payments'): PaymentSplit {
  if (payments.length === 0) throw new SaleMathError(field, 'Choose how the sale is paid');
  if (payments.length > 2) throw new SaleMathError(field, 'A sale is paid by one method or split across two');
  const single = payments.length === 1;
  const fieldOf = (i: number, name: string) => (single && name === 'tendered' ? 'tendered' : `${field}.${i}.${name}`);
  let given = 0;
  payments.forEach((p, i) => {
    if (p.amount !== undefined) {
      if (!isAmount(p.amount)) throw new SaleMathError(`${field}.${i}.amount`, 'The amount must be a whole number of minor units, not negative');
      given += p.amount;
    } else if (i !== payments.length - 1) {
      throw new SaleMathError(`${field}.${i}.amount`, 'Give the amount of the first part of a split payment');
    }
  });
  const out: CartPayment[] = payments.map((p, i) => {
    const amount = p.amount ?? total - given;
    if (amount < 0) throw new SaleMathError(`${field}.${i}.amount`, 'The parts add up to more than the total');
    if (!single && amount === 0) throw new SaleMathError(`${field}.${i}.amount`, 'Each part of a split payment must be more than 0');
    let tendered: number | null = null;
    let change = 0;
    if (p.tendered !== undefined) {
      if (p.method !== 'cash') throw new SaleMathError(fieldOf(i, 'tendered'), 'Only cash is tendered');
      if (!isAmount(p.tendered)) throw new SaleMathError(fieldOf(i, 'tendered'), 'The amount tendered must be a whole number of minor units, not negative');
      if (p.tendered < amount) throw new SaleMathError(fieldOf(i, 'tendered'), 'The amount tendered is less than what is due');
      tendered = p.tendered;
      change = p.tendered - amount;
    }
    return { method: p.method, amount, tendered, change };
  });
  const sum = out.reduce((s, p) => s + p.amount, 0);
  if (sum !== total) throw new SaleMathError(`${field}.${out.length - 1}.amount`, `The parts add up to ${sum}, not the total ${total}`);
  if (!single && out[0]!.method === out[1]!.method) throw new SaleMathError(`${field}.1.method`, 'Split across two different methods');
  const cash = out.filter((p) => p.tendered !== null);
  return {
    method: single ? out[0]!.method : 'split',
    payments: out,
    tendered: cash.length === 0 ? null : cash.reduce((s, p) => s + p.tendered!, 0),
    change: out.reduce((s, p) => s + p.change, 0),
  };
}

/** What a sold line has given back so far. */
export interface LineRefundState {
  quantity: number;
  amount: number;
  tax: number;
  refundedQuantity: number;
  refundedAmount: number;
  refundedTax: number;
}

/**
 * The money (tax excluded) and tax given back for `quantity` more units of a
 * line: in proportion, and the last unit takes what is left, so a line refunded
 * in any number of steps gives back exactly its amount and tax.
 */
export function refundLine(line: LineRefundState, quantity: number, field: string): { amount: number; tax: number } {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new SaleMathError(field, 'The quantity must be a whole number of at least 1');
  const left = line.quantity - line.refundedQuantity;
  if (quantity > left) throw new SaleMathError(field, left === 0 ? 'This line was refunded already' : `Only ${left} of this line can still be refunded`);
  if (quantity === left) return { amount: line.amount - line.refundedAmount, tax: line.tax - line.refundedTax };
  const upTo = line.refundedQuantity + quantity;
  const amountUpTo = divRound(BigInt(line.amount) * BigInt(upTo), line.quantity);
  const taxUpTo = divRound(BigInt(line.tax) * BigInt(upTo), line.quantity);
  return { amount: Math.max(0, amountUpTo - line.refundedAmount), tax: Math.max(0, taxUpTo - line.refundedTax) };
}

/** paid, partially_refunded or refunded: refunded once every unit sold came back. */
export function saleStatus(refundedQuantity: number, soldQuantity: number): 'paid' | 'partially_refunded' | 'refunded' {
  if (refundedQuantity <= 0) return 'paid';
  return refundedQuantity >= soldQuantity ? 'refunded' : 'partially_refunded';
}
