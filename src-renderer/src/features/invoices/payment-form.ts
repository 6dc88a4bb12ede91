import type { Input } from '@shared/contract';
import { isIsoDate } from '@shared/domain/dates';
import type { MANUAL_PAYMENT_METHODS } from '@shared/domain/billing';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

export type ManualMethod = (typeof MANUAL_PAYMENT_METHODS)[number];

export const METHOD_LABELS: Record<ManualMethod, string> = {
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  card: 'Card (taken by hand)',
  other: 'Other',
};

export interface PaymentValues {
  amount: string;
  method: ManualMethod;
  on: string;
  reference: string;
}

/** The payment as invoices.pay's input, or a message per field; never more than is due, never before the invoice. */
export function readPaymentForm(
  values: PaymentValues,
  invoice: { id: string; amountDue: number; issueDate: string },
  currency: CurrencyCode,
  format: (minor: number) => string,
): { input: Input<'invoices.pay'> | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const amount = parseMoneyInput(values.amount, currency, { positive: true });
  if (!amount.ok) errors.amount = amount.message;
  else if (amount.minor > invoice.amountDue) errors.amount = `That is more than is due (${format(invoice.amountDue)})`;
  if (!isIsoDate(values.on)) errors.on = 'Enter the date it was paid';
  else if (values.on < invoice.issueDate) errors.on = `The payment date cannot be before the invoice date, ${invoice.issueDate}`;
  if (values.reference.length > 200) errors.reference = 'Keep the reference to 200 characters';
  if (Object.keys(errors).length > 0 || !amount.ok) return { input: null, errors };
  return { input: { id: invoice.id, amount: amount.minor, method: values.method, on: values.on, reference: values.reference.trim() }, errors };
}
