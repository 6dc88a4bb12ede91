import type { Input } from '@shared/contract';
import type { Payment } from '@shared/domain/billing';
import { isIsoDate } from '@shared/domain/dates';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

export interface RefundValues {
  full: boolean;
  amount: string;
  on: string;
  reason: string;
}

/** What is left to refund on a payment. */
export function refundable(payment: Pick<Payment, 'amount' | 'amountRefunded'>): number {
  return Math.max(payment.amount - payment.amountRefunded, 0);
}

/** The refund as payments.refund's input (a full refund sends no amount), or a message per field. */
export function readRefundForm(
  values: RefundValues,
  payment: Pick<Payment, 'id' | 'amount' | 'amountRefunded' | 'paidOn'>,
  currency: CurrencyCode,
  format: (minor: number) => string,
): { input: Input<'payments.refund'> | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const left = refundable(payment);
  let amount: number | undefined;
  if (!values.full) {
    const parsed = parseMoneyInput(values.amount, currency, { positive: true });
    if (!parsed.ok) errors.amount = parsed.message;
    else if (parsed.minor > left) errors.amount = `At most ${format(left)} can be refunded`;
    else amount = parsed.minor;
  }
  if (!isIsoDate(values.on)) errors.on = 'Enter the date of the refund';
  else if (values.on < payment.paidOn) errors.on = `The refund date cannot be before the payment, ${payment.paidOn}`;
  if (values.reason.length > 500) errors.reason = 'Keep the reason to 500 characters';
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return { input: { id: payment.id, on: values.on, reason: values.reason.trim(), ...(amount !== undefined ? { amount } : {}) }, errors };
}
