import { divRound } from './money';
import { addMonths } from './periods';

// Invoice arithmetic of spec 3, on integers, rounded once per line.

export type ChargeKind = 'recurring' | 'setup_fee' | 'proration' | 'product' | 'manual';
export type LineKind = ChargeKind | 'discount' | 'tax' | 'credit';

export interface DraftLine {
  kind: LineKind;
  description: string;
  quantity: number;
  unitAmount: number | null;
  amount: number;
  periodStart: string | null;
  periodEnd: string | null;
  /** The product a `product` line sells (one-off invoices, extra lines). */
  productId?: string | null;
}

export interface CouponTerms {
  code: string;
  percentOffPpm: number | null;
  amountOff: number | null;
  duration: 'once' | 'repeating' | 'forever';
  durationMonths: number | null;
  /** The date the coupon counts as applied (a subscription's start date when given at creation). */
  appliedOn: string;
}

/**
 * Whether the coupon discounts an invoice issued on `issueDate`: `once` the
 * first invoice after it was applied; `repeating` n months those issued
 * before applied + n months; `forever` always.
 */
export function couponApplies(c: CouponTerms, issueDate: string, invoicedSinceApplied: boolean): boolean {
  if (issueDate < c.appliedOn) return false;
  if (c.duration === 'forever') return true;
  if (c.duration === 'once') return !invoicedSinceApplied;
  return issueDate < addMonths(c.appliedOn, c.durationMonths ?? 0);
}

export function discountFor(c: CouponTerms, subtotal: number): number {
  if (subtotal <= 0) return 0;
  if (c.percentOffPpm !== null) return divRound(BigInt(subtotal) * BigInt(c.percentOffPpm), 1_000_000);
  return Math.min(c.amountOff ?? 0, subtotal);
}

export interface InvoiceTotals {
  lines: DraftLine[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  creditApplied: number;
  amountDue: number;
  /** Credit the customer gains when the total is negative. */
  creditGained: number;
}

/**
 * Subtotal = charges; discount from the coupon; tax on (subtotal - discount);
 * total; then the customer's credit balance: a negative total becomes credit,
 * otherwise credit pays what it can. Discount, tax and credit become lines.
 */
export function computeInvoice(input: {
  charges: DraftLine[];
  coupon: CouponTerms | null;
  taxPpm: number;
  creditBalance: number;
}): InvoiceTotals {
  const lines = [...input.charges];
  const subtotal = lines.reduce((sum, l) => sum + l.amount, 0);
  const discount = input.coupon ? discountFor(input.coupon, subtotal) : 0;
  if (discount !== 0) {
    lines.push(line('discount', `Discount (${input.coupon!.code})`, -discount));
  }
  const tax = divRound(BigInt(subtotal - discount) * BigInt(input.taxPpm), 1_000_000);
  if (tax !== 0) lines.push(line('tax', 'Tax', tax));
  const total = subtotal - discount + tax;
  if (total < 0) {
    return { lines, subtotal, discount, tax, total, creditApplied: 0, amountDue: 0, creditGained: -total };
  }
  const creditApplied = Math.min(Math.max(input.creditBalance, 0), total);
  if (creditApplied > 0) lines.push(line('credit', 'Credit balance applied', -creditApplied));
  return { lines, subtotal, discount, tax, total, creditApplied, amountDue: total - creditApplied, creditGained: 0 };
}

function line(kind: LineKind, description: string, amount: number): DraftLine {
  return { kind, description, quantity: 1, unitAmount: null, amount, periodStart: null, periodEnd: null };
}
